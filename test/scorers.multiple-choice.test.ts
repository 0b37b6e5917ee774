import { describe, expect, it } from "vitest";
import type { Sample, Score } from "../src/core/types.js";
import { PY_SPACE } from "../src/scorers/choice/python-regex.js";
import {
  ACCURACY_METRIC,
  extractChoiceLetter,
  extractCmmluAnswer,
  extractMmluProAnswer,
  letterAt,
  lettersFor,
  multipleChoiceScorer,
  robustExtractor,
  targetLetter,
  UNEXTRACTED_METRIC,
} from "../src/scorers/multiple-choice.js";

const CAPITALS = ["London", "Paris", "Rome", "Berlin"];

/**
 * Generic extractor: output, expected letter (null = nothing readable) and the rule expected to read it. Options are
 * CAPITALS (A London, B Paris, C Rome, D Berlin) unless a case gives others. Expectations were derived by hand from
 * what a careful human grader would read.
 */
const GENERIC: { out: string; want: string | null; rule?: string; choices?: string[]; count?: number }[] = [
  // Bare letters in every dress
  { out: "C", want: "C", rule: "only-letter" },
  { out: "c", want: "C", rule: "only-letter" },
  { out: " (C) ", want: "C", rule: "only-letter" },
  { out: "C.", want: "C", rule: "only-letter" },
  { out: "**C**", want: "C", rule: "only-letter" },
  { out: "[c]", want: "C", rule: "only-letter" },
  { out: "Ｃ", want: "C", rule: "only-letter" },
  // Answer statements
  { out: "Answer: C", want: "C", rule: "statement" },
  { out: "ANSWER: b", want: "B", rule: "statement" },
  { out: "The answer is C", want: "C", rule: "statement" },
  { out: "The answer is (c).", want: "C", rule: "statement" },
  { out: "**Answer:** D", want: "D", rule: "statement" },
  { out: "My final answer is: **(D)**", want: "D", rule: "statement" },
  { out: "Final Answer\nC", want: "C", rule: "statement" },
  { out: "The correct option is C) Rome", want: "C", rule: "statement" },
  { out: "answer: (d)", want: "D", rule: "statement" },
  { out: "The answer is therefore B.", want: "B", rule: "statement" },
  { out: "The answer is $\\boxed{\\text{B}}$", want: "B", rule: "statement" },
  { out: "ＡＮＳＷＥＲ：Ｃ", want: "C", rule: "statement" },
  // The last statement wins: models correct themselves
  { out: "The answer is A. Wait, no. The answer is C.", want: "C", rule: "statement" },
  { out: "A. London\nB. Paris\nC. Rome\nD. Berlin\n\nThe answer is B", want: "B", rule: "statement" },
  // A letter followed by an explanation
  // An option's text repeated after its letter is read as the letter alone ("C) Rome" as "C)")
  { out: "C) Rome", want: "C", rule: "only-letter" },
  { out: "A) 0 is wrong. B) 4 is right.", want: "B", rule: "declaration", choices: ["0", "4", "2", "6"] },
  {
    out: "Option A (0) is impossible; so it must be B (4).",
    want: "B",
    rule: "declaration",
    choices: ["0", "4", "2", "6"],
  },
  { out: "C. Because Rome is the capital of Italy.", want: "C", rule: "leading-label" },
  { out: "D\n\nExplanation: A is wrong because London is in England.", want: "D", rule: "leading-label" },
  { out: "C because the others are wrong", want: "C", rule: "mentioned" },
  // The option's text instead of its letter
  { out: "Paris", want: "B", rule: "option-text" },
  { out: "paris.", want: "B", rule: "option-text" },
  { out: "The answer is Paris.", want: "B", rule: "statement-text" },
  { out: "The capital of France is Paris.", want: "B", rule: "contains-text" },
  { out: "3", want: "C", rule: "option-text", choices: ["1", "2", "3", "4"] },
  { out: "2 + 2 = 4", want: null, choices: ["1", "2", "3", "4"] },
  // Two letters mentioned: the rejected one does not count
  { out: "Not A but C", want: "C", rule: "mentioned" },
  { out: "The answer is not A but C.", want: "C", rule: "mentioned" },
  { out: "C, not A", want: "C", rule: "mentioned" },
  { out: "The answer is neither A nor B, it's C", want: "C", rule: "declaration" },
  { out: "(B) and (D) are both wrong; the right one is (C).", want: "C", rule: "statement" },
  { out: "I would not choose A; B fits better", want: "B", rule: "declaration" },
  { out: "Between B and D, D is more plausible.", want: "D", rule: "declaration" },
  // Declarations
  { out: "I'd go with (B).", want: "B", rule: "declaration" },
  { out: "I choose D.", want: "D", rule: "declaration" },
  { out: "A is the correct answer.", want: "A", rule: "declaration" },
  { out: "Option B is correct.", want: "B", rule: "declaration" },
  { out: "The answer is a bit tricky, but I'd say C", want: "C", rule: "declaration" },
  // English words that look like letters
  { out: "I think the answer is I think B", want: "B", rule: "mentioned", count: 10 },
  { out: "I", want: "I", rule: "only-letter", count: 10 },
  { out: "The answer is I.", want: "I", rule: "statement", count: 10 },
  { out: "A cat is an animal, so B", want: "B", rule: "mentioned" },
  { out: "J. K. Rowling wrote it, so B", want: "B", rule: "mentioned", count: 10 },
  // Chinese
  { out: "答案是C", want: "C", rule: "statement" },
  { out: "答案：C", want: "C", rule: "statement" },
  { out: "答案：（Ｂ）", want: "B", rule: "statement" },
  { out: "正确答案为 B。", want: "B", rule: "statement" },
  { out: "答案选项：C", want: "C", rule: "statement" },
  { out: "我认为答案应该是B", want: "B", rule: "statement" },
  { out: "选C", want: "C", rule: "declaration" },
  { out: "故选：D", want: "D", rule: "declaration" },
  { out: "A选项错误，C选项正确", want: "C", rule: "declaration" },
  { out: "不应选A，B项正确", want: "B", rule: "declaration" },
  { out: "答案不是A，而是C", want: "C", rule: "weak-statement" },
  // Reasoning blocks are skipped
  { out: "<think>A? maybe B</think>\nC", want: "C", rule: "only-letter" },
  // Nothing to read
  { out: "", want: null },
  { out: "None of the above", want: null },
  { out: "A or C? Hard to say.", want: null },
  { out: "A. London\nB. Paris\nC. Rome\nD. Berlin", want: null },
  // Letters beyond the options never count
  { out: "The answer is E", want: null },
  { out: "F", want: null },
];

describe("extractChoiceLetter", () => {
  it("has a table of at least 40 tricky outputs", () => {
    expect(GENERIC.length).toBeGreaterThanOrEqual(40);
  });

  it.each(GENERIC)("reads $out as $want", ({ out, want, rule, choices, count }) => {
    const options = count !== undefined ? { count } : { choices: choices ?? CAPITALS };
    const got = extractChoiceLetter(out, options);
    expect(got.letter).toBe(want);
    expect(got.rule).toBe(want === null ? null : rule);
  });

  it("defaults to letters A–J when neither options nor a count are given", () => {
    expect(extractChoiceLetter("The answer is J").letter).toBe("J");
    expect(extractChoiceLetter("The answer is K").letter).toBeNull();
  });
});

/**
 * MMLU-Pro extractor against hand-traced runs of the authors' three regexes (evaluate_from_api.py): step 1
 * `answer is \(?([A-J])\)?` (first match), step 2 `.*[aA]nswer:\s*([A-J])` (first line with a match, last match on
 * it), step 3 the last standalone A–J under Python's Unicode \b; "**" removed first.
 */
const MMLU_PRO: { out: string; want: string | null; rule?: string }[] = [
  { out: "The answer is (B).", want: "B", rule: "answer-is" },
  { out: "so the answer is C", want: "C", rule: "answer-is" },
  { out: "The answer is **(D)**", want: "D", rule: "answer-is" },
  { out: "the answer is (A ... no", want: "A", rule: "answer-is" },
  { out: "the answer is (A). Later: the answer is (B).", want: "A", rule: "answer-is" },
  { out: "The answer isn't A; the answer is B", want: "B", rule: "answer-is" },
  { out: "The answer is (B).\nAnswer: C", want: "B", rule: "answer-is" },
  // "Answer is" with a capital A is not step 1; the last standalone letter decides
  { out: "The Answer is (C)", want: "C", rule: "last-letter" },
  // "answer is:" is not "answer is " + letter, nor "answer:"
  { out: "The answer is: (E)", want: "E", rule: "last-letter" },
  { out: "Answer: F", want: "F", rule: "answer-colon" },
  { out: "**Answer:** D", want: "D", rule: "answer-colon" },
  { out: "Answer:\nG", want: "G", rule: "answer-colon" },
  { out: "Answer: A\nAnswer: B", want: "A", rule: "answer-colon" },
  { out: "Answer: A. Final answer: B", want: "B", rule: "answer-colon" },
  { out: "First answer: no\nSecond: Answer: E and Answer: F\nAnswer: G", want: "F", rule: "answer-colon" },
  // Step 2 has no "\(?": a bracketed letter after "Answer:" falls to step 3
  { out: "Answer: (F)", want: "F", rule: "last-letter" },
  { out: "Answer: (F), though G is tempting", want: "G", rule: "last-letter" },
  { out: "ANSWER: H", want: "H", rule: "last-letter" },
  { out: "I think it's between A and B, probably B.", want: "B", rule: "last-letter" },
  { out: "Answer: 42, so (C) is not right; the final pick is D", want: "D", rule: "last-letter" },
  // Python's \s includes U+001F but not U+FEFF; its \b is Unicode-aware ("ÉA" is one word)
  { out: "Answer:\u001fC", want: "C", rule: "answer-colon" },
  { out: "Answer:\ufeffC", want: "C", rule: "last-letter" },
  { out: "Final: D, or maybe ÉA", want: "D", rule: "last-letter" },
  // Nothing: lowercase letters and letters past J do not count
  { out: "So the answer is j", want: null },
  { out: "The answer is K", want: null },
  { out: "", want: null },
];

describe("extractMmluProAnswer (MMLU-Pro authors' extraction)", () => {
  it("has a table of at least 20 outputs", () => {
    expect(MMLU_PRO.length).toBeGreaterThanOrEqual(20);
  });

  it("finds in step 2 what the literal regex .*[aA]nswer:\\s*([A-J]) finds, on generated text", () => {
    // Python's `.` is [^\n] and its `\s` is str.isspace(); the extractor avoids the regex's backtracking.
    const literal = new RegExp(`[^\\n]*[aA]nswer:${PY_SPACE}*([A-J])`);
    const pieces = ["Answer:", "answer:", " ", "\n", "\t", "\u001f", "A", "B", "J", "K", "x", "(", "ANSWER:"];
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 3000; i++) {
      let text = "";
      for (let k = Math.floor(next() * 14); k >= 0; k--) text += pieces[Math.floor(next() * pieces.length)];
      const got = extractMmluProAnswer(text);
      if (/answer is \(?[A-J]/.test(text)) continue;
      const want = literal.exec(text)?.[1];
      if (want !== undefined) expect(got, JSON.stringify(text)).toEqual({ letter: want, rule: "answer-colon" });
      else expect(got.rule, JSON.stringify(text)).not.toBe("answer-colon");
    }
  });

  it.each(MMLU_PRO)("reads $out as $want", ({ out, want, rule }) => {
    expect(extractMmluProAnswer(out)).toEqual({ letter: want, rule: want === null ? null : rule });
  });
});

/** CMMLU extractor against hand-traced runs of the authors' `extract_choice` (newlines removed first). */
const CMMLU: { out: string; want: string | null; rule?: string }[] = [
  { out: "B", want: "B", rule: "first-char" },
  { out: "B. 土地", want: "B", rule: "first-char" },
  // The authors trust the first character even when the text goes on to choose another letter
  { out: "A和B都不对，C当选", want: "A", rule: "first-char" },
  { out: "答案是：B", want: "B", rule: "single-match" },
  { out: "正确答案是 C", want: "C", rule: "single-match" },
  { out: "我选择D", want: "D", rule: "single-match" },
  { out: "根据题意，A项正确", want: "A", rule: "single-match" },
  { out: "答案应该是C", want: "C", rule: "single-match" },
  { out: "选项B是正确的", want: "B", rule: "single-match" },
  // "答案：\nD" only matches once the newline is removed
  { out: "分析如下。\n答案：\nD", want: "D", rule: "single-match" },
  { out: "这道题，C和D中D正确", want: "D", rule: "recursive-match" },
  { out: "我认为是B", want: "B", rule: "weak-match" },
  // "不是A" is not a weak match, but A is the only letter mentioned
  { out: "不是A", want: "A", rule: "only-mentioned" },
  // No NFKC in the reference: a full-width letter is not a letter
  { out: "答案：Ｃ", want: null },
  { out: "无法确定", want: null },
  { out: "", want: null },
];

describe("extractCmmluAnswer (CMMLU authors' extraction)", () => {
  it.each(CMMLU)("reads $out as $want", ({ out, want, rule }) => {
    expect(extractCmmluAnswer(out)).toEqual({ letter: want, rule: want === null ? null : rule });
  });
});

function sample(target: string, choices = CAPITALS): Sample {
  return { id: "q1", input: "?", target, choices };
}

function byMetric(scores: Score | Score[]): Record<string, Score> {
  const list = Array.isArray(scores) ? scores : [scores];
  return Object.fromEntries(list.map((s) => [s.metric ?? "", s]));
}

describe("multipleChoiceScorer", () => {
  const scorer = multipleChoiceScorer(robustExtractor, { unextractedNote: "the reference would guess" });

  it("reports accuracy first, then unextracted", async () => {
    const scores = await scorer("The answer is (B).", sample("B"), {});
    expect(Array.isArray(scores) && scores.map((s) => s.metric)).toEqual([ACCURACY_METRIC, UNEXTRACTED_METRIC]);
    const m = byMetric(scores);
    expect(m[ACCURACY_METRIC]).toMatchObject({ value: 1, answer: "B" });
    expect(m[UNEXTRACTED_METRIC]).toMatchObject({ value: 0, answer: "B" });
  });

  it("scores a wrong letter 0 and says what was expected and how the letter was read", async () => {
    const m = byMetric(await scorer("I choose D.", sample("B"), {}));
    expect(m[ACCURACY_METRIC]).toMatchObject({ value: 0, answer: "D" });
    expect(m[ACCURACY_METRIC]?.explanation).toBe("expected B, read D (declaration)");
    expect(m[UNEXTRACTED_METRIC]?.value).toBe(0);
  });

  it("scores an unreadable answer 0, marks it unextracted and adds the note", async () => {
    const m = byMetric(await scorer("I am not sure.", sample("B"), {}));
    expect(m[ACCURACY_METRIC]).toMatchObject({ value: 0, answer: null });
    expect(m[ACCURACY_METRIC]?.explanation).toContain("no answer letter found");
    expect(m[ACCURACY_METRIC]?.explanation).toContain("the reference would guess");
    expect(m[UNEXTRACTED_METRIC]).toMatchObject({ value: 1, answer: null });
  });

  it("limits letters to the sample's options", async () => {
    const m = byMetric(await scorer("E", sample("A"), {}));
    expect(m[UNEXTRACTED_METRIC]?.value).toBe(1);
  });

  it("scores 0 when the sample's target is not one of its letters", async () => {
    const m = byMetric(await scorer("A", sample("Z"), {}));
    expect(m[ACCURACY_METRIC]?.value).toBe(0);
    expect(m[ACCURACY_METRIC]?.explanation).toContain("not one of its option letters");
  });

  it("uses the given extractor (MMLU-Pro's takes the first 'answer is')", async () => {
    const pro = multipleChoiceScorer((out) => extractMmluProAnswer(out));
    const m = byMetric(await pro("the answer is (A). Later: the answer is (B).", sample("B", []), {}));
    expect(m[ACCURACY_METRIC]).toMatchObject({ value: 0, answer: "A" });
  });
});

describe("letters", () => {
  it("maps indices to letters and back", () => {
    expect(letterAt(0)).toBe("A");
    expect(letterAt(12)).toBe("M");
    expect(() => letterAt(26)).toThrow(/at most 26/);
    expect(lettersFor(4)).toBe("ABCD");
    expect(lettersFor()).toBe("ABCDEFGHIJ");
  });

  it("reads a sample's target letter", () => {
    expect(targetLetter(sample(" c "))).toBe("C");
    expect(targetLetter(sample("E"))).toBeNull();
    expect(targetLetter({ id: "x", input: "", target: ["D"] })).toBe("D");
  });
});
