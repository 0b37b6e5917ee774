/**
 * Multiple choice answered by generation: the scorer reads the letter a model chose from its text and compares it
 * with the sample's target letter.
 *
 * Three extractors:
 * - {@link extractChoiceLetter} (choice/generic.ts): robust reading of any answer shape, for benchmarks whose
 *   authors publish no generative grader (MMLU, ARC-Challenge, TruthfulQA MC1);
 * - {@link extractMmluProAnswer} (choice/mmlu-pro.ts): the MMLU-Pro authors' three regexes, exactly;
 * - {@link extractCmmluAnswer} (choice/cmmlu.ts): the CMMLU authors' `extract_choice`, exactly.
 *
 * Every scorer reports two metrics: "accuracy" (1 when the letter read is the target, else 0) and "unextracted" (1
 * when no letter could be read). The reference scripts of MMLU-Pro and CMMLU replace an unreadable answer by a random
 * letter; Arbiter scores it wrong instead, so "accuracy" is at most the reference figure minus the lucky guesses, and
 * the mean of "unextracted" times the number of samples is how many answers were unreadable.
 */
import type { Scorer } from "../core/task.js";
import type { Sample, Score } from "../core/types.js";
import { extractChoiceLetter } from "./choice/generic.js";
import { lettersFor } from "./choice/letters.js";

export { extractCmmluAnswer } from "./choice/cmmlu.js";
export { type ChoiceExtraction, type ChoiceRule, extractChoiceLetter } from "./choice/generic.js";
export { letterAt, letterIndex, lettersFor } from "./choice/letters.js";
export { extractMmluProAnswer } from "./choice/mmlu-pro.js";

export const ACCURACY_METRIC = "accuracy";
export const UNEXTRACTED_METRIC = "unextracted";
export const MULTIPLE_CHOICE_METRICS = [ACCURACY_METRIC, UNEXTRACTED_METRIC] as const;

/** What an extractor read: the letter (or null) and the name of the rule that read it. */
export interface LetterReading {
  letter: string | null;
  rule: string | null;
}

export type LetterExtractor = (output: string, sample: Sample) => LetterReading;

export interface MultipleChoiceScorerOptions {
  /** Added to the explanation of an unreadable answer, e.g. what the reference script would have done. */
  unextractedNote?: string;
}

/** The robust extractor, limited to the sample's options and reading their texts. */
export const robustExtractor: LetterExtractor = (output, sample) =>
  extractChoiceLetter(output, sample.choices === undefined ? {} : { choices: sample.choices });

/** The target letter of a sample: its target (or first target) if that is a letter of one of its options. */
export function targetLetter(sample: Sample): string | null {
  const target = (Array.isArray(sample.target) ? sample.target[0] : sample.target)?.trim().toUpperCase() ?? "";
  const letters = lettersFor(sample.choices?.length ?? 26);
  return target.length === 1 && letters.includes(target) ? target : null;
}

/** Scores a generated answer: metric "accuracy", then "unextracted". */
export function multipleChoiceScorer(extract: LetterExtractor, options: MultipleChoiceScorerOptions = {}): Scorer {
  return (output, sample): Score[] => {
    const reading = extract(output, sample);
    const wanted = targetLetter(sample);
    const unextracted: Score = { metric: UNEXTRACTED_METRIC, value: reading.letter === null ? 1 : 0, answer: null };
    if (wanted === null) {
      const explanation = `the sample's target ${JSON.stringify(sample.target)} is not one of its option letters`;
      return [{ metric: ACCURACY_METRIC, value: 0, answer: reading.letter, explanation }, unextracted];
    }
    if (reading.letter === null) {
      const note = options.unextractedNote ? `; ${options.unextractedNote}` : "";
      const explanation = `no answer letter found in the output (expected ${wanted})${note}`;
      return [{ metric: ACCURACY_METRIC, value: 0, answer: null, explanation }, unextracted];
    }
    const ok = reading.letter === wanted;
    const explanation = `${ok ? "read" : `expected ${wanted}, read`} ${reading.letter} (${reading.rule ?? "?"})`;
    return [
      { metric: ACCURACY_METRIC, value: ok ? 1 : 0, answer: reading.letter, explanation },
      { ...unextracted, answer: reading.letter },
    ];
  };
}
