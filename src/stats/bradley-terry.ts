/**
 * Bradley–Terry ratings from pairwise judgments (Bradley & Terry 1952), the method behind Chatbot Arena's
 * leaderboard (Chiang et al. 2024, "Chatbot Arena", §5): P(i beats j) = πᵢ/(πᵢ + πⱼ), fitted by maximum likelihood.
 *
 * - Fitting: the MM algorithm of Hunter (2004, "MM algorithms for generalized Bradley–Terry models", Ann. Statist.
 *   32:384, eq. 3), πᵢ ← Wᵢ / Σⱼ nᵢⱼ/(πᵢ + πⱼ), which increases the likelihood every step and converges to the MLE
 *   when it exists; the same MLE as a logistic regression without intercept (Chatbot Arena's fit).
 * - Ties count as half a win for each side (as in Chatbot Arena, which duplicates each tie as one win each way at
 *   half weight). Position swaps: a judge shown (A, B) and then (B, A) gives two comparisons; each judged order is
 *   one comparison, and the model has no position term.
 * - Existence: the MLE exists iff the "scored against" graph (i → j when i won or tied at least once against j) is
 *   strongly connected (Ford 1957; Hunter 2004, Assumption 1). Otherwise a model's strength is ±∞ and `bradleyTerry`
 *   throws unless `prior` > 0 adds that many virtual tied games to every pair of models (a symmetric shrinkage that
 *   makes the MLE exist).
 * - Scale: rating = 400·log₁₀ πᵢ + c, so a 400-point gap means 10:1 odds (the Elo scale). Anchor: by default the
 *   mean rating over models is 1000; or `anchor` puts a named model at a given rating.
 * - Intervals: percentile bootstrap over comparisons (resampling judgments with replacement and refitting, as Chatbot
 *   Arena does). A resample whose MLE does not exist (possible when the data are nearly separated) is refitted with
 *   0.01 virtual ties per pair (ratings far out on the scale rather than infinite) and counted in
 *   `degenerateResamples`; if that count is more than a few percent, the intervals are unreliable.
 * - Rank: 1 + the number of models statistically better, i.e. whose interval's lower bound is above this model's
 *   upper bound (Chatbot Arena's rule). Without intervals: 1 + the number of models with a higher rating.
 */
import { type RandomSource, toRng } from "./random.js";
import { checkLevel, type Interval, quantileSorted } from "./util.js";

export interface PairwiseComparison {
  a: string;
  b: string;
  /** "a" or "b" won, or a tie. */
  winner: "a" | "b" | "tie";
}

export interface BradleyTerryOptions {
  /**
   * Put this model at this rating; default: the mean rating is 1000. Anchoring is applied in every bootstrap
   * resample too, so with a named anchor the intervals are relative to it (its own interval is a single point) and
   * ranks compare models against that reference; the default mean anchor treats all models alike.
   */
  anchor?: { model: string; rating: number };
  /** Virtual tied games added to every pair of models (default 0: plain MLE). */
  prior?: number;
  /** Bootstrap resamples for intervals, default 1000; 0 for none. */
  resamples?: number;
  /** Interval level, default 0.95. */
  level?: number;
  seed?: RandomSource;
  /** MM iteration cap, default 100,000. */
  maxIterations?: number;
  /** Convergence tolerance on the log-strengths, default 1e-12. */
  tolerance?: number;
}

export interface BradleyTerryRating {
  model: string;
  rating: number;
  ci: Interval | null;
  rank: number;
  wins: number;
  losses: number;
  ties: number;
  comparisons: number;
}

export interface BradleyTerryResult {
  /** Sorted by rating, best first. */
  ratings: BradleyTerryRating[];
  /** How the scale is pinned, e.g. "mean rating 1000" or "gpt-4o = 1000". */
  anchor: string;
  iterations: number;
  converged: boolean;
  resamples: number;
  degenerateResamples: number;
}

export class BradleyTerryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BradleyTerryError";
  }
}

const LOG10_SCALE = 400 / Math.LN10;
const DEGENERATE_PRIOR = 0.01;

/** Elo-scale win probability of a model rated `ratingA` against one rated `ratingB`: 1/(1 + 10^((B − A)/400)). */
export function eloWinProbability(ratingA: number, ratingB: number): number {
  return 1 / (1 + 10 ** ((ratingB - ratingA) / 400));
}

/** Pair-aggregated data: for pair p = (pi[p], pj[p]), total games n[p] and i's score w[p] (wins + ½ ties). */
interface Pairs {
  k: number;
  pi: Int32Array;
  pj: Int32Array;
  n: Float64Array;
  w: Float64Array;
}

function strongConnected(pairs: Pairs): boolean {
  const { k, pi, pj, n, w } = pairs;
  if (k <= 1) return true;
  const fwd: number[][] = Array.from({ length: k }, () => []);
  const rev: number[][] = Array.from({ length: k }, () => []);
  for (let p = 0; p < pi.length; p++) {
    const i = pi[p] as number;
    const j = pj[p] as number;
    const wi = w[p] as number;
    const wj = (n[p] as number) - wi;
    if (wi > 0) {
      fwd[i]?.push(j);
      rev[j]?.push(i);
    }
    if (wj > 0) {
      fwd[j]?.push(i);
      rev[i]?.push(j);
    }
  }
  const reach = (adj: number[][]): boolean => {
    const seen = new Uint8Array(k);
    const stack = [0];
    seen[0] = 1;
    let count = 1;
    while (stack.length > 0) {
      const v = stack.pop() as number;
      for (const u of adj[v] as number[]) {
        if (!seen[u]) {
          seen[u] = 1;
          count++;
          stack.push(u);
        }
      }
    }
    return count === k;
  };
  return reach(fwd) && reach(rev);
}

/** Hunter's MM on pair data; theta (log-strengths, mean 0) is used as the start and overwritten. */
function fitMM(
  pairs: Pairs,
  theta: Float64Array,
  maxIterations: number,
  tolerance: number,
): { iterations: number; converged: boolean } {
  const { k, pi, pj, n, w } = pairs;
  const wins = new Float64Array(k);
  for (let p = 0; p < pi.length; p++) {
    const i = pi[p] as number;
    const j = pj[p] as number;
    wins[i] = (wins[i] as number) + (w[p] as number);
    wins[j] = (wins[j] as number) + (n[p] as number) - (w[p] as number);
  }
  const strength = new Float64Array(k);
  const denom = new Float64Array(k);
  for (let i = 0; i < k; i++) strength[i] = Math.exp(theta[i] as number);
  for (let iter = 1; iter <= maxIterations; iter++) {
    denom.fill(0);
    for (let p = 0; p < pi.length; p++) {
      const i = pi[p] as number;
      const j = pj[p] as number;
      const s = (n[p] as number) / ((strength[i] as number) + (strength[j] as number));
      denom[i] = (denom[i] as number) + s;
      denom[j] = (denom[j] as number) + s;
    }
    let meanLog = 0;
    for (let i = 0; i < k; i++) {
      const v = (wins[i] as number) / (denom[i] as number);
      strength[i] = v;
      meanLog += Math.log(v);
    }
    meanLog /= k;
    let change = 0;
    for (let i = 0; i < k; i++) {
      const t = Math.log(strength[i] as number) - meanLog;
      change = Math.max(change, Math.abs(t - (theta[i] as number)));
      theta[i] = t;
      strength[i] = Math.exp(t);
    }
    if (!(change > tolerance)) return { iterations: iter, converged: Number.isFinite(change) };
  }
  return { iterations: maxIterations, converged: false };
}

/** Fits Bradley–Terry ratings (with bootstrap intervals unless `resamples: 0`). */
export function bradleyTerry(
  comparisons: ReadonlyArray<PairwiseComparison>,
  options: BradleyTerryOptions = {},
): BradleyTerryResult {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const prior = options.prior ?? 0;
  if (!(prior >= 0 && Number.isFinite(prior))) throw new RangeError(`prior must be ≥ 0, got ${prior}`);
  const resamples = options.resamples ?? 1000;
  if (!(Number.isInteger(resamples) && resamples >= 0)) throw new RangeError(`resamples must be an integer ≥ 0`);
  const maxIterations = options.maxIterations ?? 100000;
  const tolerance = options.tolerance ?? 1e-12;
  const m = comparisons.length;
  if (m === 0) throw new RangeError("no comparisons");

  // Index models and pairs.
  const index = new Map<string, number>();
  const names: string[] = [];
  const idOf = (name: string): number => {
    let id = index.get(name);
    if (id === undefined) {
      id = names.length;
      index.set(name, id);
      names.push(name);
    }
    return id;
  };
  const stats: { wins: number; losses: number; ties: number }[] = [];
  const cmpPair = new Int32Array(m);
  const cmpScore = new Float64Array(m); // score of the pair's first model
  const pairIndex = new Map<number, number>();
  const pairI: number[] = [];
  const pairJ: number[] = [];
  const rows = comparisons.map((c, r) => {
    if (c.a === c.b) throw new RangeError(`comparison ${r} compares ${c.a} with itself`);
    if (c.winner !== "a" && c.winner !== "b" && c.winner !== "tie") {
      throw new RangeError(`comparison ${r}: winner must be "a", "b" or "tie", got ${String(c.winner)}`);
    }
    return { a: idOf(c.a), b: idOf(c.b), winner: c.winner };
  });
  const k = names.length;
  if (k < 2) throw new RangeError("need at least two models");
  for (let i = 0; i < k; i++) stats.push({ wins: 0, losses: 0, ties: 0 });
  const pairOf = (x: number, y: number): number => {
    const lo = Math.min(x, y);
    const hi = Math.max(x, y);
    const key = lo * k + hi;
    let p = pairIndex.get(key);
    if (p === undefined) {
      p = pairI.length;
      pairIndex.set(key, p);
      pairI.push(lo);
      pairJ.push(hi);
    }
    return p;
  };
  rows.forEach(({ a, b, winner }, r) => {
    const p = pairOf(a, b);
    cmpPair[r] = p;
    const scoreA = winner === "a" ? 1 : winner === "b" ? 0 : 0.5;
    cmpScore[r] = a === pairI[p] ? scoreA : 1 - scoreA;
    const sa = stats[a] as { wins: number; losses: number; ties: number };
    const sb = stats[b] as { wins: number; losses: number; ties: number };
    if (winner === "a") {
      sa.wins++;
      sb.losses++;
    } else if (winner === "b") {
      sb.wins++;
      sa.losses++;
    } else {
      sa.ties++;
      sb.ties++;
    }
  });
  // Virtual ties for every pair of models when prior > 0.
  if (prior > 0) for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairOf(i, j);
  const P = pairI.length;
  const makePairs = (): Pairs => ({
    k,
    pi: Int32Array.from(pairI),
    pj: Int32Array.from(pairJ),
    n: new Float64Array(P),
    w: new Float64Array(P),
  });
  const fill = (pairs: Pairs, counts: Float64Array | null, extraPrior: number): void => {
    pairs.n.fill(prior + extraPrior);
    pairs.w.fill((prior + extraPrior) / 2);
    for (let r = 0; r < m; r++) {
      const c = counts ? (counts[r] as number) : 1;
      if (c === 0) continue;
      const p = cmpPair[r] as number;
      pairs.n[p] = (pairs.n[p] as number) + c;
      pairs.w[p] = (pairs.w[p] as number) + c * (cmpScore[r] as number);
    }
  };

  if (options.anchor !== undefined && !index.has(options.anchor.model)) {
    throw new RangeError(`anchor model ${options.anchor.model} is not among the compared models`);
  }
  const anchorId = options.anchor ? (index.get(options.anchor.model) as number) : -1;
  const anchorRating = options.anchor ? options.anchor.rating : 1000;
  const toRatings = (theta: Float64Array, out: Float64Array, offset: number): void => {
    let shift: number;
    if (anchorId >= 0) shift = anchorRating - LOG10_SCALE * (theta[anchorId] as number);
    else {
      let s = 0;
      for (let i = 0; i < k; i++) s += theta[i] as number;
      shift = anchorRating - (LOG10_SCALE * s) / k;
    }
    for (let i = 0; i < k; i++) out[offset + i] = LOG10_SCALE * (theta[i] as number) + shift;
  };

  const pairs = makePairs();
  fill(pairs, null, 0);
  if (!strongConnected(pairs)) {
    throw new BradleyTerryError(
      "the Bradley–Terry MLE does not exist: some group of models never won or tied against the rest (ratings would " +
        "be infinite). Collect more comparisons or pass prior > 0.",
    );
  }
  const theta = new Float64Array(k);
  const fit = fitMM(pairs, theta, maxIterations, tolerance);
  const point = new Float64Array(k);
  toRatings(theta, point, 0);

  let degenerate = 0;
  let intervals: Interval[] | null = null;
  if (resamples > 0) {
    const rng = toRng(options.seed);
    const boot = new Float64Array(resamples * k);
    const counts = new Float64Array(m);
    const bp = makePairs();
    const th = new Float64Array(k);
    for (let r = 0; r < resamples; r++) {
      counts.fill(0);
      for (let t = 0; t < m; t++) {
        const j = rng.int(m);
        counts[j] = (counts[j] as number) + 1;
      }
      fill(bp, counts, 0);
      if (!strongConnected(bp)) {
        degenerate++;
        fill(bp, counts, DEGENERATE_PRIOR);
      }
      th.set(theta);
      fitMM(bp, th, maxIterations, Math.max(tolerance, 1e-9));
      toRatings(th, boot, r * k);
    }
    intervals = [];
    const col = new Float64Array(resamples);
    const alpha = 1 - level;
    for (let i = 0; i < k; i++) {
      for (let r = 0; r < resamples; r++) col[r] = boot[r * k + i] as number;
      col.sort();
      intervals.push({ lower: quantileSorted(col, alpha / 2), upper: quantileSorted(col, 1 - alpha / 2), level });
    }
  }

  const ratings: BradleyTerryRating[] = names.map((model, i) => {
    const s = stats[i] as { wins: number; losses: number; ties: number };
    let better = 0;
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      if (intervals) {
        if ((intervals[j] as Interval).lower > (intervals[i] as Interval).upper) better++;
      } else if ((point[j] as number) > (point[i] as number)) better++;
    }
    return {
      model,
      rating: point[i] as number,
      ci: intervals ? (intervals[i] as Interval) : null,
      rank: 1 + better,
      wins: s.wins,
      losses: s.losses,
      ties: s.ties,
      comparisons: s.wins + s.losses + s.ties,
    };
  });
  ratings.sort((x, y) => y.rating - x.rating || x.model.localeCompare(y.model));
  return {
    ratings,
    anchor: options.anchor ? `${options.anchor.model} = ${options.anchor.rating}` : `mean rating ${anchorRating}`,
    iterations: fit.iterations,
    converged: fit.converged,
    resamples,
    degenerateResamples: degenerate,
  };
}
