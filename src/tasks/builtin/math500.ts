/**
 * MATH-500 (Lightman et al. 2023, "Let's Verify Step by Step"; data: github.com/openai/prm800k,
 * prm800k/math_splits/test.jsonl, MIT): 500 competition problems drawn from the MATH test set (Hendrycks et al.
 * 2021), across seven subjects and five difficulty levels, each with a short reference answer.
 *
 * Prompt: zero-shot, one user message — the problem, a blank line, then the instruction DeepSeek-R1's model card
 * recommends for mathematics (and Qwen2.5-Math and most MATH-500 reports use):
 *
 *   <problem>
 *
 *   Please reason step by step, and put your final answer within \boxed{}.
 *
 * Scoring (src/scorers/math-equivalence.ts): the last `\boxed{…}` of the answer is graded against `answer` as
 * PRM800K's grader does; metric "accuracy". Samples keep their subject as `metadata.category` (reports break
 * accuracy down by it) and their `level` (1–5); ids are the dataset's `unique_id` ("test/precalculus/807.json").
 * The `subjects` option keeps only the named subjects (case-insensitive).
 *
 * Generation: temperature 0 and room for a worked solution (maxTokens 4096; raise it for reasoning models).
 */
import { join } from "node:path";
import type { Task } from "../../core/task.js";
import type { GenerationSettings, Sample } from "../../core/types.js";
import { ACCURACY, mathEquivalenceScorer } from "../../scorers/math-equivalence.js";
import { dataFileError, describeJsonValue, readRecords } from "../data-files.js";
import { type BuiltinTaskDefinition, BuiltinTaskError } from "./definition.js";
import { benchmarkDir } from "./paths.js";

export const MATH500_FILE = "test.jsonl";
export const MATH500_SIZE = 500;

export const MATH500_SUBJECTS = [
  "Algebra",
  "Counting & Probability",
  "Geometry",
  "Intermediate Algebra",
  "Number Theory",
  "Prealgebra",
  "Precalculus",
] as const;

export const MATH500_INSTRUCTION = "Please reason step by step, and put your final answer within \\boxed{}.";

export const MATH500_SETTINGS: GenerationSettings = { temperature: 0, maxTokens: 4096 };

export interface Math500Problem {
  problem: string;
  answer: string;
  subject: string;
  level: number;
  unique_id: string;
  solution: string;
}

/** The user message for a problem. */
export function math500Prompt(problem: string): string {
  return `${problem}\n\n${MATH500_INSTRUCTION}`;
}

function toProblem(record: Record<string, unknown>, label: string, line: number): Math500Problem {
  const expected = "a MATH-500 record is {problem, solution, answer, subject, level, unique_id}";
  for (const field of ["problem", "solution", "answer", "subject", "unique_id"] as const) {
    const value = record[field];
    if (typeof value !== "string") {
      throw dataFileError(
        label,
        line,
        `field "${field}" is ${value === undefined ? "missing" : describeJsonValue(value)}: expected a string (${expected})`,
      );
    }
  }
  const level = record.level;
  if (typeof level !== "number" || !Number.isInteger(level) || level < 1 || level > 5) {
    throw dataFileError(
      label,
      line,
      `field "level" is ${level === undefined ? "missing" : JSON.stringify(level)}: expected an integer from 1 to 5`,
    );
  }
  return record as unknown as Math500Problem;
}

export function math500Sample(problem: Math500Problem): Sample {
  return {
    id: problem.unique_id,
    input: math500Prompt(problem.problem),
    target: problem.answer,
    metadata: { category: problem.subject, level: problem.level, solution: problem.solution },
  };
}

/** Streams the samples of a MATH-500 file, keeping only `subjects` when given (already canonical names). */
export async function* readMath500(file: string, subjects?: ReadonlySet<string>, label = file): AsyncGenerator<Sample> {
  for await (const { record, line } of readRecords(file, "jsonl", { label })) {
    const problem = toProblem(record, label, line);
    if (subjects === undefined || subjects.has(problem.subject)) yield math500Sample(problem);
  }
}

/** The canonical subject names for the user's choice; an unknown one is an error listing the subjects. */
export function resolveSubjects(requested: readonly string[]): Set<string> {
  const byLower = new Map(MATH500_SUBJECTS.map((s) => [s.toLowerCase(), s]));
  const out = new Set<string>();
  for (const name of requested) {
    const subject = byLower.get(name.trim().toLowerCase());
    if (subject === undefined) {
      throw new BuiltinTaskError(`math500: unknown subject "${name}"; subjects: ${MATH500_SUBJECTS.join(", ")}`);
    }
    out.add(subject);
  }
  return out;
}

export const math500: BuiltinTaskDefinition = {
  info: {
    name: "math500",
    description: "MATH-500: 500 competition math problems (PRM800K test split), boxed answers graded as PRM800K does",
    metrics: [ACCURACY],
    settings: MATH500_SETTINGS,
    samples: MATH500_SIZE,
    bundled: true,
    license: "MIT",
  },
  create(options): Task {
    if (options.variant !== undefined) {
      throw new BuiltinTaskError(`math500 has no variant "${options.variant}" (it has a single prompt format)`);
    }
    const subjects =
      options.subjects !== undefined && options.subjects.length > 0 ? resolveSubjects(options.subjects) : undefined;
    const file = join(benchmarkDir("math500", options.path), MATH500_FILE);
    return {
      name: "math500",
      description: math500.info.description,
      dataset: () => readMath500(file, subjects),
      solver: (sample) => {
        if (typeof sample.input !== "string") {
          throw new BuiltinTaskError(`math500: sample ${sample.id} has a conversation as input, expected the problem`);
        }
        return { messages: [{ role: "user", content: sample.input }] };
      },
      scorer: mathEquivalenceScorer(),
      scorerName: ACCURACY,
      metrics: [ACCURACY],
      settings: MATH500_SETTINGS,
    };
  },
};
