import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compareCommand } from "../src/cli/commands/compare.js";
import { UsageError } from "../src/cli/errors.js";
import { benjaminiHochberg, holm } from "../src/stats/multiple.js";
import { mcnemarExact, pairedPermutationTest } from "../src/stats/paired.js";
import type { Store } from "../src/store/store.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { configText, echoAnswer, openTestStore, run, specFor, workspace } from "./support/run-fixture.js";

let server: ProtocolServer;
let store: Store;
let dir: string;
let db: string;
/** model-a and model-b on tasks qa and qa2 (the same 40 questions); model-b is wrong on s0, s5, s10, … */
let both: string;
/** model-b again, improved (wrong only on s0, s10, …), on a seeded random 15 of the 40 questions of qa. */
let improved: string;
/** model-b on another dataset under the same task name: ids x0…x9, no sample in common with the others. */
let other: string;
/** model-a and model-b over 3 epochs of qa's first 20 questions; model-b is wrong twice in 3 on even questions. */
let epochs: string;

const index = (q: string) => Number(q.replace(/^[a-z]/, ""));
const oldWrong = (i: number) => i % 5 === 0;
const newWrong = (i: number) => i % 10 === 0;

beforeAll(async () => {
  server = await startProtocolServer({
    respond: (req) => {
      const q = req.messages.at(-1)?.content ?? "";
      return { text: req.model === "model-b" && oldWrong(index(q)) ? "wrong" : echoAnswer(req.messages) };
    },
  });
  const ws = workspace(40);
  dir = ws.dir;
  db = join(dir, "arbiter.db");
  store = await openTestStore(dir);
  const qa2 = `  - name: qa2
    data: qa.jsonl
    prompt: "{{question}}"
    target: "{{answer}}"
    scorer: exact
`;
  const two = ["fake/model-a", "fake/model-b"];
  both = (await run(specFor(dir, configText(server.url, qa2), { models: two }), store)).runId;

  server.setResponder((req) => {
    const q = req.messages.at(-1)?.content ?? "";
    return { text: req.model === "model-b" && newWrong(index(q)) ? "wrong" : echoAnswer(req.messages) };
  });
  const sampled = specFor(dir, configText(server.url), { models: ["fake/model-b"], limit: 15, sampleSeed: 3 });
  improved = (await run(sampled, store, { cache: false })).runId;

  const otherDir = join(dir, "other");
  mkdirSync(otherDir);
  const lines = Array.from({ length: 10 }, (_, i) =>
    JSON.stringify({ id: `x${i}`, question: `q${i}`, answer: `a${i}` }),
  );
  writeFileSync(join(otherDir, "qa.jsonl"), `${lines.join("\n")}\n`);
  other = (await run(specFor(otherDir, configText(server.url), { models: ["fake/model-b"] }), store)).runId;

  // Each question's first two calls to model-b are wrong on even questions: 2 wrong epochs in 3, whatever the order.
  const calls = new Map<string, number>();
  server.setResponder((req) => {
    const q = req.messages.at(-1)?.content ?? "";
    if (req.model !== "model-b") return { text: echoAnswer(req.messages) };
    const n = calls.get(q) ?? 0;
    calls.set(q, n + 1);
    return { text: index(q) % 2 === 0 && n < 2 ? "wrong" : echoAnswer(req.messages) };
  });
  const threeEpochs = specFor(dir, configText(server.url), { models: two, limit: 20, epochs: 3 });
  epochs = (await run(threeEpochs, store, { cache: false })).runId;
}, 120_000);

afterAll(async () => {
  await store.close();
  await server.close();
});

/** Runs a command function and returns what it printed on stdout. */
async function stdoutOf(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join("");
}

async function compareJSON(a: string, b: string, flags: Parameters<typeof compareCommand>[2]) {
  return JSON.parse(await stdoutOf(() => compareCommand(a, b, { ...flags, db, json: true })));
}

describe("compare across two runs", () => {
  it("pairs the same model's scores in two runs by sample id, whatever each run's order and subset", async () => {
    const sampledIds = (await store.pairedScoresAcross(improved, "fake/model-b", improved, "fake/model-b"))[0]
      ?.sampleIds;
    expect(sampledIds).toHaveLength(15);
    const ids = sampledIds as string[];
    // A seeded sample, not the first 15: pairing cannot be by position.
    expect(ids.some((id) => index(id) >= 15)).toBe(true);

    const paired = await store.pairedScoresAcross(both, "fake/model-b", improved, "fake/model-b", "qa");
    expect(paired).toHaveLength(1);
    expect([...(paired[0]?.sampleIds ?? [])].sort()).toEqual([...ids].sort());
    expect(paired[0]?.targetMismatches).toBe(0);
    paired[0]?.sampleIds?.forEach((id, k) => {
      expect(paired[0]?.a[k], id).toBe(oldWrong(index(id)) ? 0 : 1);
      expect(paired[0]?.b[k], id).toBe(newWrong(index(id)) ? 0 : 1);
    });

    const doc = await compareJSON("fake/model-b", "fake/model-b", { run: both, runB: improved, task: "qa" });
    // Discordant pairs: wrong before and right now (i % 5 = 0 but not i % 10 = 0), and never the reverse.
    const better = ids.filter((id) => oldWrong(index(id)) && !newWrong(index(id))).length;
    expect(better).toBeGreaterThan(0);
    expect(doc).toMatchObject({ runA: both, runB: improved, adjustMethod: "holm", epochsReduce: "mean" });
    const t = doc.tasks[0];
    expect(t).toMatchObject({ task: "qa", n: 15, pairs: 15 });
    expect(t.meanA).toBeCloseTo(ids.filter((id) => !oldWrong(index(id))).length / 15, 12);
    expect(t.meanB).toBeCloseTo(ids.filter((id) => !newWrong(index(id))).length / 15, 12);
    expect(t.difference).toBeCloseTo(-better / 15, 12);
    expect(t.pValue).toBeCloseTo(mcnemarExact(0, better).pValue, 12);

    const text = await stdoutOf(() =>
      compareCommand("fake/model-b", "fake/model-b", { run: both, runB: improved, task: "qa", db }),
    );
    expect(text).toContain(`A = fake/model-b (run ${both}), B = fake/model-b (run ${improved})`);
  });

  it("refuses runs that share no sample, a model missing from its run, and A = B in one run", async () => {
    const noShared = compareCommand("fake/model-b", "fake/model-b", { run: both, runB: other, db });
    await expect(noShared).rejects.toBeInstanceOf(UsageError);
    await expect(noShared).rejects.toThrow(
      `runs ${both} and ${other} share no scored samples of "fake/model-b" and "fake/model-b": pairing needs the same task, sample id and epoch on both sides`,
    );
    await expect(compareCommand("fake/model-a", "fake/model-a", { run: both, runB: other, db })).rejects.toThrow(
      `run ${other} has no model "fake/model-a" (its models: fake/model-b)`,
    );
    await expect(compareCommand("fake/model-a", "fake/model-a", { run: both, db })).rejects.toThrow(
      /both "fake\/model-a" in run .*--run-b/,
    );
    await expect(compareCommand("fake/model-a", "fake/model-b", { run: both, runB: "nope", db })).rejects.toThrow(
      "--run-b nope: no such run in the store",
    );
  });
});

describe("multiplicity adjustment", () => {
  it("adjusts across tasks with Benjamini–Hochberg when asked and names it; Holm by default", async () => {
    const bh = await compareJSON("fake/model-a", "fake/model-b", { run: both, adjust: "bh" });
    const holmDoc = await compareJSON("fake/model-a", "fake/model-b", { run: both });
    expect(bh.tasks.map((t: { task: string }) => t.task)).toEqual(["qa", "qa2"]);
    const p = bh.tasks.map((t: { pValue: number }) => t.pValue);
    // 8 discordant pairs on each task, all for A.
    expect(p[0]).toBeCloseTo(mcnemarExact(8, 0).pValue, 12);
    expect(bh).toMatchObject({ adjustMethod: "bh", adjustmentControls: "false discovery rate" });
    expect(bh.adjustment).toContain("Benjamini–Hochberg");
    expect(bh.tasks.map((t: { pAdjusted: number }) => t.pAdjusted)).toEqual(benjaminiHochberg(p));
    expect(holmDoc).toMatchObject({ adjustMethod: "holm", adjustmentControls: "family-wise error rate" });
    expect(holmDoc.tasks.map((t: { pAdjusted: number }) => t.pAdjusted)).toEqual(holm(p));
    // Two equal p-values: BH leaves them as they are, Holm doubles them.
    expect(bh.tasks[0].pAdjusted).toBeCloseTo(p[0], 15);
    expect(holmDoc.tasks[0].pAdjusted).toBeCloseTo(2 * p[0], 15);

    const text = await stdoutOf(() => compareCommand("fake/model-a", "fake/model-b", { run: both, adjust: "bh", db }));
    expect(text).toContain("p-values adjusted across tasks: Benjamini–Hochberg (1995) step-up");
    expect(text).toContain("(controls the false discovery rate)");
    expect(text).toMatch(/qa: n=40 .* p\(BH\)=/);
    await expect(
      compareCommand("fake/model-a", "fake/model-b", { run: both, adjust: "bonferroni", db }),
    ).rejects.toThrow('--adjust "bonferroni": expected holm');
  });
});

describe("epoch reducers", () => {
  // 20 questions × 3 epochs. model-a is always right; on the 10 even questions model-b is right once in 3.
  it("mean: graded per-sample scores, a bootstrap interval and a permutation-test p-value", async () => {
    const doc = await compareJSON("fake/model-a", "fake/model-b", { run: epochs });
    const t = doc.tasks[0];
    expect(t).toMatchObject({ n: 20, pairs: 60, meanA: 1, verdict: "A better" });
    expect(t.meanB).toBeCloseTo((10 * 1 + 10 * (1 / 3)) / 20, 12);
    expect(t.difference).toBeCloseTo((10 * (2 / 3)) / 20, 12);
    // Ten differences of 2/3, ten of 0: exact sign-flip test over 2^10 patterns, two of them as extreme.
    const a = Array(20).fill(1);
    const b = Array.from({ length: 20 }, (_, i) => (i < 10 ? 1 / 3 : 1));
    expect(t.pValue).toBeCloseTo(pairedPermutationTest(a, b).pValue, 12);
    expect(t.pValue).toBeCloseTo(2 / 2 ** 10, 12);
    expect(t.method).toContain("paired bootstrap interval");
    expect(t.method).toContain("paired permutation test (exact, 1024 sign patterns)");
    expect(t.ci.lower).toBeGreaterThan(0);
    expect(t.ci.lower).toBeLessThan(t.difference);
    expect(t.ci.upper).toBeGreaterThan(t.difference);
  });

  it("max and majority: one 0/1 score per sample, tested exactly (McNemar)", async () => {
    const max = (await compareJSON("fake/model-a", "fake/model-b", { run: epochs, epochsReduce: "max" })).tasks[0];
    // Right at least once in 3 on every question: no difference at all.
    expect(max).toMatchObject({ n: 20, pairs: 60, meanA: 1, meanB: 1, difference: 0, pValue: 1 });
    expect(max.method).toContain("McNemar");
    const majority = (await compareJSON("fake/model-a", "fake/model-b", { run: epochs, epochsReduce: "majority" }))
      .tasks[0];
    // Wrong in 2 of 3 on the even questions: a majority of wrong answers on 10 of 20.
    expect(majority).toMatchObject({ n: 20, meanA: 1, meanB: 0.5, difference: 0.5, verdict: "A better" });
    expect(majority.pValue).toBeCloseTo(mcnemarExact(10, 0).pValue, 12);
    const text = await stdoutOf(() =>
      compareCommand("fake/model-a", "fake/model-b", { run: epochs, epochsReduce: "majority", db }),
    );
    expect(text).toContain("epochs of a sample reduced by majority before pairing");
    expect(text).toContain("n=20 samples (60 paired scores)");
    await expect(
      compareCommand("fake/model-a", "fake/model-b", { run: epochs, epochsReduce: "min", db }),
    ).rejects.toThrow('--epochs-reduce "min": expected one of mean, max, majority');
  });
});
