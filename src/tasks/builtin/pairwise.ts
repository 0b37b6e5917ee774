/**
 * Pairwise win rate against a baseline, AlpacaEval-style (Li et al. 2023, "AlpacaEval: An Automatic Evaluator of
 * Instruction-following Models"; Dubois et al. 2024 for AlpacaEval 2.0): the model answers the 805 AlpacaEval
 * instructions and a judge compares each answer with a baseline model's recorded answer, in both orders (FastChat's
 * "pair-v2" prompt; see scorers/judge/pairwise.ts for the prompt, the verdicts and the win-rate rule).
 *
 * Data (tatsu-lab/alpaca_eval, commit cd543a14; data licence CC BY-NC 4.0, so it is never bundled): a baseline's
 * `results/<baseline>/model_outputs.json`, a JSON array of `{dataset, instruction, output, generator}`. The
 * instructions are the AlpacaEval set and `output` is the baseline's answer. Where the data comes from:
 * - default: `$ARBITER_DATASETS/alpaca_eval/results/<variant>/model_outputs.json`;
 * - `path` = a folder with that `results/` layout (an alpaca_eval checkout's `results/` parent), or a folder holding
 *   `model_outputs.json`, or the outputs file itself (.json or .jsonl) for any other baseline.
 * The variant names the baseline; the default, gpt4_1106_preview (GPT-4 Turbo), is AlpacaEval 2.0's reference model.
 *
 * Prompt format (AlpacaEval): the instruction alone as the user message, no system prompt. AlpacaEval leaves
 * generation settings to each model's config; max_tokens 2048 keeps long answers whole (the GPT-4 Turbo baseline
 * writes about 2,000 characters on average).
 *
 * Samples: id = the instruction's index in the file (0-based, the same across baselines), input = instruction,
 * target = the baseline's answer, metadata `{category: dataset (helpful_base, koala, oasst, selfinstruct, vicuna),
 * baseline: generator}`. `subjects` keeps only the named AlpacaEval source datasets.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Task } from "../../core/task.js";
import type { Sample } from "../../core/types.js";
import { PAIRWISE_METRICS, PAIRWISE_TASK, pairwisePrompt, pairwiseScorer } from "../../scorers/judge/pairwise.js";
import { readJudgePrompts } from "../../scorers/judge/prompt-file.js";
import type { JudgePrompt } from "../../scorers/judge/prompts.js";
import { dataFileError, describeJsonValue, formatFromExtension, readRecords } from "../data-files.js";
import { type BuiltinTaskDefinition, BuiltinTaskError, type BuiltinTaskOptions } from "./definition.js";
import { BUNDLED_BENCHMARKS, benchmarkDir } from "./paths.js";

/** The data folder's name under $ARBITER_DATASETS. */
export const ALPACA_EVAL_DIR = "alpaca_eval";

/** Baselines whose outputs AlpacaEval publishes under results/ (the first is AlpacaEval 2.0's reference). */
export const PAIRWISE_BASELINES = [
  "gpt4_1106_preview",
  "gpt-4o-2024-05-13",
  "Meta-Llama-3.1-405B-Instruct-Turbo",
  "Qwen2-72B-Instruct",
  "Qwen1.5-72B-Chat",
  "Qwen-14B-Chat",
  "deepseek-llm-67b-chat",
] as const;

/** AlpacaEval's source datasets (the `dataset` field), used as categories. */
export const ALPACA_EVAL_DATASETS = ["helpful_base", "koala", "oasst", "selfinstruct", "vicuna"] as const;

const MAX_TOKENS = 2048;
const OUTPUTS_FILE = "model_outputs.json";
/** pair-v2 ships with the bundled MT-Bench data (FastChat's judge_prompts.jsonl, Apache-2.0). */
const JUDGE_PROMPTS_FILE = join(BUNDLED_BENCHMARKS, "mt_bench", "judge_prompts.jsonl");

/** The baseline outputs file the options point at. Throws BuiltinTaskError naming what was looked for. */
export function baselineFile(options: BuiltinTaskOptions): string {
  const root = benchmarkDir(ALPACA_EVAL_DIR, options.path);
  if (statSync(root).isFile()) {
    if (formatFromExtension(root) === null || formatFromExtension(root) === "csv") {
      throw new BuiltinTaskError(`${PAIRWISE_TASK}: ${root} is not a .json or .jsonl file of model outputs`);
    }
    if (options.variant !== undefined) {
      throw new BuiltinTaskError(
        `${PAIRWISE_TASK}: path ${options.path} is one baseline's outputs file, so variant "${options.variant}" cannot apply; give one or the other`,
      );
    }
    return root;
  }
  const direct = join(root, OUTPUTS_FILE);
  if (existsSync(direct)) {
    if (options.variant !== undefined) {
      throw new BuiltinTaskError(
        `${PAIRWISE_TASK}: ${root} holds one baseline's ${OUTPUTS_FILE}, so variant "${options.variant}" cannot apply; give one or the other`,
      );
    }
    return direct;
  }
  const variant = options.variant ?? PAIRWISE_BASELINES[0];
  const file = join(root, "results", variant, OUTPUTS_FILE);
  if (existsSync(file)) return file;
  const resultsDir = join(root, "results");
  const available = existsSync(resultsDir)
    ? readdirSync(resultsDir).filter((name) => existsSync(join(resultsDir, name, OUTPUTS_FILE)))
    : [];
  throw new BuiltinTaskError(
    `${PAIRWISE_TASK}: no outputs for baseline "${variant}": ${file} does not exist` +
      (available.length > 0 ? ` (baselines found in ${resultsDir}: ${available.join(", ")})` : "") +
      `; expected AlpacaEval's layout results/<baseline>/${OUTPUTS_FILE}, or give the outputs file as path`,
  );
}

function checkSubjects(subjects: string[] | undefined): Set<string> | null {
  if (subjects === undefined) return null;
  const known: readonly string[] = ALPACA_EVAL_DATASETS;
  const unknown = subjects.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new BuiltinTaskError(
      `${PAIRWISE_TASK}: unknown AlpacaEval dataset${unknown.length > 1 ? "s" : ""} ${unknown.map((s) => `"${s}"`).join(", ")}; ` +
        `datasets: ${ALPACA_EVAL_DATASETS.join(", ")}`,
    );
  }
  if (subjects.length === 0)
    throw new BuiltinTaskError(`${PAIRWISE_TASK}: subjects is empty; name at least one dataset`);
  return new Set(subjects);
}

function stringField(record: Record<string, unknown>, field: string, label: string, line: number): string {
  const value = record[field];
  if (typeof value !== "string") {
    throw dataFileError(
      label,
      line,
      `"${field}" is ${value === undefined ? "missing" : describeJsonValue(value)}, expected a string (AlpacaEval model_outputs: {dataset, instruction, output, generator})`,
    );
  }
  return value;
}

function pairwiseTask(file: string, subjects: Set<string> | null): Task {
  let prompt: Promise<JudgePrompt> | undefined;
  const loadPrompt = (): Promise<JudgePrompt> => {
    prompt ??= readJudgePrompts(JUDGE_PROMPTS_FILE).then((all) => pairwisePrompt(all, JUDGE_PROMPTS_FILE));
    return prompt;
  };

  async function* dataset(): AsyncGenerator<Sample> {
    await loadPrompt();
    let index = 0;
    for await (const { record, line } of readRecords(file, undefined, { label: file })) {
      const id = String(index++);
      const instruction = stringField(record, "instruction", file, line);
      const output = stringField(record, "output", file, line);
      const generator = stringField(record, "generator", file, line);
      const source = stringField(record, "dataset", file, line);
      if (instruction.trim() === "") throw dataFileError(file, line, "instruction is empty");
      if (subjects && !subjects.has(source)) continue;
      yield { id, input: instruction, target: output, metadata: { category: source, baseline: generator } };
    }
  }

  return {
    name: PAIRWISE_TASK,
    description: "Pairwise win rate against a baseline's recorded answers to the AlpacaEval instructions",
    dataset,
    solver: (sample) => ({ messages: [{ role: "user", content: String(sample.input) }] }),
    scorer: pairwiseScorer(loadPrompt),
    scorerName: PAIRWISE_TASK,
    settings: { maxTokens: MAX_TOKENS },
    metrics: [...PAIRWISE_METRICS],
    needsJudge: true,
  };
}

export const pairwise: BuiltinTaskDefinition = {
  info: {
    name: PAIRWISE_TASK,
    description:
      "AlpacaEval-style win rate: 805 instructions, the model's answer against a baseline's recorded answer, judged " +
      "in both orders (FastChat pair-v2 prompt)",
    metrics: [...PAIRWISE_METRICS],
    variants: [...PAIRWISE_BASELINES],
    settings: { maxTokens: MAX_TOKENS },
    samples: 805,
    bundled: false,
    license: "CC BY-NC 4.0 (AlpacaEval data)",
    needs: ["judge"],
  },
  create(options: BuiltinTaskOptions): Task {
    const subjects = checkSubjects(options.subjects);
    return pairwiseTask(baselineFile(options), subjects);
  },
};
