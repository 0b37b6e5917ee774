/**
 * TruthfulQA MC1 (Lin et al. 2022, "TruthfulQA: Measuring How Models Mimic Human Falsehoods"; sylinrl/TruthfulQA):
 * the classic 817 questions, each with one true answer among 2–13 options (`mc1_targets`), answered by generation.
 *
 * Option order. In the data the true answer is always listed first, so a model that always says "A" would score
 * 100%. Arbiter shuffles each question's options with a fixed seed: the order is
 * `seededPermutation(n, "truthfulqa_mc1:42:" + question)` (multiple-choice-format.ts: Fisher–Yates driven by
 * mulberry32 seeded from sha256 of that key), the same on every run and machine. Over the 817 questions the true
 * answer lands on A about as often as chance allows (the test checks the spread).
 *
 * Prompt: inspect_ai's multiple_choice template (inspect_evals also runs TruthfulQA through it, shuffled), one user
 * message: "Answer the following multiple choice question. The entire content of your response should be of the
 * following format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of A,B,C,D.\n\n{question}\n\nA) {text}…".
 * The robust extractor reads the answer (scorers/choice/generic.ts); metrics "accuracy" and "unextracted". The
 * original MC1 compares log-probabilities of the options; generation is what a chat API allows.
 *
 * Data (data/benchmarks/truthfulqa, or the `path` option, laid out as the TruthfulQA repository): `data/v1/
 * mc_task.json` (`[{question, mc1_targets: {text: 1|0}, mc2_targets}]`) and `data/v1/TruthfulQA.csv` (`Type,
 * Category, Question, …`), joined by question text for metadata.category (38 categories, e.g. "Misconceptions") and
 * metadata.type (Adversarial / Non-Adversarial). `subjects` picks categories. Samples: id = the question's position
 * in mc_task.json, from 0.
 */
import { join } from "node:path";
import type { Task } from "../../core/task.js";
import type { Sample } from "../../core/types.js";
import { letterAt } from "../../scorers/choice/letters.js";
import { robustExtractor } from "../../scorers/multiple-choice.js";
import { dataFileError, readRecords } from "../data-files.js";
import { type BuiltinTaskDefinition, BuiltinTaskError } from "./definition.js";
import {
  multipleChoiceTask,
  seededPermutation,
  selectSubjects,
  singleAnswerPrompt,
  stringField,
} from "./multiple-choice-format.js";
import { benchmarkDir } from "./paths.js";

export const TRUTHFULQA_FILES = {
  questions: join("data", "v1", "mc_task.json"),
  categories: join("data", "v1", "TruthfulQA.csv"),
} as const;

export const TRUTHFULQA_SHUFFLE_SEED = 42;

/** The key whose sha256 seeds a question's option order. */
export function truthfulqaShuffleKey(question: string): string {
  return `truthfulqa_mc1:${TRUTHFULQA_SHUFFLE_SEED}:${question}`;
}

export interface Mc1Question {
  question: string;
  /** The options in file order. */
  options: string[];
  /** Index of the true answer in `options`. */
  correct: number;
}

export function mc1Question(record: Record<string, unknown>, label: string, line: number): Mc1Question {
  const question = stringField(record, "question", label, line);
  const targets = record.mc1_targets;
  if (typeof targets !== "object" || targets === null || Array.isArray(targets)) {
    throw dataFileError(label, line, 'field "mc1_targets" must be an object {answer text: 1 or 0}');
  }
  // Object key order is the file's order (no answer text is an integer-like key, which JavaScript would reorder).
  const entries = Object.entries(targets as Record<string, unknown>);
  if (entries.some(([, v]) => v !== 0 && v !== 1)) {
    throw dataFileError(label, line, `"mc1_targets" of "${question}" must map each answer to 1 (true) or 0`);
  }
  const correct = entries.flatMap(([, v], i) => (v === 1 ? [i] : []));
  if (correct.length !== 1 || entries.length < 2) {
    throw dataFileError(
      label,
      line,
      `"mc1_targets" of "${question}" has ${correct.length} true answers among ${entries.length}: expected exactly one, and at least two options`,
    );
  }
  return { question, options: entries.map(([text]) => text), correct: correct[0] ?? 0 };
}

/** The question's options in Arbiter's shuffled order, and the letter of the true one. */
export function shuffleMc1(q: Mc1Question): { options: string[]; target: string } {
  const order = seededPermutation(q.options.length, truthfulqaShuffleKey(q.question));
  return { options: order.map((i) => q.options[i] ?? ""), target: letterAt(order.indexOf(q.correct)) };
}

export interface TruthfulqaRow {
  category: string;
  type: string;
}

/** Question text → category and type, from TruthfulQA.csv. */
export async function readTruthfulqaCategories(file: string): Promise<Map<string, TruthfulqaRow>> {
  const rows = new Map<string, TruthfulqaRow>();
  for await (const { record, line } of readRecords(file, "csv")) {
    const question = stringField(record, "Question", file, line).trim();
    rows.set(question, {
      category: stringField(record, "Category", file, line),
      type: stringField(record, "Type", file, line),
    });
  }
  return rows;
}

export async function* truthfulqaSamples(dir: string, categories: Set<string> | null): AsyncGenerator<Sample> {
  const csv = join(dir, TRUTHFULQA_FILES.categories);
  const rows = await readTruthfulqaCategories(csv);
  if (categories) {
    const known = new Set([...rows.values()].map((r) => r.category));
    const unknown = [...categories].filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw new BuiltinTaskError(
        `truthfulqa_mc1: unknown categor${unknown.length > 1 ? "ies" : "y"} ${unknown.map((c) => JSON.stringify(c)).join(", ")}; ` +
          `categories: ${[...known].sort().join(", ")}`,
      );
    }
  }
  const file = join(dir, TRUTHFULQA_FILES.questions);
  let index = 0;
  for await (const { record, line } of readRecords(file, "json")) {
    const q = mc1Question(record, file, line);
    const row = rows.get(q.question.trim());
    if (!row) throw dataFileError(file, line, `question "${q.question}" is not in ${csv}`);
    const id = index++;
    if (categories && !categories.has(row.category)) continue;
    const { options, target } = shuffleMc1(q);
    yield {
      id: String(id),
      input: singleAnswerPrompt(q.question, options),
      target,
      choices: options,
      metadata: { category: row.category, type: row.type },
    };
  }
}

/** The 38 categories of the classic TruthfulQA.csv, for validating `subjects` before any file is read. */
export const TRUTHFULQA_CATEGORIES = [
  "Advertising",
  "Confusion: Other",
  "Confusion: People",
  "Confusion: Places",
  "Conspiracies",
  "Distraction",
  "Economics",
  "Education",
  "Fiction",
  "Finance",
  "Health",
  "History",
  "Indexical Error: Identity",
  "Indexical Error: Location",
  "Indexical Error: Other",
  "Indexical Error: Time",
  "Language",
  "Law",
  "Logical Falsehood",
  "Mandela Effect",
  "Misconceptions",
  "Misconceptions: Topical",
  "Misinformation",
  "Misquotations",
  "Myths and Fairytales",
  "Nutrition",
  "Paranormal",
  "Politics",
  "Proverbs",
  "Psychology",
  "Religion",
  "Science",
  "Sociology",
  "Statistics",
  "Stereotypes",
  "Subjective",
  "Superstitions",
  "Weather",
] as const;

export const truthfulqaMc1: BuiltinTaskDefinition = {
  info: {
    name: "truthfulqa_mc1",
    description: "TruthfulQA MC1: 817 questions, one true answer among 2–13 shuffled options, read from generation",
    metrics: ["accuracy", "unextracted"],
    settings: { temperature: 0, maxTokens: 512 },
    samples: 817,
    bundled: true,
    license: "Apache-2.0 (sylinrl/TruthfulQA)",
  },
  create(options): Task {
    const categories = selectSubjects("truthfulqa_mc1", options.subjects, TRUTHFULQA_CATEGORIES);
    const dir = benchmarkDir("truthfulqa", options.path);
    return multipleChoiceTask({
      name: "truthfulqa_mc1",
      description: truthfulqaMc1.info.description,
      dataset: () => truthfulqaSamples(dir, categories),
      extract: robustExtractor,
      settings: truthfulqaMc1.info.settings,
    });
  },
};
