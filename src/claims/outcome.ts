/** What a claim's statistical test hands to the verdict logic (see evaluate.ts). */
import type { Interval } from "../stats/util.js";

export interface Effect {
  /** "difference": mean(A) − mean(B) of the scores; "ratio": total cost(A) ÷ total cost(B). */
  measure: "difference" | "ratio";
  estimate: number;
  /** Two-sided 1 − 2α interval: its ends are the one-sided 1 − α bounds the verdicts read. */
  ci: Interval;
}

export interface SamplesNeeded {
  /** Paired samples in all (rounded up). */
  total: number;
  /** Beyond the ones the run has. */
  additional: number;
  /** Which verdict the extra samples would most likely give if the observed effect stays as it is. */
  toward: "supported" | "contradicted";
  power: number;
  /** The one-sided level assumed: α divided by the number of claims tested (the most Holm can demand). */
  alpha: number;
  /** How the figure was computed. */
  basis: string;
}

export type SamplesNeededAnswer = SamplesNeeded | { unknown: string };

export interface TestOutcome {
  effect: Effect;
  /** One-sided p-value of "the claim is false" (small → supported). */
  pSupport: number;
  /** One-sided p-value of "the claim is true" (small → contradicted). */
  pContra: number;
  /** The tests and interval used, for output. */
  method: string;
  n: number;
  /** Set when the data cannot decide the claim at all (too few pairs, zero cost): the verdict is inconclusive. */
  undecidable?: string;
  /** Samples that would settle the claim with the given power at one-sided level `alpha`. */
  samplesNeeded(alpha: number, power: number): SamplesNeededAnswer;
}

/**
 * The percentile bootstrap's interval is too narrow with a handful of pairs (it cannot see variation the sample does
 * not show; n = 3 identical positive differences would "prove" anything). Below this many pairs a graded or cost
 * claim is left inconclusive.
 */
export const MIN_BOOTSTRAP_PAIRS = 10;

/** A claim that the run's data cannot be used for as written (e.g. a margin in points on a 1–10 score). */
export class ClaimDataError extends Error {
  override name = "ClaimDataError";
}
