import { describe, expect, it } from "vitest";
import {
  exactMatch,
  exactMatchNormalize,
  FLEXIBLE_EXTRACT,
  findall,
  flexibleExtract,
  type Gsm8kFormat,
  gsm8kScorer,
  gsm8kTarget,
  INVALID,
  STRICT_MATCH,
  strictMatch,
} from "../src/scorers/gsm8k.js";

/**
 * Outputs and what lm-evaluation-harness makes of them, worked out from Python `re` semantics (findall, greedy
 * backtracking, `.` refusing only "\n", `$` before a final "\n") and the harness's exact_match with
 * regexes_to_ignore [",", "\$", "(?s).*#### ", "\.$"] and ignore_case. Each row was also run through the harness's
 * own filter and metric code (Python 3.11 `re`, numpy) and agreed.
 * Columns: output, format ("cot" = gsm8k_cot, "hash" = plain gsm8k), target, strict extraction, strict score,
 * flexible extraction, flexible score.
 */
const TABLE: [string, Gsm8kFormat, string, string, number, string, number][] = [
  // plain chain of thought ending the cot way
  ["Natalia sold 48/2 = 24 clips in May. 48 + 24 = 72. The answer is 72.", "cot", "72", "72", 1, "72.", 1],
  // no character after the number: the pattern's final `.` takes the 2, leaving 7
  ["The answer is 72", "cot", "72", "7", 0, "72", 1],
  // thousands separator: ',' is in regexes_to_ignore
  ["So the total is 1,000 dollars. The answer is 1,000.", "cot", "1000", "1,000", 1, "1,000.", 1],
  // '$' is not in the strict class; flexible keeps it and exact_match drops it
  ["The answer is $18.", "cot", "18", "[invalid]", 0, "$18.", 1],
  // a $ amount in the reasoning does not disturb strict-match
  ["She makes 9 * 2 = $18 every day. The answer is 18.", "cot", "18", "18", 1, "18.", 1],
  // decimal with separator on both sides
  ["He pays $1,250.50 in total. The answer is 1,250.50.", "cot", "1250.50", "1,250.50", 1, "1,250.50.", 1],
  // 18.00 is not 18: exact_match compares strings
  ["The answer is 18.00.", "cot", "18", "18.00", 0, "18.00.", 0],
  // negative number
  ["It drops 12 degrees, so the change is -12. The answer is -12.", "cot", "-12", "-12", 1, "-12.", 1],
  // strict takes the FIRST 'The answer is' (5); flexible the last number (6)
  ["The answer is 5. Wait, let me recheck: 2 + 4 = 6. The answer is 6.", "cot", "6", "5.", 0, "6.", 1],
  // numbers after the answer: flexible picks the later 9
  ["The answer is 6. So 3 more apples make 9 in all.", "cot", "6", "6.", 1, "9", 0],
  // no number at all: both [invalid]
  ["I cannot determine the answer.", "cot", "3", "[invalid]", 0, "[invalid]", 0],
  // a colon after 'is' breaks strict-match
  ["The answer is: 42.", "cot", "42", "[invalid]", 0, "42.", 1],
  // Python `.` refuses '\n', so the final `.` takes the 2
  ["The answer is 42\n", "cot", "42", "4", 0, "42", 1],
  // Python `.` accepts '\r' (JavaScript's does not)
  ["The answer is 42\r\nQ:", "cot", "42", "42", 1, "42", 1],
  // strict-match is case-sensitive ('the answer is')
  ["the answer is 7.", "cot", "7", "[invalid]", 0, "7.", 1],
  // '#### N' is not the cot format
  ["So she has 23 - 15 = 8 dollars left.\n#### 8", "cot", "8", "[invalid]", 0, "8", 1],
  // .5 is not 0.5
  ["The answer is .5.", "cot", "0.5", ".5", 0, ".5.", 0],
  // end of text again: the last digit is eaten by `.`
  ["The answer is 3.14159", "cot", "3", "3.1415", 0, "3.14159", 0],
  // no 'The answer is': flexible takes the last number
  ["There are 3 bags with 4 apples each, so 3 x 4 = 12 apples.", "cot", "12", "[invalid]", 0, "12", 1],
  // $5.00 is not 5
  ["The total cost is $3.50 + $1.50 = $5.00", "cot", "5", "[invalid]", 0, "$5.00", 0],
  // flexible-only, separator removed
  ["Total: 12,000", "cot", "12000", "[invalid]", 0, "12,000", 1],
  // a word after the number
  ["The answer is 7 apples.", "cot", "7", "7", 1, "7", 1],
  // a space after the number satisfies `.`
  ["The answer is 10 (ten).", "cot", "10", "10", 1, "10", 1],
  // a single digit still matches flexible's second alternative
  ["Answer: 1.", "cot", "1", "[invalid]", 0, "1.", 1],
  // plain gsm8k format
  ["Janet has 16 - 3 - 4 = 9 eggs.\n#### 9", "hash", "9", "9", 1, "9", 1],
  // a trailing period is removed by '\.$'
  ["16 - 3 - 4 = 9 so she sells 9 * 2 = 18\n#### 18.", "hash", "18", "18.", 1, "18.", 1],
  // '$' before the number: strict has no '$' in its class
  ["#### $1,080", "hash", "1080", "[invalid]", 0, "$1,080", 1],
  // two '####': strict takes the first, flexible the last
  ["#### -3\n#### 5", "hash", "-3", "-3", 1, "5", 0],
  // '####' without a space
  ["####18", "hash", "18", "[invalid]", 0, "18", 1],
  // 0.25 is not 25
  ["The result is 25 cents, or 0.25 dollars.", "hash", "25", "[invalid]", 0, "0.25", 0],
  // no '####' in the plain format
  ["The final answer is 18.", "hash", "18", "[invalid]", 0, "18.", 1],
  // 2.5 is not the string 5/2
  ["#### 2.5", "hash", "5/2", "2.5", 0, "2.5", 0],
  // lower-case 'the answer is' again, flexible right by luck
  ["the answer is 4 and 5", "cot", "5", "[invalid]", 0, "5", 1],
  // negative number matched by the second alternative `-?[0-9]+` (a 1-element tuple)
  ["The temperature fell to -5", "cot", "-5", "[invalid]", 0, "-5", 1],
  // negative with a separator
  ["The answer is -1,200.", "cot", "-1200", "-1,200", 1, "-1,200.", 1],
  // several separators
  ["In all, 1,000,000 grains. The answer is 1,000,000.", "cot", "1000000", "1,000,000", 1, "1,000,000.", 1],
  // a model continuing with a new 'Q:' (no stop sequence honoured)
  ["The answer is 5.\n\nQ: Tom has 9 pens. A: The answer is 9.", "cot", "5", "5", 1, "9.", 0],
  // a lone digit: the tuple ('', '5') gives its first non-empty group
  ["x = 5", "hash", "5", "[invalid]", 0, "5", 1],
];

describe("gsm8k scorer: harness filters and exact_match", () => {
  it.each(TABLE)("%j (%s)", (output, format, target, strict, strictScore, flexible, flexibleScore) => {
    expect(strictMatch(output, format)).toBe(strict);
    expect(flexibleExtract(output)).toBe(flexible);
    expect(exactMatch(strict, target)).toBe(strictScore);
    expect(exactMatch(flexible, target)).toBe(flexibleScore);
  });

  it("the table covers what the brief asks for", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(25);
    expect(TABLE.some(([, , , s]) => s === INVALID)).toBe(true);
    expect(TABLE.some(([o]) => o.includes("$"))).toBe(true);
    expect(TABLE.some(([o]) => o.includes("####"))).toBe(true);
  });

  it("returns both metrics, strict-match first, with the extracted answer", async () => {
    const scorer = gsm8kScorer("cot");
    const scores = await scorer("So 5 + 4 = 9. The answer is 9.", { id: "0", input: "q", target: "9" }, {});
    expect(scores).toEqual([
      { metric: STRICT_MATCH, value: 1, answer: "9" },
      { metric: FLEXIBLE_EXTRACT, value: 1, answer: "9." },
    ]);
    const wrong = (await scorer("The answer is 8.", { id: "1", input: "q", target: "9" }, {})) as {
      value: number;
      explanation?: string;
    }[];
    expect(wrong.map((s) => s.value)).toEqual([0, 0]);
    expect(wrong[0]?.explanation).toContain('"8" ≠ "9"');
    const none = (await scorer("no idea", { id: "2", input: "q", target: "9" }, {})) as { answer: string }[];
    expect(none.map((s) => s.answer)).toEqual([INVALID, INVALID]);
  });

  it("reads the plain format's '#### N' for strict-match", async () => {
    const scores = await gsm8kScorer("hash")("3 * 6 = 18\n#### 18", { id: "0", input: "q", target: "18" }, {});
    expect(scores).toEqual([
      { metric: STRICT_MATCH, value: 1, answer: "18" },
      { metric: FLEXIBLE_EXTRACT, value: 1, answer: "18" },
    ]);
  });
});

describe("gsm8k reference answers", () => {
  it("takes the text after the last '####', stripped (doc_to_target of gsm8k_cot)", () => {
    expect(gsm8kTarget("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72")).toBe("72");
    expect(gsm8kTarget("a #### b\n#### 1,000 \n")).toBe("1,000");
  });

  it("normalizes a whole solution to its final answer, as the plain gsm8k task compares it", () => {
    // The plain task's reference is the full solution; "(?s).*#### " strips the reasoning, "," the separator.
    expect(exactMatchNormalize("She pays 2 * $500 = $<<2*500=1000>>1,000.\n#### 1,000")).toBe("1000");
    expect(exactMatch("1000", "She pays 2 * $500 = $<<2*500=1000>>1,000.\n#### 1,000")).toBe(1);
  });

  it("removes a final '.' also before a trailing newline, as Python's `$` does", () => {
    expect(exactMatchNormalize("18.\n")).toBe("18\n");
    expect(exactMatchNormalize("1.5.")).toBe("1.5");
    expect(exactMatchNormalize("ABC")).toBe("abc");
  });
});

describe("findall", () => {
  it("returns groups, or tuples of groups with '' for groups that did not take part", () => {
    expect(findall(/(-?[$0-9.,]{2,})|(-?[0-9]+)/, "x 5 and 12")).toEqual([
      ["", "5"],
      ["12", ""],
    ]);
    expect(findall(/#### (\d+)/, "#### 3 #### 4")).toEqual(["3", "4"]);
    expect(findall(/\d/, "a1b2")).toEqual(["1", "2"]);
  });
});
