/**
 * Test of a cost claim `cost(A, T) < K × cost(B, T)` (or `>`): the ratio R = Σ costᵢ(A) / Σ costᵢ(B) over the samples
 * both models answered (= the ratio of their costs per sample), with a paired percentile bootstrap over samples —
 * each resample draws samples with replacement and keeps a sample's two costs together, since they priced the same
 * prompt. p-values invert the bootstrap distribution: for "<", p = (1 + #{R* ≥ K}) / (B + 1) against "the claim is
 * false" and (1 + #{R* ≤ K}) / (B + 1) against "it is true" (the same convention as src/stats/hypotheses.ts).
 */

import { samplesToSettle } from "../stats/power.js";
import { toRng } from "../stats/random.js";
import { quantileSorted } from "../stats/util.js";
import type { CostRatioClaim } from "./grammar.js";
import { MIN_BOOTSTRAP_PAIRS, type SamplesNeededAnswer, type TestOutcome } from "./outcome.js";

export interface CostEvidence {
  kind: "costs";
  /** Currency of the costs. */
  currency: string;
  /** Per-sample cost of A and of B on the same (sample, epoch), in the same order; empty when `unknown` is set. */
  a: number[];
  b: number[];
  /** Why the cost could not be established (no price in the catalog, usage not reported, …). */
  unknown?: string;
}

export interface CostTestOptions {
  alpha: number;
  seed: number;
  resamples: number;
}

export interface CostTestOutcome extends TestOutcome {
  currency: string;
  totalA: number;
  totalB: number;
  /** Mean cost per sample. */
  meanA: number;
  meanB: number;
}

export function testCostClaim(
  claim: CostRatioClaim,
  evidence: CostEvidence,
  options: CostTestOptions,
): CostTestOutcome {
  const { a, b } = evidence;
  const n = a.length;
  const k = claim.factor;
  const totalA = a.reduce((s, v) => s + v, 0);
  const totalB = b.reduce((s, v) => s + v, 0);
  const ratio = totalB > 0 ? totalA / totalB : totalA > 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  const B = options.resamples;
  const rng = toRng(options.seed);
  const reps = new Float64Array(B);
  for (let r = 0; r < B; r++) {
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      const j = rng.int(n);
      sa += a[j] as number;
      sb += b[j] as number;
    }
    // A resample in which neither model cost anything says nothing about the ratio: placing it exactly at K counts
    // it against both verdicts.
    reps[r] = sb > 0 ? sa / sb : sa > 0 ? Number.POSITIVE_INFINITY : k;
  }
  reps.sort();
  let atLeast = 0;
  let atMost = 0;
  let finite = 0;
  let sum = 0;
  let sumSq = 0;
  for (const v of reps) {
    if (v >= k) atLeast++;
    if (v <= k) atMost++;
    if (Number.isFinite(v)) {
      finite++;
      sum += v;
      sumSq += v * v;
    }
  }
  const pBelow = (1 + atLeast) / (B + 1); // against R ≥ K
  const pAbove = (1 + atMost) / (B + 1); // against R ≤ K
  const less = claim.direction === "less";
  const alpha = options.alpha;
  const se = finite > 1 ? Math.sqrt(Math.max(0, (sumSq - (sum * sum) / finite) / (finite - 1))) : Number.NaN;
  const outcome: CostTestOutcome = {
    effect: {
      measure: "ratio",
      estimate: ratio,
      ci: { lower: quantileSorted(reps, alpha), upper: quantileSorted(reps, 1 - alpha), level: 1 - 2 * alpha },
    },
    pSupport: less ? pBelow : pAbove,
    pContra: less ? pAbove : pBelow,
    method: `paired percentile bootstrap of the cost ratio over samples (${B} resamples), p by inverting it`,
    n,
    currency: evidence.currency,
    totalA,
    totalB,
    meanA: n > 0 ? totalA / n : Number.NaN,
    meanB: n > 0 ? totalB / n : Number.NaN,
    samplesNeeded: (a2, power) => costSamplesNeeded(claim, { n, ratio, se }, a2, power),
  };
  if (totalB === 0) {
    outcome.undecidable = `${claim.b} cost nothing on these samples (a local model, or every answer free): the ratio is undefined`;
  } else if (n < MIN_BOOTSTRAP_PAIRS) {
    outcome.undecidable = `only ${n} sample${n === 1 ? "" : "s"} priced for both models: the bootstrap needs at least ${MIN_BOOTSTRAP_PAIRS}`;
  }
  return outcome;
}

/**
 * Samples needed for the ratio's interval to exclude K with the given power, if the ratio and its per-sample spread
 * stay as observed: the bootstrap standard error shrinks as 1/√n, so σ = se·√n plugs into `samplesToSettle`.
 */
function costSamplesNeeded(
  claim: CostRatioClaim,
  data: { n: number; ratio: number; se: number },
  alpha: number,
  power: number,
): SamplesNeededAnswer {
  const { n, ratio, se } = data;
  if (!Number.isFinite(ratio)) return { unknown: "the observed ratio is not finite" };
  if (!Number.isFinite(se)) return { unknown: "too few samples to see how the ratio varies" };
  const settled = samplesToSettle({
    estimate: ratio,
    n,
    sdDiff: se * Math.sqrt(n),
    level: 1 - 2 * alpha,
    margin: claim.factor,
    power,
  });
  if (!Number.isFinite(settled.nTotal)) {
    return {
      unknown: `the observed ratio is exactly ${claim.factor}: if it stays so, no number of samples settles it`,
    };
  }
  let total = settled.nTotal;
  let basis = `normal approximation with the observed ratio ${ratio.toPrecision(4)} and its bootstrap standard error ${se.toPrecision(3)} at n = ${n}`;
  if (total < MIN_BOOTSTRAP_PAIRS) {
    total = MIN_BOOTSTRAP_PAIRS;
    basis += `; at least ${MIN_BOOTSTRAP_PAIRS} samples for the bootstrap`;
  }
  const favours = claim.direction === "less" ? ratio < claim.factor : ratio > claim.factor;
  return {
    total,
    additional: Math.max(0, total - n),
    toward: favours ? "supported" : "contradicted",
    power,
    alpha,
    basis,
  };
}
