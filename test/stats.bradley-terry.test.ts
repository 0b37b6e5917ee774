import { describe, expect, it } from "vitest";
import {
  BradleyTerryError,
  bradleyTerry,
  createRng,
  eloWinProbability,
  type PairwiseComparison,
} from "../src/stats/index.js";

const LN10_OVER_400 = Math.LN10 / 400;

/** Home/away win counts → one comparison per game. */
function games(rows: [string, string, number, number][]): PairwiseComparison[] {
  const out: PairwiseComparison[] = [];
  for (const [home, away, hw, aw] of rows) {
    for (let i = 0; i < hw; i++) out.push({ a: home, b: away, winner: "a" });
    for (let i = 0; i < aw; i++) out.push({ a: home, b: away, winner: "b" });
  }
  return out;
}

// 1987 American League East (Agresti 2002, "Categorical Data Analysis", 2nd ed., Table 10.10; data set `baseball` of
// the R package BradleyTerry2).
const BASEBALL: [string, string, number, number][] = [
  ["Milwaukee", "Detroit", 4, 3],
  ["Milwaukee", "Toronto", 4, 2],
  ["Milwaukee", "New York", 4, 3],
  ["Milwaukee", "Boston", 6, 1],
  ["Milwaukee", "Cleveland", 4, 2],
  ["Milwaukee", "Baltimore", 6, 0],
  ["Detroit", "Milwaukee", 3, 3],
  ["Detroit", "Toronto", 4, 2],
  ["Detroit", "New York", 4, 3],
  ["Detroit", "Boston", 6, 0],
  ["Detroit", "Cleveland", 6, 1],
  ["Detroit", "Baltimore", 4, 3],
  ["Toronto", "Milwaukee", 2, 5],
  ["Toronto", "Detroit", 4, 3],
  ["Toronto", "New York", 2, 4],
  ["Toronto", "Boston", 4, 3],
  ["Toronto", "Cleveland", 4, 2],
  ["Toronto", "Baltimore", 6, 0],
  ["New York", "Milwaukee", 3, 3],
  ["New York", "Detroit", 5, 1],
  ["New York", "Toronto", 2, 5],
  ["New York", "Boston", 4, 3],
  ["New York", "Cleveland", 4, 2],
  ["New York", "Baltimore", 6, 1],
  ["Boston", "Milwaukee", 5, 1],
  ["Boston", "Detroit", 2, 5],
  ["Boston", "Toronto", 3, 3],
  ["Boston", "New York", 4, 2],
  ["Boston", "Cleveland", 5, 2],
  ["Boston", "Baltimore", 6, 0],
  ["Cleveland", "Milwaukee", 2, 5],
  ["Cleveland", "Detroit", 3, 3],
  ["Cleveland", "Toronto", 3, 4],
  ["Cleveland", "New York", 4, 3],
  ["Cleveland", "Boston", 4, 2],
  ["Cleveland", "Baltimore", 2, 4],
  ["Baltimore", "Milwaukee", 2, 5],
  ["Baltimore", "Detroit", 1, 5],
  ["Baltimore", "Toronto", 1, 6],
  ["Baltimore", "New York", 2, 4],
  ["Baltimore", "Boston", 1, 6],
  ["Baltimore", "Cleveland", 3, 4],
];

describe("Bradley–Terry maximum likelihood", () => {
  it("reproduces Agresti's baseball abilities (BradleyTerry2 BTm, Baltimore = 0)", () => {
    // BradleyTerry2 tests/baseball.Rout.save, summary(baseballModel1): log-abilities relative to Baltimore.
    const expected: Record<string, number> = {
      Milwaukee: 1.5814,
      Detroit: 1.4364,
      Toronto: 1.2945,
      "New York": 1.2476,
      Boston: 1.1077,
      Cleveland: 0.6839,
      Baltimore: 0,
    };
    const r = bradleyTerry(games(BASEBALL), { anchor: { model: "Baltimore", rating: 1000 }, resamples: 0 });
    expect(r.converged).toBe(true);
    expect(r.anchor).toBe("Baltimore = 1000");
    expect(r.ratings.map((x) => x.model)).toEqual(Object.keys(expected));
    for (const x of r.ratings) {
      expect((x.rating - 1000) * LN10_OVER_400).toBeCloseTo(expected[x.model] as number, 4);
      expect(x.ci).toBeNull();
    }
    const mil = r.ratings[0];
    expect(mil).toMatchObject({ model: "Milwaukee", wins: 50, losses: 28, ties: 0, comparisons: 78, rank: 1 });
  });

  it("recovers strengths exactly when the win counts equal their expectations", () => {
    // π = (1, 2, 4): X2 beats X1 2 of 3, X3 beats X1 4 of 5, X3 beats X2 2 of 3 satisfy the likelihood equations.
    const r = bradleyTerry(
      games([
        ["X1", "X2", 1, 2],
        ["X1", "X3", 1, 4],
        ["X2", "X3", 1, 2],
      ]),
      { resamples: 0 },
    );
    const step = 400 * Math.log10(2);
    const byModel = Object.fromEntries(r.ratings.map((x) => [x.model, x.rating]));
    expect(byModel.X3).toBeCloseTo(1000 + step, 8);
    expect(byModel.X2).toBeCloseTo(1000, 8);
    expect(byModel.X1).toBeCloseTo(1000 - step, 8);
    expect(r.anchor).toBe("mean rating 1000");
    expect(eloWinProbability(byModel.X3 as number, byModel.X1 as number)).toBeCloseTo(0.8, 8);
  });

  it("counts a tie as half a win for each side and each judged order as one comparison", () => {
    const withTies: PairwiseComparison[] = [
      ...games([["A", "B", 3, 1]]),
      { a: "A", b: "B", winner: "tie" },
      { a: "B", b: "A", winner: "tie" },
    ];
    const winsOnly = games([["A", "B", 4, 2]]);
    // Position swap: "B vs A, A won" is the same evidence as "A vs B, A won".
    const swapped: PairwiseComparison[] = [...games([["A", "B", 2, 1]]), ...games([["B", "A", 1, 2]])];
    const gap = (cs: PairwiseComparison[]) => {
      const r = bradleyTerry(cs, { resamples: 0 });
      const a = r.ratings.find((x) => x.model === "A")?.rating as number;
      const b = r.ratings.find((x) => x.model === "B")?.rating as number;
      return a - b;
    };
    expect(gap(withTies)).toBeCloseTo(400 * Math.log10(2), 8);
    expect(gap(winsOnly)).toBeCloseTo(400 * Math.log10(2), 8);
    expect(gap(swapped)).toBeCloseTo(400 * Math.log10(2), 8);
    const t = bradleyTerry(withTies, { resamples: 0 }).ratings.find((x) => x.model === "B");
    expect(t).toMatchObject({ wins: 1, losses: 3, ties: 2, comparisons: 6 });
  });

  it("refuses data where the MLE does not exist, unless a prior is given", () => {
    const sweep = games([
      ["A", "B", 5, 0],
      ["B", "C", 3, 2],
    ]);
    expect(() => bradleyTerry(sweep, { resamples: 0 })).toThrow(BradleyTerryError);
    const r = bradleyTerry(sweep, { resamples: 0, prior: 0.5 });
    expect(r.ratings[0]?.model).toBe("A");
    expect(Number.isFinite(r.ratings[0]?.rating)).toBe(true);
    expect(() => bradleyTerry([{ a: "A", b: "A", winner: "a" }])).toThrow(RangeError);
    expect(() => bradleyTerry(sweep, { anchor: { model: "Z", rating: 1000 }, prior: 1 })).toThrow(RangeError);
  });

  it("bootstrap intervals bracket the estimates, are reproducible, and rank by non-overlap", () => {
    const cs = games(BASEBALL);
    const r = bradleyTerry(cs, { resamples: 300, seed: 4 });
    expect(bradleyTerry(cs, { resamples: 300, seed: 4 })).toEqual(r);
    for (const x of r.ratings) {
      expect(x.ci?.lower).toBeLessThan(x.rating);
      expect(x.ci?.upper).toBeGreaterThan(x.rating);
    }
    for (const x of r.ratings) {
      const better = r.ratings.filter((y) => y !== x && (y.ci?.lower as number) > (x.ci?.upper as number)).length;
      expect(x.rank).toBe(1 + better);
    }
    // Baltimore (23–55) is statistically below the top team; the top team is rank 1.
    expect(r.ratings[0]?.rank).toBe(1);
    expect(r.ratings.at(-1)?.model).toBe("Baltimore");
    expect(r.ratings.at(-1)?.rank).toBeGreaterThan(1);
    expect(r.degenerateResamples).toBe(0);
  });

  it("recovers known ratings from simulated games (order, values, interval coverage)", () => {
    const truth: Record<string, number> = { m1: 1250, m2: 1150, m3: 1050, m4: 950, m5: 800 };
    const names = Object.keys(truth);
    const mean = names.reduce((s, k) => s + (truth[k] as number), 0) / names.length;
    const rng = createRng(99);
    const cs: PairwiseComparison[] = [];
    for (let g = 0; g < 8000; g++) {
      const i = rng.int(5);
      let j = rng.int(4);
      if (j >= i) j++;
      const a = names[i] as string;
      const b = names[j] as string;
      const pA = eloWinProbability(truth[a] as number, truth[b] as number);
      // 10% ties; the rest won by a with probability (pA − 0.05)/0.9, so a's expected score (ties = ½) is pA.
      const winner = rng.next() < 0.1 ? "tie" : rng.next() < (pA - 0.05) / 0.9 ? "a" : "b";
      cs.push({ a, b, winner });
    }
    const r = bradleyTerry(cs, { resamples: 200, seed: 1 });
    expect(r.ratings.map((x) => x.model)).toEqual(names);
    let covered = 0;
    for (const x of r.ratings) {
      const target = (truth[x.model] as number) - mean + 1000;
      expect(Math.abs(x.rating - target)).toBeLessThan(30);
      if ((x.ci?.lower as number) <= target && target <= (x.ci?.upper as number)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(4);
    // With ~1,600 games per model and 100-point gaps, every model is separated from the next.
    expect(r.ratings.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5]);
  });
});
