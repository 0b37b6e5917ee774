import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Task } from "../src/core/task.js";
import type { Sample, Score } from "../src/core/types.js";
import { strictMatch } from "../src/scorers/gsm8k.js";
import { BuiltinTaskError } from "../src/tasks/builtin/definition.js";
import { GSM8K_COT_EXEMPLARS, GSM8K_STOP, gsm8k } from "../src/tasks/builtin/gsm8k.js";
import { MATH500_INSTRUCTION, MATH500_SUBJECTS, math500 } from "../src/tasks/builtin/math500.js";

const SHARED = resolve("../shared/datasets");

async function samples(task: Task): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of task.dataset()) out.push(s);
  return out;
}

function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-gsm8k-math-"));
  writeFileSync(join(dir, name), content);
  return dir;
}

describe("bundled data", () => {
  it.each(["gsm8k", "math500"])("%s/test.jsonl has the sha256 its LICENSE-NOTE.md states", (name) => {
    const dir = resolve("data/benchmarks", name);
    const digest = createHash("sha256")
      .update(readFileSync(join(dir, "test.jsonl")))
      .digest("hex");
    expect(readFileSync(join(dir, "LICENSE-NOTE.md"), "utf8")).toContain(digest);
  });
});

describe("gsm8k", () => {
  it("loads the 1,319 test problems with their final answers", async () => {
    const task = gsm8k.create({});
    const all = await samples(task);
    expect(all).toHaveLength(gsm8k.info.samples);
    expect(all.length).toBe(1319);
    // The first test problem (Janet's ducks): 16 - 3 - 4 = 9 eggs sold at $2.
    expect(all[0]).toMatchObject({ id: "0", target: "18" });
    expect(all[0]?.input).toMatch(/^Janet’s ducks lay 16 eggs per day/);
    // Integers, a few written with thousands separators ("2,125"), which exact_match ignores.
    expect(all.every((s) => /^-?[0-9]{1,3}(,?[0-9]{3})*$/.test(s.target as string))).toBe(true);
    const separated = all.find((s) => (s.target as string).includes(",")) as Sample;
    const plain = (separated.target as string).replaceAll(",", "");
    const scores = (await task.scorer(`The answer is ${plain}.`, separated, {})) as Score[];
    expect(scores.map((s) => s.value)).toEqual([1, 1]);
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
  });

  it("cot-8shot sends the harness's eight exemplars as turns, then 'Q: …\\nA:', with its stop sequences", async () => {
    const task = gsm8k.create({});
    expect(task.name).toBe("gsm8k");
    const [first] = await samples(task);
    const { messages, settings } = task.solver(first as Sample);
    expect(messages).toHaveLength(17);
    expect(messages.map((m) => m.role)).toEqual([...Array(8).fill(["user", "assistant"]).flat(), "user"]);
    expect(messages[0]?.content).toBe(
      "Q: There are 15 trees in the grove. Grove workers will plant trees in the grove today. After they are done, " +
        "there will be 21 trees. How many trees did the grove workers plant today?\nA:",
    );
    expect(messages[15]?.content).toBe(GSM8K_COT_EXEMPLARS[7]?.target);
    expect(messages[16]?.content).toBe(`Q: ${first?.input}\nA:`);
    expect(settings?.stop).toEqual(["Q:", "</s>", "<|im_end|>"]);
    expect(task.settings).toMatchObject({ temperature: 0, maxTokens: 256 });
    expect(task.metrics).toEqual(["strict-match", "flexible-extract"]);
  });

  it("has exemplars whose own answers strict-match reads", () => {
    expect(GSM8K_COT_EXEMPLARS.map((e) => strictMatch(e.target, "cot"))).toEqual([
      "6",
      "5",
      "39",
      "8",
      "9",
      "29",
      "33",
      "8",
    ]);
  });

  it("zeroshot sends one 'Question: …\\nAnswer:' turn and strict-match looks for '#### N'", async () => {
    const task = gsm8k.create({ variant: "zeroshot" });
    expect(task.name).toBe("gsm8k-zeroshot");
    const [first] = await samples(task);
    const { messages, settings } = task.solver(first as Sample);
    expect(messages).toEqual([{ role: "user", content: `Question: ${first?.input}\nAnswer:` }]);
    expect(settings?.stop).toEqual(GSM8K_STOP.zeroshot);
    const scores = (await task.scorer("9 * 2 = 18\n#### 18", first as Sample, {})) as Score[];
    expect(scores.map((s) => [s.metric, s.value])).toEqual([
      ["strict-match", 1],
      ["flexible-extract", 1],
    ]);
  });

  it("reads the data from a given folder and names the file and line of a bad record", async () => {
    expect(await samples(gsm8k.create({ path: join(SHARED, "gsm8k") }))).toHaveLength(1319);
    const dir = tempFile("test.jsonl", '{"question": "q", "answer": "#### 1"}\n{"question": "q2", "answer": "2"}\n');
    await expect(samples(gsm8k.create({ path: dir }))).rejects.toThrow(/test\.jsonl:2: field "answer" has no "####"/);
    const missing = tempFile("test.jsonl", '{"question": 3, "answer": "#### 1"}\n');
    await expect(samples(gsm8k.create({ path: missing }))).rejects.toThrow(
      /test\.jsonl:1: field "question" is a number/,
    );
  });

  it("rejects an unknown variant and subjects", () => {
    expect(() => gsm8k.create({ variant: "5shot" })).toThrow(BuiltinTaskError);
    expect(() => gsm8k.create({ variant: "5shot" })).toThrow(/variants: cot-8shot, zeroshot/);
    expect(() => gsm8k.create({ subjects: ["algebra"] })).toThrow(/no subjects/);
  });
});

describe("math500", () => {
  it("loads the 500 problems with subject as category and level kept", async () => {
    const all = await samples(math500.create({}));
    expect(all).toHaveLength(math500.info.samples);
    expect(all.length).toBe(500);
    const first = all[0] as Sample;
    expect(first.id).toBe("test/precalculus/807.json");
    expect(first.target).toBe("\\left( 3, \\frac{\\pi}{2} \\right)");
    expect(first.metadata).toMatchObject({ category: "Precalculus", level: 2 });
    const bySubject = new Map<string, number>();
    for (const s of all)
      bySubject.set(s.metadata?.category as string, (bySubject.get(s.metadata?.category as string) ?? 0) + 1);
    expect([...bySubject.keys()].sort()).toEqual([...MATH500_SUBJECTS].sort());
    expect(all.every((s) => [1, 2, 3, 4, 5].includes(s.metadata?.level as number))).toBe(true);
  });

  it("asks zero-shot for the answer in \\boxed{}", async () => {
    const task = math500.create({});
    const [first] = await samples(task);
    const { messages } = task.solver(first as Sample);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.role).toBe("user");
    expect(messages[0]?.content).toMatch(/^Convert the point \$\(0,3\)\$ in rectangular coordinates/);
    expect(messages[0]?.content.endsWith(`\n\n${MATH500_INSTRUCTION}`)).toBe(true);
    expect(task.metrics).toEqual(["accuracy"]);
    const score = (await task.scorer(
      "… so the point is $\\boxed{(3, \\frac{\\pi}{2})}$.",
      first as Sample,
      {},
    )) as Score;
    expect(score).toMatchObject({ metric: "accuracy", value: 1, answer: "(3, \\frac{\\pi}{2})" });
  });

  it("keeps only the chosen subjects (any case) and names the subjects for an unknown one", async () => {
    const all = await samples(math500.create({}));
    const precalculus = all.filter((s) => s.metadata?.category === "Precalculus").length;
    const chosen = await samples(math500.create({ subjects: ["precalculus", "Number Theory"] }));
    const numberTheory = all.filter((s) => s.metadata?.category === "Number Theory").length;
    expect(chosen).toHaveLength(precalculus + numberTheory);
    expect(() => math500.create({ subjects: ["Calculus"] })).toThrow(/unknown subject "Calculus"; subjects: Algebra/);
    expect(() => math500.create({ variant: "fewshot" })).toThrow(BuiltinTaskError);
  });

  it("names the file, line and field of a malformed record", async () => {
    const good = { problem: "p", solution: "s", answer: "1", subject: "Algebra", level: 1, unique_id: "a" };
    const dir = tempFile("test.jsonl", `${JSON.stringify(good)}\n${JSON.stringify({ ...good, level: 9 })}\n`);
    await expect(samples(math500.create({ path: dir }))).rejects.toThrow(
      /test\.jsonl:2: field "level" is 9: expected an integer from 1 to 5/,
    );
  });
});
