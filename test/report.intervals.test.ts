import { describe, expect, it } from "vitest";
import { estimateMetric } from "../src/report/intervals.js";
import { clusteredMean, tInterval } from "../src/stats/mean.js";
import { wilsonInterval } from "../src/stats/proportion.js";
import type { MetricValue } from "../src/store/records.js";

function values(list: [string, number, string | null, number][]): MetricValue[] {
  return list.map(([sampleId, epoch, category, value]) => ({ sampleId, epoch, category, value }));
}

describe("the interval of a reported metric", () => {
  it("is Wilson's for independent 0/1 scores", () => {
    const scores = values(Array.from({ length: 10 }, (_, i) => [`s${i}`, 1, null, i < 7 ? 1 : 0]));
    const e = estimateMetric("accuracy", scores, true);
    expect(e).toMatchObject({ n: 10, mean: 0.7, method: "wilson" });
    expect(e.ci).toEqual(wilsonInterval(7, 10));
    // R: prop.test(7, 10, correct = FALSE)$conf.int = 0.3967781 0.8922087
    expect(e.ci?.lower).toBeCloseTo(0.3967781, 6);
    expect(e.ci?.upper).toBeCloseTo(0.8922087, 6);
  });

  it("is Student's t for graded scores", () => {
    const scores = values([7, 8, 6, 9, 5].map((v, i) => [`s${i}`, 1, null, v]));
    const e = estimateMetric("score", scores, false);
    expect(e.method).toBe("t");
    expect(e.ci).toEqual(tInterval([7, 8, 6, 9, 5]).ci);
  });

  it("clusters on the sample when samples ran several epochs", () => {
    const list: [string, number, string | null, number][] = [];
    for (let s = 0; s < 6; s++) for (let epoch = 1; epoch <= 3; epoch++) list.push([`s${s}`, epoch, null, s % 2]);
    const e = estimateMetric("accuracy", values(list), true);
    expect(e).toMatchObject({ method: "cluster-robust:sample", clusters: 6, n: 18 });
    expect(e.ci).toEqual(
      clusteredMean(
        list.map((r) => r[3]),
        list.map((r) => r[0]),
      ).ci,
    );
    // Perfectly correlated epochs carry the information of 6 draws, not 18: wider than Wilson on 18.
    const naive = wilsonInterval(9, 18);
    expect((e.ci?.upper ?? 0) - (e.ci?.lower ?? 0)).toBeGreaterThan(naive.upper - naive.lower);
  });

  it("clusters on categories when samples have them", () => {
    const list: [string, number, string | null, number][] = [];
    for (let s = 0; s < 12; s++)
      list.push([`s${s}`, 1, ["algebra", "anatomy", "law"][s % 3] ?? null, s % 3 === 0 ? 1 : 0]);
    const e = estimateMetric("accuracy", values(list), true);
    expect(e).toMatchObject({ method: "cluster-robust:category", clusters: 3 });
  });

  it("gives no interval for fewer than two scores", () => {
    expect(estimateMetric("accuracy", values([["s0", 1, null, 1]]), true)).toMatchObject({ mean: 1, ci: null });
    expect(estimateMetric("accuracy", [], true)).toMatchObject({ mean: null, ci: null, n: 0 });
  });
});
