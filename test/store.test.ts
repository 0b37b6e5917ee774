import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { AttemptRecord, ItemResult } from "../src/store/records.js";
import { Store } from "../src/store/store.js";

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function openStore(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-store-"));
  const store = await Store.open(join(dir, "sub", "arbiter.db"));
  stores.push(store);
  return store;
}

function attempt(_label: string, ok: boolean, extra: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    attemptNo: 1,
    provider: "p",
    model: "m",
    requestHash: "h1",
    startedAt: new Date().toISOString(),
    ok,
    errorClass: ok ? null : "server",
    errorMessage: ok ? null : "HTTP 500",
    httpStatus: ok ? null : 500,
    output: ok ? "Paris" : null,
    reasoning: null,
    finishReason: ok ? "stop" : null,
    reportedModel: ok ? "m-2024" : null,
    usage: ok
      ? { inputTokens: 10, cachedInputTokens: 4, cacheWriteTokens: null, outputTokens: 3, reasoningTokens: null }
      : null,
    rawUsage: ok ? { prompt_tokens: 10 } : null,
    timing: { latencyMs: 100, ttftMs: ok ? 20 : null, ttfatMs: ok ? 20 : null, outputTokensPerSecond: ok ? 50 : null },
    ...extra,
  };
}

function item(key: string, attempts: AttemptRecord[], extra: Partial<ItemResult> = {}): ItemResult {
  const last = attempts.at(-1);
  return {
    runId: "r1",
    itemKey: key,
    model: "p/m",
    task: "t",
    sampleId: key,
    epoch: 1,
    messages: [{ role: "user", content: "capital of France?" }],
    target: "Paris",
    requestHash: "h1",
    attempts,
    ok: last?.ok ?? false,
    errorClass: last?.ok ? null : "server",
    errorMessage: null,
    cachedFrom: null,
    scores: last?.ok ? [{ scorer: "exact", value: 1, answer: "Paris" }] : [],
    ...extra,
  };
}

describe("Store", () => {
  it("creates the schema with WAL and round-trips a run", async () => {
    const store = await openStore();
    await store.createRun({ id: "r1", toolVersion: "0.1.0", spec: { models: [{ label: "p/m" }] }, totalItems: 2 });
    const mode = await sql`PRAGMA journal_mode`.execute(store.db);
    expect((mode.rows[0] as { journal_mode: string }).journal_mode).toBe("wal");
    const run = await store.getRun("r1");
    expect(run).toMatchObject({
      id: "r1",
      status: "running",
      totalItems: 2,
      done: 0,
      spec: { models: [{ label: "p/m" }] },
    });
    expect(await store.getRun("nope")).toBeNull();
  });

  it("writes items atomically and summarises per model × task", async () => {
    const store = await openStore();
    await store.createRun({ id: "r1", toolVersion: "0.1.0", spec: {}, totalItems: 3 });
    await store.writeResults([
      item("a", [
        attempt("a1", false),
        attempt("a2", true, {
          attemptNo: 2,
          timing: { latencyMs: 300, ttftMs: 30, ttfatMs: 40, outputTokensPerSecond: 10 },
        }),
      ]),
      item("b", [attempt("b1", true)]),
      item("c", [attempt("c1", false)], { ok: false, errorClass: "server" }),
    ]);
    await store.setRunStatus("r1", "completed");
    const summary = await store.summary("r1");
    expect(summary?.run.status).toBe("completed");
    expect(summary?.run.endedAt).not.toBeNull();
    const g = summary?.groups[0];
    expect(g).toMatchObject({ model: "p/m", task: "t", n: 3, scored: 2, meanScore: 1, calls: 4, cacheHits: 0 });
    expect(g?.errors).toEqual({ server: 1 });
    expect(g?.usage).toEqual({
      inputTokens: 20,
      cachedInputTokens: 8,
      cacheWriteTokens: null,
      outputTokens: 6,
      reasoningTokens: null,
      unknownUsage: 0,
    });
    // nearest rank over two ok samples (100 and 300 ms): p50 = 100, p95 = 300
    expect(g?.latencyMs).toEqual({ p50: 100, p95: 300 });
    expect(g?.ttftMs).toEqual({ p50: 20, p95: 30 });
  });

  it("serves only successful attempts from the cache", async () => {
    const store = await openStore();
    await store.createRun({ id: "r1", toolVersion: "0.1.0", spec: {}, totalItems: null });
    await store.writeResults([item("a", [attempt("a1", false, { requestHash: "bad" })], { requestHash: "bad" })]);
    await store.writeResults([item("b", [attempt("b1", true, { requestHash: "good" })], { requestHash: "good" })]);
    const cached = await store.findCached(["bad", "good", "missing"]);
    expect([...cached.keys()]).toEqual(["good"]);
    const good = await store.db
      .selectFrom("attempts")
      .select("id")
      .where("request_hash", "=", "good")
      .executeTakeFirstOrThrow();
    expect(cached.get("good")).toEqual({ attemptId: good.id, output: "Paris", reasoning: null });
  });

  it("finds the items a run already has, across query chunks", async () => {
    const store = await openStore();
    await store.createRun({ id: "r1", toolVersion: "0.1.0", spec: {}, totalItems: null });
    const results = Array.from({ length: 900 }, (_, i) => item(`k${i}`, [attempt(`x${i}`, true)]));
    await store.writeResults(results);
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    const done = await store.findDone("r1", keys);
    expect(done.size).toBe(900);
    expect(done.has("k899")).toBe(true);
    expect(done.has("k900")).toBe(false);
  });

  it("records unknown usage as unknown, not zero", async () => {
    const store = await openStore();
    await store.createRun({ id: "r1", toolVersion: "0.1.0", spec: {}, totalItems: null });
    await store.writeResults([item("a", [attempt("a1", true, { usage: null, rawUsage: null })])]);
    const row = await store.db.selectFrom("attempts").selectAll().where("item_key", "=", "a").executeTakeFirstOrThrow();
    expect(row.input_tokens).toBeNull();
    expect(row.output_tokens).toBeNull();
    expect(row.usage_raw_json).toBeNull();
    const g = (await store.summary("r1"))?.groups[0];
    expect(g?.usage.unknownUsage).toBe(1);
  });
});
