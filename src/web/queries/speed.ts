/**
 * Speed distributions per model: time to first token, time to first answer token (later for reasoning models),
 * output tokens per second and latency, as five-number summaries (nearest-rank quantiles, as the run summary's
 * p50/p95) and histograms on shared bins. Computed on the server from the answers' timings: the browser gets a
 * few hundred numbers, not the run.
 */
import type { RunData, SpeedRow } from "../../report/run-data.js";
import { nearestRank } from "../../stats/util.js";
import type { Distribution, SpeedMetric, SpeedResponse } from "../api-types.js";

const BINS = 30;

const METRICS: { key: SpeedMetric["key"]; label: string; unit: string; pick: (r: SpeedRow) => number | null }[] = [
  { key: "ttft", label: "Time to first token", unit: "ms", pick: (r) => r.ttftMs },
  { key: "ttfat", label: "Time to first answer token", unit: "ms", pick: (r) => r.ttfatMs },
  { key: "tps", label: "Output tokens per second", unit: "tok/s", pick: (r) => r.outputTps },
  { key: "latency", label: "Latency", unit: "ms", pick: (r) => r.latencyMs },
];

function distribution(model: string, values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  return {
    model,
    n: sorted.length,
    min: sorted[0] as number,
    p5: nearestRank(sorted, 0.05),
    q1: nearestRank(sorted, 0.25),
    median: nearestRank(sorted, 0.5),
    q3: nearestRank(sorted, 0.75),
    p95: nearestRank(sorted, 0.95),
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
  };
}

/**
 * Equal-width bins from the smallest value to the 99th percentile of all models together (a few slow outliers
 * would otherwise squeeze everything into the first bin); the last bin holds everything above too.
 */
function histogram(byModel: Map<string, number[]>): { edges: number[]; counts: Record<string, number[]> } {
  const all = Float64Array.from([...byModel.values()].flat()).sort();
  if (all.length === 0) return { edges: [], counts: {} };
  const lo = all[0] as number;
  let hi = nearestRank(all, 0.99);
  if (hi <= lo) hi = lo + 1;
  const width = (hi - lo) / BINS;
  const edges = Array.from({ length: BINS + 1 }, (_, i) => lo + i * width);
  const counts: Record<string, number[]> = {};
  for (const [model, values] of byModel) {
    const c = new Array<number>(BINS).fill(0);
    for (const v of values) {
      const i = Math.min(BINS - 1, Math.max(0, Math.floor((v - lo) / width)));
      c[i] = (c[i] as number) + 1;
    }
    counts[model] = c;
  }
  return { edges, counts };
}

export function speedView(data: RunData, runId: string, models: string[]): SpeedResponse {
  const values = METRICS.map(() => new Map<string, number[]>(models.map((m) => [m, []])));
  for (const row of data.speeds(runId)) {
    METRICS.forEach((m, i) => {
      const v = m.pick(row);
      if (v === null || !Number.isFinite(v)) return;
      const byModel = values[i] as Map<string, number[]>;
      let list = byModel.get(row.model);
      if (!list) {
        list = [];
        byModel.set(row.model, list);
      }
      list.push(v);
    });
  }
  return {
    metrics: METRICS.map((m, i) => {
      const byModel = new Map([...(values[i] as Map<string, number[]>)].filter(([, v]) => v.length > 0));
      return {
        key: m.key,
        label: m.label,
        unit: m.unit,
        distributions: [...byModel].map(([model, v]) => distribution(model, v)),
        ...histogram(byModel),
      };
    }),
  };
}
