/**
 * Character classes that make a JavaScript regular expression behave like Python's `re` on str patterns, for the
 * reference graders ported from Python (MMLU-Pro, CMMLU), whose results must match theirs to the sample.
 *
 * - Python's `\s` is str.isspace(): it includes the information separators U+001C–U+001F and excludes U+FEFF, the
 *   other way round from JavaScript's `\s`.
 * - Python's `\w` (and so `\b`) is Unicode-aware: letters, digits and numerals of every script plus "_", whereas
 *   JavaScript's `\b` only knows [A-Za-z0-9_]. Use {@link PY_WORD} with lookarounds (and the `u` flag) instead.
 * - Python's `.` without DOTALL matches anything but "\n"; JavaScript's also stops at "\r", U+2028 and U+2029. Use
 *   {@link PY_DOT}.
 */

/** Python `\s` (str.isspace()), for use inside a regular expression source. */
export const PY_SPACE = String.raw`[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]`;

/** Python `\w` on str patterns (str.isalnum() or "_"); needs the `u` flag. */
export const PY_WORD = String.raw`[\p{L}\p{N}_]`;

/** Python `.` without re.DOTALL. */
export const PY_DOT = String.raw`[^\n]`;
