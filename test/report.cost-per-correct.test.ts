import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSummary } from "../src/cli/format.js";
import { summaryJSON } from "../src/cli/json.js";
import { reportFor } from "../src/cli/report.js";
import { PER_CORRECT_RESAMPLES, perCorrectResamples } from "../src/report/cost-per-correct.js";
import { costPerCorrect } from "../src/stats/cost.js";
import type { Store } from "../src/store/store.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { configText, echoAnswer, openTestStore, run, specFor, workspace } from "./support/run-fixture.js";

const N = 20;
const EPOCHS = 2;
const PRICE = { input: 2, output: 8 }; // USD per million tokens
const promptTokens = (i: number) => 100 + (i % 7);
const completionTokens = (i: number) => 20 + (i % 5);
const right = (i: number) => i % 4 !== 0;

let server: ProtocolServer;
let store: Store;
let runId: string;

beforeAll(async () => {
  // model-a (priced) is wrong on s0, s4, …, and bills tokens that vary by question; model-b has no price.
  server = await startProtocolServer({
    respond: (req) => {
      const i = Number((req.messages.at(-1)?.content ?? "").slice(1));
      const completion = completionTokens(i);
      return {
        text: req.model === "model-a" && !right(i) ? "wrong" : echoAnswer(req.messages),
        usage: {
          prompt_tokens: promptTokens(i),
          completion_tokens: completion,
          total_tokens: promptTokens(i) + completion,
        },
      };
    },
  });
  const ws = workspace(N);
  store = await openTestStore(ws.dir);
  const prices = `prices:
  - { provider: fake, model: model-a, currency: USD, input: ${PRICE.input}, output: ${PRICE.output} }
currency: USD
`;
  const spec = specFor(ws.dir, configText(server.url, prices), {
    models: ["fake/model-a", "fake/model-b"],
    epochs: EPOCHS,
  });
  runId = (await run(spec, store)).runId;
}, 60_000);

afterAll(async () => {
  await store.close();
  await server.close();
});

describe("cost per correct answer with an interval", () => {
  it("bootstraps the ratio over samples, a sample's epochs together, from each call's own price", async () => {
    const report = await reportFor(store, runId);
    expect(report).not.toBeNull();
    const doc = summaryJSON(report as NonNullable<typeof report>);
    const a = doc.results.find((r) => r.model === "fake/model-a")?.cost;
    // The units the interval resamples: each sample's two epochs, its cost and correct answers summed, in id order.
    const ids = Array.from({ length: N }, (_, i) => `s${i}`).sort();
    const index = (id: string) => Number(id.slice(1));
    const cost = ids.map(
      (id) => (EPOCHS * (promptTokens(index(id)) * PRICE.input + completionTokens(index(id)) * PRICE.output)) / 1e6,
    );
    const quality = ids.map((id) => (right(index(id)) ? EPOCHS : 0));
    const expected = costPerCorrect(quality, cost, { resamples: PER_CORRECT_RESAMPLES, seed: 1 });

    expect(a?.perCorrect).toBeCloseTo(expected.estimate, 15);
    expect(a?.perCorrectCI?.level).toBe(0.95);
    expect(a?.perCorrectCI?.lower).toBeCloseTo(expected.ci.lower, 15);
    expect(a?.perCorrectCI?.upper).toBeCloseTo(expected.ci.upper, 15);
    expect(a?.perCorrectCI?.lower).toBeLessThan(a?.perCorrect ?? 0);
    expect(a?.perCorrectCI?.upper).toBeGreaterThan(a?.perCorrect ?? 0);
    // Resampling the 40 (sample, epoch) items as if independent would give a narrower, wrong interval.
    const naive = costPerCorrect(
      quality.flatMap((q) => [q / EPOCHS, q / EPOCHS]),
      cost.flatMap((c) => [c / EPOCHS, c / EPOCHS]),
      { resamples: PER_CORRECT_RESAMPLES, seed: 1 },
    );
    expect(naive.ci.upper - naive.ci.lower).toBeLessThan(expected.ci.upper - expected.ci.lower);

    // No price for model-b: its cost per correct is unknown, and so is the interval.
    const b = doc.results.find((r) => r.model === "fake/model-b")?.cost;
    expect(b?.perCorrect).toBeNull();
    expect(b?.perCorrectCI).toBeNull();

    // The text summary shows the same interval for model-a, and none for the unpriced model-b.
    const text = formatSummary(report as NonNullable<typeof report>);
    const fmt = (v: number) => (v > 0 && v < 0.01 ? v.toPrecision(3) : v.toFixed(4));
    expect(text).toContain(
      `fake/model-a  ${doc.results[0]?.task}  cost per correct: ${fmt(a?.perCorrect ?? 0)} [${fmt(expected.ci.lower)}, ${fmt(expected.ci.upper)}] USD`,
    );
    expect(text).not.toMatch(/fake\/model-b .*cost per correct/);
  });

  it("keeps the bootstrap's work bounded on large groups", () => {
    expect(perCorrectResamples(N)).toBe(PER_CORRECT_RESAMPLES);
    expect(perCorrectResamples(25_000)).toBe(PER_CORRECT_RESAMPLES);
    expect(perCorrectResamples(100_000)).toBe(500);
    expect(perCorrectResamples(10_000_000)).toBe(500);
  });

  it("prints an unbounded upper limit as null in JSON", () => {
    // One correct answer in 20 samples: many resamples have none, so the 97.5th percentile is infinite.
    const r = costPerCorrect(
      Array.from({ length: 20 }, (_, i) => (i === 0 ? 1 : 0)),
      Array(20).fill(0.01),
      { resamples: PER_CORRECT_RESAMPLES, seed: 1 },
    );
    expect(r.ci.upper).toBe(Number.POSITIVE_INFINITY);
    expect(JSON.parse(JSON.stringify({ perCorrectCI: r.ci })).perCorrectCI.upper).toBeNull();
  });
});
