import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../src/store/store.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { configText, echoAnswer, openTestStore, resume, run, specFor, workspace } from "./support/run-fixture.js";

let server: ProtocolServer;
const stores: Store[] = [];

beforeAll(async () => {
  server = await startProtocolServer({ apiKey: "sk-fake-key-1234567890" });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  server.setResponder((req) => ({ text: echoAnswer(req.messages) }));
});

async function setup(n: number, extra = "", models?: string[]) {
  const ws = workspace(n);
  const store = await openTestStore(ws.dir);
  stores.push(store);
  const spec = specFor(ws.dir, configText(server.url, extra), models ? { models } : {});
  return { ...ws, store, spec };
}

describe("runner", () => {
  it("runs models × samples × epochs over both protocols and summarises them", async () => {
    server.setResponder((req) => ({ text: echoAnswer(req.messages) }));
    const { store, spec } = await setup(20, "epochs: 2", ["fake/model-a", "fakeclaude/model-b"]);
    const before = server.callCount();
    const result = await run(spec, store);
    expect(result.interrupted).toBe(false);
    expect(server.callCount() - before).toBe(80);
    const summary = await store.summary(result.runId);
    expect(summary?.run).toMatchObject({ status: "completed", totalItems: 80, done: 80 });
    expect(summary?.groups.map((g) => [g.model, g.task, g.n, g.meanScore, g.calls])).toEqual([
      ["fake/model-a", "qa", 40, 1, 40],
      ["fakeclaude/model-b", "qa", 40, 1, 40],
    ]);
    for (const g of summary?.groups ?? []) {
      expect(g.usage.inputTokens).toBeGreaterThan(0);
      expect(g.usage.outputTokens).toBeGreaterThan(0);
      expect(g.latencyMs.p50).not.toBeNull();
      expect(g.ttftMs.p50).not.toBeNull();
    }
  });

  it("retries server errors and rate limits, honouring Retry-After, and records every attempt", async () => {
    const seen = new Map<string, number>();
    server.setResponder((req) => {
      const q = req.messages.at(-1)?.content ?? "";
      const n = (seen.get(q) ?? 0) + 1;
      seen.set(q, n);
      if (q === "q0" && n === 1) return { fault: { kind: "status", status: 429, retryAfter: "1" } };
      if (n === 1) return { fault: { kind: "status", status: 500 } };
      return { text: echoAnswer(req.messages) };
    });
    const { store, spec } = await setup(5);
    const started = Date.now();
    const result = await run(spec, store);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const g = (await store.summary(result.runId))?.groups[0];
    expect(g).toMatchObject({ n: 5, meanScore: 1, calls: 10, errors: {} });
    const attempts = await store.db
      .selectFrom("attempts")
      .select(["error_class", "http_status"])
      .where("run_id", "=", result.runId)
      .where("status", "=", "error")
      .execute();
    expect(attempts.map((a) => a.error_class).sort()).toEqual(["rate_limit", "server", "server", "server", "server"]);
  });

  it("does not retry what cannot succeed, and gives up on what keeps failing", async () => {
    server.setResponder((req) => {
      const q = req.messages.at(-1)?.content ?? "";
      if (q === "q0") return { fault: { kind: "status", status: 400 } };
      if (q === "q1") return { fault: { kind: "status", status: 503 } };
      if (q === "q2") return { fault: { kind: "malformed" } };
      return { text: echoAnswer(req.messages) };
    });
    const { store, spec } = await setup(4);
    const result = await run(spec, store);
    const g = (await store.summary(result.runId))?.groups[0];
    // q0: one call; q1 and q2: 1 + maxRetries (3) calls each; q3: one call
    expect(g).toMatchObject({ n: 4, calls: 1 + 4 + 4 + 1, errors: { bad_request: 1, server: 1, invalid_response: 1 } });
    expect(result.progress.failed).toBe(3);
  });

  it("times out a hung call and retries it", async () => {
    let hung = false;
    server.setResponder((req) => {
      if (!hung) {
        hung = true;
        return { fault: { kind: "hang" } };
      }
      return { text: echoAnswer(req.messages) };
    });
    const { store, spec } = await setup(1, "", undefined);
    spec.providers.fake = { ...spec.providers.fake, timeoutMs: 300 };
    const result = await run(spec, store);
    const g = (await store.summary(result.runId))?.groups[0];
    expect(g).toMatchObject({ n: 1, meanScore: 1, calls: 2, errors: {} });
    const timeouts = await store.db
      .selectFrom("attempts")
      .select("error_class")
      .where("error_class", "=", "timeout")
      .execute();
    expect(timeouts.length).toBe(1);
  });

  it("serves a re-run from the cache with zero calls, and --no-cache calls again", async () => {
    server.setResponder((req) => ({ text: echoAnswer(req.messages) }));
    const { store, spec } = await setup(30);
    const first = await run(spec, store);
    const afterFirst = server.callCount();
    const second = await run(spec, store);
    expect(server.callCount()).toBe(afterFirst);
    const g = (await store.summary(second.runId))?.groups[0];
    expect(g).toMatchObject({ n: 30, meanScore: 1, calls: 0, cacheHits: 30 });
    expect(second.runId).not.toBe(first.runId);
    await run(spec, store, { cache: false });
    expect(server.callCount()).toBe(afterFirst + 30);
  });

  it("never serves a failed attempt from the cache", async () => {
    server.setResponder(() => ({ fault: { kind: "status", status: 400 } }));
    const { store, spec } = await setup(3);
    await run(spec, store);
    server.setResponder((req) => ({ text: echoAnswer(req.messages) }));
    const before = server.callCount();
    const second = await run(spec, store);
    expect(server.callCount() - before).toBe(3);
    expect((await store.summary(second.runId))?.groups[0]).toMatchObject({ meanScore: 1, cacheHits: 0 });
  });

  it("resumes a stopped run without calling any answered sample again", async () => {
    const calls = new Map<string, number>();
    server.setResponder((req) => {
      const q = req.messages.at(-1)?.content ?? "";
      calls.set(q, (calls.get(q) ?? 0) + 1);
      return { text: echoAnswer(req.messages), latencyMs: 5 };
    });
    const { store, spec } = await setup(200);
    spec.concurrency = 4;
    const stop = new AbortController();
    const first = await run(spec, store, {
      cache: false,
      signals: { stop: stop.signal, abort: new AbortController().signal },
      onStart: (_id, progress) => {
        const timer = setInterval(() => {
          if (progress.done >= 50) {
            stop.abort();
            clearInterval(timer);
          }
        }, 1);
      },
    });
    expect(first.interrupted).toBe(true);
    const partial = await store.getRun(first.runId);
    expect(partial?.status).toBe("interrupted");
    expect(partial?.done).toBeGreaterThanOrEqual(50);
    expect(partial?.done).toBeLessThan(200);

    const resumed = await resume(first.runId, store, { cache: false });
    expect(resumed.interrupted).toBe(false);
    const summary = await store.summary(first.runId);
    expect(summary?.run).toMatchObject({ status: "completed", done: 200 });
    expect(summary?.groups[0]).toMatchObject({ n: 200, meanScore: 1, calls: 200 });
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(calls.size).toBe(200);
  });

  it("respects the provider's concurrency", async () => {
    let active = 0;
    let peak = 0;
    server.setResponder(async (req) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 10));
      active--;
      return { text: echoAnswer(req.messages) };
    });
    const { store, spec } = await setup(40, "concurrency: 3");
    await run(spec, store);
    expect(peak).toBe(3);
  });
});
