/**
 * Power and sample size. Sizes are normal-approximation formulas (named below); `n` is rounded up, `nExact` is the
 * unrounded value. α is two-sided throughout.
 */
import { normalCdf, normalQuantile } from "./distributions.js";
import { checkAlpha, checkCount } from "./util.js";

export interface PowerOptions {
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** Target power, default 0.8. */
  power?: number;
}

function zs(options: PowerOptions): { alpha: number; power: number; za: number; zb: number } {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  checkAlpha(alpha);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  return { alpha, power, za: normalQuantile(1 - alpha / 2), zb: normalQuantile(power) };
}

function checkProb(p: number, name: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${p}`);
}

export interface McNemarDesign {
  /** Expected accuracy of A (with `accuracyB`), or give `difference` directly. */
  accuracyA?: number;
  accuracyB?: number;
  /** Expected difference δ = accuracyA − accuracyB = p₁₀ − p₀₁. */
  difference?: number;
  /**
   * Expected discordance ψ = p₁₀ + p₀₁, the share of samples on which exactly one model is right (|δ| ≤ ψ ≤ 1).
   * If omitted, the models' errors are assumed independent: ψ = pA(1 − pB) + pB(1 − pA); models that fail on the
   * same hard samples have a smaller ψ and need fewer samples, so this is usually conservative.
   */
  discordance?: number;
}

function mcnemarDesign(design: McNemarDesign): { difference: number; discordance: number; assumed: boolean } {
  let difference = design.difference;
  let discordance = design.discordance;
  let assumed = false;
  if (design.accuracyA !== undefined || design.accuracyB !== undefined) {
    const pA = design.accuracyA;
    const pB = design.accuracyB;
    if (pA === undefined || pB === undefined) throw new RangeError("give both accuracyA and accuracyB");
    checkProb(pA, "accuracyA");
    checkProb(pB, "accuracyB");
    if (difference !== undefined && Math.abs(difference - (pA - pB)) > 1e-12) {
      throw new RangeError("difference disagrees with accuracyA − accuracyB");
    }
    difference = pA - pB;
    if (discordance === undefined) {
      discordance = pA * (1 - pB) + pB * (1 - pA);
      assumed = true;
    }
  }
  if (difference === undefined) throw new RangeError("give accuracyA and accuracyB, or difference");
  if (discordance === undefined) throw new RangeError("give discordance (or accuracies, to assume independence)");
  if (!(difference !== 0 && Math.abs(difference) <= 1)) throw new RangeError(`difference must be in [−1, 1] \\ {0}`);
  if (!(discordance >= Math.abs(difference) && discordance <= 1)) {
    throw new RangeError(`discordance must be in [|difference|, 1], got ${discordance} with difference ${difference}`);
  }
  return { difference, discordance, assumed };
}

export interface SampleSizeResult {
  /** Samples needed, rounded up. */
  n: number;
  /** Unrounded formula value. */
  nExact: number;
  alpha: number;
  power: number;
  method: string;
}

export interface McNemarSampleSize extends SampleSizeResult {
  difference: number;
  discordance: number;
  /** True when the discordance was derived from the accuracies by assuming independent errors. */
  discordanceAssumed: boolean;
}

/**
 * Paired samples needed for McNemar's test to detect δ with the given power (Connor 1987, "Sample size for testing
 * differences in proportions for the paired-sample design", Biometrics 43:207–211):
 *   n = [z_{1−α/2}·√ψ + z_{power}·√(ψ − δ²)]² / δ².
 */
export function mcnemarSampleSize(design: McNemarDesign & PowerOptions): McNemarSampleSize {
  const { alpha, power, za, zb } = zs(design);
  const { difference: d, discordance: psi, assumed } = mcnemarDesign(design);
  const nExact = (za * Math.sqrt(psi) + zb * Math.sqrt(psi - d * d)) ** 2 / (d * d);
  return {
    n: Math.ceil(nExact - 1e-9),
    nExact,
    alpha,
    power,
    method: "Connor (1987)",
    difference: d,
    discordance: psi,
    discordanceAssumed: assumed,
  };
}

/** Power of McNemar's test with n pairs (Connor 1987): Φ((|δ|√n − z_{1−α/2}√ψ)/√(ψ − δ²)). */
export function mcnemarPower(n: number, design: McNemarDesign & { alpha?: number }): number {
  if (!(n > 0 && Number.isFinite(n))) throw new RangeError(`n must be > 0, got ${n}`);
  const alpha = design.alpha ?? 0.05;
  checkAlpha(alpha);
  const { difference: d, discordance: psi } = mcnemarDesign(design);
  const za = normalQuantile(1 - alpha / 2);
  const s = Math.sqrt(psi - d * d);
  if (s === 0) return 1;
  return normalCdf((Math.abs(d) * Math.sqrt(n) - za * Math.sqrt(psi)) / s);
}

/**
 * Samples per group for two independent proportions (the normal-approximation formula without continuity correction
 * of Fleiss, Levin & Paik 2003, "Statistical Methods for Rates and Proportions", ch. 4; = R's `power.prop.test`):
 *   n = [z_{1−α/2}·√(2p̄q̄) + z_{power}·√(p₁q₁ + p₂q₂)]² / (p₁ − p₂)², p̄ = (p₁ + p₂)/2.
 */
export function twoProportionSampleSize(design: { p1: number; p2: number } & PowerOptions): SampleSizeResult {
  const { alpha, power, za, zb } = zs(design);
  const { p1, p2 } = design;
  checkProb(p1, "p1");
  checkProb(p2, "p2");
  if (p1 === p2) throw new RangeError("p1 and p2 must differ");
  const pbar = (p1 + p2) / 2;
  const nExact =
    (za * Math.sqrt(2 * pbar * (1 - pbar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p1 - p2) ** 2;
  return { n: Math.ceil(nExact - 1e-9), nExact, alpha, power, method: "Fleiss (two proportions, per group)" };
}

/**
 * Pairs needed for a paired t-test to detect a mean difference δ with per-pair SD σ (Guenther 1981, "Sample size
 * formulas for normal theory t tests", Am. Stat. 35:243): n = (z_{1−α/2} + z_{power})²σ²/δ² + z²_{1−α/2}/2 — within
 * one sample of the exact noncentral-t answer (R's `power.t.test(type = "paired")`).
 */
export function pairedMeanSampleSize(design: { difference: number; sdDiff: number } & PowerOptions): SampleSizeResult {
  const { alpha, power, za, zb } = zs(design);
  const { difference: d, sdDiff: s } = design;
  if (!(Number.isFinite(d) && d !== 0)) throw new RangeError(`difference must be non-zero, got ${d}`);
  if (!(s > 0)) throw new RangeError(`sdDiff must be > 0, got ${s}`);
  const nExact = ((za + zb) ** 2 * s * s) / (d * d) + (za * za) / 2;
  return { n: Math.ceil(nExact - 1e-9), nExact, alpha, power, method: "Guenther (1981)" };
}

export interface SettleInput {
  /** Observed mean difference A − B. */
  estimate: number;
  /** Samples observed so far. */
  n: number;
  /** Per-sample SD of the differences (graded scores). */
  sdDiff?: number;
  /** Observed discordance (0/1 scores): share of samples where exactly one model was right; σ² = ψ − δ̂². */
  discordance?: number;
  /** Interval level, default 0.95. */
  level?: number;
  /** The value the interval must exclude, default 0 (e.g. −δ for non-inferiority). */
  margin?: number;
  /**
   * Probability that the interval will exclude the margin if the true effect equals the estimate; default 0.5,
   * i.e. the n at which the expected interval just excludes it. Use 0.8 for an 80%-power answer.
   */
  power?: number;
}

export interface SettleResult {
  /** Total samples needed. */
  nTotal: number;
  /** Samples still to add (0 when already enough). */
  nAdditional: number;
  /** Whether the current (normal-approximation) interval already excludes the margin. */
  settledNow: boolean;
  /** The per-sample SD of differences used. */
  sdDiff: number;
}

/**
 * "How many more samples would settle it": the n at which the interval δ̂ ± z_{1−α/2}·σ/√n would exclude the margin
 * if the effect stays as observed, n = ((z_{1−α/2} + z_{power})·σ / |δ̂ − margin|)² (the sample-size formula above
 * with the observed effect and variance plugged in; normal approximation).
 */
export function samplesToSettle(input: SettleInput): SettleResult {
  const level = input.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const power = input.power ?? 0.5;
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  checkCount(input.n, "n");
  const margin = input.margin ?? 0;
  let sd: number;
  if (input.sdDiff !== undefined) sd = input.sdDiff;
  else if (input.discordance !== undefined) {
    if (!(input.discordance >= Math.abs(input.estimate) && input.discordance <= 1)) {
      throw new RangeError(`discordance must be in [|estimate|, 1], got ${input.discordance}`);
    }
    sd = Math.sqrt(input.discordance - input.estimate * input.estimate);
  } else throw new RangeError("give sdDiff or discordance");
  if (!(sd >= 0 && Number.isFinite(sd))) throw new RangeError(`sdDiff must be ≥ 0, got ${sd}`);
  const za = normalQuantile(0.5 + level / 2);
  const zb = normalQuantile(power);
  const gap = Math.abs(input.estimate - margin);
  const settledNow = gap > (za * sd) / Math.sqrt(input.n);
  if (gap === 0) return { nTotal: Infinity, nAdditional: Infinity, settledNow: false, sdDiff: sd };
  const nTotal = Math.max(1, Math.ceil((((za + zb) * sd) / gap) ** 2 - 1e-9));
  return { nTotal, nAdditional: Math.max(0, nTotal - input.n), settledNow, sdDiff: sd };
}
