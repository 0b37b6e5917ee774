import { describe, expect, it } from "vitest";
import type { SimpleScorer } from "../src/core/task.js";
import type { Sample, Score } from "../src/core/types.js";
import {
  buildScorer,
  choice,
  exact,
  extractChoice,
  extractNumbers,
  includes,
  lastNumber,
  numeric,
  regex,
  resolveChoiceTarget,
  ScorerConfigError,
  ScorerSpec,
} from "../src/scorers/index.js";

function sample(target: string | string[], choices?: string[]): Sample {
  return choices ? { id: "s", input: "q", target, choices } : { id: "s", input: "q", target };
}

async function run(
  scorer: SimpleScorer,
  output: string,
  target: string | string[],
  choices?: string[],
): Promise<Score> {
  return scorer(output, sample(target, choices));
}

async function value(
  scorer: SimpleScorer,
  output: string,
  target: string | string[],
  choices?: string[],
): Promise<number> {
  return (await run(scorer, output, target, choices)).value;
}

describe("exact", () => {
  it("trims by default and is case-sensitive by default", async () => {
    const s = exact();
    expect(await run(s, "  Paris\n", "Paris")).toEqual({ value: 1, answer: "Paris" });
    expect(await value(s, "paris", "Paris")).toBe(0);
    expect(await value(s, "Paris.", "Paris")).toBe(0);
  });

  it("explains a miss with the expected targets", async () => {
    expect(await run(exact(), "Lyon", ["Paris", "paris"])).toEqual({
      value: 0,
      answer: "Lyon",
      explanation: 'expected "Paris" or "paris"',
    });
  });

  it("matches any of several targets, optionally ignoring case, and can keep whitespace", async () => {
    expect(await value(exact({ ignoreCase: true }), "PARIS", ["Lyon", "paris"])).toBe(1);
    expect(await value(exact({ trim: false }), " Paris", "Paris")).toBe(0);
    expect(await run(exact({ trim: false }), " Paris", " Paris")).toEqual({ value: 1, answer: " Paris" });
  });

  it("compares Unicode-normalized text (composed vs decomposed é)", async () => {
    expect(await value(exact(), "Bogotá", "Bogota\u0301")).toBe(1);
  });
});

describe("includes", () => {
  it("finds a target inside the output, ignoring case by default", async () => {
    expect(await run(includes(), "I believe the capital is PARIS, France.", "Paris")).toEqual({
      value: 1,
      answer: "Paris",
    });
    expect(await value(includes({ ignoreCase: false }), "the capital is PARIS", "Paris")).toBe(0);
  });

  it("accepts any of a list of targets and reports the one found", async () => {
    expect(await run(includes(), "It's Tokio, I think", ["Tokyo", "Tokio"])).toEqual({ value: 1, answer: "Tokio" });
  });

  it("never passes on an empty target (every string contains '')", async () => {
    expect(await run(includes(), "anything", "")).toEqual({
      value: 0,
      answer: null,
      explanation: "the sample has no target to look for",
    });
    expect(await value(includes(), "anything", ["", "  "])).toBe(0);
  });

  it("says what was missing", async () => {
    expect(await run(includes(), "Lyon", "Paris")).toEqual({
      value: 0,
      answer: null,
      explanation: 'the output does not contain "Paris"',
    });
  });
});

describe("regex", () => {
  it("uses group 1 when the pattern has a group, compares case-insensitively and trimmed", async () => {
    const s = regex({ pattern: "Answer:\\s*(.+)" });
    expect(await run(s, "Reasoning...\nAnswer:  paris \nmore", "Paris")).toEqual({ value: 1, answer: "paris" });
    expect(await value(s, "Answer: Lyon", "Paris")).toBe(0);
  });

  it("uses the whole match when the pattern has no group, and the first match only", async () => {
    const s = regex({ pattern: "\\d{4}" });
    expect(await run(s, "Founded 1889, rebuilt 1920", "1889")).toEqual({ value: 1, answer: "1889" });
    expect(await value(s, "Founded 1889, rebuilt 1920", "1920")).toBe(0);
  });

  it("does not count a non-capturing group as a group", async () => {
    const s = regex({ pattern: "(?:final answer|answer) is (\\w+)", flags: "i" });
    expect((await run(s, "The Final Answer is Rome.", "rome")).answer).toBe("Rome");
  });

  it("passes on a match alone when the target is empty or absent", async () => {
    const s = regex({ pattern: "^\\s*\\{.*\\}\\s*$", flags: "s" });
    expect(await value(s, '{"ok": true}', "")).toBe(1);
    expect(await value(s, '{"ok": true}', [])).toBe(1);
    expect(await run(s, "not json", "")).toEqual({
      value: 0,
      answer: null,
      explanation: "no match for /^\\s*\\{.*\\}\\s*$/s",
    });
  });

  it("honours an explicit group and ignores g/y flags (first match wins, no state between calls)", async () => {
    const s = regex({ pattern: "(\\w+)=(\\d+)", group: 2, flags: "gy" });
    expect(await value(s, "a=1 b=2", "1")).toBe(1);
    expect(await value(s, "a=1 b=2", "1")).toBe(1);
  });

  it("scores 0 when the chosen group did not take part in the match", async () => {
    const s = regex({ pattern: "yes|(no)" });
    expect(await run(s, "yes", "no")).toEqual({
      value: 0,
      answer: null,
      explanation: "group 1 of /yes|(no)/ did not match",
    });
  });

  it("rejects an invalid pattern, flag or group when built, not when scoring", () => {
    expect(() => regex({ pattern: "Answer: (" })).toThrow(ScorerConfigError);
    expect(() => regex({ pattern: "Answer: (" })).toThrow(
      /^regex scorer: invalid pattern \/Answer: \(\/: .*Unterminated group/,
    );
    expect(() => regex({ pattern: "a", flags: "q" })).toThrow(/invalid pattern \/a\/q: .*Invalid flags/);
    expect(() => regex({ pattern: "(a)(b)", group: 3 })).toThrow(
      "regex scorer: group 3 does not exist in /(a)(b)/ (it has 2 capture groups)",
    );
  });
});

describe("numeric", () => {
  it("reads numbers as written: signs, thousands, currency, exponents, percentages", () => {
    expect(extractNumbers("x = -3")).toEqual([-3]);
    expect(extractNumbers("total: 1,234.5 units")).toEqual([1234.5]);
    expect(extractNumbers("costs $12.")).toEqual([12]);
    expect(extractNumbers("-$7 and $-8")).toEqual([-7, -8]);
    expect(extractNumbers("3.0e2")).toEqual([300]);
    expect(extractNumbers("about 50% of it")).toEqual([50]);
    expect(extractNumbers("\u22125 (a real minus)")).toEqual([-5]);
    expect(extractNumbers("pages 1-3")).toEqual([1, 3]);
    expect(extractNumbers("H2O and x2 are not numbers; .5 is")).toEqual([0.5]);
    expect(extractNumbers("1,2,3")).toEqual([1, 2, 3]);
    expect(extractNumbers("it was 1,234, then 5")).toEqual([1234, 5]);
    expect(extractNumbers("no digits here")).toEqual([]);
    expect(lastNumber("The answer is 42.")).toBe(42);
  });

  it("scores the LAST number in the output", async () => {
    const s = numeric();
    expect(await run(s, "3 + 4 = 7", "7")).toEqual({ value: 1, answer: "7" });
    expect(await value(s, "The answer is 7, not 3.", "7")).toBe(0);
    expect(await run(s, "Step 1: 2*3=6. Step 2: 6+1=7.\n**Answer: $1,234.50**", "1234.5")).toEqual({
      value: 1,
      answer: "1234.5",
    });
  });

  it("reads the target the same way and accepts any of several", async () => {
    expect(await value(numeric(), "1234", "1,234")).toBe(1);
    expect(await value(numeric(), "about 50%", ["0.5", "50"])).toBe(1);
  });

  it("applies an absolute tolerance (default 1e-6) or a relative one", async () => {
    expect(await value(numeric(), "0.30000000000000004", "0.3")).toBe(1);
    expect(await value(numeric(), "0.3001", "0.3")).toBe(0);
    expect(await value(numeric({ tolerance: 0.01 }), "3.14159", "3.14")).toBe(1);
    expect(await value(numeric({ tolerance: 0.01, relative: true }), "1005", "1000")).toBe(1);
    expect(await value(numeric({ tolerance: 0.01, relative: true }), "1011", "1000")).toBe(0);
    expect(await value(numeric({ tolerance: 0.01, relative: true }), "0", "0")).toBe(1);
  });

  it("explains outputs and targets without numbers", async () => {
    expect(await run(numeric(), "I don't know", "5")).toEqual({
      value: 0,
      answer: null,
      explanation: "no number in the output",
    });
    expect(await run(numeric(), "5", "five")).toEqual({
      value: 0,
      answer: "5",
      explanation: 'no number in the target "five"',
    });
  });

  it("rejects a negative tolerance when built", () => {
    expect(() => numeric({ tolerance: -1 })).toThrow(ScorerConfigError);
  });
});

describe("choice", () => {
  it("reads explicit answer statements in many styles", () => {
    expect(extractChoice("The answer is (B)")).toBe("B");
    expect(extractChoice("Answer: D")).toBe("D");
    expect(extractChoice("**Final answer:** C")).toBe("C");
    expect(extractChoice("After checking, the correct option is A, since…")).toBe("A");
    expect(extractChoice("Therefore the answer is: (c)")).toBe("C");
    expect(extractChoice("The answer is option B.")).toBe("B");
  });

  it("prefers the explicit statement over stray letters, and the last statement over earlier ones", () => {
    expect(extractChoice("Options A and C look plausible, but (A) fails.\nThe answer is C")).toBe("C");
    expect(extractChoice("The answer is B. Wait, re-checking: the answer is D.")).toBe("D");
    expect(extractChoice("I considered (A). Answer: B")).toBe("B");
  });

  it("reads a lone letter or a leading label", () => {
    expect(extractChoice("B")).toBe("B");
    expect(extractChoice("b")).toBe("B");
    expect(extractChoice("B.")).toBe("B");
    expect(extractChoice("(C)")).toBe("C");
    expect(extractChoice("**C**")).toBe("C");
    expect(extractChoice("  D) Jupiter\n")).toBe("D");
  });

  it("falls back to a single marked or standalone letter, reading 'A'/'I' before a word as English", () => {
    expect(extractChoice("Going with **B** here.")).toBe("B");
    expect(extractChoice("I think it is B because A is wrong")).toBeNull(); // two candidates: ambiguous
    expect(extractChoice("I think it must be B")).toBe("B");
    expect(extractChoice("A good guess would be C")).toBe("C");
    expect(extractChoice("(A) is wrong, (B) is wrong.\nSo (D)")).toBe("D");
    expect(extractChoice("(B) Paris, because (A) is wrong")).toBe("B"); // leading label breaks the tie
    expect(extractChoice("B. Paris is the capital; A is wrong")).toBe("B");
  });

  it("does not take words for letters", () => {
    expect(extractChoice("The answer is Berlin")).toBeNull();
    expect(extractChoice("the answer is a tricky one")).toBeNull();
    expect(extractChoice("I don't know")).toBeNull();
    expect(extractChoice("")).toBeNull();
  });

  it("limits letters to the number of choices (else A–J)", () => {
    expect(extractChoice("The answer is E", 4)).toBeNull();
    expect(extractChoice("The answer is E")).toBe("E");
    expect(extractChoice("The answer is K")).toBeNull();
    expect(extractChoice("The answer is E. Hmm, no: C", 4)).toBe("C");
  });

  it("resolves targets written as letters or as the text of a choice, but not as numbers", () => {
    expect(resolveChoiceTarget("b")).toBe("B");
    expect(resolveChoiceTarget(" (C) ")).toBe("C");
    expect(resolveChoiceTarget("Jupiter", ["Mars", "Jupiter"])).toBe("B");
    expect(resolveChoiceTarget("E", ["x", "y"])).toBeNull();
    expect(resolveChoiceTarget("2")).toBeNull();
    expect(resolveChoiceTarget("2", ["1", "2"])).toBe("B");
  });

  it("scores a letter against the target", async () => {
    const s = choice();
    const choices = ["Paris", "Lyon", "Nice"];
    expect(await run(s, "The answer is (A)", "A", choices)).toEqual({ value: 1, answer: "A" });
    expect(await run(s, "The answer is (B)", "A", choices)).toEqual({
      value: 0,
      answer: "B",
      explanation: "expected A",
    });
    expect(await value(s, "Answer: A", "paris", choices)).toBe(1);
    expect(await run(s, "No idea.", "A", choices)).toEqual({
      value: 0,
      answer: null,
      explanation: "no choice letter (A–C) found in the output",
    });
    expect(await run(s, "Answer: A", "1", choices)).toEqual({
      value: 0,
      answer: "A",
      explanation: 'target "1" is not a choice letter (A–C) or a choice\'s text',
    });
  });
});

describe("ScorerSpec and buildScorer", () => {
  it("builds scorers from names and objects", async () => {
    expect(buildScorer("exact").name).toBe("exact");
    const inc = buildScorer({ type: "includes", ignoreCase: false });
    expect(inc.name).toBe("includes");
    expect(await inc.scorer("PARIS", sample("Paris"))).toMatchObject({ value: 0 });
    const re = buildScorer({ type: "regex", pattern: "is (\\w+)" });
    expect(await re.scorer("it is Rome", sample("rome"))).toEqual({ value: 1, answer: "Rome" });
    const num = buildScorer({ type: "numeric", tolerance: 0.5 });
    expect(await num.scorer("about 9.6", sample("10"))).toMatchObject({ value: 1 });
    expect(buildScorer("choice").name).toBe("choice");
  });

  it("explains bad specs", () => {
    const message = (spec: unknown): string => {
      const r = ScorerSpec.safeParse(spec);
      expect(r.success).toBe(false);
      return r.error?.issues.map((i) => i.message).join("; ") ?? "";
    };
    expect(message("regex")).toBe('the regex scorer needs a pattern: write {type: "regex", pattern: "..."}');
    expect(message("fuzzy")).toBe('unknown scorer "fuzzy": expected one of exact, includes, regex, numeric, choice');
    expect(message({ type: "fuzzy" })).toBe(
      'unknown scorer type "fuzzy": expected one of exact, includes, regex, numeric, choice',
    );
    expect(message({ type: "exact", ignorecase: true })).toMatch(/Unrecognized key: "ignorecase"/);
    expect(message({ type: "regex", pattern: "(" })).toMatch(/^regex scorer: invalid pattern \/\(\//);
  });

  it("throws ScorerConfigError from buildScorer for an invalid spec", () => {
    expect(() => buildScorer({ type: "regex", pattern: "[" })).toThrow(ScorerConfigError);
    expect(() => buildScorer({ type: "regex", pattern: "[" })).toThrow(/invalid scorer: .*invalid pattern/s);
  });
});
