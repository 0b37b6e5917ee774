/**
 * The 95% interval of each reported metric. Which interval depends on how the scores were collected:
 * - samples grouped into ≥ 2 categories (MMLU subjects, MMLU-Pro categories): cluster-robust on the category, since
 *   questions of one subject succeed or fail together more than independent draws would;
 * - else several epochs of one sample: cluster-robust on the sample (epochs of a sample are not independent);
 * - else 0/1 scores: Wilson score interval for a proportion;
 * - else graded scores: Student t interval for a mean.
 * The method is named beside every interval.
 */
import { clusteredMean, tInterval } from "../stats/mean.js";
import { wilsonInterval } from "../stats/proportion.js";
import type { Interval } from "../stats/util.js";
import type { MetricValue } from "../store/records.js";

export type IntervalMethod = "wilson" | "t" | "cluster-robust:category" | "cluster-robust:sample";

export interface MetricEstimate {
  metric: string;
  /** Scores (samples × epochs). */
  n: number;
  mean: number | null;
  /** Null when there are too few scores (or clusters) for an interval. */
  ci: Interval | null;
  method: IntervalMethod | null;
  /** Clusters used by a cluster-robust interval. */
  clusters?: number;
}

export function estimateMetric(
  metric: string,
  scores: Iterable<MetricValue>,
  binary: boolean,
  level = 0.95,
): MetricEstimate {
  const values: number[] = [];
  const categories: (string | null)[] = [];
  const samples: string[] = [];
  for (const s of scores) {
    values.push(s.value);
    categories.push(s.category);
    samples.push(s.sampleId);
  }
  const n = values.length;
  if (n === 0) return { metric, n, mean: null, ci: null, method: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { metric, n, mean, ci: null, method: null };

  const distinctCategories = new Set(categories.filter((c) => c !== null));
  if (distinctCategories.size >= 2 && categories.every((c) => c !== null)) {
    const est = clusteredMean(values, categories as string[], { level });
    return { metric, n, mean, ci: est.ci, method: "cluster-robust:category", clusters: est.clusters };
  }
  const distinctSamples = new Set(samples);
  if (distinctSamples.size < n) {
    if (distinctSamples.size < 2) return { metric, n, mean, ci: null, method: null };
    const est = clusteredMean(values, samples, { level });
    return { metric, n, mean, ci: est.ci, method: "cluster-robust:sample", clusters: est.clusters };
  }
  if (binary) {
    const successes = values.filter((v) => v === 1).length;
    return { metric, n, mean, ci: wilsonInterval(successes, n, { level }), method: "wilson" };
  }
  // All-equal graded scores have no spread: the t interval degenerates to the point, which is honest.
  return { metric, n, mean, ci: tInterval(values, { level }).ci, method: "t" };
}
