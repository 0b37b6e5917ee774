/**
 * Starter scorers: pure functions of (output, sample) that give 1 (correct) or 0 with the answer they read from the
 * output. Each export is a factory: options in, {@link SimpleScorer} out. A factory throws {@link ScorerConfigError} on bad
 * options (e.g. an invalid regex), so a task fails when it is loaded, not halfway through a run.
 *
 * A sample's target may be a string or a list of acceptable strings; every scorer passes when any target matches.
 */
import { UserError } from "../core/errors.js";
import type { SimpleScorer } from "../core/task.js";
import type { Sample, Score } from "../core/types.js";

export class ScorerConfigError extends UserError {
  override name = "ScorerConfigError";
}

/** The sample's acceptable targets as a list. */
export function targetsOf(sample: Pick<Sample, "target">): string[] {
  return Array.isArray(sample.target) ? sample.target : [sample.target];
}

function quoteList(values: string[]): string {
  const shown = values.slice(0, 5).map((v) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v));
  if (values.length > 5) shown.push(`… (${values.length} in all)`);
  return shown.join(" or ");
}

function score(ok: boolean, answer: string | null, explanation?: string): Score {
  return explanation === undefined || ok ? { value: ok ? 1 : 0, answer } : { value: 0, answer, explanation };
}

// ---------------------------------------------------------------------------------------------------------------
// exact

export interface ExactOptions {
  /** Compare case-insensitively. Default false. */
  ignoreCase?: boolean;
  /** Ignore leading and trailing whitespace. Default true. */
  trim?: boolean;
}

/** The output equals a target (Unicode-normalized; optionally case-insensitive; trimmed unless `trim: false`). */
export function exact(options: ExactOptions = {}): SimpleScorer {
  const ignoreCase = options.ignoreCase ?? false;
  const trim = options.trim ?? true;
  const normalize = (text: string): string => {
    const t = (trim ? text.trim() : text).normalize("NFC");
    return ignoreCase ? t.toLowerCase() : t;
  };
  return (output, sample) => {
    const answer = trim ? output.trim() : output;
    const targets = targetsOf(sample);
    const got = normalize(output);
    const ok = targets.some((t) => normalize(t) === got);
    return score(ok, answer, `expected ${quoteList(targets)}`);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// includes

export interface IncludesOptions {
  /** Compare case-insensitively. Default true. */
  ignoreCase?: boolean;
}

/**
 * The output contains a target. Empty targets are ignored (everything contains ""); a sample with no non-empty
 * target scores 0. The answer is the target found, or null.
 */
export function includes(options: IncludesOptions = {}): SimpleScorer {
  const ignoreCase = options.ignoreCase ?? true;
  const normalize = (text: string): string => {
    const t = text.normalize("NFC");
    return ignoreCase ? t.toLowerCase() : t;
  };
  return (output, sample) => {
    const targets = targetsOf(sample).filter((t) => t.trim() !== "");
    if (targets.length === 0) return score(false, null, "the sample has no target to look for");
    const haystack = normalize(output);
    const found = targets.find((t) => haystack.includes(normalize(t.trim())));
    return found === undefined
      ? score(false, null, `the output does not contain ${quoteList(targets)}`)
      : score(true, found.trim());
  };
}

// ---------------------------------------------------------------------------------------------------------------
// regex

export interface RegexOptions {
  /** A JavaScript regular expression, without slashes. */
  pattern: string;
  /** RegExp flags, e.g. "i", "s", "m", "u". `g` and `y` are ignored: the first match is the answer. */
  flags?: string;
  /** The capture group holding the answer. Default 1 if the pattern has a capture group, else 0 (the whole match). */
  group?: number;
}

/** Compiles a regex scorer's pattern, or throws {@link ScorerConfigError} saying what is wrong. */
export function compileRegex(options: RegexOptions): { re: RegExp; group: number } {
  const flags = (options.flags ?? "").replace(/[gy]/g, "");
  let re: RegExp;
  let groups: number;
  try {
    re = new RegExp(options.pattern, flags);
    // A pattern that also matches "" reports how many capture groups it has.
    groups = (new RegExp(`(?:${options.pattern})|`, flags).exec("")?.length ?? 1) - 1;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ScorerConfigError(`regex scorer: invalid pattern /${options.pattern}/${flags}: ${reason}`);
  }
  const group = options.group ?? (groups > 0 ? 1 : 0);
  if (!Number.isInteger(group) || group < 0 || group > groups) {
    throw new ScorerConfigError(
      `regex scorer: group ${group} does not exist in /${options.pattern}/ (it has ${groups} capture group${groups === 1 ? "" : "s"})`,
    );
  }
  return { re, group };
}

/**
 * The answer is the first match of the pattern (group `group`); it must equal a target, ignoring case and
 * surrounding whitespace. When the sample has no target (empty string or empty list), a match alone passes.
 */
export function regex(options: RegexOptions): SimpleScorer {
  const { re, group } = compileRegex(options);
  return (output, sample) => {
    const match = re.exec(output);
    if (!match) return score(false, null, `no match for /${re.source}/${re.flags}`);
    const captured = match[group];
    if (captured === undefined) return score(false, null, `group ${group} of /${re.source}/ did not match`);
    const answer = captured.trim();
    const targets = targetsOf(sample)
      .map((t) => t.trim())
      .filter((t) => t !== "");
    if (targets.length === 0) return score(true, answer);
    const got = answer.toLowerCase();
    return score(
      targets.some((t) => t.toLowerCase() === got),
      answer,
      `expected ${quoteList(targets)}`,
    );
  };
}

// ---------------------------------------------------------------------------------------------------------------
// numeric

export interface NumericOptions {
  /** Largest accepted difference. Default 1e-6. Absolute, or a fraction of the target when `relative`. */
  tolerance?: number;
  /** Treat `tolerance` as relative to the target: |answer − target| ≤ tolerance × |target|. Default false. */
  relative?: boolean;
}

/**
 * A number as written in text: an optional sign (also "−") and currency sign, digits with optional thousands
 * commas, an optional fraction and exponent; a trailing "%" is ignored. A number glued to a letter ("x2", "H2O") or
 * to a preceding digit does not count, so "1-3" reads as 1 and 3, not 1 and −3.
 */
const NUMBER =
  /(?<![\p{L}\p{N}_.])([-+\u2212]?)[$€£¥]?([-+\u2212]?)(\d{1,3}(?:,\d{3})+(?!\d|,\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE]([-+\u2212]?\d+))?/gu;

/** Every number in the text, in order (see {@link numeric} for what counts as a number). */
export function extractNumbers(text: string): number[] {
  const numbers: number[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const negative = m[1] === "-" || m[1] === "\u2212" || m[2] === "-" || m[2] === "\u2212";
    const exponent = m[4] === undefined ? "" : `e${m[4].replace("\u2212", "-")}`;
    const value = Number(`${(m[3] ?? "").replace(/,/g, "")}${exponent}`);
    if (Number.isFinite(value)) numbers.push(negative ? -value : value);
  }
  return numbers;
}

/** The last number in the text, or null. */
export function lastNumber(text: string): number | null {
  const numbers = extractNumbers(text);
  return numbers.length === 0 ? null : (numbers[numbers.length - 1] ?? null);
}

/**
 * The LAST number in the output (so "… 3 + 4 = 7" answers 7) equals a target number within the tolerance. Handles
 * "-3", "−3", "1,234.5", "$12", "3.0e2", "50%" (→ 50). A target is read the same way ("1,234" → 1234).
 */
export function numeric(options: NumericOptions = {}): SimpleScorer {
  const tolerance = options.tolerance ?? 1e-6;
  const relative = options.relative ?? false;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new ScorerConfigError(`numeric scorer: tolerance must be a number ≥ 0, got ${tolerance}`);
  }
  return (output, sample) => {
    const answer = lastNumber(output);
    const targets = targetsOf(sample);
    const wanted = targets.map(lastNumber).filter((n): n is number => n !== null);
    if (wanted.length === 0)
      return score(false, answer === null ? null : String(answer), `no number in the target ${quoteList(targets)}`);
    if (answer === null) return score(false, null, "no number in the output");
    const ok = wanted.some((t) => {
      const diff = Math.abs(answer - t);
      return diff === 0 || diff <= (relative ? tolerance * Math.abs(t) : tolerance);
    });
    return score(ok, String(answer), `expected ${wanted.join(" or ")}`);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// choice

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The letters a multiple-choice answer may use: one per choice (at most 26), or A–J when the choices are unknown. */
export function choiceLetters(count?: number): string {
  return count === undefined || count <= 0 ? ALPHABET.slice(0, 10) : ALPHABET.slice(0, Math.min(count, 26));
}

const ANSWER_KEYWORD = /\b(?:answer|(?:correct|right|best|final)\s+(?:option|choice|letter))\b/gi;
const AFTER_KEYWORD =
  /^[\s*_]*(?:is|was|would\s+be|should\s+be|will\s+be)?[\s*_]*[:：=\-–—]?[\s*_]*(?:the\s+)?(?:option|choice|letter)?[\s*_]*[:：]?[\s*_]*([([]?)\s*([A-Za-z])\s*[)\]]?(?![\p{L}\p{N}'’])([\s\S]{0,3})/iu;
const LEADING_LETTER = /^[\s*_]*[([]?[\s*_]*([A-Za-z])[\s*_]*(?:[)\].:]|$)/;
const LONE_LETTER = /^[\s*_([]*([A-Za-z])[\s*_)\].:]*$/;
const MARKED_LETTER = /\(([A-Z])\)|\[([A-Z])\]|\*\*([A-Z])\*\*/g;
const STRAY_LETTER = /(?<![\p{L}\p{N}'’])([A-Z])(?![\p{L}\p{N}'’])(?:\s+([a-z]+))?/gu;
/** Words after which a capital "A" or "I" is still a choice letter ("A is wrong"), not an article or pronoun. */
const LETTER_VERBS = new Set(["is", "was", "and", "or", "seems", "looks", "fits", "matches", "also", "only"]);

function isEnglishWord(letter: string | undefined, next: string | undefined): boolean {
  return (letter === "A" || letter === "I") && next !== undefined && !LETTER_VERBS.has(next);
}

/**
 * The letter a multiple-choice answer chose, or null. In order of preference:
 * 1. the last explicit statement: "The answer is (B)", "Answer: D", "**Final answer:** C", "the correct option is A";
 * 2. an output that is just a letter: "B", "(B)", "**C**", "B.";
 * 3. a letter marked with parentheses, brackets or bold, "(B)", "[B]", "**B**", if only one letter is so marked
 *    (or only one on the last line that marks any);
 * 4. a letter labelling the start of the output: "B. Paris", "D) Jupiter, because…";
 * 5. a standalone capital letter, under the rule of 3 ("A" and "I" before a lowercase word read as English,
 *    except before "is", "was", "and", "or"…: "A is wrong").
 * Only letters in range count (`count` choices, else A–J). A lowercase letter counts only in parentheses, in a
 * statement like "answer: (b)", or as the whole output.
 */
export function extractChoice(output: string, count?: number): string | null {
  const letters = choiceLetters(count);
  const inRange = (letter: string): boolean => letters.includes(letter);

  // 1. Explicit statements; the last one wins (models restate the final answer at the end).
  let stated: string | null = null;
  for (const keyword of output.matchAll(ANSWER_KEYWORD)) {
    const m = AFTER_KEYWORD.exec(output.slice((keyword.index ?? 0) + keyword[0].length));
    if (!m) continue;
    const raw = m[2] ?? "";
    const bracketed = m[1] !== "";
    if (raw !== raw.toUpperCase() && !bracketed) continue;
    if (raw === "I" && !bracketed && /^\s+[a-z]/.test(m[3] ?? "")) continue; // "the answer is I think…"
    const letter = raw.toUpperCase();
    if (inRange(letter)) stated = letter;
  }
  if (stated) return stated;

  // 2. The whole output is a letter.
  const lone = LONE_LETTER.exec(output);
  if (lone?.[1] && inRange(lone[1].toUpperCase())) return lone[1].toUpperCase();

  // 3. Marked letters, then a leading label, then standalone capitals.
  const marked = unambiguous(output, MARKED_LETTER, (m) => m[1] ?? m[2] ?? m[3], inRange);
  if (marked) return marked;
  const leading = LEADING_LETTER.exec(output);
  if (leading?.[1] && leading[1] === leading[1].toUpperCase() && inRange(leading[1])) return leading[1];
  return unambiguous(output, STRAY_LETTER, (m) => (isEnglishWord(m[1], m[2]) ? undefined : m[1]), inRange);
}

/** The one letter the pattern finds, or else the one letter it finds on the last line where it finds any. */
function unambiguous(
  output: string,
  pattern: RegExp,
  pick: (m: RegExpMatchArray) => string | undefined,
  inRange: (letter: string) => boolean,
): string | null {
  const found: { letter: string; line: number }[] = [];
  for (const m of output.matchAll(pattern)) {
    const letter = pick(m);
    if (letter === undefined || !inRange(letter)) continue;
    const line = (output.slice(0, m.index).match(/\n/g) ?? []).length;
    found.push({ letter, line });
  }
  if (found.length === 0) return null;
  const distinct = new Set(found.map((f) => f.letter));
  if (distinct.size === 1) return found[0]?.letter ?? null;
  const lastLine = found[found.length - 1]?.line;
  const onLast = new Set(found.filter((f) => f.line === lastLine).map((f) => f.letter));
  return onLast.size === 1 ? ([...onLast][0] ?? null) : null;
}

/**
 * The letter a choice target stands for, or null. A target is a letter ("B", "b", "(B)", "B."); when the sample
 * has choices, a target equal to a choice's text (ignoring case and surrounding whitespace) stands for that
 * choice's letter. A number is not read as an index (0- or 1-based would be a guess): write the letter.
 */
export function resolveChoiceTarget(target: string, choices?: string[]): string | null {
  const letters = choiceLetters(choices?.length);
  const m = /^\s*[([]?\s*([A-Za-z])\s*[)\].]?\s*$/.exec(target);
  if (m?.[1]) {
    const letter = m[1].toUpperCase();
    if (letters.includes(letter)) return letter;
  }
  if (choices) {
    const wanted = target.trim().toLowerCase();
    const index = choices.findIndex((c) => c.trim().toLowerCase() === wanted);
    if (index >= 0 && index < 26) return ALPHABET[index] ?? null;
  }
  return null;
}

/**
 * Multiple choice: the letter the output chose (see {@link extractChoice}) equals the target letter (see
 * {@link resolveChoiceTarget}). Letters are limited to the sample's number of choices when it has choices, else A–J.
 */
export function choice(): SimpleScorer {
  return (output, sample) => {
    const count = sample.choices?.length;
    const letters = choiceLetters(count);
    const range = `${letters[0]}–${letters[letters.length - 1]}`;
    const targets = targetsOf(sample);
    const wanted = targets.map((t) => resolveChoiceTarget(t, sample.choices)).filter((l): l is string => l !== null);
    const answer = extractChoice(output, count);
    if (wanted.length === 0) {
      return score(false, answer, `target ${quoteList(targets)} is not a choice letter (${range}) or a choice's text`);
    }
    if (answer === null) return score(false, null, `no choice letter (${range}) found in the output`);
    return score(wanted.includes(answer), answer, `expected ${wanted.join(" or ")}`);
  };
}
