/**
 * IFEval (Zhou et al. 2023, "Instruction-Following Evaluation for Large Language Models", arXiv:2311.07911; data and
 * checker: google-research/google-research, instruction_following_eval/). 541 prompts, each carrying one to three
 * verifiable instructions ("answer in fewer than 300 words", "wrap your entire response in double quotes", "no
 * commas", …); a deterministic checker decides whether the response follows each instruction.
 *
 * Prompt: zero-shot, the record's `prompt` sent as the only user message, unchanged — as the official evaluation
 * (which scores responses to `prompt`) and lm-evaluation-harness's `ifeval` task (`doc_to_text: prompt`, greedy
 * decoding, `max_gen_toks: 1280`) do. Settings: temperature 0, 1,280 output tokens.
 *
 * Scoring: the port of the official checker (scorers/ifeval): four metrics per prompt, "prompt-strict" (headline),
 * "prompt-loose", "instruction-strict", "instruction-loose". The mean of the prompt metrics over samples is IFEval's
 * prompt-level accuracy; the instruction metrics are per-prompt fractions whose answers carry "followed/total", from
 * which `instructionLevelAccuracy` gives the official instruction-level accuracy (pooled over instructions).
 *
 * Samples: id = the record's `key`, input = `prompt`, no target, metadata `{key, instruction_id_list, kwargs}`. Every
 * record is validated when the dataset is read: unknown instruction ids or bad arguments are a data-file error
 * naming the line.
 */
import { join } from "node:path";
import type { Task } from "../../core/task.js";
import type { Sample } from "../../core/types.js";
import { buildInstructions } from "../../scorers/ifeval/evaluate.js";
import { IfevalInstructionError } from "../../scorers/ifeval/registry.js";
import { IFEVAL_METRICS, ifevalScorer } from "../../scorers/ifeval/scorer.js";
import { dataFileError, describeJsonValue, readRecords } from "../data-files.js";
import { type BuiltinTaskDefinition, BuiltinTaskError } from "./definition.js";
import { benchmarkDir } from "./paths.js";

export const IFEVAL_TASK = "ifeval";
export const IFEVAL_FILE = "input_data.jsonl";

/** One IFEval record. */
export interface IfevalRecord {
  key: number;
  prompt: string;
  instruction_id_list: string[];
  kwargs: Record<string, unknown>[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates one record (fields, instruction ids, arguments); throws a DataFileError naming the file and line. */
export function ifevalRecord(record: Record<string, unknown>, label: string, line: number): IfevalRecord {
  const fail = (field: string, expected: string): never => {
    const value = record[field];
    throw dataFileError(
      label,
      line,
      `field "${field}" is ${value === undefined ? "missing" : describeJsonValue(value)}: expected ${expected}`,
    );
  };
  const { key, prompt, instruction_id_list: ids, kwargs } = record;
  if (typeof key !== "number" || !Number.isInteger(key)) fail("key", "an integer");
  if (typeof prompt !== "string" || prompt === "") fail("prompt", "a non-empty string");
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === "string")) {
    fail("instruction_id_list", "a non-empty list of instruction ids (strings)");
  }
  if (!Array.isArray(kwargs) || !kwargs.every(isPlainObject)) fail("kwargs", "a list of objects");
  const valid = {
    key: key as number,
    prompt: prompt as string,
    instruction_id_list: ids as string[],
    kwargs: kwargs as Record<string, unknown>[],
  };
  try {
    buildInstructions(valid.instruction_id_list, valid.kwargs, `record ${valid.key}`);
  } catch (err) {
    if (err instanceof IfevalInstructionError) throw dataFileError(label, line, err.message);
    throw err;
  }
  return valid;
}

/** Streams the validated records of an IFEval file. */
export async function* readIfevalRecords(file: string, label = file): AsyncGenerator<IfevalRecord> {
  for await (const { record, line } of readRecords(file, undefined, { label })) {
    yield ifevalRecord(record, label, line);
  }
}

export function ifevalSample(record: IfevalRecord): Sample {
  return {
    id: String(record.key),
    input: record.prompt,
    target: [],
    metadata: { key: record.key, instruction_id_list: record.instruction_id_list, kwargs: record.kwargs },
  };
}

/** Streams the samples of an IFEval file, in file order. */
export async function* ifevalSamples(file: string, label = file): AsyncGenerator<Sample> {
  for await (const record of readIfevalRecords(file, label)) yield ifevalSample(record);
}

export const ifeval: BuiltinTaskDefinition = {
  info: {
    name: IFEVAL_TASK,
    description: "IFEval: prompts with verifiable instructions (length, format, keywords, case…), official checker",
    metrics: [...IFEVAL_METRICS],
    settings: { temperature: 0, maxTokens: 1280 },
    samples: 541,
    bundled: true,
    license: "Apache-2.0 (google-research/google-research; the copy's mirror states none)",
  },
  create(options): Task {
    if (options.subjects !== undefined && options.subjects.length > 0) {
      throw new BuiltinTaskError(`${IFEVAL_TASK} has no subjects to choose from`);
    }
    if (options.variant !== undefined) {
      throw new BuiltinTaskError(`${IFEVAL_TASK} has no variants (got "${options.variant}")`);
    }
    const file = join(benchmarkDir(IFEVAL_TASK, options.path), IFEVAL_FILE);
    return {
      name: IFEVAL_TASK,
      description: ifeval.info.description,
      dataset: () => ifevalSamples(file),
      solver: (sample) => ({
        messages: Array.isArray(sample.input) ? sample.input : [{ role: "user", content: sample.input }],
      }),
      scorer: ifevalScorer(),
      scorerName: IFEVAL_METRICS[0],
      metrics: [...IFEVAL_METRICS],
      settings: ifeval.info.settings,
    };
  },
};
