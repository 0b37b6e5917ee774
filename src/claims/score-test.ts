/**
 * Tests of score claims (superiority, non-inferiority, equivalence) on two models' paired scores of one task.
 *
 * 0/1 scores: superiority with no margin uses the exact McNemar test, one-sided: with b samples only A got right and
 * c only B got right, p = P(X ≥ b), X ~ Binomial(b + c, ½) (McNemar 1947; the exact conditional form). Claims with a
 * margin invert Newcombe's (1998) method-10 interval for paired proportions, which McNemar cannot test. The interval
 * shown is always Newcombe's.
 * Graded scores: the paired percentile bootstrap of the mean difference (10,000 resamples, seeded), p-values by
 * inverting it (src/stats/hypotheses.ts).
 *
 * Each test gives two one-sided p-values: pSupport against "the claim is false" and pContra against "the claim is
 * true"; evaluate.ts adjusts them across the file and reads the verdict.
 */

import { binomialSf } from "../stats/distributions.js";
import { equivalence, type MarginTestOptions, nonInferiority, superiority } from "../stats/hypotheses.js";
import { standardDeviation } from "../stats/mean.js";
import { newcombePairedInterval, pairedCounts } from "../stats/paired.js";
import { samplesToSettle } from "../stats/power.js";
import type { Claim } from "./grammar.js";
import { ClaimDataError, MIN_BOOTSTRAP_PAIRS, type SamplesNeededAnswer, type TestOutcome } from "./outcome.js";

export interface ScoreEvidence {
  kind: "scores";
  /** The task's headline metric (what was compared). */
  metric: string | null;
  /** Scores of A and B on the same (sample, epoch), in the same order. */
  a: number[];
  b: number[];
}

export type ScoreClaim = Extract<Claim, { kind: "superiority" | "non-inferiority" | "equivalence" }>;

export interface ScoreTestOptions {
  alpha: number;
  seed: number;
  resamples: number;
}

export interface ScoreTestOutcome extends TestOutcome {
  scores: "binary" | "graded";
  meanA: number;
  meanB: number;
  /** All scores within [0, 1]: differences read as percentage points. */
  unitScale: boolean;
}

const isBinary = (x: number[]): boolean => x.every((v) => v === 0 || v === 1);

export function testScoreClaim(
  claim: ScoreClaim,
  evidence: ScoreEvidence,
  options: ScoreTestOptions,
): ScoreTestOutcome {
  const { a, b } = evidence;
  const n = a.length;
  if (n === 0 || b.length !== n) throw new ClaimDataError("no paired scores to test");
  const unitScale = [...a, ...b].every((v) => v >= 0 && v <= 1);
  if (claim.margin.unit === "points" && !unitScale) {
    throw new ClaimDataError(
      `the margin "${claim.margin.text}" is in percentage points, but ${evidence.metric ?? "the score"} on ${claim.task} is not a 0–1 score: give the margin in the score's own units (a bare number)`,
    );
  }
  const binary = isBinary(a) && isBinary(b);
  const meanA = a.reduce((s, v) => s + v, 0) / n;
  const meanB = b.reduce((s, v) => s + v, 0) / n;
  const m = claim.margin.value;
  const common = { alpha: options.alpha };
  const tests: MarginTestOptions = binary
    ? { ...common, method: "newcombe" }
    : { ...common, method: "bootstrap", seed: options.seed, resamples: options.resamples };

  let estimate: number;
  let ci: { lower: number; upper: number; level: number };
  let pSupport: number;
  let pContra: number;
  let method: string;
  const exactMcNemar = binary && claim.kind === "superiority" && m === 0;
  const counts = binary ? pairedCounts(a, b) : null;
  if (exactMcNemar && counts) {
    const discordant = counts.onlyA + counts.onlyB;
    estimate = (counts.onlyA - counts.onlyB) / n;
    ci = newcombePairedInterval(counts, { level: 1 - 2 * options.alpha });
    // P(X ≥ k) = P(X > k − 1); with no discordant pairs there is no evidence either way.
    pSupport = discordant > 0 ? binomialSf(counts.onlyA - 1, discordant, 0.5) : 1;
    pContra = discordant > 0 ? binomialSf(counts.onlyB - 1, discordant, 0.5) : 1;
    method = `exact McNemar test, one-sided (${counts.onlyA} sample${counts.onlyA === 1 ? "" : "s"} only A got right, ${counts.onlyB} only B); Newcombe (1998) method-10 interval`;
  } else {
    const label = binary
      ? "Newcombe (1998) method-10 interval for paired proportions, p by inverting it"
      : `paired percentile bootstrap of the mean difference (${options.resamples} resamples), p by inverting it`;
    if (claim.kind === "superiority") {
      const r = superiority(a, b, { ...tests, margin: m });
      estimate = r.estimate;
      ci = r.ci;
      pSupport = r.pValue;
      // "A − B ≥ m" is rejected when B − A > −m.
      pContra = superiority(b, a, { ...tests, margin: -m }).pValue;
    } else if (claim.kind === "non-inferiority") {
      const r = nonInferiority(a, b, { ...tests, margin: m });
      estimate = r.estimate;
      ci = r.ci;
      pSupport = r.pValue;
      // Inferior beyond the margin: A − B < −δ, i.e. B − A > δ.
      pContra = superiority(b, a, { ...tests, margin: m }).pValue;
    } else {
      const r = equivalence(a, b, { ...tests, margin: m });
      estimate = r.estimate;
      ci = r.ci;
      pSupport = r.pValue;
      // Not equivalent: the difference is beyond +δ or beyond −δ (the two cannot both hold, so no doubling).
      pContra = Math.min(
        superiority(a, b, { ...tests, margin: m }).pValue,
        superiority(b, a, { ...tests, margin: m }).pValue,
      );
    }
    method = claim.kind === "equivalence" ? `two one-sided tests (TOST; Schuirmann 1987): ${label}` : label;
  }

  const outcome: ScoreTestOutcome = {
    effect: { measure: "difference", estimate, ci },
    pSupport,
    pContra,
    method,
    n,
    scores: binary ? "binary" : "graded",
    meanA,
    meanB,
    unitScale,
    samplesNeeded: (alpha, power) =>
      scoreSamplesNeeded(claim, { a, b, n, estimate, binary, exactMcNemar }, alpha, power),
  };
  if (!binary && n < MIN_BOOTSTRAP_PAIRS) {
    outcome.undecidable = `only ${n} pair${n === 1 ? "" : "s"} of graded scores: the bootstrap needs at least ${MIN_BOOTSTRAP_PAIRS} to give a trustworthy interval`;
  }
  return outcome;
}

/**
 * Samples needed so that the one-sided test at level α rejects with the given power if the effect stays as observed
 * (src/stats/power.ts `samplesToSettle`, normal approximation with the observed spread: σ² = ψ − δ̂² for 0/1 scores,
 * where ψ is the observed discordance, the share of samples only one model got right; the SD of the differences for
 * graded scores). Equivalence needs both bounds inside ±δ: the larger of the two sizes.
 */
function scoreSamplesNeeded(
  claim: ScoreClaim,
  data: { a: number[]; b: number[]; n: number; estimate: number; binary: boolean; exactMcNemar: boolean },
  alpha: number,
  power: number,
): SamplesNeededAnswer {
  const { a, b, n, estimate, binary } = data;
  let spread: { discordance: number } | { sdDiff: number };
  let discordance = 0;
  if (binary) {
    let d = 0;
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) d++;
    discordance = d / n;
    if (d === 0) {
      return {
        unknown:
          "the two models got the same samples right: with no discordant pairs there is nothing to estimate the needed size from",
      };
    }
    spread = { discordance };
  } else {
    if (n < 2) return { unknown: "one pair cannot show how much the differences vary" };
    spread = { sdDiff: standardDeviation(a.map((v, i) => v - (b[i] as number))) };
  }
  const level = 1 - 2 * alpha;
  const settle = (margin: number) => samplesToSettle({ estimate, n, level, margin, power, ...spread });
  const m = claim.margin.value;
  let total: number;
  let toward: "supported" | "contradicted";
  if (claim.kind === "equivalence") {
    if (Math.abs(estimate) < m) {
      total = Math.max(settle(m).nTotal, settle(-m).nTotal);
      toward = "supported";
    } else {
      total = settle(Math.sign(estimate) * m).nTotal;
      toward = "contradicted";
    }
  } else {
    const boundary = claim.kind === "superiority" ? m : -m;
    total = settle(boundary).nTotal;
    toward = estimate > boundary ? "supported" : "contradicted";
  }
  if (!Number.isFinite(total)) {
    return {
      unknown:
        "the observed difference sits exactly on the claim's boundary: if it stays there, no number of samples settles it",
    };
  }
  let basis = binary
    ? `normal approximation with the observed difference ${estimate.toFixed(4)} and discordance ${discordance.toFixed(4)}`
    : `normal approximation with the observed difference ${estimate.toFixed(4)} and SD of the differences ${(spread as { sdDiff: number }).sdDiff.toFixed(4)}`;
  if (data.exactMcNemar) {
    // The exact test cannot reject with fewer than log₂(1/α) discordant pairs, however lopsided: at the observed
    // discordance that many discordant pairs take k/ψ samples.
    const minDiscordant = Math.ceil(Math.log2(1 / alpha) - 1e-12);
    const floor = Math.ceil(minDiscordant / discordance - 1e-9);
    if (floor > total) {
      total = floor;
      basis += `; at least ${minDiscordant} discordant pairs for the exact test`;
    }
  }
  if (!binary && total < MIN_BOOTSTRAP_PAIRS) {
    total = MIN_BOOTSTRAP_PAIRS;
    basis += `; at least ${MIN_BOOTSTRAP_PAIRS} pairs for the bootstrap`;
  }
  return { total, additional: Math.max(0, total - n), toward, power, alpha, basis };
}
