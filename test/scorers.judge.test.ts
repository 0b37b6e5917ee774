import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JudgeMissingError, type ScoreContext } from "../src/core/task.js";
import type { ModelRequest, Sample, Score } from "../src/core/types.js";
import {
  comparePairwise,
  extractJsonObjects,
  FASTCHAT_PROMPTS,
  formatTemplate,
  gradeMtBench,
  JUDGE_UNPARSED,
  type JudgePrompt,
  judgeMessages,
  llmRubric,
  type MtBenchPrompts,
  mtBenchJudgeCalls,
  mtBenchPrompts,
  mtBenchQuestion,
  type PairwiseRecord,
  pairwiseComparisons,
  pairwisePrompt,
  parsePairVerdict,
  parseRating,
  parseRubricVerdict,
  RUBRIC_SYSTEM_PROMPT,
  readJudgePrompts,
  requirePrompt,
  TemplateFormatError,
} from "../src/scorers/judge/index.js";
import { ScorerConfigError } from "../src/scorers/starter.js";
import { bradleyTerry } from "../src/stats/bradley-terry.js";

const SHARED_PROMPTS = "/work/shared/datasets/mt_bench/judge_prompts.jsonl";

/** The judge_prompts.jsonl rows exactly as FastChat wrote them (read with JSON.parse, not our reader). */
const RAW_PROMPTS = new Map<string, Record<string, string>>(
  readFileSync(SHARED_PROMPTS, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, string>)
    .map((r) => [r.name as string, r]),
);

function raw(name: string): Record<string, string> {
  const row = RAW_PROMPTS.get(name);
  if (!row) throw new Error(`no ${name} in ${SHARED_PROMPTS}`);
  return row;
}

/** An independent fill for texts without braces: plain replacement of each {field}. */
function naiveFill(template: string, fields: Record<string, string>): string {
  let out = template;
  for (const [k, v] of Object.entries(fields)) out = out.split(`{${k}}`).join(v);
  return out;
}

const prompts = await readJudgePrompts(SHARED_PROMPTS);
const MT: MtBenchPrompts = mtBenchPrompts(prompts, SHARED_PROMPTS);
const PAIR: JudgePrompt = pairwisePrompt(prompts, SHARED_PROMPTS);

/** A judge that records each request and answers from a script. */
function scriptedJudge(answer: (request: ModelRequest, call: number) => string) {
  const requests: ModelRequest[] = [];
  const judge = async (request: ModelRequest): Promise<string> => {
    requests.push(request);
    return answer(request, requests.length);
  };
  return { judge, requests };
}

function byMetric(scores: Score | Score[]): Map<string, Score[]> {
  const map = new Map<string, Score[]>();
  for (const s of Array.isArray(scores) ? scores : [scores]) {
    const key = s.metric ?? "";
    map.set(key, [...(map.get(key) ?? []), s]);
  }
  return map;
}

describe("formatTemplate (Python str.format with named fields)", () => {
  it("fills fields once, keeps values verbatim and unescapes doubled braces", () => {
    expect(formatTemplate("[Q]\n{question}\n[A]\n{answer}", { question: "2+2?", answer: "{answer} }" })).toBe(
      "[Q]\n2+2?\n[A]\n{answer} }",
    );
    expect(formatTemplate("{{literal}} {x}", { x: "1" })).toBe("{literal} 1");
  });

  it("ignores fields the template does not use, like Python", () => {
    expect(formatTemplate("{a}", { a: "1", ref_answer_2: "unused" })).toBe("1");
  });

  it("rejects what Python rejects", () => {
    expect(() => formatTemplate("{missing}", { a: "1" })).toThrow(TemplateFormatError);
    expect(() => formatTemplate("{missing}", { a: "1" })).toThrow(/uses \{missing\}.*given: a/);
    expect(() => formatTemplate("a } b", {})).toThrow(/single "}"/);
    expect(() => formatTemplate("a { b", {})).toThrow(/unclosed/);
    expect(() => formatTemplate("{0}", { 0: "x" })).toThrow(/unsupported replacement field/);
    expect(() => formatTemplate("{toString}", {})).toThrow(/no value/);
  });
});

describe("FastChat judge prompts, filled exactly", () => {
  it("reads every prompt of judge_prompts.jsonl unchanged", () => {
    expect([...prompts.keys()].sort()).toEqual([...RAW_PROMPTS.keys()].sort());
    for (const [name, row] of RAW_PROMPTS) {
      const p = prompts.get(name);
      expect(p?.systemPrompt).toBe(row.system_prompt);
      expect(p?.promptTemplate).toBe(row.prompt_template);
      expect(p?.outputFormat).toBe(row.output_format);
      expect(p?.type).toBe(row.type);
    }
  });

  it("single-v1: the system prompt and the filled template, written out in full", () => {
    const messages = judgeMessages(MT.single, { question: "What is 2+2?", answer: "4" });
    expect(messages).toEqual([
      { role: "system", content: "You are a helpful assistant." },
      {
        role: "user",
        content:
          "[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI " +
          "assistant to the user question displayed below. Your evaluation should consider factors such as the " +
          "helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. Begin your " +
          "evaluation by providing a short explanation. Be as objective as possible. After providing your " +
          'explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", ' +
          'for example: "Rating: [[5]]".\n\n[Question]\nWhat is 2+2?\n\n[The Start of Assistant\'s Answer]\n4\n' +
          "[The End of Assistant's Answer]",
      },
    ]);
  });

  it("single-math-v1-multi-turn: the conversation and both references, written out in full", () => {
    const question: Parameters<typeof mtBenchJudgeCalls>[0] = {
      category: "math",
      questions: ["Q1", "Q2"],
      references: ["R1", "R2"],
    };
    const [, second] = mtBenchJudgeCalls(question, ["A1", "A2"], MT);
    expect(second.prompt.name).toBe("single-math-v1-multi-turn");
    expect(second.request.messages[1]?.content).toBe(
      "<|The Start of Reference Answer|>\n\n### User:\nQ1\n\n### Reference answer:\nR1\n\n### User:\nQ2\n\n" +
        "### Reference answer:\nR2\n\n<|The End of Reference Answer|>\n\n\n" +
        "<|The Start of Assistant A's Conversation with User|>\n\n### User:\nQ1\n\n### Assistant A:\nA1\n\n" +
        "### User:\nQ2\n\n### Assistant A:\nA2\n\n<|The End of Assistant A's Conversation with User|>",
    );
    expect(second.request.messages[0]).toEqual({
      role: "system",
      content: raw("single-math-v1-multi-turn").system_prompt,
    });
    expect(second.request.settings).toEqual({ temperature: 0, maxTokens: 2048 });
  });

  it("uses FastChat's prompt for each category and turn, filled as the templates in the file", () => {
    const answers: [string, string] = ["first answer", "second answer"];
    for (const [category, refs] of [
      ["writing", null],
      ["math", ["ref one", "ref two"]],
      ["reasoning", ["ref one", "ref two"]],
      ["coding", ["ref one", "ref two"]],
      ["humanities", null],
    ] as const) {
      const question = { category, questions: ["question one", "question two"] as [string, string], references: refs };
      const [first, second] = mtBenchJudgeCalls(
        refs ? { ...question, references: [refs[0], refs[1]] } : { ...question, references: null },
        answers,
        MT,
      );
      const names = refs
        ? [FASTCHAT_PROMPTS.singleMath, FASTCHAT_PROMPTS.singleMathMultiTurn]
        : [FASTCHAT_PROMPTS.single, FASTCHAT_PROMPTS.singleMultiTurn];
      expect([first.prompt.name, second.prompt.name]).toEqual(names);
      const refFields: Record<string, string> = refs ? { ref_answer_1: refs[0], ref_answer_2: refs[1] } : {};
      const t1 = raw(names[0] as string);
      const t2 = raw(names[1] as string);
      expect(first.request.messages).toEqual([
        { role: "system", content: t1.system_prompt },
        {
          role: "user",
          content: naiveFill(t1.prompt_template as string, {
            question: "question one",
            answer: "first answer",
            ...refFields,
          }),
        },
      ]);
      expect(second.request.messages).toEqual([
        { role: "system", content: t2.system_prompt },
        {
          role: "user",
          content: naiveFill(t2.prompt_template as string, {
            question_1: "question one",
            question_2: "question two",
            answer_1: "first answer",
            answer_2: "second answer",
            ...refFields,
          }),
        },
      ]);
    }
  });

  it("checks a prompt's type, verdict format and fields before use", () => {
    expect(() =>
      requirePrompt(prompts, "pair-v2", { type: "single", outputFormat: "[[rating]]", fields: [] }, "f.jsonl"),
    ).toThrow(/f.jsonl: judge prompt "pair-v2" has type "pairwise", expected "single"/);
    expect(() =>
      requirePrompt(prompts, "single-v1", { type: "single", outputFormat: "[[rating]]", fields: ["question"] }, "f"),
    ).toThrow(/uses \{answer\}; expected only \{question\}/);
    expect(() => mtBenchPrompts(new Map(), "empty.jsonl")).toThrow(/empty.jsonl: judge prompt "single-v1" not found/);
  });
});

describe("parseRating (FastChat [[rating]] with [rating] fallback)", () => {
  const table: [string, number | null][] = [
    ["Rating: [[7]]", 7],
    ["The answer is fine. Rating: [[8.5]]", 8.5],
    ["[[10]]", 10],
    ["[[1]]", 1],
    ["[[10.0]]", 10],
    ["[[7.]]", 7],
    ["**Rating:** [[6]]**", 6],
    ["Rating: [7]", 7],
    ["[[3]] at first, but on reflection [[8]]", 3],
    ["An early [2] citation, then Rating: [[7]]", 7],
    ["Rating: [[7]] (compare [9])", 7],
    ['As the format says, "Rating: [[5]]"; here: [[9]]', 5],
    ["Rating: 7/10", null],
    ["Rating: [[ 7 ]]", null],
    ["Rating: [[7/10]]", null],
    ["Rating: [[-1]]", null],
    ["Rating: [[seven]]", null],
    ["", null],
    ["[[0]]", null],
    ["[[11]]", null],
    ["As shown in [2023], ...", null],
    ["Rating: [[٧]]", null],
    ["[[9]]\n\nThe response is excellent.", 9],
    ["[1] is a footnote", 1],
  ];
  it.each(table)("%j → %s", (judgment, expected) => {
    const verdict = parseRating(judgment);
    if (expected === null) expect(verdict.ok).toBe(false);
    else expect(verdict).toMatchObject({ ok: true, rating: expected });
  });

  it("says why a verdict did not parse", () => {
    expect(parseRating("[[0]]")).toEqual({ ok: false, why: 'rating 0 in "[[0]]" is outside 1–10' });
    expect(parseRating("great answer")).toMatchObject({ ok: false, why: expect.stringContaining("[[rating]]") });
  });
});

describe("parsePairVerdict (FastChat [[A]] / [[B]] / [[C]])", () => {
  const table: [string, "A" | "B" | "C" | null][] = [
    ["Assistant A is better. [[A]]", "A"],
    ["[[B]]", "B"],
    ["Both are equally good. [[C]]", "C"],
    ['Format: "[[A]]" if A is better... My verdict: [[B]]', "A"],
    ["[[B]] ... [[C]]", "B"],
    ["[A]", null],
    ["Assistant A", null],
    ["[[a]]", null],
    ["", null],
  ];
  it.each(table)("%j → %s", (judgment, expected) => {
    expect(parsePairVerdict(judgment)).toBe(expected);
  });
});

describe("llm-rubric verdicts (promptfoo's JSON contract)", () => {
  const table: [string, { pass: boolean; score: number; reason: string } | null][] = [
    ['{"reason": "greets", "pass": true, "score": 1.0}', { pass: true, score: 1, reason: "greets" }],
    ['```json\n{"reason": "no", "pass": false, "score": 0}\n```', { pass: false, score: 0, reason: "no" }],
    [
      'Here is my grade:\n{"pass": true, "score": 0.8, "reason": "ok"}\nHope this helps {sic}.',
      { pass: true, score: 0.8, reason: "ok" },
    ],
    ["{reason: 'pirate talk', pass: false, score: 0.1}", { pass: false, score: 0.1, reason: "pirate talk" }],
    ["{'pass': True, 'score': 1, 'reason': 'fine',}", { pass: true, score: 1, reason: "fine" }],
    ['{"pass": "yes", "score": "0.7", "reason": "r"}', { pass: true, score: 0.7, reason: "r" }],
    ['{"pass": "no", "reason": "r"}', { pass: false, score: 0, reason: "r" }],
    ['{"score": 0.4, "reason": "partial"}', { pass: true, score: 0.4, reason: "partial" }],
    ['{"pass": false}', { pass: false, score: 0, reason: "" }],
    [
      '{"reason": "uses {braces} and \\"quotes\\"", "pass": true, "score": 1}',
      { pass: true, score: 1, reason: 'uses {braces} and "quotes"' },
    ],
    [
      '{"reason": "line one\nline two", "pass": true, "score": 1}',
      { pass: true, score: 1, reason: "line one\nline two" },
    ],
    ['{"example": 1} then {"pass": false, "score": 0.2, "reason": "x"}', { pass: false, score: 0.2, reason: "x" }],
    ['{"pass": true, "score": 1, "detail": {"a": 1}}', { pass: true, score: 1, reason: "" }],
    ["I think it passes.", null],
    ['{"reason": "forgot the verdict"}', null],
    ['{"pass": true, "score": ', null],
  ];
  it.each(table)("%j", (judgment, expected) => {
    const verdict = parseRubricVerdict(judgment);
    if (expected === null) expect(verdict.ok).toBe(false);
    else expect(verdict).toEqual({ ok: true, ...expected });
  });

  it("applies the threshold as promptfoo does: pass and score ≥ threshold", () => {
    expect(parseRubricVerdict('{"pass": true, "score": 0.7}', 0.8)).toMatchObject({ pass: false, score: 0.7 });
    expect(parseRubricVerdict('{"pass": true, "score": 0.8}', 0.8)).toMatchObject({ pass: true });
    expect(parseRubricVerdict('{"pass": false, "score": 0.9}', 0.8)).toMatchObject({ pass: false });
  });

  it("extractJsonObjects returns top-level objects in order and skips broken ones", () => {
    expect(extractJsonObjects('a {"x": {"y": 1}} b {broken c {"z": 2}')).toEqual([{ x: { y: 1 } }, { z: 2 }]);
    expect(extractJsonObjects("no json here")).toEqual([]);
  });
});

const WRITING: Sample = {
  id: "81",
  input: "Write a blog post.",
  target: [],
  metadata: { category: "writing", turns: ["Write a blog post.", "Rewrite it, every sentence starting with A."] },
};
const MATH: Sample = {
  id: "111",
  input: "Area of the triangle?",
  target: ["The area is 3.", "The circle's area is 5π."],
  metadata: { category: "math", turns: ["Area of the triangle?", "Area of the circumscribed circle?"] },
};

describe("MT-Bench grading", () => {
  it("throws JudgeMissingError without a judge", async () => {
    await expect(gradeMtBench(WRITING, { turns: ["a", "b"] }, MT)).rejects.toBeInstanceOf(JudgeMissingError);
  });

  it("rates both turns and reports their mean, on the 1–10 scale", async () => {
    const { judge, requests } = scriptedJudge((_r, call) =>
      call === 1 ? "Good post. Rating: [[7]]" : "Some sentences miss the A. Rating: [[8.5]]",
    );
    const scores = byMetric(await gradeMtBench(WRITING, { judge, turns: ["post", "A post."] }, MT));
    expect(scores.get("score")?.[0]).toMatchObject({ value: 7.75, answer: "7.75" });
    expect(scores.get("turn1")?.[0]).toMatchObject({ value: 7, answer: "7" });
    expect(scores.get("turn1")?.[0]?.explanation).toContain("Good post.");
    expect(scores.get("turn2")?.[0]).toMatchObject({ value: 8.5 });
    expect(scores.has(JUDGE_UNPARSED)).toBe(false);
    expect(requests.map((r) => r.messages[1]?.content)).toEqual([
      naiveFill(raw("single-v1").prompt_template as string, { question: "Write a blog post.", answer: "post" }),
      naiveFill(raw("single-v1-multi-turn").prompt_template as string, {
        question_1: "Write a blog post.",
        question_2: "Rewrite it, every sentence starting with A.",
        answer_1: "post",
        answer_2: "A post.",
      }),
    ]);
  });

  it("grades math against the reference answers from the sample's target", async () => {
    const { judge, requests } = scriptedJudge(() => "[[2]]");
    await gradeMtBench(MATH, { judge, turns: ["It is 4.", "It is 6π."] }, MT);
    expect(requests[0]?.messages[1]?.content).toContain(
      "[The Start of Reference Answer]\nThe area is 3.\n[The End of Reference Answer]",
    );
    expect(requests[1]?.messages[1]?.content).toContain("### Reference answer:\nThe circle's area is 5π.");
  });

  it("an unreadable verdict gives no score for its turn and no mean, but a counted judge-unparsed score", async () => {
    const { judge } = scriptedJudge((_r, call) => (call === 1 ? "Rating: [[6]]" : "I would give it an eight."));
    const scores = byMetric(await gradeMtBench(WRITING, { judge, turns: ["a", "b"] }, MT));
    expect(scores.has("score")).toBe(false);
    expect(scores.has("turn2")).toBe(false);
    expect(scores.get("turn1")?.[0]?.value).toBe(6);
    const unparsed = scores.get(JUDGE_UNPARSED) ?? [];
    expect(unparsed).toHaveLength(1);
    expect(unparsed[0]?.value).toBe(1);
    expect(unparsed[0]?.explanation).toMatch(/^turn 2 \(single-v1-multi-turn\):/);
    expect(unparsed[0]?.explanation).toContain("I would give it an eight.");
  });

  it("needs both turns' answers and a well-formed sample", async () => {
    const { judge } = scriptedJudge(() => "[[5]]");
    await expect(gradeMtBench(WRITING, { judge, turns: ["only one"] }, MT)).rejects.toThrow(/got 1 answer/);
    expect(() => mtBenchQuestion({ ...MATH, target: [] })).toThrow(/reference answers/);
    expect(() => mtBenchQuestion({ ...WRITING, metadata: { category: "writing" } })).toThrow(/metadata.turns/);
  });
});

const ALPACA: Sample = {
  id: "0",
  input: "What are the names of some famous actors?",
  target: "BASELINE ANSWER",
  metadata: { category: "helpful_base", baseline: "gpt4_1106_preview" },
};

/** A judge whose verdict depends on where the model's answer is shown: `first` when it is A, `second` when B. */
function positionalJudge(first: string, second: string) {
  return scriptedJudge((request) => {
    const user = request.messages[1]?.content ?? "";
    const modelIsA = user.includes("[The Start of Assistant A's Answer]\nMODEL ANSWER\n");
    return modelIsA ? first : second;
  });
}

describe("pairwise comparison in both orders", () => {
  it("throws JudgeMissingError without a judge", async () => {
    await expect(comparePairwise("MODEL ANSWER", ALPACA, {}, PAIR)).rejects.toBeInstanceOf(JudgeMissingError);
  });

  it("asks the judge with the model's answer as A, then as B, with the pair-v2 prompt", async () => {
    const { judge, requests } = positionalJudge("[[A]]", "[[B]]");
    await comparePairwise("MODEL ANSWER", ALPACA, { judge }, PAIR);
    const template = raw("pair-v2").prompt_template as string;
    expect(requests.map((r) => r.messages)).toEqual([
      [
        { role: "system", content: raw("pair-v2").system_prompt },
        {
          role: "user",
          content: naiveFill(template, {
            question: ALPACA.input as string,
            answer_a: "MODEL ANSWER",
            answer_b: "BASELINE ANSWER",
          }),
        },
      ],
      [
        { role: "system", content: raw("pair-v2").system_prompt },
        {
          role: "user",
          content: naiveFill(template, {
            question: ALPACA.input as string,
            answer_a: "BASELINE ANSWER",
            answer_b: "MODEL ANSWER",
          }),
        },
      ],
    ]);
  });

  // [verdict with the model as A, verdict with the model as B, win-rate, outcome]
  const table: [string, string, number, PairwiseRecord["outcome"]][] = [
    ["[[A]]", "[[B]]", 1, "model"],
    ["[[B]]", "[[A]]", 0, "baseline"],
    ["[[C]]", "[[C]]", 0.5, "tie"],
    ["[[A]]", "[[A]]", 0.5, "inconsistent"],
    ["[[B]]", "[[B]]", 0.5, "inconsistent"],
    ["[[A]]", "[[C]]", 0.5, "inconsistent"],
    ["[[C]]", "[[A]]", 0.5, "inconsistent"],
  ];
  it.each(table)("model as A: %s, model as B: %s → %s (%s)", async (first, second, value, outcome) => {
    const { judge } = positionalJudge(first, second);
    const scores = await comparePairwise("MODEL ANSWER", ALPACA, { judge }, PAIR);
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({ metric: "win-rate", value });
    const record = JSON.parse(scores[0]?.answer ?? "") as PairwiseRecord;
    expect(record.outcome).toBe(outcome);
    expect(record.baseline).toBe("gpt4_1106_preview");
    expect(record.orders.map((o) => o.verdict)).toEqual([first.slice(2, 3), second.slice(2, 3)]);
    expect(scores[0]?.explanation).toContain(`order 1 (A = model, B = baseline): ${first}`);
    expect(scores[0]?.explanation).toContain(`order 2 (A = baseline, B = model): ${second}`);
  });

  it("an unreadable order gives no win-rate but a counted judge-unparsed score with the judge's answer", async () => {
    const { judge } = positionalJudge("[[A]]", "Both have merits.");
    const scores = await comparePairwise("MODEL ANSWER", ALPACA, { judge }, PAIR);
    expect(scores.map((s) => s.metric)).toEqual([JUDGE_UNPARSED]);
    expect(scores[0]?.value).toBe(1);
    expect(scores[0]?.explanation).toMatch(/^order 2 \(pair-v2\):.*Both have merits\./s);
  });

  it("gives Bradley–Terry one comparison per judged order", async () => {
    const { judge } = positionalJudge("[[A]]", "[[A]]");
    const [score] = await comparePairwise("MODEL ANSWER", ALPACA, { judge }, PAIR);
    expect(pairwiseComparisons(score?.answer ?? "", "my-model")).toEqual([
      { a: "my-model", b: "gpt4_1106_preview", winner: "a" },
      { a: "my-model", b: "gpt4_1106_preview", winner: "b" },
    ]);
    expect(() => pairwiseComparisons("not json", "m")).toThrow(/not a pairwise record/);
    expect(() => pairwiseComparisons(score?.answer ?? "", "gpt4_1106_preview")).toThrow(/both named/);
  });

  it("feeds bradleyTerry: a model that wins more often against the baseline is rated above it", async () => {
    const comparisons = [];
    // 3 samples won in both orders, 1 lost in both, 1 inconsistent.
    for (const [first, second] of [
      ["[[A]]", "[[B]]"],
      ["[[A]]", "[[B]]"],
      ["[[A]]", "[[B]]"],
      ["[[B]]", "[[A]]"],
      ["[[A]]", "[[A]]"],
    ] as const) {
      const { judge } = positionalJudge(first, second);
      const [score] = await comparePairwise("MODEL ANSWER", ALPACA, { judge }, PAIR);
      comparisons.push(...pairwiseComparisons(score?.answer ?? "", "my-model"));
    }
    const result = bradleyTerry(comparisons, { resamples: 0 });
    const rating = (m: string) => result.ratings.find((r) => r.model === m);
    // 7 of 10 judged orders favour the model: BT's MLE gives P(model beats baseline) = 0.7.
    expect(rating("my-model")?.wins).toBe(7);
    const diff = (rating("my-model")?.rating ?? 0) - (rating("gpt4_1106_preview")?.rating ?? 0);
    expect(1 / (1 + 10 ** (-diff / 400))).toBeCloseTo(0.7, 9);
  });
});

describe("llmRubric", () => {
  const sample: Sample = { id: "s1", input: "Capital of France?", target: "Paris", metadata: { capital: "Paris" } };

  it("throws JudgeMissingError without a judge, and rejects a bad configuration", async () => {
    const scorer = llmRubric({ rubric: "Names the capital" });
    await expect(Promise.resolve(scorer("x", sample, {}))).rejects.toBeInstanceOf(JudgeMissingError);
    expect(() => llmRubric({ rubric: "  " })).toThrow(ScorerConfigError);
    expect(() => llmRubric({ rubric: "{{#open}}" })).toThrow(ScorerConfigError);
    expect(() => llmRubric({ rubric: "ok", threshold: Number.NaN })).toThrow(/threshold/);
  });

  it("sends promptfoo's grading prompt with the rubric filled from the sample, and reports pass and score", async () => {
    const { judge, requests } = scriptedJudge(
      () => '```json\n{"reason": "names Paris", "pass": true, "score": 0.9}\n```',
    );
    const scorer = llmRubric({ rubric: "Names {{capital}} as the capital", threshold: 0.8 });
    const scores = byMetric(await scorer("It is Paris.", sample, { judge } satisfies ScoreContext));
    expect(requests[0]?.messages).toEqual([
      { role: "system", content: RUBRIC_SYSTEM_PROMPT },
      { role: "user", content: "<Output>\nIt is Paris.\n</Output>\n<Rubric>\nNames Paris as the capital\n</Rubric>" },
    ]);
    expect(RUBRIC_SYSTEM_PROMPT).toMatch(/^You are grading output according to a user-specified rubric\./);
    expect(scores.get("pass")?.[0]).toMatchObject({ value: 1, answer: "pass" });
    expect(scores.get("pass")?.[0]?.explanation).toBe("names Paris (score 0.9, threshold 0.8)");
    expect(scores.get("score")?.[0]).toMatchObject({ value: 0.9 });
  });

  it("fails below the threshold even when the judge says pass", async () => {
    const { judge } = scriptedJudge(() => '{"reason": "vague", "pass": true, "score": 0.5}');
    const scores = byMetric(await llmRubric({ rubric: "Is precise", threshold: 0.8 })("x", sample, { judge }));
    expect(scores.get("pass")?.[0]?.value).toBe(0);
    expect(scores.get("score")?.[0]?.value).toBe(0.5);
  });

  it("counts an answer without a grade as judge-unparsed, with no pass or score", async () => {
    const { judge } = scriptedJudge(() => "The output looks good to me.");
    const scores = byMetric(await llmRubric({ rubric: "Is polite" })("x", sample, { judge }));
    expect([...scores.keys()]).toEqual([JUDGE_UNPARSED]);
    expect(scores.get(JUDGE_UNPARSED)?.[0]?.explanation).toContain("The output looks good to me.");
  });

  it("says which rubric field a sample lacks", async () => {
    const { judge } = scriptedJudge(() => '{"pass": true}');
    await expect(
      Promise.resolve(llmRubric({ rubric: "Mentions {{country}}" })("x", sample, { judge })),
    ).rejects.toThrow(/sample s1: the rubric uses \{\{country\}\}/);
  });
});

describe("judge prompt files", () => {
  it("reports a malformed judge_prompts.jsonl with its file and line", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "arbiter-judge-"));
    const file = join(dir, "judge_prompts.jsonl");
    writeFileSync(
      file,
      `${JSON.stringify({ name: "x", type: "single", system_prompt: "s", prompt_template: "t", output_format: "[[rating]]" })}\n` +
        `${JSON.stringify({ name: "y", type: "single", system_prompt: 3, prompt_template: "t", output_format: "o" })}\n`,
    );
    await expect(readJudgePrompts(file)).rejects.toThrow(`${file}:2: judge prompt field "system_prompt" is a number`);
  });
});
