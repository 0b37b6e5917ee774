/**
 * Python `str` and `re` semantics the IFEval checker relies on, reproduced for JavaScript strings.
 *
 * The official checker is Python: its regexes are Unicode-aware (`\w` is any letter, digit or "_"; `\s` is any
 * character for which `str.isspace()` holds; `.` excludes only "\n"), `strip()`/`split()` use the same whitespace, and
 * `isupper()`/`islower()` look at the Unicode case properties of every character. JavaScript's `\w`, `\b`, `\d` are
 * ASCII-only, `.` also excludes "\r" and "\u2028", and `trim()` strips U+FEFF, so every check uses these helpers
 * instead of the built-ins.
 */

/** Characters for which Python's `str.isspace()` is true (the `\s` of a Python `str` pattern), as a class body. */
export const PY_SPACE_CLASS =
  "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/** Python's `\w` for `str` patterns (alphanumeric or underscore), as a class body for a `u`-flag RegExp. */
export const PY_WORD_CLASS = "\\p{L}\\p{N}_";

/** Python's `\d` for `str` patterns (Unicode decimal digits). */
export const PY_DIGIT_CLASS = "\\p{Nd}";

const SPACE_RE = new RegExp(`[${PY_SPACE_CLASS}]`, "u");
const LEADING_SPACE = new RegExp(`^[${PY_SPACE_CLASS}]+`, "u");
const TRAILING_SPACE = new RegExp(`[${PY_SPACE_CLASS}]+$`, "u");
const SPACE_RUNS = new RegExp(`[${PY_SPACE_CLASS}]+`, "u");

export function isPySpace(char: string): boolean {
  return SPACE_RE.test(char);
}

/** `s.strip()` (no argument) or `s.strip(chars)`. */
export function pyStrip(s: string, chars?: string): string {
  return pyRstrip(pyLstrip(s, chars), chars);
}

/** `s.lstrip()` or `s.lstrip(chars)`. */
export function pyLstrip(s: string, chars?: string): string {
  if (chars === undefined) return s.replace(LEADING_SPACE, "");
  const set = new Set(Array.from(chars));
  const points = Array.from(s);
  let start = 0;
  while (start < points.length && set.has(points[start] as string)) start++;
  return points.slice(start).join("");
}

/** `s.rstrip()` or `s.rstrip(chars)`. */
export function pyRstrip(s: string, chars?: string): string {
  if (chars === undefined) return s.replace(TRAILING_SPACE, "");
  const set = new Set(Array.from(chars));
  const points = Array.from(s);
  let end = points.length;
  while (end > 0 && set.has(points[end - 1] as string)) end--;
  return points.slice(0, end).join("");
}

/** `s.split()` with no argument: the non-empty runs between whitespace. */
export function pySplitWhitespace(s: string): string[] {
  return s.split(SPACE_RUNS).filter((part) => part !== "");
}

const LOWER = /[\p{Lowercase}\p{Lt}]/u;
const UPPER = /[\p{Uppercase}\p{Lt}]/u;
const HAS_UPPER = /\p{Uppercase}/u;
const HAS_LOWER = /\p{Lowercase}/u;

/** `s.isupper()`: at least one upper-case character and no lower-case or title-case one. */
export function pyIsUpper(s: string): boolean {
  return HAS_UPPER.test(s) && !LOWER.test(s);
}

/** `s.islower()`: at least one lower-case character and no upper-case or title-case one. */
export function pyIsLower(s: string): boolean {
  return HAS_LOWER.test(s) && !UPPER.test(s);
}

/** The number of code points (Python's `len(s)`). */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const WORD_RUN = new RegExp(`[${PY_WORD_CLASS}]+`, "gu");

/** `len(re.findall(r"\w+", s))`: nltk's `RegexpTokenizer(r"\w+")`, which IFEval uses to count words. */
export function countWordTokens(s: string): number {
  let n = 0;
  for (const _ of s.matchAll(WORD_RUN)) n++;
  return n;
}

/** Thrown for a Python regex that this port cannot reproduce exactly (rather than silently matching differently). */
export class PythonRegexError extends Error {
  override name = "PythonRegexError";
}

const CLASS_ESCAPES: Record<string, string> = {
  w: `[${PY_WORD_CLASS}]`,
  W: `[^${PY_WORD_CLASS}]`,
  d: `[${PY_DIGIT_CLASS}]`,
  D: `[^${PY_DIGIT_CLASS}]`,
  s: `[${PY_SPACE_CLASS}]`,
  S: `[^${PY_SPACE_CLASS}]`,
  b: `(?:(?<=[${PY_WORD_CLASS}])(?![${PY_WORD_CLASS}])|(?<![${PY_WORD_CLASS}])(?=[${PY_WORD_CLASS}]))`,
  B: `(?:(?<=[${PY_WORD_CLASS}])(?=[${PY_WORD_CLASS}])|(?<![${PY_WORD_CLASS}])(?![${PY_WORD_CLASS}]))`,
};

/** Escapes JavaScript accepts in a `u`-flag pattern with the same meaning as in Python. */
const SAME_ESCAPES = new Set(["t", "n", "r", "f", "v", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "x", "u"]);
const SYNTAX_CHARS = new Set(Array.from("^$\\.*+?()[]{}|/"));

/**
 * Translates a Python `re` pattern (as IFEval passes keywords, forbidden words and section markers to `re`) into
 * JavaScript RegExp source for the `u` flag with the same matches. Plain words, the usual operators, and `\w \W \d \D
 * \s \S \b \B` outside character classes are supported; anything whose meaning would differ (named groups, inline
 * flags, comments, `\A`, `\Z`, class escapes inside `[...]`, `$` before a final newline) throws
 * {@link PythonRegexError}. With `multiline`, `^` and `$` follow Python's `re.MULTILINE` (only "\n" ends a line).
 */
export function pythonRegexSource(pattern: string, options: { multiline?: boolean } = {}): string {
  let out = "";
  let inClass = false;
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === "\\") {
      const next = chars[i + 1];
      if (next === undefined) throw new PythonRegexError(`pattern ${JSON.stringify(pattern)} ends with a backslash`);
      i++;
      if (!inClass && CLASS_ESCAPES[next] !== undefined) {
        out += CLASS_ESCAPES[next];
      } else if (SAME_ESCAPES.has(next)) {
        out += `\\${next}`;
      } else if (/[\p{L}\p{N}]/u.test(next)) {
        throw new PythonRegexError(
          `pattern ${JSON.stringify(pattern)}: the escape \\${next} is not supported by the IFEval port`,
        );
      } else if (inClass) {
        out += "]\\^-".includes(next) ? `\\${next}` : next;
      } else {
        out += SYNTAX_CHARS.has(next) ? `\\${next}` : next;
      }
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c === "[" ? "\\[" : c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (chars[i + 1] === "^") {
        out += "^";
        i++;
      }
      // A "]" right after "[" or "[^" is a literal in Python.
      if (chars[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && chars[i + 1] === "?") {
      const kind = chars[i + 2];
      if (kind !== ":" && kind !== "=" && kind !== "!" && !(kind === "<" && /[=!]/.test(chars[i + 3] ?? ""))) {
        throw new PythonRegexError(
          `pattern ${JSON.stringify(pattern)}: the group syntax "(?${kind ?? ""}" is not supported by the IFEval port`,
        );
      }
    }
    if (c === ".") {
      out += "[^\\n]";
      continue;
    }
    if (c === "$") {
      // Python's $ also matches before a final newline (with MULTILINE: before any newline).
      out += options.multiline ? "(?=\\n|$)" : "(?=\\n?$)";
      continue;
    }
    if (c === "^" && options.multiline) {
      out += "(?:^|(?<=\\n))";
      continue;
    }
    if (c === "/") {
      out += "\\/";
      continue;
    }
    out += c;
  }
  if (inClass) throw new PythonRegexError(`pattern ${JSON.stringify(pattern)} has an unterminated character class`);
  return out;
}

/** A Python pattern compiled for JavaScript (flags: "u" plus the given ones). Throws {@link PythonRegexError}. */
export function compilePythonRegex(pattern: string, flags = "", options: { multiline?: boolean } = {}): RegExp {
  const source = pythonRegexSource(pattern, options);
  try {
    return new RegExp(source, `u${flags}`);
  } catch (err) {
    throw new PythonRegexError(
      `pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${err instanceof Error ? err.message : err}`,
    );
  }
}
