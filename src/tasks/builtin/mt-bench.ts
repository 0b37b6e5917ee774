/**
 * MT-Bench (Zheng et al. 2023, "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena", NeurIPS Datasets and
 * Benchmarks): 80 two-turn questions, ten in each of eight categories, graded by a judge model.
 *
 * Data (lm-sys/FastChat `fastchat/llm_judge/data`, commit 0e6d3e4b, Apache-2.0), laid out as FastChat has it:
 * - `mt_bench/question.jsonl`: `{question_id, category, turns: [turn 1, turn 2], reference?}`;
 * - `mt_bench/reference_answer/gpt-4.jsonl`: the GPT-4 reference answers gen_judgment.py shows the judge for math,
 *   reasoning and coding (`{question_id, choices: [{turns: [answer 1, answer 2]}]}`; the questions' own `reference`
 *   field is not what FastChat's grading uses);
 * - `judge_prompts.jsonl`: the judge prompts (single-v1, single-math-v1 and their multi-turn forms).
 * A `path` option may point at FastChat's own `fastchat/llm_judge/data` folder.
 *
 * Prompt format (FastChat gen_api_answer.py / gen_model_answer.py): turn 1 is sent as the user message, the model
 * answers, turn 2 follows in the same conversation (`followUps`). No system prompt is added (FastChat's conversation
 * templates add each model family's own default, e.g. "You are a helpful assistant." for OpenAI chat models; here
 * the provider's default applies). Sampling temperature by category as FastChat's `temperature_config`: writing
 * and roleplay 0.7, stem and humanities 0.1, extraction, math, coding and reasoning 0 (other categories 0.7);
 * max_tokens 1024. The model's own settings still win.
 *
 * Samples: id = question_id, input = turn 1, metadata `{category, question_id, turns: [turn 1, turn 2]}`, target =
 * the two reference answers for math, reasoning and coding, else empty. Grading: see scorers/judge/mt-bench.ts.
 */
import { join } from "node:path";
import type { Task } from "../../core/task.js";
import type { Sample } from "../../core/types.js";
import {
  MT_BENCH_METRICS,
  MT_BENCH_TASK,
  type MtBenchPrompts,
  mtBenchPrompts,
  mtBenchScorer,
  NEED_REF_CATS,
} from "../../scorers/judge/mt-bench.js";
import { readJudgePrompts } from "../../scorers/judge/prompt-file.js";
import { dataFileError, describeJsonValue, readRecords } from "../data-files.js";
import { type BuiltinTaskDefinition, BuiltinTaskError, type BuiltinTaskOptions } from "./definition.js";
import { benchmarkDir } from "./paths.js";

export const MT_BENCH_CATEGORIES = [
  "writing",
  "roleplay",
  "reasoning",
  "math",
  "coding",
  "extraction",
  "stem",
  "humanities",
] as const;

/** FastChat common.py `temperature_config`; unlisted categories get 0.7 as in gen_api_answer.py. */
const TEMPERATURE: Readonly<Record<string, number>> = {
  writing: 0.7,
  roleplay: 0.7,
  extraction: 0.0,
  math: 0.0,
  coding: 0.0,
  reasoning: 0.0,
  stem: 0.1,
  humanities: 0.1,
};
const DEFAULT_TEMPERATURE = 0.7;
const MAX_TOKENS = 1024;

/** Where the files are inside the data folder (FastChat's layout under fastchat/llm_judge/data). */
export const MT_BENCH_FILES = {
  questions: join("mt_bench", "question.jsonl"),
  references: join("mt_bench", "reference_answer", "gpt-4.jsonl"),
  judgePrompts: "judge_prompts.jsonl",
} as const;

function checkSubjects(subjects: string[] | undefined): Set<string> | null {
  if (subjects === undefined) return null;
  const known: readonly string[] = MT_BENCH_CATEGORIES;
  const unknown = subjects.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new BuiltinTaskError(
      `${MT_BENCH_TASK}: unknown categor${unknown.length > 1 ? "ies" : "y"} ${unknown.map((s) => `"${s}"`).join(", ")}; ` +
        `categories: ${MT_BENCH_CATEGORIES.join(", ")}`,
    );
  }
  if (subjects.length === 0)
    throw new BuiltinTaskError(`${MT_BENCH_TASK}: subjects is empty; name at least one category`);
  return new Set(subjects);
}

function twoStrings(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "string");
}

function questionId(record: Record<string, unknown>, label: string, line: number): string {
  const id = record.question_id;
  if ((typeof id !== "number" || !Number.isInteger(id)) && (typeof id !== "string" || id === "")) {
    throw dataFileError(
      label,
      line,
      `question_id is ${id === undefined ? "missing" : describeJsonValue(id)}, expected an integer`,
    );
  }
  return String(id);
}

/** The reference answers by question id (FastChat load_model_answers; `choices[0].turns`). */
export async function readReferenceAnswers(file: string, label = file): Promise<Map<string, [string, string]>> {
  const answers = new Map<string, [string, string]>();
  const lines = new Map<string, number>();
  for await (const { record, line } of readRecords(file, "jsonl", { label })) {
    const id = questionId(record, label, line);
    const choices = record.choices;
    const turns = Array.isArray(choices) ? (choices[0] as { turns?: unknown } | undefined)?.turns : undefined;
    if (!twoStrings(turns)) {
      throw dataFileError(label, line, "expected choices[0].turns to hold the reference answers to both turns");
    }
    const first = lines.get(id);
    if (first !== undefined) throw dataFileError(label, line, `question ${id} answered twice (first on line ${first})`);
    lines.set(id, line);
    answers.set(id, turns);
  }
  return answers;
}

function mtBenchTask(dir: string, subjects: Set<string> | null): Task {
  const files = {
    questions: join(dir, MT_BENCH_FILES.questions),
    references: join(dir, MT_BENCH_FILES.references),
    judgePrompts: join(dir, MT_BENCH_FILES.judgePrompts),
  };
  // Read once per task; the dataset reads them first so a broken file stops the run before any model is called.
  let prompts: Promise<MtBenchPrompts> | undefined;
  const loadPrompts = (): Promise<MtBenchPrompts> => {
    prompts ??= readJudgePrompts(files.judgePrompts).then((all) => mtBenchPrompts(all, files.judgePrompts));
    return prompts;
  };
  let references: Promise<Map<string, [string, string]>> | undefined;
  const loadReferences = (): Promise<Map<string, [string, string]>> => {
    references ??= readReferenceAnswers(files.references);
    return references;
  };

  async function* dataset(): AsyncGenerator<Sample> {
    await loadPrompts();
    const seen = new Map<string, number>();
    const label = files.questions;
    for await (const { record, line } of readRecords(files.questions, "jsonl", { label })) {
      const id = questionId(record, label, line);
      const category = record.category;
      if (typeof category !== "string" || category === "") {
        throw dataFileError(label, line, `category is ${describeJsonValue(category)}, expected a category name`);
      }
      if (!twoStrings(record.turns)) {
        throw dataFileError(label, line, "turns must be a list of the question's two user turns");
      }
      const first = seen.get(id);
      if (first !== undefined) throw dataFileError(label, line, `duplicate question_id ${id} (first on line ${first})`);
      seen.set(id, line);
      if (subjects && !subjects.has(category)) continue;
      let target: string[] = [];
      if (NEED_REF_CATS.includes(category)) {
        const refs = (await loadReferences()).get(id);
        if (!refs) {
          throw dataFileError(
            label,
            line,
            `question ${id} (${category}) has no reference answer in ${files.references}`,
          );
        }
        target = refs;
      }
      yield {
        id,
        input: record.turns[0],
        target,
        metadata: { category, question_id: record.question_id, turns: record.turns },
      };
    }
  }

  return {
    name: MT_BENCH_TASK,
    description: "MT-Bench: 80 two-turn questions, each answer rated 1–10 by a judge model",
    dataset,
    solver: (sample) => {
      const turns = sample.metadata?.turns;
      const category = sample.metadata?.category;
      if (!twoStrings(turns)) throw new Error(`sample ${sample.id}: metadata.turns must hold both user turns`);
      const temperature =
        typeof category === "string" ? (TEMPERATURE[category] ?? DEFAULT_TEMPERATURE) : DEFAULT_TEMPERATURE;
      return { messages: [{ role: "user", content: turns[0] }], followUps: [turns[1]], settings: { temperature } };
    },
    scorer: mtBenchScorer(loadPrompts),
    scorerName: MT_BENCH_TASK,
    settings: { maxTokens: MAX_TOKENS },
    metrics: [...MT_BENCH_METRICS],
    needsJudge: true,
  };
}

export const mtBench: BuiltinTaskDefinition = {
  info: {
    name: MT_BENCH_TASK,
    description:
      "MT-Bench: 80 two-turn questions in 8 categories; a judge rates each turn 1–10 (FastChat single-answer grading, " +
      "reference-guided for math, reasoning and coding)",
    metrics: [...MT_BENCH_METRICS],
    settings: { maxTokens: MAX_TOKENS },
    samples: 80,
    bundled: true,
    license: "Apache-2.0",
    needs: ["judge"],
  },
  create(options: BuiltinTaskOptions): Task {
    const subjects = checkSubjects(options.subjects);
    return mtBenchTask(benchmarkDir(MT_BENCH_TASK, options.path), subjects);
  },
};
