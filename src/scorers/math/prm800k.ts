/**
 * PRM800K's answer grader (openai/prm800k, prm800k/grading/grader.py, `grade_answer(given_answer, ground_truth)`),
 * the reference grader of MATH-500, step for step. An answer is correct when:
 * 1. its Hendrycks/"mathd" normalization equals the ground truth's (hendrycks.ts); or
 * 2. its PRM800K normalization (`_normalize`, below) equals the ground truth's; or
 * 3. both split into the same number of elements — a tuple or interval `(a,b)`, `[a,b)` … is split on commas when
 *    its brackets are the outermost characters and no other bracket occurs, and then its first and last
 *    characters must match the ground truth's — and element by element:
 *    - two fractions `p/q` (integers, `_is_frac`) must be the same string (an unreduced 2/4 is not 1/2);
 *    - otherwise an integer (`_str_is_int`: within 1e-7 of one) never equals a non-integer;
 *    - otherwise `(gt)-(given)` must simplify to 0 (sympy-equal.ts), unless it has more than two distinct letters
 *      (not counting "sqrt" and "frac"), or `^{`, `^(`, `^n^` or an exponent of two or more digits, which PRM800K
 *      refuses to give sympy (it might hang).
 *
 * `_normalize`: unwrap an enclosing `\text{…}`; drop `\%`, `%`, `\$`, `$`; " or " and " and " become commas;
 * "million"/"billion"/"trillion" become `*10^6`/`^9`/`^12`; remove the unit words degree, cm, centimeter, meter,
 * mile, second, minute, hour, day, week, month, year, foot, feet, inch, yard (with "s"/"es" and a `^n` power —
 * anywhere, even inside words) and `^\circ`; unwrap one outer `{…}`; drop `,\!` thousands separators; write a float
 * within 1e-7 of an integer as that integer; turn LaTeX into text with pylatexenc (latex-text.ts; `\frac` gets a
 * space before it so `3\frac12` becomes the mixed number `3+1/2`) and then √ → sqrt, π → pi, ∞ → inf, ∪ → U,
 * · and × → *; glue "- " to "-"; `7 3/4` → `7+3/4`; remove spaces and braces; lower-case; write an integer-valued
 * number (commas as thousands separators allowed) as a plain integer.
 */
import { ENCLOSING_TEXT, normalizeAnswerMathd } from "./hendrycks.js";
import { LatexTextError, latexToText } from "./latex-text.js";
import { pyFloat, pyIntString, pyIsAlpha, pyRound, pyStrip } from "./python.js";
import { sympyDifferenceIsZero } from "./sympy-equal.js";

const UNITS = [
  "degree",
  "cm",
  "centimeter",
  "meter",
  "mile",
  "second",
  "minute",
  "hour",
  "day",
  "week",
  "month",
  "year",
  "foot",
  "feet",
  "inch",
  "yard",
];
const UNIT_RES = UNITS.map((unit) => new RegExp(`${unit}(es)?(s)? *(\\^[0-9]+)?`, "g"));
const TUPLE_CHARS = "()[]";

/** Python `abs(x - int(round(x))) <= 1e-7`, false for inf and nan (where `round` raises). */
function isIntFloat(x: number): boolean {
  return Number.isFinite(x) && Math.abs(x - pyRound(x)) <= 1e-7;
}

/** `_strip_properly_formatted_commas`: "1,234,567" → "1234567", but not the comma of "(1,2)". */
export function stripProperlyFormattedCommas(expr: string): string {
  let s = expr;
  for (;;) {
    const next = s.replace(/(\p{Nd}),(\p{Nd}{3})($|\P{Nd})/gu, "$1$2$3");
    if (next === s) return s;
    s = next;
  }
}

/** `_str_is_int`. */
export function strIsInt(x: string): boolean {
  const value = pyFloat(stripProperlyFormattedCommas(x));
  return value !== null && isIntFloat(value);
}

/** `_is_frac`: an integer over a positive integer, each possibly followed by one more character. */
export function isFrac(expr: string): boolean {
  return /^-?[0-9]+[^\n]?\/0*[1-9][0-9]*[^\n]?(?=\n?$)/u.test(expr);
}

/** `_parse_latex`: pylatexenc's text, then the characters sympy cannot read replaced. */
function parseLatex(expr: string): string {
  let s = expr.replaceAll("\\tfrac", "\\frac").replaceAll("\\dfrac", "\\frac").replaceAll("\\frac", " \\frac");
  s = latexToText(s);
  s = s
    .replaceAll("\u221a", "sqrt")
    .replaceAll("\u03c0", "pi")
    .replaceAll("\u221e", "inf")
    .replaceAll("\u222a", "U")
    .replaceAll("\u00b7", "*")
    .replaceAll("\u00d7", "*");
  return pyStrip(s);
}

/** PRM800K `_normalize`. */
export function normalizePrm800k(input: string): string {
  let expr = input;
  const m = ENCLOSING_TEXT.exec(expr);
  if (m) expr = m[1] as string;
  expr = expr.replaceAll("\\%", "%").replaceAll("\\$", "$").replaceAll("$", "").replaceAll("%", "");
  expr = expr.replaceAll(" or ", " , ").replaceAll(" and ", " , ");
  expr = expr.replaceAll("million", "*10^6").replaceAll("billion", "*10^9").replaceAll("trillion", "*10^12");
  for (const re of UNIT_RES) expr = expr.replace(re, "");
  expr = expr.replace(/\^ *\\circ/g, "");
  if (expr.length > 0 && expr.startsWith("{") && expr.endsWith("}")) expr = expr.slice(1, -1);
  expr = expr.replace(/,\\! */g, "");
  const asFloat = pyFloat(expr);
  if (asFloat !== null && isIntFloat(asFloat)) expr = pyIntString(pyRound(asFloat));
  if (expr.includes("\\")) {
    try {
      expr = parseLatex(expr);
    } catch (err) {
      if (!(err instanceof LatexTextError)) throw err;
    }
  }
  expr = expr.replace(/- */g, "-");
  expr = expr.replace(/([0-9]) +([0-9])/g, "$1+$2");
  expr = expr.replaceAll(" ", "").replaceAll("{", "").replaceAll("}", "");
  expr = expr.toLowerCase();
  if (strIsInt(expr)) expr = pyIntString(pyFloat(expr.replaceAll(",", "")) as number);
  return expr;
}

/** `split_tuple`: the elements of a tuple or interval, or the whole expression. */
export function splitTuple(input: string): string[] {
  const expr = stripProperlyFormattedCommas(input);
  if (expr.length === 0) return [];
  const chars = Array.from(expr);
  const inner = chars.slice(1, -1);
  if (
    chars.length > 2 &&
    TUPLE_CHARS.includes(chars[0] as string) &&
    TUPLE_CHARS.includes(chars[chars.length - 1] as string) &&
    !inner.some((ch) => TUPLE_CHARS.includes(ch))
  ) {
    return inner.join("").split(",").map(pyStrip);
  }
  return [expr];
}

/** `should_allow_eval`: at most two distinct letters (besides sqrt and frac) and no exponent sympy might hang on. */
export function shouldAllowEval(expr: string): boolean {
  const letters = new Set<string>();
  for (const ch of expr.replaceAll("sqrt", "").replaceAll("frac", "")) if (pyIsAlpha(ch)) letters.add(ch);
  if (letters.size > 2) return false;
  if (expr.includes("^{") || expr.includes("^(")) return false;
  return !/\^[0-9]+\^/.test(expr) && !/\^[0-9][0-9]+/.test(expr);
}

/** `are_equal_under_sympy`. */
export function areEqualUnderSympy(groundTruth: string, given: string): boolean {
  if (!shouldAllowEval(`(${groundTruth})-(${given})`)) return false;
  return sympyDifferenceIsZero(groundTruth, given);
}

/** Which rule decided a grade (for explanations). */
export type GradeRule =
  | "mathd-normalized-match"
  | "normalized-match"
  | "equivalent-elements"
  | "no-answer"
  | "empty-answer"
  | "tuple-brackets-differ"
  | "element-count-differs"
  | "fractions-differ"
  | "integer-vs-non-integer"
  | "not-equivalent";

export interface Grade {
  correct: boolean;
  rule: GradeRule;
  /** The PRM800K-normalized forms compared (absent when the mathd forms already matched). */
  normalized?: { given: string; groundTruth: string };
}

/** PRM800K `grade_answer`, with the rule that decided. */
export function gradeAnswerDetailed(given: string | null, groundTruth: string): Grade {
  if (given === null) return { correct: false, rule: "no-answer" };
  if (normalizeAnswerMathd(groundTruth) === normalizeAnswerMathd(given)) {
    return { correct: true, rule: "mathd-normalized-match" };
  }
  const gt = normalizePrm800k(groundTruth);
  const ans = normalizePrm800k(given);
  const normalized = { given: ans, groundTruth: gt };
  if (gt === ans) return { correct: true, rule: "normalized-match", normalized };
  if (ans.length === 0) return { correct: false, rule: "empty-answer", normalized };
  const gtElems = splitTuple(gt);
  const ansElems = splitTuple(ans);
  const [gtChars, ansChars] = [Array.from(gt), Array.from(ans)];
  if (gtElems.length > 1 && (gtChars[0] !== ansChars[0] || gtChars.at(-1) !== ansChars.at(-1))) {
    return { correct: false, rule: "tuple-brackets-differ", normalized };
  }
  if (gtElems.length !== ansElems.length) return { correct: false, rule: "element-count-differs", normalized };
  for (let i = 0; i < gtElems.length; i++) {
    const g = gtElems[i] as string;
    const a = ansElems[i] as string;
    if (isFrac(g) && isFrac(a)) {
      if (g !== a) return { correct: false, rule: "fractions-differ", normalized };
    } else if (strIsInt(g) !== strIsInt(a)) {
      return { correct: false, rule: "integer-vs-non-integer", normalized };
    } else if (!areEqualUnderSympy(g, a)) {
      return { correct: false, rule: "not-equivalent", normalized };
    }
  }
  return { correct: true, rule: "equivalent-elements", normalized };
}

/** PRM800K `grade_answer(given_answer, ground_truth)`. */
export function gradeAnswer(given: string | null, groundTruth: string): boolean {
  return gradeAnswerDetailed(given, groundTruth).correct;
}
