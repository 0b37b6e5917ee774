/**
 * Cost-effectiveness: cost per correct answer with a bootstrap interval, and the cost/quality Pareto frontier with a
 * bootstrap test of dominance.
 */
import { type RandomSource, toRng } from "./random.js";
import { checkCount, checkLevel, type Interval, quantileSorted, toFloat64 } from "./util.js";

export interface CostPerCorrectOptions {
  /** Confidence level, default 0.95. */
  level?: number;
  /** Bootstrap resamples, default 10,000. */
  resamples?: number;
  seed?: RandomSource;
}

export interface CostPerCorrectResult {
  /** Total cost ÷ total quality (e.g. dollars per correct answer); Infinity when nothing is correct. */
  estimate: number;
  /** Percentile bootstrap interval of the ratio, resampling samples (cost and quality together). */
  ci: Interval;
  totalCost: number;
  totalQuality: number;
  n: number;
  resamples: number;
}

/**
 * Cost per correct answer as a ratio estimator Σcostᵢ / Σqualityᵢ (quality 0/1 for correct, or graded), with a
 * percentile bootstrap interval over samples: each resample draws samples with replacement, keeping each sample's
 * cost and quality together, and recomputes the ratio (a resample with no quality gives Infinity).
 */
export function costPerCorrect(
  quality: ArrayLike<number>,
  cost: ArrayLike<number>,
  options: CostPerCorrectOptions = {},
): CostPerCorrectResult {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const resamples = options.resamples ?? 10000;
  checkCount(resamples, "resamples", 2);
  const q = toFloat64(quality, "quality");
  const c = toFloat64(cost, "cost");
  if (q.length !== c.length) throw new RangeError(`quality and cost differ in length: ${q.length} vs ${c.length}`);
  const n = q.length;
  let totalQ = 0;
  let totalC = 0;
  for (let i = 0; i < n; i++) {
    if ((q[i] as number) < 0 || (c[i] as number) < 0) throw new RangeError(`sample ${i}: quality and cost must be ≥ 0`);
    totalQ += q[i] as number;
    totalC += c[i] as number;
  }
  const ratio = (sc: number, sq: number): number => (sq > 0 ? sc / sq : sc > 0 ? Infinity : Number.NaN);
  const rng = toRng(options.seed);
  const reps = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sq = 0;
    let sc = 0;
    for (let i = 0; i < n; i++) {
      const j = rng.int(n);
      sq += q[j] as number;
      sc += c[j] as number;
    }
    const v = ratio(sc, sq);
    reps[r] = Number.isNaN(v) ? 0 : v; // no cost and no quality: a free sample is 0 per correct
  }
  reps.sort();
  const alpha = 1 - level;
  return {
    estimate: ratio(totalC, totalQ),
    ci: { lower: quantileSorted(reps, alpha / 2), upper: quantileSorted(reps, 1 - alpha / 2), level },
    totalCost: totalC,
    totalQuality: totalQ,
    n,
    resamples,
  };
}

export interface ParetoPoint {
  id: string;
  /** Lower is better. */
  cost: number;
  /** Higher is better. */
  quality: number;
}

export interface ParetoEntry extends ParetoPoint {
  /** No other point is at least as cheap and at least as good, and strictly better in one of the two. */
  onFrontier: boolean;
  /** Ids of the points that dominate this one. */
  dominatedBy: string[];
}

function dominates(costA: number, qualA: number, costB: number, qualB: number): boolean {
  return costA <= costB && qualA >= qualB && (costA < costB || qualA > qualB);
}

/** The cost/quality Pareto frontier (minimise cost, maximise quality), in input order. Ties are both on it. */
export function paretoFrontier(points: ReadonlyArray<ParetoPoint>): ParetoEntry[] {
  return points.map((p) => {
    if (!Number.isFinite(p.cost) || !Number.isFinite(p.quality)) throw new RangeError(`point ${p.id} is not finite`);
    const dominatedBy = points
      .filter((o) => o !== p && dominates(o.cost, o.quality, p.cost, p.quality))
      .map((o) => o.id);
    return { ...p, onFrontier: dominatedBy.length === 0, dominatedBy };
  });
}

export interface ModelSamples {
  id: string;
  /** Per-sample quality (same samples, same order, for every model). */
  quality: ArrayLike<number>;
  /** Per-sample cost. */
  cost: ArrayLike<number>;
}

export interface DominanceEntry {
  id: string;
  meanQuality: number;
  meanCost: number;
  /** On the frontier of the observed means. */
  onFrontier: boolean;
  /** Share of bootstrap resamples in which some other model dominates this one. */
  dominatedFraction: number;
  /** dominatedFraction ≥ threshold: reliably off the frontier. */
  dominated: boolean;
}

export interface DominanceResult {
  models: DominanceEntry[];
  resamples: number;
  threshold: number;
}

/**
 * Bootstrap dominance: resamples samples (jointly for all models, since they answered the same samples), recomputes
 * each model's mean cost and quality, and counts the resamples in which another model dominates it. A model is
 * flagged `dominated` when that happens in at least `threshold` (default 95%) of resamples.
 */
export function paretoDominanceBootstrap(
  models: ReadonlyArray<ModelSamples>,
  options: { resamples?: number; threshold?: number; seed?: RandomSource } = {},
): DominanceResult {
  const resamples = options.resamples ?? 1000;
  checkCount(resamples, "resamples");
  const threshold = options.threshold ?? 0.95;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  const k = models.length;
  if (k === 0) throw new RangeError("no models");
  const q = models.map((m) => toFloat64(m.quality, `${m.id}.quality`));
  const c = models.map((m) => toFloat64(m.cost, `${m.id}.cost`));
  const n = (q[0] as Float64Array).length;
  for (let i = 0; i < k; i++) {
    if ((q[i] as Float64Array).length !== n || (c[i] as Float64Array).length !== n) {
      throw new RangeError(`model ${models[i]?.id}: every model needs the same ${n} samples`);
    }
  }
  const meanOf = (x: Float64Array): number => x.reduce((s, v) => s + v, 0) / n;
  const mq = q.map(meanOf);
  const mc = c.map(meanOf);
  const observed = paretoFrontier(
    models.map((m, i) => ({ id: m.id, cost: mc[i] as number, quality: mq[i] as number })),
  );
  const rng = toRng(options.seed);
  const idx = new Int32Array(n);
  const rq = new Float64Array(k);
  const rc = new Float64Array(k);
  const dominatedCount = new Float64Array(k);
  for (let r = 0; r < resamples; r++) {
    for (let t = 0; t < n; t++) idx[t] = rng.int(n);
    for (let i = 0; i < k; i++) {
      const qi = q[i] as Float64Array;
      const ci = c[i] as Float64Array;
      let sq = 0;
      let sc = 0;
      for (let t = 0; t < n; t++) {
        const j = idx[t] as number;
        sq += qi[j] as number;
        sc += ci[j] as number;
      }
      rq[i] = sq / n;
      rc[i] = sc / n;
    }
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        if (j !== i && dominates(rc[j] as number, rq[j] as number, rc[i] as number, rq[i] as number)) {
          dominatedCount[i] = (dominatedCount[i] as number) + 1;
          break;
        }
      }
    }
  }
  return {
    models: models.map((m, i) => {
      const f = (dominatedCount[i] as number) / resamples;
      return {
        id: m.id,
        meanQuality: mq[i] as number,
        meanCost: mc[i] as number,
        onFrontier: (observed[i] as ParetoEntry).onFrontier,
        dominatedFraction: f,
        dominated: f >= threshold,
      };
    }),
    resamples,
    threshold,
  };
}
