import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JudgeMissingError, type Task } from "../src/core/task.js";
import type { ModelRequest, Sample, Score } from "../src/core/types.js";
import { JUDGE_UNPARSED, type PairwiseRecord } from "../src/scorers/judge/index.js";
import { BuiltinTaskError } from "../src/tasks/builtin/definition.js";
import { MT_BENCH_CATEGORIES, MT_BENCH_FILES, mtBench } from "../src/tasks/builtin/mt-bench.js";
import { ALPACA_EVAL_DATASETS, PAIRWISE_BASELINES, pairwise } from "../src/tasks/builtin/pairwise.js";
import { BUNDLED_BENCHMARKS } from "../src/tasks/builtin/paths.js";

const SHARED = "/work/shared/datasets";
const SHARED_MT = join(SHARED, "mt_bench");
const SHARED_ALPACA = join(SHARED, "alpaca_eval");

async function collect(task: Task): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of task.dataset()) out.push(s);
  return out;
}

function jsonl<T>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** The sha256 SOURCES.md records for a file of the shared datasets. */
function recordedSha(relative: string): string {
  const sources = readFileSync(join(SHARED, "SOURCES.md"), "utf8");
  const row = sources.split("\n").find((l) => l.startsWith(`| ${relative} |`));
  const sha = row?.split("|")[3]?.trim();
  if (!sha) throw new Error(`SOURCES.md has no row for ${relative}`);
  return sha;
}

interface Question {
  question_id: number;
  category: string;
  turns: string[];
}
interface ModelAnswer {
  question_id: number;
  choices: { turns: string[] }[];
}

let savedEnv: string | undefined;
beforeEach(() => {
  savedEnv = process.env.ARBITER_DATASETS;
  delete process.env.ARBITER_DATASETS;
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.ARBITER_DATASETS;
  else process.env.ARBITER_DATASETS = savedEnv;
});

describe("mt_bench data", () => {
  it("bundles FastChat's files unchanged (sha256 as SOURCES.md records)", () => {
    const bundled = join(BUNDLED_BENCHMARKS, "mt_bench");
    for (const [file, source] of [
      [MT_BENCH_FILES.judgePrompts, "mt_bench/judge_prompts.jsonl"],
      [MT_BENCH_FILES.questions, "mt_bench/mt_bench/question.jsonl"],
      [MT_BENCH_FILES.references, "mt_bench/mt_bench/reference_answer/gpt-4.jsonl"],
    ] as const) {
      expect(sha256(join(bundled, file)), file).toBe(recordedSha(source));
    }
    const note = readFileSync(join(bundled, "LICENSE-NOTE.md"), "utf8");
    expect(note).toContain("0e6d3e4beaab66f4d3f93db72541a4abab8af28d");
    expect(note).toContain(recordedSha("mt_bench/mt_bench/question.jsonl"));
  });

  it("has 80 questions of two turns each, in the eight categories, streamed in file order", async () => {
    const task = mtBench.create({});
    const samples = await collect(task);
    const questions = jsonl<Question>(join(SHARED_MT, "mt_bench", "question.jsonl"));
    expect(samples).toHaveLength(80);
    expect(mtBench.info.samples).toBe(samples.length);
    expect(samples.map((s) => s.id)).toEqual(questions.map((q) => String(q.question_id)));
    for (const [i, s] of samples.entries()) {
      const q = questions[i] as Question;
      const solved = task.solver(s);
      expect(solved.messages).toEqual([{ role: "user", content: q.turns[0] }]);
      expect(solved.followUps).toEqual([q.turns[1]]);
      expect(s.metadata).toMatchObject({ category: q.category, turns: q.turns, question_id: q.question_id });
    }
    expect(new Set(samples.map((s) => s.metadata?.category))).toEqual(new Set(MT_BENCH_CATEGORIES));
  });

  it("gives math, reasoning and coding questions the GPT-4 reference answers as target, others none", async () => {
    const samples = await collect(mtBench.create({}));
    const refs = new Map(
      jsonl<ModelAnswer>(join(SHARED_MT, "mt_bench", "reference_answer", "gpt-4.jsonl")).map((r) => [
        String(r.question_id),
        r.choices[0]?.turns,
      ]),
    );
    for (const s of samples) {
      const needsRef = ["math", "reasoning", "coding"].includes(s.metadata?.category as string);
      expect(s.target, s.id).toEqual(needsRef ? refs.get(s.id) : []);
    }
    expect(samples.filter((s) => (s.target as string[]).length === 2)).toHaveLength(refs.size);
  });

  it("samples at FastChat's temperature for each category, with max_tokens 1024", async () => {
    const task = mtBench.create({});
    const expected: Record<string, number> = {
      writing: 0.7,
      roleplay: 0.7,
      extraction: 0,
      math: 0,
      coding: 0,
      reasoning: 0,
      stem: 0.1,
      humanities: 0.1,
    };
    for (const s of await collect(task)) {
      expect(task.solver(s).settings?.temperature, s.id).toBe(expected[s.metadata?.category as string]);
    }
    expect(task.settings).toEqual({ maxTokens: 1024 });
    expect(task.needsJudge).toBe(true);
    expect(task.metrics?.[0]).toBe("score");
  });

  it("keeps only the categories named in subjects, and rejects unknown ones", async () => {
    const samples = await collect(mtBench.create({ subjects: ["math", "roleplay"] }));
    const questions = jsonl<Question>(join(SHARED_MT, "mt_bench", "question.jsonl"));
    expect(samples.map((s) => s.id)).toEqual(
      questions.filter((q) => q.category === "math" || q.category === "roleplay").map((q) => String(q.question_id)),
    );
    expect(() => mtBench.create({ subjects: ["poetry"] })).toThrow(BuiltinTaskError);
    expect(() => mtBench.create({ subjects: ["poetry"] })).toThrow(/unknown category "poetry"; categories: writing/);
  });

  it("reads the same questions from a path laid out as FastChat's data folder", async () => {
    const bundled = await collect(mtBench.create({}));
    const fromPath = await collect(mtBench.create({ path: SHARED_MT }));
    expect(fromPath).toEqual(bundled);
  });

  it("names the file and line of a malformed question or a missing reference", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arbiter-mt-"));
    mkdirSync(join(dir, "mt_bench", "reference_answer"), { recursive: true });
    writeFileSync(join(dir, MT_BENCH_FILES.judgePrompts), readFileSync(join(SHARED_MT, "judge_prompts.jsonl")));
    writeFileSync(join(dir, MT_BENCH_FILES.references), "");
    const questions = join(dir, MT_BENCH_FILES.questions);
    writeFileSync(questions, `${JSON.stringify({ question_id: 1, category: "writing", turns: ["only one"] })}\n`);
    await expect(collect(mtBench.create({ path: dir }))).rejects.toThrow(`${questions}:1: turns must be a list`);
    writeFileSync(
      questions,
      `${JSON.stringify({ question_id: 1, category: "writing", turns: ["a", "b"] })}\n${JSON.stringify({ question_id: 2, category: "math", turns: ["a", "b"] })}\n`,
    );
    await expect(collect(mtBench.create({ path: dir }))).rejects.toThrow(
      `${questions}:2: question 2 (math) has no reference answer`,
    );
  });

  it("fails before any sample when the judge prompts are missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arbiter-mt-"));
    mkdirSync(join(dir, "mt_bench"), { recursive: true });
    writeFileSync(join(dir, MT_BENCH_FILES.questions), readFileSync(join(SHARED_MT, "mt_bench", "question.jsonl")));
    await expect(collect(mtBench.create({ path: dir }))).rejects.toThrow(/judge_prompts\.jsonl: file not found/);
  });
});

function byMetric(scores: Score | Score[]): Record<string, Score> {
  return Object.fromEntries((Array.isArray(scores) ? scores : [scores]).map((s) => [s.metric ?? "", s]));
}

describe("mt_bench scorer round trip with an in-memory judge", () => {
  const gpt4 = new Map(
    jsonl<ModelAnswer>(join(SHARED_MT, "mt_bench", "model_answer", "gpt-4.jsonl")).map((a) => [
      String(a.question_id),
      a.choices[0]?.turns ?? [],
    ]),
  );
  const prompts = new Map(
    jsonl<{ name: string; system_prompt: string; prompt_template: string }>(join(SHARED_MT, "judge_prompts.jsonl")).map(
      (p) => [p.name, p],
    ),
  );

  it("throws JudgeMissingError when the run has no judge", async () => {
    const task = mtBench.create({ subjects: ["writing"] });
    const [sample] = await collect(task);
    await expect(Promise.resolve(task.scorer("a", sample as Sample, { turns: ["a", "b"] }))).rejects.toBeInstanceOf(
      JudgeMissingError,
    );
  });

  it("judges GPT-4's recorded answers with FastChat's prompts and returns score, turn1, turn2 and unparsed", async () => {
    const task = mtBench.create({});
    const samples = await collect(task);
    const requests: ModelRequest[] = [];
    // Ratings cycle through 1..10; every 37th verdict is unreadable.
    const judge = async (request: ModelRequest): Promise<string> => {
      requests.push(request);
      const n = requests.length;
      return n % 37 === 0 ? "No rating given." : `The answer is reasonable.\n\nRating: [[${(n % 10) + 1}]]`;
    };
    let total = 0;
    let unparsed = 0;
    const means: number[] = [];
    for (const sample of samples) {
      const answers = gpt4.get(sample.id) ?? [];
      const before = requests.length;
      const scores = byMetric(await task.scorer(answers[1] ?? "", sample, { judge, turns: answers }));
      total++;
      const [first, second] = requests.slice(before);
      const category = sample.metadata?.category as string;
      const ref = ["math", "reasoning", "coding"].includes(category);
      const p1 = prompts.get(ref ? "single-math-v1" : "single-v1");
      const p2 = prompts.get(ref ? "single-math-v1-multi-turn" : "single-v1-multi-turn");
      const turns = sample.metadata?.turns as string[];
      const refs = sample.target as string[];
      const fill = (t: string, f: Record<string, string>) =>
        Object.entries(f).reduce((out, [k, v]) => out.split(`{${k}}`).join(v), t);
      const refFields: Record<string, string> = ref ? { ref_answer_1: refs[0] ?? "", ref_answer_2: refs[1] ?? "" } : {};
      expect(first?.messages).toEqual([
        { role: "system", content: p1?.system_prompt },
        {
          role: "user",
          content: fill(p1?.prompt_template ?? "", {
            question: turns[0] ?? "",
            answer: answers[0] ?? "",
            ...refFields,
          }),
        },
      ]);
      expect(second?.messages).toEqual([
        { role: "system", content: p2?.system_prompt },
        {
          role: "user",
          content: fill(p2?.prompt_template ?? "", {
            question_1: turns[0] ?? "",
            question_2: turns[1] ?? "",
            answer_1: answers[0] ?? "",
            answer_2: answers[1] ?? "",
            ...refFields,
          }),
        },
      ]);
      const r1 = ((before + 1) % 10) + 1;
      const r2 = ((before + 2) % 10) + 1;
      const bad1 = (before + 1) % 37 === 0;
      const bad2 = (before + 2) % 37 === 0;
      if (bad1 || bad2) {
        unparsed++;
        expect(scores[JUDGE_UNPARSED]?.value).toBe(1);
        expect(scores.score).toBeUndefined();
      } else {
        expect(scores.turn1?.value).toBe(r1);
        expect(scores.turn2?.value).toBe(r2);
        expect(scores.score?.value).toBe((r1 + r2) / 2);
        means.push(scores.score?.value ?? Number.NaN);
      }
    }
    expect(total).toBe(80);
    expect(requests).toHaveLength(160);
    expect(unparsed).toBe(Math.floor(160 / 37));
    expect(means.every((m) => m >= 1 && m <= 10)).toBe(true);
  });
});

describe("pairwise data (AlpacaEval outputs, loaded from a path)", () => {
  const baselineFile = (name: string) => join(SHARED_ALPACA, "results", name, "model_outputs.json");
  const outputs = (name: string) =>
    JSON.parse(readFileSync(baselineFile(name), "utf8")) as {
      dataset: string;
      instruction: string;
      output: string;
      generator: string;
    }[];

  it("is not bundled: without a path or ARBITER_DATASETS it says how to point at the data", () => {
    expect(pairwise.info.bundled).toBe(false);
    expect(() => pairwise.create({})).toThrow(BuiltinTaskError);
    expect(() => pairwise.create({})).toThrow(/ARBITER_DATASETS/);
  });

  it("defaults to AlpacaEval 2.0's reference baseline, gpt4_1106_preview", async () => {
    expect(PAIRWISE_BASELINES[0]).toBe("gpt4_1106_preview");
    const task = pairwise.create({ path: SHARED_ALPACA });
    const samples = await collect(task);
    const rows = outputs("gpt4_1106_preview");
    expect(samples).toHaveLength(rows.length);
    expect(pairwise.info.samples).toBe(rows.length);
    for (const [i, s] of samples.entries()) {
      const row = rows[i];
      expect(s).toEqual({
        id: String(i),
        input: row?.instruction,
        target: row?.output,
        metadata: { category: row?.dataset, baseline: "gpt4_1106_preview" },
      });
    }
    expect(task.solver(samples[0] as Sample).messages).toEqual([{ role: "user", content: rows[0]?.instruction }]);
  });

  it("reads $ARBITER_DATASETS/alpaca_eval, picks a baseline by variant, or takes the outputs file as path", async () => {
    process.env.ARBITER_DATASETS = SHARED;
    const byVariant = await collect(pairwise.create({ variant: "Qwen2-72B-Instruct" }));
    expect(byVariant.map((s) => s.target)).toEqual(outputs("Qwen2-72B-Instruct").map((r) => r.output));
    const byFile = await collect(pairwise.create({ path: baselineFile("Qwen2-72B-Instruct") }));
    expect(byFile).toEqual(byVariant);
    expect(() => pairwise.create({ path: baselineFile("Qwen2-72B-Instruct"), variant: "gpt4_1106_preview" })).toThrow(
      /cannot apply/,
    );
  });

  it("lists the baselines it found when the asked one is missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "arbiter-alpaca-"));
    mkdirSync(join(dir, "results", "my_baseline"), { recursive: true });
    writeFileSync(join(dir, "results", "my_baseline", "model_outputs.json"), "[]");
    expect(() => pairwise.create({ path: dir })).toThrow(/no outputs for baseline "gpt4_1106_preview".*my_baseline/);
  });

  it("keeps only the AlpacaEval datasets named in subjects, with stable ids", async () => {
    const rows = outputs("gpt4_1106_preview");
    const samples = await collect(pairwise.create({ path: SHARED_ALPACA, subjects: ["vicuna", "koala"] }));
    const expected = rows
      .map((r, i) => ({ id: String(i), dataset: r.dataset }))
      .filter((r) => r.dataset === "vicuna" || r.dataset === "koala");
    expect(samples.map((s) => s.id)).toEqual(expected.map((r) => r.id));
    expect(new Set(rows.map((r) => r.dataset))).toEqual(new Set(ALPACA_EVAL_DATASETS));
    expect(() => pairwise.create({ path: SHARED_ALPACA, subjects: ["arena"] })).toThrow(/unknown AlpacaEval dataset/);
  });

  it("names the file and line of a malformed outputs record", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arbiter-alpaca-"));
    const file = join(dir, "model_outputs.jsonl");
    writeFileSync(
      file,
      `${JSON.stringify({ dataset: "oasst", instruction: "Hi", output: "Hello", generator: "b" })}\n` +
        `${JSON.stringify({ dataset: "oasst", instruction: "Hi", output: null, generator: "b" })}\n`,
    );
    await expect(collect(pairwise.create({ path: file }))).rejects.toThrow(`${file}:2: "output" is null`);
  });

  it("round trip: the scorer compares the answer with the baseline's in both orders", async () => {
    const task = pairwise.create({ path: SHARED_ALPACA, variant: "gpt-4o-2024-05-13" });
    const samples = await collect(task);
    const sample = samples[0] as Sample;
    const requests: ModelRequest[] = [];
    // A position-biased judge: always prefers whichever answer is shown first.
    const judge = async (request: ModelRequest) => {
      requests.push(request);
      return "Assistant A is more detailed. [[A]]";
    };
    const scores = await task.scorer("My answer.", sample, { judge, turns: ["My answer."] });
    const list = Array.isArray(scores) ? scores : [scores];
    expect(list).toHaveLength(1);
    expect(list[0]?.value).toBe(0.5);
    const record = JSON.parse(list[0]?.answer ?? "") as PairwiseRecord;
    expect(record).toMatchObject({ baseline: "gpt-4o-2024-05-13", outcome: "inconsistent" });
    expect(requests[0]?.messages[1]?.content).toContain(
      `[The Start of Assistant A's Answer]\nMy answer.\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n${sample.target}\n`,
    );
    expect(requests[1]?.messages[1]?.content).toContain(
      `[The Start of Assistant A's Answer]\n${sample.target}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\nMy answer.\n`,
    );
    await expect(Promise.resolve(task.scorer("x", sample, {}))).rejects.toBeInstanceOf(JudgeMissingError);
  });
});
