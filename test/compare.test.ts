import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareModels } from "../src/report/compare.js";
import { mcnemarExact } from "../src/stats/paired.js";
import type { Store } from "../src/store/store.js";
import { runCli } from "./support/cli.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { configText, echoAnswer, openTestStore, run, specFor, workspace } from "./support/run-fixture.js";

let server: ProtocolServer;
let store: Store;
let dir: string;
let runId: string;

beforeAll(async () => {
  // model-a is always right; model-b is wrong on every fifth question (s0, s5, …) and on none other.
  server = await startProtocolServer({
    respond: (req) => {
      const q = req.messages.at(-1)?.content ?? "";
      const i = Number(q.slice(1));
      return { text: req.model === "model-b" && i % 5 === 0 ? "wrong" : echoAnswer(req.messages) };
    },
  });
  const ws = workspace(50);
  dir = ws.dir;
  store = await openTestStore(dir);
  const spec = specFor(dir, configText(server.url), { models: ["fake/model-a", "fake/model-b"] });
  runId = (await run(spec, store)).runId;
});
afterAll(async () => {
  await store.close();
  await server.close();
});

describe("paired comparison", () => {
  it("pairs the two models' scores by sample and tests the difference exactly", async () => {
    const paired = await store.pairedScores(runId, "fake/model-a", "fake/model-b");
    expect(paired).toHaveLength(1);
    expect(paired[0]?.a).toHaveLength(50);
    const c = compareModels("fake/model-a", "fake/model-b", paired, { margin: 0.4 });
    const t = c.tasks[0];
    // 10 discordant pairs, all in A's favour: exact McNemar p = 2 × 0.5^10
    expect(t?.pValue).toBeCloseTo(mcnemarExact(10, 0).pValue, 12);
    expect(t?.pValue).toBeCloseTo(2 * 0.5 ** 10, 12);
    expect(t).toMatchObject({ n: 50, meanA: 1, meanB: 0.8, verdict: "A better" });
    expect(t?.difference).toBeCloseTo(0.2, 12);
    expect(t?.ci.lower).toBeGreaterThan(0);
    expect(t?.ci.upper).toBeLessThan(0.35);
    // B is 20 points behind: non-inferior within 40 points, inferior beyond 5
    expect(t?.nonInferiority?.verdict).toBe("non-inferior");
    const strict = compareModels("fake/model-a", "fake/model-b", paired, { margin: 0.05 });
    expect(strict.tasks[0]?.nonInferiority?.verdict).toBe("inferior");
    expect(c.adjustment).toContain("Holm");
  });

  it("prints the comparison from the CLI and rejects models the run does not have", async () => {
    const db = `${dir}/arbiter.db`;
    const res = await runCli(["compare", "fake/model-a", "fake/model-b", "--run", runId, "--db", db, "--json"], {
      cwd: dir,
    });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.tasks[0]).toMatchObject({ task: "qa", n: 50, verdict: "A better" });
    const bad = await runCli(["compare", "fake/model-a", "nope/x", "--run", runId, "--db", db], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("its models: fake/model-a, fake/model-b");
  });
});
