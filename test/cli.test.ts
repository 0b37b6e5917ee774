import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finished, runCli, spawnCli } from "./support/cli.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { configText, echoAnswer, workspace } from "./support/run-fixture.js";

const KEY = "sk-sentinel-9f8e7d6c5b4a3210-never-store-me";
let server: ProtocolServer;

beforeAll(async () => {
  server = await startProtocolServer({ apiKey: KEY });
  server.setResponder((req) => ({ text: echoAnswer(req.messages) }));
});
afterAll(async () => {
  await server.close();
});

function project(n: number, extra = "") {
  const ws = workspace(n);
  writeFileSync(join(ws.dir, "arbiter.yaml"), configText(server.url, extra));
  return ws;
}

describe("arbiter run (CLI)", () => {
  it("prints one JSON document with the per model × task summary, and show --json prints the same", async () => {
    const { dir } = project(12);
    const env = { FAKE_API_KEY: KEY };
    const res = await runCli(["run", "arbiter.yaml", "--json", "-m", "fake/model-a", "-m", "fakeclaude/model-b"], {
      cwd: dir,
      env,
    });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.status).toBe("completed");
    expect(doc.items).toEqual({ done: 24, total: 24 });
    expect(doc.results).toHaveLength(2);
    for (const g of doc.results) {
      expect(g).toMatchObject({ task: "qa", n: 12, scored: 12, meanScore: 1, errors: {}, calls: 12, cacheHits: 0 });
      expect(g.usage.inputTokens).toBeGreaterThan(0);
      for (const k of ["latencyMs", "ttftMs", "outputTokensPerSecond"])
        expect(Object.keys(g[k])).toEqual(["p50", "p95"]);
    }
    const show = await runCli(["show", doc.runId, "--json"], { cwd: dir, env });
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toEqual(doc);
    const runs = await runCli(["runs"], { cwd: dir, env });
    expect(runs.stdout).toContain(doc.runId);
    expect(runs.stdout).toContain("completed");
  });

  it("exits 2 with file, line and field for a bad config, and never a stack trace", async () => {
    const { dir } = project(2);
    writeFileSync(join(dir, "bad.yaml"), "models:\n  - fake/model-a\nsettings:\n  temperature: hot\n");
    const res = await runCli(["run", "bad.yaml"], { cwd: dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/bad\.yaml:4:\d+: settings\.temperature: expected a number/);
    expect(res.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it("exits 2 for an unknown task, a bad flag and a missing file", async () => {
    const { dir } = project(2);
    const env = { FAKE_API_KEY: KEY };
    const unknown = await runCli(["run", "arbiter.yaml", "-t", "nope"], { cwd: dir, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown task "nope": available tasks are qa');
    const flag = await runCli(["run", "arbiter.yaml", "--limit", "zero"], { cwd: dir, env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('expected a positive integer, got "zero"');
    const missing = await runCli(["run", "missing.yaml"], { cwd: dir, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing.yaml: file not found");
  });

  it("stops quietly, exit 0 and no stack trace, when its reader has gone (arbiter providers | head -0)", async () => {
    const { dir } = project(1);
    const child = spawnCli(["providers"], { cwd: dir });
    // The read end closes before the CLI has started, so its first write meets EPIPE.
    child.stdout?.destroy();
    let stderr = "";
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("exits 2 naming the variable when an API key is missing", async () => {
    const { dir } = project(2);
    const res = await runCli(["run", "arbiter.yaml"], { cwd: dir, env: { FAKE_API_KEY: "" } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("FAKE_API_KEY is not set");
  });

  it("exits 1 when failed samples exceed --max-errors, and 0 when within it", async () => {
    const { dir } = project(3);
    server.setResponder((req) =>
      req.messages.at(-1)?.content === "q1"
        ? { fault: { kind: "status", status: 400 } }
        : { text: echoAnswer(req.messages) },
    );
    try {
      const env = { FAKE_API_KEY: KEY };
      const strict = await runCli(["run", "arbiter.yaml"], { cwd: dir, env });
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain("1 samples failed");
      expect(strict.stdout).toContain("1 bad_request");
      const lenient = await runCli(["run", "arbiter.yaml", "--max-errors", "1", "--no-cache"], { cwd: dir, env });
      expect(lenient.code).toBe(0);
    } finally {
      server.setResponder((req) => ({ text: echoAnswer(req.messages) }));
    }
  });

  it("keeps the API key out of the database, the output and error messages", async () => {
    const { dir } = project(5);
    const env = { FAKE_API_KEY: KEY };
    const ok = await runCli(["run", "arbiter.yaml", "--json"], { cwd: dir, env });
    expect(ok.code, ok.stderr).toBe(0);
    // A server that echoes the key back in an error body must not get it into the store either.
    server.setResponder(() => ({
      fault: { kind: "status", status: 401, body: `{"error":{"message":"bad key ${KEY}"}}` },
    }));
    let failed: Awaited<ReturnType<typeof runCli>>;
    try {
      failed = await runCli(["run", "arbiter.yaml", "--no-cache"], { cwd: dir, env });
    } finally {
      server.setResponder((req) => ({ text: echoAnswer(req.messages) }));
    }
    expect(failed.code).toBe(1);
    const files = readdirSync(join(dir, ".arbiter"));
    expect(files.some((f) => f.endsWith(".db"))).toBe(true);
    for (const f of files) expect(readFileSync(join(dir, ".arbiter", f)).includes(KEY), f).toBe(false);
    for (const text of [ok.stdout, ok.stderr, failed.stdout, failed.stderr]) expect(text).not.toContain(KEY);
    const db = new SQLite(join(dir, ".arbiter", "arbiter.db"), { readonly: true });
    const messages = db.prepare("SELECT error_message FROM attempts WHERE error_class = 'auth'").all() as {
      error_message: string;
    }[];
    db.close();
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]?.error_message).toContain("[REDACTED]");
  });

  it("resumes after kill -9 with exactly the results of an uninterrupted run and no second call for answered samples", async () => {
    const n = 300;
    const { dir } = project(n, "concurrency: 4");
    const env = { FAKE_API_KEY: KEY };
    const calls = new Map<string, number>();
    server.setResponder(async (req) => {
      const q = req.messages.at(-1)?.content ?? "";
      calls.set(q, (calls.get(q) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 10));
      return { text: echoAnswer(req.messages) };
    });
    try {
      const child = spawnCli(["run", "arbiter.yaml", "--no-cache"], { cwd: dir, env });
      const exited = finished(child);
      const dbPath = join(dir, ".arbiter", "arbiter.db");
      let answered: string[] = [];
      for (let i = 0; i < 600; i++) {
        await new Promise((r) => setTimeout(r, 25));
        try {
          const db = new SQLite(dbPath, { readonly: true, fileMustExist: true });
          const rows = db.prepare("SELECT sample_id FROM samples").all() as { sample_id: string }[];
          db.close();
          if (rows.length >= 60) break;
        } catch {
          // the child has not created the store yet
        }
      }
      child.kill("SIGKILL");
      const killed = await exited;
      expect(killed.signal).toBe("SIGKILL");

      const db = new SQLite(dbPath, { readonly: true });
      const runId = (db.prepare("SELECT id, status FROM runs").get() as { id: string; status: string }).id;
      answered = (db.prepare("SELECT sample_id FROM samples").all() as { sample_id: string }[]).map((r) => r.sample_id);
      db.close();
      expect(answered.length).toBeGreaterThanOrEqual(60);
      expect(answered.length).toBeLessThan(n);
      const callsAtKill = new Map(calls);

      const resumed = await runCli(["run", "--resume", runId, "--json"], { cwd: dir, env });
      expect(resumed.code, resumed.stderr).toBe(0);
      const doc = JSON.parse(resumed.stdout);
      expect(doc).toMatchObject({ runId, status: "completed", items: { done: n, total: n } });
      expect(doc.results[0]).toMatchObject({ n, scored: n, meanScore: 1 });

      // No answered sample was called again after the kill.
      for (const id of answered) {
        const q = id.replace(/^s/, "q");
        expect(calls.get(q), q).toBe(callsAtKill.get(q));
      }
      // Every sample has exactly one result, the same as an uninterrupted run gives.
      const uninterrupted = await runCli(["run", "arbiter.yaml", "--no-cache", "--db", "straight.db", "--json"], {
        cwd: dir,
        env,
      });
      const straight = JSON.parse(uninterrupted.stdout);
      const rows = (path: string, id: string) => {
        const d = new SQLite(join(dir, path), { readonly: true });
        const r = d
          .prepare(
            `SELECT s.sample_id, s.epoch, s.status, a.output, sc.value FROM samples s
             JOIN attempts a ON a.id = s.final_attempt_id JOIN scores sc ON sc.item_key = s.item_key AND sc.run_id = s.run_id
             WHERE s.run_id = ? ORDER BY s.sample_id`,
          )
          .all(id);
        d.close();
        return r;
      };
      expect(rows(".arbiter/arbiter.db", runId)).toEqual(rows("straight.db", straight.runId));
    } finally {
      server.setResponder((req) => ({ text: echoAnswer(req.messages) }));
    }
  }, 60_000);
});

describe("prices in the config", () => {
  it("price a model the catalog does not know, exactly from the recorded usage", async () => {
    server.setResponder(() => ({
      text: "a0",
      usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
    }));
    try {
      const { dir } = project(
        4,
        `prices:
  - { provider: fake, model: model-a, currency: USD, input: 2, output: 8 }
currency: USD`,
      );
      const res = await runCli(["run", "arbiter.yaml", "--json", "--max-errors", "4"], {
        cwd: dir,
        env: { FAKE_API_KEY: KEY },
      });
      expect(res.code, res.stderr).toBe(0);
      const cost = JSON.parse(res.stdout).results[0].cost;
      // 4 calls × (1000 input tokens × $2/M + 500 output tokens × $8/M) = 4 × (0.002 + 0.004) = $0.024
      expect(cost).toMatchObject({ currency: "USD", pricedCalls: 4, unpricedCalls: 0, totalExact: "0.024" });
      expect(cost.total).toBeCloseTo(0.024, 12);
    } finally {
      server.setResponder((req) => ({ text: echoAnswer(req.messages) }));
    }
  });
});
