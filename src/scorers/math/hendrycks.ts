/**
 * The MATH answer normalization of Hendrycks et al. 2021 (github.com/hendrycks/math, modeling/math_equivalence.py:
 * `_strip_string` and `is_equiv`) and PRM800K's copy of it (openai/prm800k, prm800k/grading/math_normalize.py:
 * `normalize_answer`), step for step, including where they raise: a Python exception inside `_strip_string` makes
 * `is_equiv` compare the raw strings and `normalize_answer` return its (stripped, un-\text-ed) input.
 *
 * The two copies differ in one line: Hendrycks removes every "%", PRM800K removes only "\%" (its second replace,
 * `"\%"`, is the same two characters as its first).
 */
import { pyStrip } from "./python.js";

export type StripFlavour = "hendrycks" | "prm800k";

/** Where the Python original raises (IndexError on an empty piece, a failed assert). */
export class PythonError extends Error {
  override name = "PythonError";
}

/** The first code point of a string, as Python's `s[0]` (raises on an empty string). */
function first(s: string): string {
  const cp = s.codePointAt(0);
  if (cp === undefined) throw new PythonError("IndexError: string index out of range");
  return String.fromCodePoint(cp);
}

/** Python `s[n:]` in code points. */
function from(s: string, n: number): string {
  return Array.from(s).slice(n).join("");
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `\frac1b` → `\frac{1}{b}`, `\frac1{72}` → `\frac{1}{72}`; a one-character tail gives up (returns the input). */
function fixFracs(s: string): string {
  const parts = s.split("\\frac");
  let out = parts[0] as string;
  for (const part of parts.slice(1)) {
    out += "\\frac";
    if (first(part) === "{") {
      out += part;
      continue;
    }
    if (codePointLength(part) < 2) return s;
    const a = first(part);
    const rest = from(part, 1);
    const b = first(rest);
    out += b !== "{" ? `{${a}}{${b}}${from(part, 2)}` : `{${a}}${b}${from(part, 2)}`;
  }
  return out;
}

/** "3/4" → "\frac{3}{4}" when both sides are canonical integers (Python: `string == "{}/{}".format(int(a), int(b))`). */
function fixASlashB(s: string): string {
  const m = /^(0|-?[1-9][0-9]*)\/(0|-?[1-9][0-9]*)$/.exec(s);
  return m ? `\\frac{${m[1]}}{${m[2]}}` : s;
}

/** "10\text{ units}" → "10"; more than one "\text{ " is a failed assert in the original. */
function removeRightUnits(s: string): string {
  if (!s.includes("\\text{ ")) return s;
  const parts = s.split("\\text{ ");
  if (parts.length !== 2) throw new PythonError("AssertionError: several \\text{ units}");
  return parts[0] as string;
}

/** `\sqrt3` → `\sqrt{3}`. */
function fixSqrt(s: string): string {
  if (!s.includes("\\sqrt")) return s;
  const parts = s.split("\\sqrt");
  let out = parts[0] as string;
  for (const part of parts.slice(1)) {
    const a = first(part);
    out += a !== "{" ? `\\sqrt{${a}}${from(part, 1)}` : `\\sqrt${part}`;
  }
  return out;
}

/** `_strip_string`. Throws {@link PythonError} where the original raises. */
export function stripString(input: string, flavour: StripFlavour = "hendrycks"): string {
  let s = input.replaceAll("\n", "");
  s = s.replaceAll("\\!", "");
  s = s.replaceAll("\\\\", "\\");
  s = s.replaceAll("tfrac", "frac").replaceAll("dfrac", "frac");
  s = s.replaceAll("\\left", "").replaceAll("\\right", "");
  s = s.replaceAll("^{\\circ}", "").replaceAll("^\\circ", "");
  s = s.replaceAll("\\$", "");
  s = removeRightUnits(s);
  s = s.replaceAll("\\%", "");
  if (flavour === "hendrycks") s = s.replaceAll("%", "");
  s = s.replaceAll(" .", " 0.").replaceAll("{.", "{0.");
  if (s.length === 0) return s;
  if (s[0] === ".") s = `0${s}`;
  const sides = s.split("=");
  if (sides.length === 2 && codePointLength(sides[0] as string) <= 2) s = sides[1] as string;
  s = fixSqrt(s);
  s = s.replaceAll(" ", "");
  s = fixFracs(s);
  if (s === "0.5") s = "\\frac{1}{2}";
  return fixASlashB(s);
}

/** Hendrycks `is_equiv`: equal after `_strip_string`, or (if that raises) equal as given. */
export function isEquivHendrycks(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === null && b === null;
  try {
    return stripString(a, "hendrycks") === stripString(b, "hendrycks");
  } catch (err) {
    if (err instanceof PythonError) return a === b;
    throw err;
  }
}

/** Python `^\\text\{(?P<text>.+?)\}$`: `.` stops at "\n", `$` also matches before a final "\n". */
export const ENCLOSING_TEXT = /^\\text\{([^\n]+?)\}(?=\n?$)/;

/** PRM800K `math_normalize.normalize_answer`. */
export function normalizeAnswerMathd(answer: string | null): string | null {
  if (answer === null) return null;
  let s = pyStrip(answer);
  try {
    const m = ENCLOSING_TEXT.exec(s);
    if (m) s = pyStrip(m[1] as string);
    return stripString(s, "prm800k");
  } catch (err) {
    if (err instanceof PythonError) return s;
    throw err;
  }
}
