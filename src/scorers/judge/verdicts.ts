/**
 * Reading a verdict out of a judge's answer, exactly as FastChat's llm_judge does (fastchat/llm_judge/common.py),
 * and the score that marks a verdict that could not be read.
 */
import type { Score } from "../../core/types.js";
import { extractJsonObjects } from "./json-objects.js";

/**
 * The metric of a verdict the scorer could not read. Such a verdict yields no score for what it judged (a turn, a
 * pairwise sample, a rubric grade) but one Score `{metric: "judge-unparsed", value: 1}` whose explanation holds the
 * judge's raw answer, so reports can count them instead of silently averaging over fewer verdicts.
 */
export const JUDGE_UNPARSED = "judge-unparsed";

/** A {@link JUDGE_UNPARSED} score: `what` names the verdict ("turn 2", "order 1"), `why` says what was missing. */
export function unparsedScore(what: string, why: string, raw: string): Score {
  return {
    metric: JUDGE_UNPARSED,
    value: 1,
    answer: null,
    explanation: `${what}: ${why}; the judge answered:\n${raw}`,
  };
}

export type RatingVerdict = { ok: true; rating: number; match: string } | { ok: false; why: string };

// FastChat's one_score_pattern and its backup, with \d narrowed to ASCII digits (Python's \d also matches other
// scripts' digits, which ast.literal_eval then rejects).
const ONE_SCORE = /\[\[([0-9]+\.?[0-9]*)\]\]/;
const ONE_SCORE_BACKUP = /\[([0-9]+\.?[0-9]*)\]/;

/** MT-Bench's rating scale. */
export const RATING_MIN = 1;
export const RATING_MAX = 10;

/**
 * The 1–10 rating in a single-answer judgment. As FastChat's `run_judge_single`: the first `[[rating]]` in the text
 * ("Rating: [[7]]", "[[8.5]]"); only if there is none, the first `[rating]`. A rating is an unsigned decimal
 * ("7", "8.5", "7."); "[[ 7 ]]", "[[7/10]]" and "[[-1]]" are not ratings.
 *
 * One deliberate difference: FastChat keeps whatever number it finds, so "[[0]]", "[[15]]" or a stray "[2023]" would
 * enter the mean; here a rating outside 1–10 makes the verdict unparsed (and counted) instead.
 */
export function parseRating(judgment: string): RatingVerdict {
  const m = ONE_SCORE.exec(judgment) ?? ONE_SCORE_BACKUP.exec(judgment);
  if (!m) return { ok: false, why: 'no rating in the form "[[rating]]" (or "[rating]")' };
  const rating = Number(m[1]);
  if (!(rating >= RATING_MIN && rating <= RATING_MAX)) {
    return { ok: false, why: `rating ${m[1]} in "${m[0]}" is outside ${RATING_MIN}–${RATING_MAX}` };
  }
  return { ok: true, rating, match: m[0] };
}

/** A pairwise verdict: "A" or "B" is better, or "C", a tie. */
export type PairVerdict = "A" | "B" | "C";

/**
 * The verdict of a pairwise judgment (FastChat `run_judge_pair`, output format "[[A]]"): "[[A]]" anywhere in the
 * text, else "[[B]]", else "[[C]]", else none. The precedence is FastChat's: a judgment that mentions both "[[A]]"
 * and "[[B]]" reads as A. Case matters ("[[a]]" is no verdict) and there is no single-bracket fallback.
 */
export function parsePairVerdict(judgment: string): PairVerdict | null {
  if (judgment.includes("[[A]]")) return "A";
  if (judgment.includes("[[B]]")) return "B";
  if (judgment.includes("[[C]]")) return "C";
  return null;
}

export type RubricVerdict = { ok: true; pass: boolean; score: number; reason: string } | { ok: false; why: string };

const PASS_WORDS = /^(true|yes|pass|y)$/i;

/**
 * The grade in an llm-rubric judgment, read as promptfoo's `matchesLlmRubric` does (src/matchers.ts): the JSON
 * object the judge wrote, anywhere in its answer (see {@link extractJsonObjects}); `pass` defaults to true and a
 * non-boolean `pass` passes when it reads true/yes/pass/y; a non-numeric `score` is converted (`"0.8"` → 0.8), else
 * it is 1 for a pass and 0 for a fail; with a threshold, the grade passes only if `pass` and `score >= threshold`.
 *
 * Two deliberate differences, so a judge that gave no grade is counted rather than passed: the object used is the
 * first one holding "pass" or "score" (promptfoo takes the first object of any kind), and an answer with no such
 * object is unparsed (promptfoo would pass `{}`).
 */
export function parseRubricVerdict(judgment: string, threshold?: number): RubricVerdict {
  const objects = extractJsonObjects(judgment);
  const graded = objects.find((o) => Object.hasOwn(o, "pass") || Object.hasOwn(o, "score"));
  if (!graded) {
    return {
      ok: false,
      why:
        objects.length === 0
          ? 'no JSON object in the answer (expected {"reason": ..., "pass": ..., "score": ...})'
          : 'no JSON object with "pass" or "score" in the answer',
    };
  }
  const rawPass = graded.pass ?? true;
  let pass = typeof rawPass === "boolean" ? rawPass : PASS_WORDS.test(String(rawPass));
  const rawScore = graded.score;
  const score =
    typeof rawScore === "number" ? rawScore : Number.isFinite(Number(rawScore)) ? Number(rawScore) : Number(pass);
  if (threshold !== undefined) pass = pass && score >= threshold;
  const reason = typeof graded.reason === "string" ? graded.reason : "";
  return { ok: true, pass, score, reason };
}
