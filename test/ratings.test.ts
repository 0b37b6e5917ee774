import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ratingsCommand } from "../src/cli/commands/ratings.js";
import { UsageError } from "../src/cli/errors.js";
import { gatherBattles, RatingsDataError, ratingsOf } from "../src/report/ratings.js";
import type { PairwiseRecord } from "../src/scorers/judge/pairwise.js";
import { BradleyTerryError } from "../src/stats/bradley-terry.js";
import type { ScoredAnswer } from "../src/store/records.js";
import type { Store } from "../src/store/store.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { openTestStore, run, specFor, workspace } from "./support/run-fixture.js";

const ALPACA_EVAL = fileURLToPath(new URL("../../shared/datasets/alpaca_eval", import.meta.url));
const BASELINE = "gpt4_1106_preview";
const GOOD = "fake/model-good";
const POOR = "fake/model-poor";
const SAMPLES = 60;

let server: ProtocolServer;
let store: Store;
let db: string;
let runId: string;
/** What the judge decided, per player: the expected wins, ties and losses (each judged order is one battle). */
const tally = new Map<string, { wins: number; ties: number; losses: number }>();

function count(player: string, outcome: "wins" | "ties" | "losses"): void {
  const t = tally.get(player) ?? { wins: 0, ties: 0, losses: 0 };
  t[outcome]++;
  tally.set(player, t);
}

const between = (text: string, start: string, end: string): string => {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`judge prompt without ${start}`);
  return text.slice(from + start.length, to).trim();
};

/**
 * The judge prefers the good model's answer to the baseline's and the baseline's to the poor model's, except on
 * questions whose length is a multiple of 5 (a tie) or, failing that, of 7 (it always picks the answer shown first:
 * position bias, so the two orders disagree). Every pairing therefore has wins both ways or ties: the MLE exists.
 */
function judge(text: string): string {
  const question = between(text, "[User Question]", "[The Start of Assistant A's Answer]");
  const answerA = between(text, "[The Start of Assistant A's Answer]", "[The End of Assistant A's Answer]");
  const answerB = between(text, "[The Start of Assistant B's Answer]", "[The End of Assistant B's Answer]");
  const who = (answer: string) => (answer.startsWith("GOOD:") ? GOOD : answer.startsWith("POOR:") ? POOR : BASELINE);
  const a = who(answerA);
  const b = who(answerB);
  const model = a === BASELINE ? b : a;
  let verdict: "A" | "B" | "C";
  if (question.length % 5 === 0) verdict = "C";
  else if (question.length % 7 === 0) verdict = "A";
  else verdict = (model === GOOD) === (a === model) ? "A" : "B";
  if (verdict === "C") {
    count(model, "ties");
    count(BASELINE, "ties");
  } else {
    const winner = verdict === "A" ? a : b;
    count(winner, "wins");
    count(winner === model ? BASELINE : model, "losses");
  }
  return `Comparing both answers carefully. [[${verdict}]]`;
}

beforeAll(async () => {
  server = await startProtocolServer({
    respond: (req) => {
      const text = req.messages.map((m) => m.content).join("\n");
      if (req.model === "judge") return { text: judge(text) };
      return { text: req.model === "model-good" ? "GOOD: a careful, complete answer" : "POOR: no idea" };
    },
  });
  const ws = workspace(1);
  db = join(ws.dir, "arbiter.db");
  store = await openTestStore(ws.dir);
  const config = `
providers:
  fake: {type: openai-compatible, baseURL: ${server.url}/v1, apiKeyEnv: FAKE_API_KEY, maxRetries: 3}
models: [${GOOD}, ${POOR}]
tasks:
  - {builtin: pairwise, path: ${ALPACA_EVAL}}
`;
  const spec = specFor(ws.dir, config, { judge: "fake/judge", limit: SAMPLES });
  runId = (await run(spec, store)).runId;
}, 120_000);

afterAll(async () => {
  await store.close();
  await server.close();
});

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

interface RatingRow {
  model: string;
  baseline: boolean;
  rating: number;
  ci: { lower: number; upper: number; level: number } | null;
  rank: number;
  battles: number;
  wins: number;
  ties: number;
  losses: number;
}

describe("arbiter ratings from a pairwise run", () => {
  it("rates the judge's favourite first, the baseline second, with separated intervals", async () => {
    const doc = JSON.parse(await stdoutOf(() => ratingsCommand(undefined, { db, json: true })));
    expect(doc).toMatchObject({ runs: [runId], metric: "win-rate", battles: 4 * SAMPLES, samples: 2 * SAMPLES });
    const rows = doc.ratings as RatingRow[];
    expect(rows.map((r) => r.model)).toEqual([GOOD, BASELINE, POOR]);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.baseline)).toEqual([false, true, false]);
    const [good, base, poor] = rows as [RatingRow, RatingRow, RatingRow];
    // Statistically separated: each interval lies wholly above the next one's.
    expect(good.ci?.lower).toBeGreaterThan(base.ci?.upper ?? Number.POSITIVE_INFINITY);
    expect(base.ci?.lower).toBeGreaterThan(poor.ci?.upper ?? Number.POSITIVE_INFINITY);
    for (const r of rows) {
      expect(r.ci?.level).toBe(0.95);
      expect(r.ci?.lower).toBeLessThan(r.rating);
      expect(r.ci?.upper).toBeGreaterThan(r.rating);
    }

    // Battles as the judge decided them, ties and the position-biased split orders included.
    for (const r of rows) {
      const t = tally.get(r.model);
      expect(t, r.model).toBeDefined();
      expect({ wins: r.wins, ties: r.ties, losses: r.losses }, r.model).toEqual(t);
      expect(r.battles).toBe((t?.wins ?? 0) + (t?.ties ?? 0) + (t?.losses ?? 0));
    }
    expect(good.ties).toBeGreaterThan(0);
    expect(good.losses).toBeGreaterThan(0);

    // Each model met only the baseline, so the MLE has a closed form: its gap to the baseline is the Elo-scale logit
    // of its score share (wins + ties/2 of its battles), and the three ratings average 1000.
    const gap = (r: RatingRow) => {
      const s = r.wins + r.ties / 2;
      return 400 * Math.log10(s / (r.battles - s));
    };
    const baseRating = 1000 - (gap(good) + gap(poor)) / 3;
    expect(base.rating).toBeCloseTo(baseRating, 6);
    expect(good.rating).toBeCloseTo(baseRating + gap(good), 6);
    expect(poor.rating).toBeCloseTo(baseRating + gap(poor), 6);
    expect(doc.anchor).toBe("mean rating 1000");
  });

  it("prints a table with the baseline as a player, and is reproducible for a seed", async () => {
    const text = await stdoutOf(() => ratingsCommand([runId], { db, bootstrap: 200, seed: 7 }));
    const lines = text.split("\n");
    const header = lines.find((l) => l.startsWith("rank"));
    expect(header).toMatch(/rank\s+model\s+rating\s+95% CI\s+battles\s+wins\/ties\/losses/);
    const tableRows = lines.filter((l) => /^\s*\d\s/.test(l));
    expect(tableRows).toHaveLength(3);
    expect(tableRows[0]).toContain(GOOD);
    expect(tableRows[1]).toContain(`${BASELINE} (baseline)`);
    expect(tableRows[2]).toContain(POOR);
    expect(text).toContain(`run ${runId}: ${4 * SAMPLES} battles from ${2 * SAMPLES} judged samples (pairwise)`);
    expect(text).toContain("200 resamples, seed 7");
    const again = await stdoutOf(() => ratingsCommand([runId], { db, bootstrap: 200, seed: 7 }));
    expect(again).toBe(text);
    const other = await stdoutOf(() => ratingsCommand([runId], { db, bootstrap: 200, seed: 8 }));
    expect(other).not.toBe(text);

    const noCI = JSON.parse(await stdoutOf(() => ratingsCommand([runId], { db, bootstrap: 0, json: true })));
    expect(noCI.ratings.every((r: RatingRow) => r.ci === null)).toBe(true);
    expect(noCI.ratings.map((r: RatingRow) => r.rank)).toEqual([1, 2, 3]);
  });

  it("says what is missing when a run has no pairwise judgments", async () => {
    const id = "no-pairwise";
    await store.createRun({ id, toolVersion: "test", spec: {}, totalItems: 0 });
    await expect(ratingsCommand([id], { db })).rejects.toThrow(
      `run ${id} has no pairwise judgments ("win-rate" scores): run the pairwise task with a judge`,
    );
    await expect(ratingsCommand(["nope"], { db })).rejects.toBeInstanceOf(UsageError);
    await expect(ratingsCommand([runId], { db, bootstrap: -1 })).rejects.toThrow("--bootstrap -1");
  });
});

describe("battles from stored judgments", () => {
  const record = (winners: PairwiseRecord["orders"][number]["winner"][]): string =>
    JSON.stringify({
      baseline: "base",
      outcome: winners[0] === winners[1] ? winners[0] : "inconsistent",
      orders: winners.map((winner, i) => ({
        a: i === 0 ? "model" : "baseline",
        b: i === 0 ? "baseline" : "model",
        verdict: "A",
        winner,
      })),
    });
  const score = (model: string, sampleId: string, answer: string | null): ScoredAnswer => ({
    model,
    task: "pairwise",
    sampleId,
    epoch: 1,
    value: 1,
    answer,
  });

  it("turns each judged order into a battle and names the sample of a bad record", () => {
    const b = gatherBattles([
      {
        run: "r1",
        scores: [score("m", "0", record(["model", "baseline"])), score("m", "1", record(["tie", "model"]))],
      },
    ]);
    expect(b.comparisons).toEqual([
      { a: "m", b: "base", winner: "a" },
      { a: "m", b: "base", winner: "b" },
      { a: "m", b: "base", winner: "tie" },
      { a: "m", b: "base", winner: "a" },
    ]);
    expect(b).toMatchObject({ models: ["m"], baselines: ["base"], samples: 2, tasks: ["pairwise"] });
    expect(() => gatherBattles([{ run: "r1", scores: [score("m", "7", "0.5")] }])).toThrow(RatingsDataError);
    expect(() => gatherBattles([{ run: "r1", scores: [score("m", "7", "0.5")] }])).toThrow(
      "run r1, model m, task pairwise, sample 7 (epoch 1): not a pairwise record",
    );
    expect(() => gatherBattles([{ run: "r1", scores: [score("m", "8", null)] }])).toThrow("sample 8");
  });

  it("has no finite ratings when the judge always prefers one side, unless a prior adds virtual ties", () => {
    const sweep = gatherBattles([
      { run: "r", scores: Array.from({ length: 10 }, (_, i) => score("m", String(i), record(["model", "model"]))) },
    ]);
    expect(() => ratingsOf(sweep, { bootstrap: 0 })).toThrow(BradleyTerryError);
    const shrunk = ratingsOf(sweep, { bootstrap: 100, prior: 1 });
    expect(shrunk.ratings.map((r) => r.model)).toEqual(["m", "base"]);
    // One virtual tie per pair: m scored 20.5 of 21 games, so its gap is the logit of 20.5/21 on the Elo scale.
    const gap = 400 * Math.log10(20.5 / 0.5);
    expect((shrunk.ratings[0]?.rating ?? 0) - (shrunk.ratings[1]?.rating ?? 0)).toBeCloseTo(gap, 6);
    expect(shrunk.ratings[1]?.baseline).toBe(true);
  });
});
