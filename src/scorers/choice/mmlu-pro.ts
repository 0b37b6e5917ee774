/**
 * The MMLU-Pro authors' answer extraction, ported exactly (TIGER-AI-Lab/MMLU-Pro, evaluate_from_api.py at commit
 * 2a7ec7e4, the same three steps as evaluate_from_local.py and compute_accuracy.py's "level 2"):
 *
 *   response = response.replace('**', '')
 *   1. re.search(r"answer is \(?([A-J])\)?", text)             -> group 1 (the FIRST match)
 *   2. re.search(r'.*[aA]nswer:\s*([A-J])', text)              -> group 1
 *   3. re.search(r"\b[A-J]\b(?!.*\b[A-J]\b)", text, re.DOTALL) -> the LAST standalone capital A–J
 *   otherwise None.
 *
 * Step 2 has no `\(?` (a later fork, Ollama-MMLU-Pro, added one; the authors' scripts do not). Its `.*` cannot cross
 * a newline, so it finds the first LINE holding "answer:" + letter and, on that line, the last such occurrence;
 * `\s*` may cross newlines. Step 3 uses Python's Unicode `\b`: "éA" has no boundary before the A.
 *
 * When nothing is found, the authors' scripts guess: `random.seed(12345); random.randint(0, len(options) - 1)`
 * (compute_accuracy.py: `random.choice` over A–J), so a failed extraction is right by luck about one time in ten.
 * Arbiter does not guess: an unextracted answer is wrong, and the scorer reports how many there were.
 */
import { PY_SPACE, PY_WORD } from "./python-regex.js";

export type MmluProRule = "answer-is" | "answer-colon" | "last-letter";

export interface MmluProExtraction {
  letter: string | null;
  /** Which of the three steps found the letter; null when none did. */
  rule: MmluProRule | null;
}

const ANSWER_IS = /answer is \(?([A-J])\)?/;
const ANSWER_COLON = /[aA]nswer:/g;
const SPACES_THEN_LETTER = new RegExp(`${PY_SPACE}*([A-J])`, "y");
/** A standalone A–J under Python's Unicode `\b`; the last one is step 3's answer. */
const STANDALONE = new RegExp(`(?<!${PY_WORD})[A-J](?!${PY_WORD})`, "gu");

export function extractMmluProAnswer(output: string): MmluProExtraction {
  const text = output.replaceAll("**", "");
  const first = ANSWER_IS.exec(text);
  if (first?.[1]) return { letter: first[1], rule: "answer-is" };
  const colon = answerColon(text);
  if (colon !== null) return { letter: colon, rule: "answer-colon" };
  let last: string | null = null;
  for (const m of text.matchAll(STANDALONE)) last = m[0];
  return last === null ? { letter: null, rule: null } : { letter: last, rule: "last-letter" };
}

/**
 * Step 2 without the regex's quadratic backtracking on long lines, with the same result: `.*` cannot cross a newline,
 * so `re.search` succeeds from the start of the first line holding an "answer:" followed (after any whitespace, which
 * may span lines) by A–J, and greedy `.*` picks the last such "answer:" on that line.
 */
function answerColon(text: string): string | null {
  let line = -1;
  let found: string | null = null;
  for (const m of text.matchAll(ANSWER_COLON)) {
    const at = m.index ?? 0;
    const lineStart = text.lastIndexOf("\n", at - 1);
    if (found !== null && lineStart !== line) break;
    SPACES_THEN_LETTER.lastIndex = at + m[0].length;
    const letter = SPACES_THEN_LETTER.exec(text)?.[1];
    if (letter === undefined) continue;
    line = lineStart;
    found = letter;
  }
  return found;
}
