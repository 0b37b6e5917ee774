/**
 * MMLU (Hendrycks et al. 2021, "Measuring Massive Multitask Language Understanding"): 14,042 four-option test
 * questions in 57 subjects, asked with the original five-shot prompt and answered by generation.
 *
 * Prompt (hendrycks/test evaluate.py `gen_prompt` / `format_example`, as lm-evaluation-harness reproduces it; the
 * subject's underscores become spaces):
 *
 *   The following are multiple choice questions (with answers) about {subject}.\n\n
 *   {dev question 1}\nA. {a}\nB. {b}\nC. {c}\nD. {d}\nAnswer: {letter}\n\n      (× 5: the subject's dev rows, in order)
 *   {question}\nA. {a}\nB. {b}\nC. {c}\nD. {d}\nAnswer:
 *
 * sent as one user message. Variant "zeroshot" leaves out the five examples. The original scores the log-probability
 * of " A"…" D"; a chat API has none, so the model writes its answer and the robust extractor reads the letter
 * (scorers/choice/generic.ts): "C", "The answer is C", "(C) Paris", "Paris"… Metrics "accuracy" and "unextracted".
 *
 * Data (data/benchmarks/mmlu, or the `path` option): `test/{subject}_test.csv` and `dev/{subject}_dev.csv` with the
 * header `question,choice0,choice1,choice2,choice3,answer`, answer = the index 0–3 (the Hugging Face cais/mmlu
 * export; a letter A–D is read too). Samples: id `{subject}/{row}` (row counted from 0), metadata.category = the
 * subject, metadata.supercategory = lm-evaluation-harness's group (stem, humanities, social_sciences, other).
 * `subjects` may name subjects or groups.
 */
import { join } from "node:path";
import type { Task } from "../../core/task.js";
import type { Sample } from "../../core/types.js";
import { letterAt } from "../../scorers/choice/letters.js";
import { robustExtractor } from "../../scorers/multiple-choice.js";
import { dataFileError, readRecords } from "../data-files.js";
import type { BuiltinTaskDefinition } from "./definition.js";
import {
  chooseVariant,
  letteredOptions,
  multipleChoiceTask,
  selectSubjects,
  stringField,
} from "./multiple-choice-format.js";
import { benchmarkDir } from "./paths.js";

export const MMLU_VARIANTS = ["5shot", "zeroshot"] as const;
export type MmluVariant = (typeof MMLU_VARIANTS)[number];

export const MMLU_SHOTS = 5;

/** Subject → group, from lm-evaluation-harness lm_eval/tasks/mmlu/_generate_configs.py (SUBJECTS). */
export const MMLU_SUPERCATEGORIES: Readonly<Record<string, "stem" | "humanities" | "social_sciences" | "other">> = {
  abstract_algebra: "stem",
  anatomy: "stem",
  astronomy: "stem",
  business_ethics: "other",
  clinical_knowledge: "other",
  college_biology: "stem",
  college_chemistry: "stem",
  college_computer_science: "stem",
  college_mathematics: "stem",
  college_medicine: "other",
  college_physics: "stem",
  computer_security: "stem",
  conceptual_physics: "stem",
  econometrics: "social_sciences",
  electrical_engineering: "stem",
  elementary_mathematics: "stem",
  formal_logic: "humanities",
  global_facts: "other",
  high_school_biology: "stem",
  high_school_chemistry: "stem",
  high_school_computer_science: "stem",
  high_school_european_history: "humanities",
  high_school_geography: "social_sciences",
  high_school_government_and_politics: "social_sciences",
  high_school_macroeconomics: "social_sciences",
  high_school_mathematics: "stem",
  high_school_microeconomics: "social_sciences",
  high_school_physics: "stem",
  high_school_psychology: "social_sciences",
  high_school_statistics: "stem",
  high_school_us_history: "humanities",
  high_school_world_history: "humanities",
  human_aging: "other",
  human_sexuality: "social_sciences",
  international_law: "humanities",
  jurisprudence: "humanities",
  logical_fallacies: "humanities",
  machine_learning: "stem",
  management: "other",
  marketing: "other",
  medical_genetics: "other",
  miscellaneous: "other",
  moral_disputes: "humanities",
  moral_scenarios: "humanities",
  nutrition: "other",
  philosophy: "humanities",
  prehistory: "humanities",
  professional_accounting: "other",
  professional_law: "humanities",
  professional_medicine: "other",
  professional_psychology: "social_sciences",
  public_relations: "social_sciences",
  security_studies: "social_sciences",
  sociology: "social_sciences",
  us_foreign_policy: "social_sciences",
  virology: "other",
  world_religions: "humanities",
};

export const MMLU_SUBJECTS: readonly string[] = Object.keys(MMLU_SUPERCATEGORIES).sort();

/** Group → its subjects ("stem" → abstract_algebra, anatomy, …). */
export const MMLU_GROUPS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  ["stem", "humanities", "social_sciences", "other"].map((g) => [
    g,
    MMLU_SUBJECTS.filter((s) => MMLU_SUPERCATEGORIES[s] === g),
  ]),
);

export interface MmluQuestion {
  question: string;
  options: [string, string, string, string];
  /** A–D. */
  answer: string;
}

const COLUMNS = "question, choice0, choice1, choice2, choice3, answer";

function mmluQuestion(record: Record<string, unknown>, label: string, line: number): MmluQuestion {
  const expected = `a string (the columns must be ${COLUMNS})`;
  const question = stringField(record, "question", label, line, expected);
  const options = [0, 1, 2, 3].map((i) => stringField(record, `choice${i}`, label, line, expected)) as [
    string,
    string,
    string,
    string,
  ];
  const raw = stringField(record, "answer", label, line, expected).trim();
  const answer = /^[0-3]$/.test(raw) ? letterAt(Number(raw)) : /^[A-D]$/.test(raw) ? raw : null;
  if (answer === null) {
    throw dataFileError(label, line, `answer is ${JSON.stringify(raw)}: expected the index 0–3 of the correct choice`);
  }
  return { question, options, answer };
}

/** The questions of one CSV file, streamed in file order. */
export async function* readMmluFile(file: string): AsyncGenerator<MmluQuestion> {
  for await (const { record, line } of readRecords(file, "csv")) yield mmluQuestion(record, file, line);
}

/** "high_school_us_history" → "high school us history", as the original prompt shows a subject. */
export function subjectTitle(subject: string): string {
  return subject.split("_").join(" ");
}

/** One question in the original format; with its answer (a shot) it ends "Answer: C\n\n", else "Answer:". */
export function formatMmluQuestion(q: MmluQuestion, withAnswer: boolean): string {
  const text = `${q.question}\n${letteredOptions(q.options)}\nAnswer:`;
  return withAnswer ? `${text} ${q.answer}\n\n` : text;
}

export function mmluPrompt(subject: string, shots: readonly MmluQuestion[], question: MmluQuestion): string {
  const header = `The following are multiple choice questions (with answers) about ${subjectTitle(subject)}.\n\n`;
  return header + shots.map((s) => formatMmluQuestion(s, true)).join("") + formatMmluQuestion(question, false);
}

async function readShots(file: string): Promise<MmluQuestion[]> {
  const shots: MmluQuestion[] = [];
  for await (const q of readMmluFile(file)) {
    shots.push(q);
    if (shots.length === MMLU_SHOTS) return shots;
  }
  throw dataFileError(
    file,
    undefined,
    `has ${shots.length} rows: expected at least ${MMLU_SHOTS} (the few-shot examples)`,
  );
}

export async function* mmluSamples(
  dir: string,
  subjects: readonly string[],
  variant: MmluVariant,
): AsyncGenerator<Sample> {
  for (const subject of subjects) {
    const shots = variant === "5shot" ? await readShots(join(dir, "dev", `${subject}_dev.csv`)) : [];
    let row = 0;
    for await (const q of readMmluFile(join(dir, "test", `${subject}_test.csv`))) {
      yield {
        id: `${subject}/${row}`,
        input: mmluPrompt(subject, shots, q),
        target: q.answer,
        choices: [...q.options],
        metadata: { category: subject, supercategory: MMLU_SUPERCATEGORIES[subject], subject, row },
      };
      row++;
    }
  }
}

export const mmlu: BuiltinTaskDefinition = {
  info: {
    name: "mmlu",
    description: "MMLU: 57-subject four-option questions, original 5-shot prompt, answer letter read from generation",
    metrics: ["accuracy", "unextracted"],
    variants: [...MMLU_VARIANTS],
    settings: { temperature: 0, maxTokens: 512 },
    samples: 14042,
    bundled: true,
    license: "MIT (hendrycks/test); the copy's mirror (HaeChan0305/MLILAB-FedLLM) is Apache-2.0",
  },
  create(options): Task {
    const variant = chooseVariant("mmlu", MMLU_VARIANTS, options.variant);
    const kept = selectSubjects("mmlu", options.subjects, MMLU_SUBJECTS, MMLU_GROUPS);
    const subjects = kept === null ? MMLU_SUBJECTS : MMLU_SUBJECTS.filter((s) => kept.has(s));
    const dir = benchmarkDir("mmlu", options.path);
    return multipleChoiceTask({
      name: variant === "5shot" ? "mmlu" : `mmlu-${variant}`,
      description: mmlu.info.description,
      dataset: () => mmluSamples(dir, subjects, variant),
      extract: robustExtractor,
      settings: mmlu.info.settings,
    });
  },
};
