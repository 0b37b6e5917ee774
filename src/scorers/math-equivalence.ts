/**
 * Scoring of MATH-style answers: the last `\boxed{…}` of the output, graded against the reference answer as
 * PRM800K's grader grades it (Lightman et al. 2023; the reference grader of MATH-500). That grader accepts every
 * answer Hendrycks' MATH `is_equiv` accepts (its first test is the same normalization), and more: LaTeX read as
 * text, units and thousands separators dropped, tuples and intervals compared element by element, and expressions
 * compared as sympy would simplify their difference. What counts as equal, exactly, is written in
 * math/prm800k.ts (the grading rules), math/hendrycks.ts (the MATH normalization), math/latex-text.ts (LaTeX to
 * text) and math/sympy-equal.ts (expression equality without sympy).
 *
 * Metric "accuracy": 1 when correct, 0 otherwise (also when the output has no box).
 */
import type { Scorer } from "../core/task.js";
import type { Sample, Score } from "../core/types.js";
import { lastBoxedAnswer } from "./math/boxed.js";
import { type Grade, gradeAnswerDetailed } from "./math/prm800k.js";
import { targetsOf } from "./starter.js";

export { lastBoxedAnswer } from "./math/boxed.js";
export { isEquivHendrycks, normalizeAnswerMathd, stripString } from "./math/hendrycks.js";
export { latexToText } from "./math/latex-text.js";
export { gradeAnswer, gradeAnswerDetailed, normalizePrm800k } from "./math/prm800k.js";

export const ACCURACY = "accuracy";

const RULE_TEXT: Record<Grade["rule"], string> = {
  "mathd-normalized-match": "equal after the MATH normalization",
  "normalized-match": "equal after PRM800K normalization",
  "equivalent-elements": "mathematically equivalent",
  "no-answer": "no \\boxed{} answer in the output",
  "empty-answer": "the boxed answer is empty after normalization",
  "tuple-brackets-differ": "the tuple or interval brackets differ",
  "element-count-differs": "a different number of elements",
  "fractions-differ": "different fractions (unreduced fractions do not count)",
  "integer-vs-non-integer": "an integer against a non-integer",
  "not-equivalent": "not equivalent",
};

/** Grades one output against the reference answers (correct if any reference matches). */
export function scoreMathAnswer(output: string, references: string[]): Score {
  const answer = lastBoxedAnswer(output);
  let last: Grade | null = null;
  for (const reference of references) {
    const grade = gradeAnswerDetailed(answer, reference);
    if (grade.correct) return { metric: ACCURACY, value: 1, answer, explanation: RULE_TEXT[grade.rule] };
    last = grade;
  }
  const why = last === null ? "the sample has no reference answer" : RULE_TEXT[last.rule];
  const forms =
    last?.normalized !== undefined
      ? ` (${JSON.stringify(last.normalized.given)} vs ${JSON.stringify(last.normalized.groundTruth)})`
      : "";
  return { metric: ACCURACY, value: 0, answer, explanation: `${why}${forms}` };
}

/** The MATH / MATH-500 scorer: last boxed answer, PRM800K equivalence, metric "accuracy". */
export function mathEquivalenceScorer(): Scorer {
  return (output: string, sample: Sample) => scoreMathAnswer(output, targetsOf(sample));
}
