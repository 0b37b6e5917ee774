/**
 * MMLU-Pro (Wang et al. 2024, "MMLU-Pro: A More Robust and Challenging Multi-Task Language Understanding
 * Benchmark"; TIGER-AI-Lab/MMLU-Pro): 12,032 test questions in 14 categories with up to ten options (A–J), answered
 * with zero-shot chain of thought.
 *
 * Prompts, each sent as one user message:
 * - "cot-zeroshot" (default), the wording of lm-evaluation-harness's mmlu_pro task (the category's `description`
 *   and utils.py `format_cot_example`):
 *
 *     The following are multiple choice questions (with answers) about {category}. Think step by step and then
 *     finish your answer with "the answer is (X)" where X is the correct letter choice.\n\n
 *     Question:\n{question}\nOptions:\nA. {option}\nB. {option}\n…\nAnswer: Let's think step by step.
 *
 * - "tiger-cot-zeroshot", the MMLU-Pro authors' own zero-shot script (evaluate_gemini_3-1_pro_0shot.py
 *   `build_prompt` / `format_example`, commit 11a4b343):
 *
 *     The following is a multiple choice question (with answer) about {category}. Think step by step and then output
 *     the answer in the format of "The answer is (X)" at the end.\n\n
 *     Question: {question}\nOptions: A. {option}\nB. {option}\n…\nAnswer:␣      (␣: one space)
 *
 * {category} is the dataset's category ("computer science"). Options "N/A" are dropped, as the authors' `preprocess`
 * does (this copy has none). Generation: temperature 0, max_tokens 4000 (the authors' evaluate_from_api.py).
 *
 * Grading: the authors' extraction exactly (scorers/choice/mmlu-pro.ts). Where it finds nothing, the authors' scripts
 * guess a random option (seed 12345); Arbiter scores the answer wrong and marks it unextracted: metric "unextracted"
 * counts such answers beside "accuracy". The target is the record's `answer` letter, which the authors compare the
 * extracted letter with (one record, question_id 3983, has answer "C" but answer_index 1; `answer` is used).
 *
 * Data (data/benchmarks/mmlu_pro/test.jsonl, or the `path` option): `{question_id, question, options, answer,
 * answer_index, category, src}` a line. Samples: id = question_id, metadata.category = the category, `subjects`
 * picks categories ("computer science" or "computer_science").
 */
import { join } from "node:path";
import type { Task } from "../../core/task.js";
import type { Sample } from "../../core/types.js";
import { extractMmluProAnswer } from "../../scorers/choice/mmlu-pro.js";
import { dataFileError, describeJsonValue, readRecords } from "../data-files.js";
import type { BuiltinTaskDefinition } from "./definition.js";
import {
  chooseVariant,
  letteredOptions,
  multipleChoiceTask,
  selectSubjects,
  stringField,
} from "./multiple-choice-format.js";
import { benchmarkDir } from "./paths.js";

export const MMLU_PRO_VARIANTS = ["cot-zeroshot", "tiger-cot-zeroshot"] as const;
export type MmluProVariant = (typeof MMLU_PRO_VARIANTS)[number];

export const MMLU_PRO_CATEGORIES = [
  "biology",
  "business",
  "chemistry",
  "computer science",
  "economics",
  "engineering",
  "health",
  "history",
  "law",
  "math",
  "other",
  "philosophy",
  "physics",
  "psychology",
] as const;

export const MMLU_PRO_FILE = "test.jsonl";

export interface MmluProQuestion {
  questionId: number;
  question: string;
  options: string[];
  answer: string;
  category: string;
  src: string;
}

export function mmluProQuestion(record: Record<string, unknown>, label: string, line: number): MmluProQuestion {
  const id = record.question_id;
  if (typeof id !== "number" || !Number.isInteger(id)) {
    throw dataFileError(
      label,
      line,
      `field "question_id" is ${id === undefined ? "missing" : describeJsonValue(id)}: expected an integer`,
    );
  }
  const rawOptions = record.options;
  if (!Array.isArray(rawOptions) || !rawOptions.every((o) => typeof o === "string")) {
    throw dataFileError(label, line, 'field "options" must be a list of strings (the options, A first)');
  }
  const options = (rawOptions as string[]).filter((o) => o !== "N/A");
  if (options.length < 2 || options.length > 10) {
    throw dataFileError(label, line, `has ${options.length} options: expected 2 to 10`);
  }
  const answer = stringField(record, "answer", label, line, "a letter A–J");
  if (!/^[A-J]$/.test(answer)) throw dataFileError(label, line, `answer is ${JSON.stringify(answer)}: expected A–J`);
  return {
    questionId: id,
    question: stringField(record, "question", label, line),
    options,
    answer,
    category: stringField(record, "category", label, line, "a category name"),
    src: typeof record.src === "string" ? record.src : "",
  };
}

export function mmluProPrompt(q: MmluProQuestion, variant: MmluProVariant): string {
  if (variant === "tiger-cot-zeroshot") {
    return (
      `The following is a multiple choice question (with answer) about ${q.category}. Think step by step and then ` +
      `output the answer in the format of "The answer is (X)" at the end.\n\n` +
      `Question: ${q.question}\nOptions: ${letteredOptions(q.options)}\nAnswer: `
    );
  }
  return (
    `The following are multiple choice questions (with answers) about ${q.category}. Think step by step and then ` +
    `finish your answer with "the answer is (X)" where X is the correct letter choice.\n\n` +
    `Question:\n${q.question}\nOptions:\n${letteredOptions(q.options)}\nAnswer: Let's think step by step.`
  );
}

export async function* mmluProSamples(
  file: string,
  categories: Set<string> | null,
  variant: MmluProVariant,
): AsyncGenerator<Sample> {
  for await (const { record, line } of readRecords(file, "jsonl")) {
    const q = mmluProQuestion(record, file, line);
    if (categories && !categories.has(q.category)) continue;
    yield {
      id: String(q.questionId),
      input: mmluProPrompt(q, variant),
      target: q.answer,
      choices: q.options,
      metadata: { category: q.category, question_id: q.questionId, src: q.src },
    };
  }
}

export const mmluPro: BuiltinTaskDefinition = {
  info: {
    name: "mmlu_pro",
    description: "MMLU-Pro: 14-category questions with up to ten options, zero-shot chain of thought, authors' grader",
    metrics: ["accuracy", "unextracted"],
    variants: [...MMLU_PRO_VARIANTS],
    settings: { temperature: 0, maxTokens: 4000 },
    samples: 12032,
    bundled: true,
    license: "Apache-2.0 (TIGER-AI-Lab/MMLU-Pro)",
  },
  create(options): Task {
    const variant = chooseVariant("mmlu_pro", MMLU_PRO_VARIANTS, options.variant);
    const categories = selectSubjects("mmlu_pro", options.subjects, MMLU_PRO_CATEGORIES, {}, (name) =>
      name.trim().toLowerCase().replaceAll("_", " "),
    );
    const file = join(benchmarkDir("mmlu_pro", options.path), MMLU_PRO_FILE);
    return multipleChoiceTask({
      name: variant === "cot-zeroshot" ? "mmlu_pro" : `mmlu_pro-${variant}`,
      description: mmluPro.info.description,
      dataset: () => mmluProSamples(file, categories, variant),
      extract: (output) => extractMmluProAnswer(output),
      settings: mmluPro.info.settings,
      scorerOptions: {
        unextractedNote: "the MMLU-Pro scripts would guess a random option here; Arbiter counts the answer wrong",
      },
    });
  },
};
