/**
 * The CMMLU authors' answer extraction for generated answers, ported exactly (haonan-li/CMMLU, src/mp_utils.py
 * `extract_choice` at commit 154f1c3f, applied by `get_results` to every saved response). Their chat-model scripts
 * (src/chatgpt.py) save each response with "\n" removed, so extraction runs on that text:
 *
 * 0. the response's first character is A, B, C or D;
 * 1. the first of twelve "single match" patterns that matches (答案是C, 答案为选项C, 选C, C项正确, 正确选项是C, …);
 * 2. "recursive match": `([ABCD])(.*?)当选`, then `([ABCD])(.*?)正确`: the letter nearest before the first 当选 / 正确;
 * 3. "weak single match": `[^不]是：? ?([ABCD])`;
 * 4. the response mentions exactly one of A, B, C, D (possibly several times).
 *
 * Otherwise the authors pick a random letter "to ensure fair comparison to other models". Arbiter does not guess: the
 * answer is unextracted and scored wrong, and the scorer counts such answers.
 */
import { PY_DOT } from "./python-regex.js";

export type CmmluRule = "first-char" | "single-match" | "recursive-match" | "weak-match" | "only-mentioned";

export interface CmmluExtraction {
  letter: string | null;
  rule: CmmluRule | null;
}

const CHOICES = ["A", "B", "C", "D"];

/** Pattern and the capture group holding the letter, in the authors' order. */
const SINGLE: [RegExp, number][] = [
  [/答案(选项)?(是|为)：? ?([ABCD])/, 3],
  [/答案(是|为)选项 ?([ABCD])/, 2],
  [/故?选择?：? ?([ABCD])/, 1],
  [/([ABCD]) ?选?项(是|为)?正确/, 1],
  [/正确的?选项(是|为) ?([ABCD])/, 2],
  [/答案(应该)?(是|为)([ABCD])/, 3],
  [/选项 ?([ABCD]) ?(是|为)?正确/, 1],
  [/选择答案 ?([ABCD])/, 1],
  [/答案?：?([ABCD])/, 1],
  [/([ABCD])(选?项)?是?符合题意/, 1],
  [/答案选项：? ?([ABCD])/, 1],
  [new RegExp(`答案(选项)?为(${PY_DOT}*?)([ABCD])`), 3],
];

const RECURSIVE: RegExp[] = [new RegExp(`([ABCD])(${PY_DOT}*?)当选`), new RegExp(`([ABCD])(${PY_DOT}*?)正确`)];

const WEAK = /[^不]是：? ?([ABCD])/;

const ONLY_ONE = /^[^ABCD]*([ABCD])[^ABCD]*$/;

export function extractCmmluAnswer(output: string): CmmluExtraction {
  const response = output.replaceAll("\n", "");
  const head = response[0];
  if (head !== undefined && CHOICES.includes(head)) return { letter: head, rule: "first-char" };
  for (const [pattern, group] of SINGLE) {
    const letter = pattern.exec(response)?.[group];
    if (letter) return { letter, rule: "single-match" };
  }
  for (const pattern of RECURSIVE) {
    let m = pattern.exec(response);
    if (!m) continue;
    // The authors search again inside the match minus its first character, until nothing matches: the letter kept
    // is the last one before the keyword.
    let letter = "";
    while (m) {
      letter = m[1] ?? "";
      m = pattern.exec(m[0].slice(1));
    }
    return { letter, rule: "recursive-match" };
  }
  const weak = WEAK.exec(response)?.[1];
  if (weak) return { letter: weak, rule: "weak-match" };
  const only = ONLY_ONE.exec(response)?.[1];
  if (only) return { letter: only, rule: "only-mentioned" };
  return { letter: null, rule: null };
}
