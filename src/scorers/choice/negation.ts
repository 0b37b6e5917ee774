/**
 * Whether a letter the output mentions is rejected rather than chosen: "not A", "rather than B", "C is wrong",
 * "A and B are incorrect", "不是A", "排除B", "A选项错误". Only the words right next to the letter count, so "it is
 * not hard: A" still chooses A.
 */

/** Words right before a letter that reject it. Tolerates "option"/"choice" and brackets or bold in between. */
const REJECTED_BEFORE =
  /(?:(?:\b(?:not|never)|n['’]t)\s+(?:choose|pick|select|go\s+with|say|opt\s+for)|\b(?:not|nor|neither|than|except|besides|against|without|excluding|exclude[sd]?|eliminat(?:e|es|ed|ing)|rul(?:e|es|ed|ing)\s+out|rather\s+than|instead\s+of|other\s+than|over)|n['’]t|不是|不选|不能选|不应选|排除|而非|并非|除了|除)[\s*_]*(?:(?:the\s+)?(?:option|choice|answer|letter|选项)[\s*_]*)?[\s*_([【]*$/i;

/** Words right after a letter (or a list of letters: "A and B are …") that reject it. */
const REJECTED_AFTER = new RegExp(
  String.raw`^[\s*_]*[)\]】]?[\s*_]*` +
    // more letters sharing the predicate: "(A), (B) and C are wrong"
    String.raw`(?:\s*(?:,|and|or|&|、|和|与|及)\s*[([【]?\s*[A-Z]\s*[)\]】]?[\s*_]*)*` +
    "(?:" +
    String.raw`(?:is|are|was|were|seems?|looks?|appears?)\s+(?:(?:also|both|all|clearly|definitely|obviously|likely|probably|therefore|thus|simply|certainly)\s+)*(?:wrong|incorrect|false|not|untrue|invalid|eliminated|out|irrelevant|unlikely|implausible|impossible|inaccurate)\b` +
    String.raw`|(?:can|could|should|must)\s+(?:be\s+)?(?:eliminated|ruled\s+out|excluded|discarded)` +
    String.raw`|(?:选项|项)?\s*(?:是|也|都|均)?\s*(?:错误|不正确|不对|错|不符合|不选|可以排除|排除)` +
    ")",
  "i",
);

/** Whether the letter at text[start, end) is rejected by the words around it. */
export function isRejected(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  if (REJECTED_BEFORE.test(before)) return true;
  return REJECTED_AFTER.test(text.slice(end, end + 80));
}

/** Words before a declaration that negate it: "I would not choose A", "don't pick B", "不应选C". */
const NEGATED_DECLARATION = /(?:\b(?:not|never)|n['’]t)\s*$|(?:不|别|勿|未)[应该能要会可以]{0,3}$/i;

export function isNegatedDeclaration(text: string, start: number): boolean {
  return NEGATED_DECLARATION.test(text.slice(Math.max(0, start - 20), start));
}
