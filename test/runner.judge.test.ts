import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Task } from "../src/core/task.js";
import type { GenerationSettings, Sample } from "../src/core/types.js";
import { planFromSpec } from "../src/runner/prepare.js";
import { executeRun, type RunPlan } from "../src/runner/runner.js";
import { selectSamples } from "../src/runner/sampling.js";
import type { Store } from "../src/store/store.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { configText, FAST_RETRY, openTestStore, specFor, workspace } from "./support/run-fixture.js";

let server: ProtocolServer;
const stores: Store[] = [];
const KEY = "sk-fake-key-1234567890";

beforeAll(async () => {
  server = await startProtocolServer({ apiKey: KEY });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

/** Model "model-a" answers "first <q>" then "second"; the judge rates every conversation 7. */
function respond(judgeFails = false) {
  server.setResponder((req) => {
    if (req.model === "judge") {
      return judgeFails ? { fault: { kind: "status", status: 401 } } : { text: "The answer is fine. Rating: [[7]]" };
    }
    const last = req.messages.at(-1)?.content ?? "";
    return { text: last === "and again?" ? "second" : `first ${last}` };
  });
}

/** A two-turn task whose scorer asks the judge about both answers. */
function chatTask(n: number, judgeRequestSettings: GenerationSettings = {}): Task {
  const samples: Sample[] = Array.from({ length: n }, (_, i) => ({ id: `c${i}`, input: `q${i}`, target: "" }));
  return {
    name: "chat",
    scorerName: "score",
    needsJudge: true,
    metrics: ["score", "turns"],
    dataset: async function* () {
      yield* samples;
    },
    solver: (sample) => ({ messages: [{ role: "user", content: String(sample.input) }], followUps: ["and again?"] }),
    scorer: async (_output, _sample, ctx) => {
      if (!ctx.judge) throw new Error("no judge");
      const verdict = await ctx.judge({
        messages: [{ role: "user", content: `Rate: ${JSON.stringify(ctx.turns)}` }],
        settings: judgeRequestSettings,
      });
      const rating = Number(/\[\[(\d+)\]\]/.exec(verdict)?.[1]);
      return [
        { metric: "score", value: rating, answer: String(rating) },
        { metric: "turns", value: ctx.turns?.length ?? 0, answer: null },
      ];
    },
  };
}

async function judgedPlan(store: Store, n: number): Promise<RunPlan> {
  const ws = workspace(1);
  const spec = specFor(ws.dir, configText(server.url));
  const plan = await planFromSpec(spec, `judge-${Math.random().toString(36).slice(2)}`, {
    env: { FAKE_API_KEY: KEY },
    retry: FAST_RETRY,
  });
  const model = plan.models[0];
  if (!model) throw new Error("no model");
  await store.createRun({ id: plan.runId, toolVersion: "test", spec, totalItems: n });
  return { ...plan, tasks: [chatTask(n)], judge: { ...model, label: "fake/judge", model: "judge", settings: {} } };
}

/** Reads the store's file the way any SQLite client would. */
function query<T>(dir: string, text: string, ...params: unknown[]): T[] {
  const db = new SQLite(join(dir, "arbiter.db"), { readonly: true });
  try {
    return db.prepare(text).all(...params) as T[];
  } finally {
    db.close();
  }
}

function signals() {
  return { stop: new AbortController().signal, abort: new AbortController().signal };
}

describe("judges and conversations", () => {
  it("sends follow-up turns in one conversation, then the judge, recording each call with its role and turn", async () => {
    respond();
    const ws = workspace(1);
    const store = await openTestStore(ws.dir);
    stores.push(store);
    const plan = await judgedPlan(store, 3);
    const before = server.callCount();
    server.requests.length = 0;
    const result = await executeRun(plan, { store, cache: true, signals: signals() });
    expect(result.progress.done).toBe(3);
    // Per sample: two turns of the model under test, one judge call.
    expect(server.callCount() - before).toBe(9);
    const second = server.requests.find(
      (r) => r.model === "model-a" && r.messages.at(-1)?.content === "and again?" && r.messages[0]?.content === "q0",
    );
    expect(second?.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "q0"],
      ["assistant", "first q0"],
      ["user", "and again?"],
    ]);
    const judgeRequest = server.requests.find((r) => r.model === "judge" && r.messages.at(-1)?.content.includes("q0"));
    expect(judgeRequest?.messages.at(-1)?.content).toBe('Rate: ["first q0","second"]');
    expect(judgeRequest?.body.temperature).toBe(0);

    const rows = query<{ role: string; turn: number }>(
      ws.dir,
      "SELECT role, turn FROM attempts WHERE run_id = ? ORDER BY item_key, id",
      plan.runId,
    );
    expect(rows.map((r) => [r.role, r.turn])).toEqual(
      Array.from({ length: 3 }, () => [
        ["model", 1],
        ["model", 2],
        ["judge", 1],
      ]).flat(),
    );
    const [sample] = query<{ turns_json: string; output: string; role: string }>(
      ws.dir,
      "SELECT s.turns_json, a.output, a.role FROM samples s JOIN attempts a ON a.id = s.final_attempt_id WHERE s.run_id = ? AND s.sample_id = 'c1'",
      plan.runId,
    );
    if (!sample) throw new Error("sample c1 missing");
    expect(JSON.parse(sample.turns_json)).toEqual(["first q1", "second"]);
    // The sample's answer is the model's last turn, never the judge's verdict.
    expect(sample).toMatchObject({ output: "second", role: "model" });

    const summary = await store.summary(plan.runId);
    const group = summary?.groups[0];
    expect(group?.metric).toBe("score");
    expect(group?.meanScore).toBe(7);
    expect(group?.metrics.map((m) => [m.metric, m.mean, m.binary])).toEqual([
      ["score", 7, false],
      ["turns", 2, false],
    ]);
    const roles = [...store.pricingRows(plan.runId)].map((r) => r.role);
    expect(roles.filter((r) => r === "judge")).toHaveLength(3);
    expect(roles.filter((r) => r === "model")).toHaveLength(6);
  });

  it("asks the judge greedily by default, with the grading prompt's settings, and the user's judge settings win", async () => {
    respond();
    const ws = workspace(1);
    const store = await openTestStore(ws.dir);
    stores.push(store);
    const base = await judgedPlan(store, 1);
    const prompted = { ...base, tasks: [chatTask(1, { maxTokens: 64 })] };
    await executeRun(prompted, { store, cache: false, signals: signals() });
    const first = server.requests.filter((r) => r.model === "judge").at(-1);
    expect([first?.body.temperature, first?.body.max_tokens ?? first?.body.max_completion_tokens]).toEqual([0, 64]);

    const store2 = await openTestStore(workspace(1).dir);
    stores.push(store2);
    const own = await judgedPlan(store2, 1);
    const configured = {
      ...own,
      tasks: [chatTask(1, { maxTokens: 64 })],
      judge: { ...(own.judge as NonNullable<RunPlan["judge"]>), settings: { maxTokens: 2048, temperature: 0.2 } },
    };
    await executeRun(configured, { store: store2, cache: false, signals: signals() });
    const second = server.requests.filter((r) => r.model === "judge").at(-1);
    expect([second?.body.temperature, second?.body.max_tokens ?? second?.body.max_completion_tokens]).toEqual([
      0.2, 2048,
    ]);
  });

  it("serves every turn and the judge's verdict from the cache on a second run", async () => {
    respond();
    const ws = workspace(1);
    const store = await openTestStore(ws.dir);
    stores.push(store);
    await executeRun(await judgedPlan(store, 2), { store, cache: true, signals: signals() });
    const before = server.callCount();
    const again = await judgedPlan(store, 2);
    const result = await executeRun(again, { store, cache: true, signals: signals() });
    expect(server.callCount() - before).toBe(0);
    expect(result.progress.cacheHits).toBe(2);
    expect((await store.summary(again.runId))?.groups[0]?.meanScore).toBe(7);
  });

  it("records a sample whose judge fails as failed, keeping the answers it paid for", async () => {
    respond(true);
    const ws = workspace(1);
    const store = await openTestStore(ws.dir);
    stores.push(store);
    const plan = await judgedPlan(store, 1);
    const result = await executeRun(plan, { store, cache: false, signals: signals() });
    expect(result.progress.failed).toBe(1);
    const [row] = query<{ status: string; error_class: string; error_message: string }>(
      ws.dir,
      "SELECT status, error_class, error_message FROM samples WHERE run_id = ?",
      plan.runId,
    );
    expect(row?.status).toBe("error");
    expect(row?.error_class).toBe("auth");
    expect(row?.error_message).toMatch(/^judge fake\/judge: /);
    const attempts = query<{ role: string; status: string }>(
      ws.dir,
      "SELECT role, status FROM attempts WHERE run_id = ? ORDER BY id",
      plan.runId,
    );
    expect(attempts).toEqual([
      { role: "model", status: "ok" },
      { role: "model", status: "ok" },
      { role: "judge", status: "error" },
    ]);
  });
});

describe("seeded sampling", () => {
  async function pick(n: number, limit: number | undefined, seed: number | undefined): Promise<string[]> {
    async function* source() {
      for (let i = 0; i < n; i++) yield { id: `s${i}`, input: "", target: "" } satisfies Sample;
    }
    const out: string[] = [];
    for await (const s of selectSamples(source(), limit, seed)) out.push(s.id);
    return out;
  }

  it("takes the first N without a seed and a reproducible random N with one, in dataset order", async () => {
    expect(await pick(10, 3, undefined)).toEqual(["s0", "s1", "s2"]);
    expect(await pick(5, undefined, 7)).toHaveLength(5);
    const a = await pick(1000, 20, 42);
    expect(a).toHaveLength(20);
    expect(await pick(1000, 20, 42)).toEqual(a);
    expect(await pick(1000, 20, 43)).not.toEqual(a);
    const indices = a.map((id) => Number(id.slice(1)));
    expect([...indices].sort((x, y) => x - y)).toEqual(indices);
    expect(await pick(5, 20, 42)).toEqual(["s0", "s1", "s2", "s3", "s4"]);
  });

  it("draws every sample with equal probability", async () => {
    // 2,000 draws of 10 out of 50: each sample is expected 400 times; a uniform reservoir keeps every count near it.
    const counts = new Array(50).fill(0);
    for (let seed = 0; seed < 2000; seed++) for (const id of await pick(50, 10, seed)) counts[Number(id.slice(1))]++;
    const chi2 = counts.reduce((sum, c) => sum + (c - 400) ** 2 / 400, 0);
    // χ² with 49 degrees of freedom: the 99.9th percentile is 85.4.
    expect(chi2).toBeLessThan(85.4);
  });
});
