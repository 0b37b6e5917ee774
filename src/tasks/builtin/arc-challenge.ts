/**
 * ARC-Challenge (Clark et al. 2018, "Think you have Solved Question Answering? Try ARC, the AI2 Reasoning
 * Challenge"): the 1,172 grade-school science questions of the Challenge test set. Most have four options; four have
 * three and three have five.
 *
 * Prompt: inspect_ai's multiple_choice template (as inspect_evals runs ARC), one user message:
 *
 *   Answer the following multiple choice question. The entire content of your response should be of the following
 *   format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of A,B,C,D.\n\n{question}\n\nA) {text}\nB) {text}…
 *
 * Options are lettered by position (A, B, C, …) whatever their label in the file: 22 questions from the NY Regents
 * exams label them "1"–"4" in AI2's release. The robust extractor reads the answer (scorers/choice/generic.ts);
 * metrics "accuracy" and "unextracted".
 *
 * Data (data/benchmarks/arc_challenge, or the `path` option): `test.jsonl` with `{id, question, choices: {text[],
 * label[]}, answerKey}` (the Hugging Face layout; AI2's own `{id, question: {stem, choices: [{text, label}]},
 * answerKey}` is read too) and, when present, `question-answers.jsonl` `{id, answerKey}`, AI2's official answer key
 * (aristo-leaderboard), which then decides the correct option. A key "1"–"5" against letter labels means the
 * 1st–5th option (the bundled test.jsonl has the Regents labels rewritten to A–D; the official key keeps 1–4).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Task } from "../../core/task.js";
import type { Sample } from "../../core/types.js";
import { letterAt } from "../../scorers/choice/letters.js";
import { robustExtractor } from "../../scorers/multiple-choice.js";
import { dataFileError, readRecords } from "../data-files.js";
import type { BuiltinTaskDefinition } from "./definition.js";
import { multipleChoiceTask, noSubjects, singleAnswerPrompt, stringField } from "./multiple-choice-format.js";
import { benchmarkDir } from "./paths.js";

export const ARC_FILES = { questions: "test.jsonl", answerKey: "question-answers.jsonl" } as const;

export interface ArcQuestion {
  id: string;
  question: string;
  options: string[];
  labels: string[];
  answerKey: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const SHAPE =
  "expected {id, question, choices: {text: [...], label: [...]}, answerKey} or {id, question: {stem, choices: [{text, label}]}, answerKey}";

export function arcQuestion(record: Record<string, unknown>, label: string, line: number): ArcQuestion {
  const id = stringField(record, "id", label, line);
  const answerKey = stringField(record, "answerKey", label, line, "a label such as A or 1");
  let question: unknown;
  let options: unknown;
  let labels: unknown;
  if (isObject(record.question)) {
    question = record.question.stem;
    const list = record.question.choices;
    if (Array.isArray(list) && list.every(isObject)) {
      options = list.map((c) => c.text);
      labels = list.map((c) => c.label);
    }
  } else if (isObject(record.choices)) {
    question = record.question;
    options = record.choices.text;
    labels = record.choices.label;
  }
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (typeof question !== "string" || !strings(options) || !strings(labels) || options.length !== labels.length) {
    throw dataFileError(label, line, `question ${id} does not have the layout ARC files have: ${SHAPE}`);
  }
  if (options.length < 2) throw dataFileError(label, line, `question ${id} has ${options.length} options`);
  return { id, question, options, labels, answerKey };
}

/** The index of the option an answer key names: its label, or "1"–"9" for the n-th option when labels are letters. */
export function arcAnswerIndex(q: Pick<ArcQuestion, "labels">, key: string): number {
  const byLabel = q.labels.indexOf(key);
  if (byLabel >= 0) return byLabel;
  if (/^[1-9]$/.test(key) && q.labels.every((l) => /^[A-Z]$/.test(l))) {
    const n = Number(key) - 1;
    if (n < q.labels.length) return n;
  }
  return -1;
}

async function readAnswerKey(file: string): Promise<Map<string, string>> {
  const key = new Map<string, string>();
  for await (const { record, line } of readRecords(file, "jsonl")) {
    key.set(stringField(record, "id", file, line), stringField(record, "answerKey", file, line));
  }
  return key;
}

export async function* arcSamples(dir: string): AsyncGenerator<Sample> {
  const keyFile = join(dir, ARC_FILES.answerKey);
  const official = existsSync(keyFile) ? await readAnswerKey(keyFile) : null;
  const file = join(dir, ARC_FILES.questions);
  for await (const { record, line } of readRecords(file, "jsonl")) {
    const q = arcQuestion(record, file, line);
    const key = official ? official.get(q.id) : q.answerKey;
    if (key === undefined) throw dataFileError(file, line, `question ${q.id} is not in the answer key ${keyFile}`);
    const index = arcAnswerIndex(q, key);
    if (index < 0) {
      throw dataFileError(
        file,
        line,
        `question ${q.id}: answer key "${key}" names none of its options (${q.labels.join(", ")})`,
      );
    }
    yield {
      id: q.id,
      input: singleAnswerPrompt(q.question, q.options),
      target: letterAt(index),
      choices: q.options,
      metadata: { labels: q.labels, answer_key: key },
    };
  }
}

export const arcChallenge: BuiltinTaskDefinition = {
  info: {
    name: "arc_challenge",
    description: "ARC-Challenge: grade-school science questions (3–5 options), answer letter read from generation",
    metrics: ["accuracy", "unextracted"],
    settings: { temperature: 0, maxTokens: 512 },
    samples: 1172,
    bundled: true,
    license: "CC BY-SA 4.0 (AI2 ARC); answer key from allenai/aristo-leaderboard, Apache-2.0",
  },
  create(options): Task {
    noSubjects("arc_challenge", options.subjects);
    const dir = benchmarkDir("arc_challenge", options.path);
    return multipleChoiceTask({
      name: "arc_challenge",
      description: arcChallenge.info.description,
      dataset: () => arcSamples(dir),
      extract: robustExtractor,
      settings: arcChallenge.info.settings,
    });
  },
};
