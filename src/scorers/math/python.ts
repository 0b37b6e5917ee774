/**
 * The few Python built-ins whose exact behaviour the reference graders (lm-evaluation-harness, Hendrycks MATH,
 * PRM800K) depend on: `str.strip()`, `str.isspace()`, `str.isalpha()`, `float(str)`, `int(float)` and `str(int)`.
 * Python strings are sequences of code points, so every function here walks code points, not UTF-16 units.
 */

/** Characters for which Python's `str.isspace()` is true (JavaScript's `\s` differs: it has U+FEFF, lacks U+001C–U+001F and U+0085). */
/** Python whitespace as the body of a regex character class. */
export const PY_SPACE =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_SPACE_RE = new RegExp(`^[${PY_SPACE}]$`);
const PY_STRIP_RE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

/** Python `ch.isspace()` for one character. */
export function pyIsSpace(ch: string): boolean {
  return PY_SPACE_RE.test(ch);
}

/** Python `s.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(PY_STRIP_RE, "");
}

/** Python `ch.isalpha()` for one code point: general category L (Lu, Ll, Lt, Lm, Lo). */
export function pyIsAlpha(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

/** Python `ch.isdecimal()` for one code point (what `\d` matches in a Python `str` pattern). */
export function pyIsDecimal(ch: string): boolean {
  return /^\p{Nd}$/u.test(ch);
}

/** The value of a decimal digit of any script: Unicode lays out every run of decimal digits as 0–9 in a row. */
function decimalValue(ch: string): number {
  let cp = ch.codePointAt(0) as number;
  let steps = 0;
  while (steps < 60 && pyIsDecimal(String.fromCodePoint(cp - 1))) {
    cp--;
    steps++;
  }
  return steps % 10;
}

/** ASCII digits for the decimal digits of any script, as Python's `float()` and `int()` read them. */
function asciiDigits(text: string): string {
  let out = "";
  for (const ch of text) out += ch >= "0" && ch <= "9" ? ch : pyIsDecimal(ch) ? String(decimalValue(ch)) : ch;
  return out;
}

const DIGITS = "[0-9](?:_?[0-9])*";
const PY_FLOAT_RE = new RegExp(`^[+-]?(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.?)(?:[eE][+-]?${DIGITS})?$`);

/**
 * Python `float(s)` for a string: the number, or null where Python raises ValueError. Accepts surrounding whitespace,
 * a sign, underscores between digits, decimal digits of any script, and "inf", "infinity" and "nan" in any case.
 */
export function pyFloat(text: string): number | null {
  const s = asciiDigits(pyStrip(text));
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if ((special[2] as string).toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!PY_FLOAT_RE.test(s)) return null;
  return Number(s.replace(/_/g, ""));
}

/** Python `round(x)` for a finite float: to the nearest integer, halves to even. */
export function pyRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Python `str(int(x))` for a finite float: the exact integer, truncated toward zero, in decimal. */
export function pyIntString(x: number): string {
  return BigInt(Math.trunc(x)).toString();
}
