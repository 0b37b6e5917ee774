/**
 * GSM8K scoring exactly as lm-evaluation-harness scores its `gsm8k_cot` and `gsm8k` tasks
 * (lm_eval/tasks/gsm8k/gsm8k-cot.yaml and gsm8k.yaml, metadata version 3.0; filters in lm_eval/filters/extraction.py,
 * the metric in lm_eval/api/metrics.py `exact_match_hf_evaluate`).
 *
 * Two metrics, each a filter then `exact_match`:
 * - "strict-match": regex `The answer is (\-?[0-9\.\,]+).` (gsm8k_cot) or `#### (\-?[0-9\.\,]+)` (gsm8k), then
 *   take_first: the FIRST match of the answer (group_select 0);
 * - "flexible-extract": regex `(-?[$0-9.,]{2,})|(-?[0-9]+)` with group_select -1: the LAST number-like run.
 * The harness's RegexFilter runs Python `re.findall`; a match of a pattern with several groups is a tuple, of which it
 * keeps the first non-empty group; the result is `.strip()`ped; no match gives "[invalid]".
 * `exact_match` then applies, to the prediction and to the reference alike, `re.sub(r, "", x)` for each of
 * regexes_to_ignore [",", "\$", "(?s).*#### ", "\.$"] in that order, lower-cases both (ignore_case) and compares the
 * strings (ignore_punctuation is false).
 *
 * The Python patterns are run here as JavaScript regexes with the same matches. Where the two dialects differ:
 * - Python `.` matches anything but "\n"; JavaScript's `.` also refuses "\r", U+2028 and U+2029, so the strict
 *   pattern's trailing `.` is written `[^\n]` (an answer ending "The answer is 18\r\n" extracts "18" in both).
 * - Python `$` (no MULTILINE) matches at the end or before a final "\n"; JavaScript's only at the very end, so `\.$`
 *   is written `\.(?=\n?$)`.
 * - `(?s)` (DOTALL) has no inline form before ES2025: `(?s).*` is written `[\s\S]*`.
 * - `\-`, `\.` and `\,` are identity escapes: they are written here as the plain characters.
 *
 * Headline metric: "strict-match". Both harness YAMLs list it first in `filter_list`, and the harness prints and
 * stores results in that order (`exact_match,strict-match` before `exact_match,flexible-extract`); it is also the
 * figure leaderboards that ran gsm8k_cot through the harness report. "flexible-extract" is kept beside it: it is the
 * fairer figure for chat models that do not end with "The answer is N." (or, zero-shot, with "#### N").
 */
import type { Scorer } from "../core/task.js";
import type { Sample, Score } from "../core/types.js";
import { pyStrip } from "./math/python.js";
import { targetsOf } from "./starter.js";

export const STRICT_MATCH = "strict-match";
export const FLEXIBLE_EXTRACT = "flexible-extract";
/** Metric names, headline first. */
export const GSM8K_METRICS = [STRICT_MATCH, FLEXIBLE_EXTRACT] as const;

/** What the harness's RegexFilter returns when the pattern does not match. */
export const INVALID = "[invalid]";

/** The harness filter patterns as written in its YAML (Python `re` syntax), for reference and reports. */
export const HARNESS_PATTERNS = {
  strictCot: String.raw`The answer is (\-?[0-9\.\,]+).`,
  strictHash: String.raw`#### (\-?[0-9\.\,]+)`,
  flexible: "(-?[$0-9.,]{2,})|(-?[0-9]+)",
} as const;

/** The same patterns as JavaScript regexes that match what Python `re` matches (see the module comment). */
const STRICT_COT = /The answer is (-?[0-9.,]+)[^\n]/g;
const STRICT_HASH = /#### (-?[0-9.,]+)/g;
const FLEXIBLE = /(-?[$0-9.,]{2,})|(-?[0-9]+)/g;

/** regexes_to_ignore of both YAMLs, in order: ",", "\$", "(?s).*#### ", "\.$". */
const IGNORE: readonly RegExp[] = [/,/g, /\$/g, /[\s\S]*#### /g, /\.(?=\n?$)/g];

export type Gsm8kFormat = "cot" | "hash";

/**
 * Python `re.findall`: for a pattern with one group, the group of each match; with several, a tuple of all groups
 * ("" for a group that did not take part), here an array.
 */
export function findall(pattern: RegExp, text: string): (string | string[])[] {
  const found: (string | string[])[] = [];
  for (const m of text.matchAll(new RegExp(pattern.source, "g"))) {
    const groups = m.slice(1).map((g) => g ?? "");
    found.push(groups.length === 0 ? m[0] : groups.length === 1 ? (groups[0] as string) : groups);
  }
  return found;
}

/**
 * The harness's RegexFilter on one response: the match at `groupSelect` (Python index: -1 is the last), its first
 * non-empty group when the pattern has several, stripped; "[invalid]" without a match.
 */
export function regexFilter(pattern: RegExp, text: string, groupSelect: number): string {
  const matches = findall(pattern, text);
  if (matches.length === 0) return INVALID;
  const index = groupSelect < 0 ? matches.length + groupSelect : groupSelect;
  const match = matches[index];
  if (match === undefined) return INVALID;
  const chosen = typeof match === "string" ? match : match.find((g) => g !== "");
  // Python raises IndexError when every group is empty; neither GSM8K pattern can match without a non-empty group.
  return pyStrip(chosen ?? "");
}

/** The strict-match filter: the first "The answer is N" (cot) or "#### N" (hash). */
export function strictMatch(output: string, format: Gsm8kFormat): string {
  return regexFilter(format === "cot" ? STRICT_COT : STRICT_HASH, output, 0);
}

/** The flexible-extract filter: the last number-like run of the output. */
export function flexibleExtract(output: string): string {
  return regexFilter(FLEXIBLE, output, -1);
}

/** What exact_match compares: the regexes_to_ignore removed, then lower-cased. */
export function exactMatchNormalize(text: string): string {
  let out = text;
  for (const re of IGNORE) out = out.replace(re, "");
  return out.toLowerCase();
}

/** The harness's exact_match for one prediction and one reference (1 or 0). */
export function exactMatch(prediction: string, reference: string): number {
  return exactMatchNormalize(prediction) === exactMatchNormalize(reference) ? 1 : 0;
}

/** The reference answer of a GSM8K record, as the cot task's doc_to_target makes it: the text after the last "####". */
export function gsm8kTarget(answer: string): string {
  const parts = answer.split("####");
  return pyStrip(parts[parts.length - 1] ?? "");
}

function score(metric: string, extracted: string, reference: string): Score {
  const value = exactMatch(extracted, reference);
  const result: Score = { metric, value, answer: extracted };
  if (value === 0) {
    result.explanation =
      extracted === INVALID
        ? `${metric}: no answer found by the harness pattern; expected ${JSON.stringify(reference)}`
        : `${metric}: ${JSON.stringify(exactMatchNormalize(extracted))} ≠ ${JSON.stringify(exactMatchNormalize(reference))}`;
  }
  return result;
}

/** Both metrics for one output, strict-match first. The reference is the sample's (first) target. */
export function scoreGsm8k(output: string, reference: string, format: Gsm8kFormat): Score[] {
  return [
    score(STRICT_MATCH, strictMatch(output, format), reference),
    score(FLEXIBLE_EXTRACT, flexibleExtract(output), reference),
  ];
}

/** The GSM8K scorer for a prompt format: "cot" (gsm8k_cot, 8-shot) or "hash" (plain gsm8k, "#### N"). */
export function gsm8kScorer(format: Gsm8kFormat): Scorer {
  return (output: string, sample: Sample) => {
    const reference = targetsOf(sample)[0];
    if (reference === undefined) throw new Error(`gsm8k: sample ${sample.id} has no target`);
    return scoreGsm8k(output, reference, format);
  };
}
