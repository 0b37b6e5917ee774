/**
 * Shared pieces of the multiple-choice benchmarks (MMLU, MMLU-Pro, CMMLU, ARC-Challenge, TruthfulQA MC1): reading
 * record fields with errors that name the file and line, choosing subjects, prompt formats, a deterministic shuffle
 * and the task every one of them builds.
 */
import { createHash } from "node:crypto";
import type { Task } from "../../core/task.js";
import type { GenerationSettings, Sample } from "../../core/types.js";
import { letterAt } from "../../scorers/choice/letters.js";
import {
  type LetterExtractor,
  MULTIPLE_CHOICE_METRICS,
  type MultipleChoiceScorerOptions,
  multipleChoiceScorer,
} from "../../scorers/multiple-choice.js";
import { dataFileError, describeJsonValue } from "../data-files.js";
import { BuiltinTaskError } from "./definition.js";

// ---------------------------------------------------------------------------------------------------------------
// Record fields

/** A string field of a record; throws a DataFileError naming the file, line and field. */
export function stringField(
  record: Record<string, unknown>,
  name: string,
  label: string,
  line: number,
  expected = "a string",
): string {
  const value = record[name];
  if (typeof value !== "string") {
    throw dataFileError(
      label,
      line,
      `field "${name}" is ${value === undefined ? "missing" : describeJsonValue(value)}: expected ${expected}`,
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Subjects

/**
 * The subjects to keep, or null for all. A requested name may be a subject or a group of subjects (MMLU's "stem");
 * an unknown name is a BuiltinTaskError listing the valid ones.
 */
export function selectSubjects(
  task: string,
  requested: readonly string[] | undefined,
  subjects: readonly string[],
  groups: Readonly<Record<string, readonly string[]>> = {},
  normalize: (name: string) => string = (name) => name,
): Set<string> | null {
  if (requested === undefined) return null;
  if (requested.length === 0) throw new BuiltinTaskError(`${task}: subjects is empty; name at least one subject`);
  const kept = new Set<string>();
  const unknown: string[] = [];
  for (const raw of requested) {
    const name = normalize(raw);
    const group = groups[name];
    if (group) for (const s of group) kept.add(s);
    else if (subjects.includes(name)) kept.add(name);
    else unknown.push(raw);
  }
  if (unknown.length > 0) {
    const groupNames = Object.keys(groups);
    throw new BuiltinTaskError(
      `${task}: unknown subject${unknown.length > 1 ? "s" : ""} ${unknown.map((s) => JSON.stringify(s)).join(", ")}; ` +
        `subjects: ${subjects.join(", ")}` +
        (groupNames.length > 0 ? `; groups: ${groupNames.join(", ")}` : ""),
    );
  }
  return kept;
}

/** For a benchmark without subjects: a clear error if some were asked for. */
export function noSubjects(task: string, requested: readonly string[] | undefined): void {
  if (requested !== undefined && requested.length > 0) {
    throw new BuiltinTaskError(`${task} has no subjects to choose from`);
  }
}

/** The variant asked for, or the default (the first); an unknown one is a BuiltinTaskError. */
export function chooseVariant<V extends string>(task: string, variants: readonly V[], requested?: string): V {
  const variant = (requested ?? variants[0]) as V;
  if (!variants.includes(variant)) {
    throw new BuiltinTaskError(`${task}: unknown variant "${requested}"; variants: ${variants.join(", ")}`);
  }
  return variant;
}

// ---------------------------------------------------------------------------------------------------------------
// Prompt formats

/** Options one a line, each after its letter and `separator`: "A. London\nB. Paris". */
export function letteredOptions(options: readonly string[], separator = ". "): string {
  return options.map((option, i) => `${letterAt(i)}${separator}${option}`).join("\n");
}

/**
 * inspect_ai's multiple_choice SINGLE_ANSWER_TEMPLATE (src/inspect_ai/solver/_multiple_choice.py, itself based on
 * OpenAI simple-evals): the instruction, the question, then the options as "A) …" lines.
 */
export function singleAnswerPrompt(question: string, options: readonly string[]): string {
  const letters = options.map((_, i) => letterAt(i)).join(",");
  return (
    "Answer the following multiple choice question. The entire content of your response should be of the following " +
    `format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of ${letters}.\n\n` +
    `${question}\n\n${letteredOptions(options, ") ")}`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic shuffle

/**
 * A permutation of 0…n−1 that depends only on `key`: Fisher–Yates driven by mulberry32, seeded with the first four
 * bytes (big-endian) of sha256(key). The same key gives the same order on every machine and in every release.
 */
export function seededPermutation(n: number, key: string): number[] {
  let state = createHash("sha256").update(key, "utf8").digest().readUInt32BE(0);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

// ---------------------------------------------------------------------------------------------------------------
// The task

export interface MultipleChoiceTaskSpec {
  name: string;
  description: string;
  dataset: () => AsyncIterable<Sample>;
  extract: LetterExtractor;
  settings: GenerationSettings;
  scorerOptions?: MultipleChoiceScorerOptions;
}

/**
 * A generative multiple-choice task: each sample's input is the whole prompt, sent as one user message (as the
 * MMLU-Pro and CMMLU API scripts send theirs); the scorer reports "accuracy" and "unextracted".
 */
export function multipleChoiceTask(spec: MultipleChoiceTaskSpec): Task {
  return {
    name: spec.name,
    description: spec.description,
    dataset: spec.dataset,
    solver: (sample) => ({
      messages: Array.isArray(sample.input) ? sample.input : [{ role: "user", content: sample.input }],
    }),
    scorer: multipleChoiceScorer(spec.extract, spec.scorerOptions),
    scorerName: MULTIPLE_CHOICE_METRICS[0],
    metrics: [...MULTIPLE_CHOICE_METRICS],
    settings: spec.settings,
  };
}
