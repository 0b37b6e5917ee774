/**
 * Verdicts on a file of claims. Pure: the claims and, for each, the run's paired data in; verdicts out.
 *
 * Verdict rules (α is the file's one-sided level, default 0.05; "adjusted" = Holm's step-down adjustment across the
 * claims of the file that could be tested, so the chance of any wrong "supported" — and, separately, of any wrong
 * "contradicted" — in the whole file stays at most α):
 *
 * - Superiority `A > B on T [by m]`: supported when the one-sided test of A − B > m rejects (adjusted p ≤ α);
 *   contradicted when the opposite one-sided test does — B is significantly better (m = 0), or the 1 − 2α interval
 *   for A − B lies entirely at or below m; else inconclusive. 0/1 scores with m = 0: exact McNemar test; with a
 *   margin: Newcombe's interval; graded scores: paired bootstrap.
 * - Non-inferiority `A non-inferior to B on T by δ`: supported when the lower bound of A − B is above −δ (the
 *   one-sided test of A − B > −δ); contradicted when the upper bound is below −δ; else inconclusive.
 * - Equivalence `A ≈ B on T within δ`: two one-sided tests (TOST): supported when the interval lies inside (−δ, δ);
 *   contradicted when it lies entirely beyond +δ or beyond −δ; else inconclusive.
 * - Cost ratio `cost(A, T) < K × cost(B, T)`: the ratio of total (= per-sample) costs on the samples both answered,
 *   with a paired bootstrap over samples; supported when the interval's upper bound is below K, contradicted when its
 *   lower bound is above K (adjusted as above). An unknown cost (no price in the catalog, usage not reported) makes
 *   the claim inconclusive with the reason, and it is left out of the adjustment.
 *
 * The interval shown is the two-sided 1 − 2α interval (90% at α = 0.05), whose ends are the one-sided bounds; the
 * verdict follows the adjusted p-values, which for a single claim agree with the interval. An inconclusive claim
 * gets the number of samples that would settle it with 80% power at level α / (claims tested) — the most Holm's
 * procedure can demand — if the observed effect and spread stay as they are.
 */

import { adjustPValues } from "../stats/multiple.js";
import { type CostEvidence, testCostClaim } from "./cost-test.js";
import type { ClaimEntry, ClaimsFile } from "./file.js";
import { ClaimsFileError } from "./file.js";
import { formatClaim } from "./grammar.js";
import { ClaimDataError, type Effect, type SamplesNeeded, type TestOutcome } from "./outcome.js";
import { type ScoreEvidence, testScoreClaim } from "./score-test.js";

export type Evidence = ScoreEvidence | CostEvidence;
export type Verdict = "supported" | "contradicted" | "inconclusive";

export interface EvaluateOptions {
  /** Overrides the file's alpha. */
  alpha?: number;
  /** Power for the samples-needed figure, default 0.8. */
  power?: number;
  /** Bootstrap seed, default 1 (results are reproducible). */
  seed?: number;
  /** Bootstrap resamples, default 10,000. */
  resamples?: number;
}

export interface ClaimResult {
  line: number;
  /** As written in the file. */
  statement: string;
  /** Normalized ("A < B" is written as "B > A"). */
  canonical: string;
  id?: string;
  source?: string;
  note?: string;
  kind: ClaimEntry["claim"]["kind"];
  /** The model the claim favours (the left side after normalization) and the other one. */
  a: string;
  b: string;
  task: string;
  verdict: Verdict;
  /** One sentence: why this verdict. */
  reason: string;
  /** Paired samples used. */
  n: number | null;
  /** Score claims: the metric compared, whether scores were 0/1, and each model's mean. */
  metric?: string | null;
  scores?: "binary" | "graded";
  /** Every score within [0, 1]: differences read as percentage points. */
  unitScale?: boolean;
  meanA?: number;
  meanB?: number;
  /** Score claims: the margin on the score scale (0 for plain superiority). Cost claims: the factor K. */
  margin?: number;
  factor?: number;
  /** Cost claims: "less" for cost(A) < K × cost(B), "greater" for >. */
  direction?: "less" | "greater";
  /** Cost claims: currency, totals and means per sample. */
  currency?: string;
  costA?: { total: number; perSample: number };
  costB?: { total: number; perSample: number };
  /** A − B (scores) or cost(A)/cost(B), with the 1 − 2α interval; null when nothing could be measured. */
  effect: Effect | null;
  /** One-sided p-value against the claim being false, and after adjustment. */
  pValue: number | null;
  pAdjusted: number | null;
  /** One-sided p-value against the claim being true, and after adjustment. */
  pValueAgainst: number | null;
  pAdjustedAgainst: number | null;
  test: string | null;
  samplesNeeded: SamplesNeeded | null;
  /** Why no samples-needed figure could be given, for an inconclusive claim. */
  samplesNeededNote?: string;
}

export interface ClaimsReport {
  file: string;
  alpha: number;
  adjustment: {
    method: "holm";
    name: string;
    /** Claims that were tested and entered the adjustment. */
    family: number;
  };
  counts: Record<Verdict, number>;
  claims: ClaimResult[];
}

const DEFAULTS = { power: 0.8, seed: 1, resamples: 10000 };

/** Evaluates every claim of `file` against `evidence[i]` (the run's data for claim i). */
export function evaluateClaims(file: ClaimsFile, evidence: Evidence[], options: EvaluateOptions = {}): ClaimsReport {
  if (evidence.length !== file.claims.length) {
    throw new RangeError(`evidence for ${evidence.length} claims, but the file has ${file.claims.length}`);
  }
  const alpha = options.alpha ?? file.alpha;
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`alpha must be in (0, 0.5), got ${alpha}`);
  const power = options.power ?? DEFAULTS.power;
  const testOptions = {
    alpha,
    seed: options.seed ?? DEFAULTS.seed,
    resamples: options.resamples ?? DEFAULTS.resamples,
  };

  const outcomes: (TestOutcome | null)[] = [];
  const results: ClaimResult[] = file.claims.map((entry, i) => {
    const ev = evidence[i] as Evidence;
    const { claim } = entry;
    const base: ClaimResult = {
      line: entry.line,
      statement: entry.text,
      canonical: formatClaim(claim),
      ...(entry.id === undefined ? {} : { id: entry.id }),
      ...(entry.source === undefined ? {} : { source: entry.source }),
      ...(entry.note === undefined ? {} : { note: entry.note }),
      kind: claim.kind,
      a: claim.a,
      b: claim.b,
      task: claim.task,
      verdict: "inconclusive",
      reason: "",
      n: null,
      effect: null,
      pValue: null,
      pAdjusted: null,
      pValueAgainst: null,
      pAdjustedAgainst: null,
      test: null,
      samplesNeeded: null,
    };
    try {
      if (claim.kind === "cost-ratio") {
        if (ev.kind !== "costs") throw new RangeError(`claim on line ${entry.line}: expected cost evidence`);
        base.factor = claim.factor;
        base.direction = claim.direction;
        base.currency = ev.currency;
        if (ev.unknown !== undefined) {
          base.reason = `cost unknown: ${ev.unknown}`;
          outcomes.push(null);
          return base;
        }
        const o = testCostClaim(claim, ev, testOptions);
        base.costA = { total: o.totalA, perSample: o.meanA };
        base.costB = { total: o.totalB, perSample: o.meanB };
        fill(base, o);
        outcomes.push(o);
      } else {
        if (ev.kind !== "scores") throw new RangeError(`claim on line ${entry.line}: expected score evidence`);
        const o = testScoreClaim(claim, ev, testOptions);
        base.metric = ev.metric;
        base.scores = o.scores;
        base.unitScale = o.unitScale;
        base.meanA = o.meanA;
        base.meanB = o.meanB;
        base.margin = claim.margin.value;
        fill(base, o);
        outcomes.push(o);
      }
    } catch (error) {
      if (error instanceof ClaimDataError) throw new ClaimsFileError(error.message, file.file, entry.line);
      throw error;
    }
    return base;
  });

  // The family: claims with a test result (not those whose data could not decide them).
  const family = outcomes.flatMap((o, i) => (o && !o.undecidable ? [i] : []));
  const support = adjustPValues(
    family.map((i) => outcomes[i]?.pSupport as number),
    "holm",
  );
  const contra = adjustPValues(
    family.map((i) => outcomes[i]?.pContra as number),
    "holm",
  );
  family.forEach((i, k) => {
    const r = results[i] as ClaimResult;
    r.pAdjusted = support.adjusted[k] as number;
    r.pAdjustedAgainst = contra.adjusted[k] as number;
    r.verdict = r.pAdjusted <= alpha ? "supported" : r.pAdjustedAgainst <= alpha ? "contradicted" : "inconclusive";
  });
  const m = Math.max(1, family.length);
  results.forEach((r, i) => {
    const o = outcomes[i];
    if (!o) return;
    r.reason = reasonFor(r, o, alpha, family.length);
    if (r.verdict !== "inconclusive") return;
    const needed = o.samplesNeeded(alpha / m, power);
    if ("unknown" in needed) r.samplesNeededNote = needed.unknown;
    else r.samplesNeeded = needed;
  });
  const counts: Record<Verdict, number> = { supported: 0, contradicted: 0, inconclusive: 0 };
  for (const r of results) counts[r.verdict]++;
  return {
    file: file.file,
    alpha,
    adjustment: { method: "holm", name: support.methodName, family: family.length },
    counts,
    claims: results,
  };
}

function fill(r: ClaimResult, o: TestOutcome): void {
  r.n = o.n;
  r.effect = o.effect;
  r.pValue = o.pSupport;
  r.pValueAgainst = o.pContra;
  r.test = o.method;
}

/** A value on the score scale in words: percentage points for 0–1 scores. */
function scoreText(v: number, r: ClaimResult): string {
  const text = v === 0 ? "0" : r.unitScale ? `${fmt(v * 100)} points` : fmt(v);
  return text.replace(/^-/, "−");
}

/** The two one-sided null hypotheses: the claim false (rejecting it supports) and the claim true. */
function hypotheses(r: ClaimResult): { against: string; for: string } {
  const m = r.margin ?? 0;
  switch (r.kind) {
    case "superiority":
      return { against: `A − B ≤ ${scoreText(m, r)}`, for: `A − B ≥ ${scoreText(m, r)}` };
    case "non-inferiority":
      return { against: `A − B ≤ ${scoreText(-m, r)}`, for: `A − B ≥ ${scoreText(-m, r)}` };
    case "equivalence":
      return { against: `|A − B| ≥ ${scoreText(m, r)}`, for: `|A − B| ≤ ${scoreText(m, r)}` };
    case "cost-ratio": {
      const k = fmt(r.factor ?? 1);
      return r.direction === "greater"
        ? { against: `cost(A)/cost(B) ≤ ${k}`, for: `cost(A)/cost(B) ≥ ${k}` }
        : { against: `cost(A)/cost(B) ≥ ${k}`, for: `cost(A)/cost(B) ≤ ${k}` };
    }
  }
}

function reasonFor(r: ClaimResult, o: TestOutcome, alpha: number, family: number): string {
  if (o.undecidable) return o.undecidable;
  const h = hypotheses(r);
  const adj = family > 1 ? ` (Holm-adjusted over ${family} claims)` : "";
  if (r.verdict === "supported") {
    return `rejects "${h.against}" (the claim false): p = ${fmtP(r.pAdjusted)} ≤ α = ${alpha}${adj}`;
  }
  if (r.verdict === "contradicted") {
    return `rejects "${h.for}" (the claim true): p = ${fmtP(r.pAdjustedAgainst)} ≤ α = ${alpha}${adj}`;
  }
  return `rejects neither "${h.against}" (p = ${fmtP(r.pAdjusted)}) nor "${h.for}" (p = ${fmtP(r.pAdjustedAgainst)}) at α = ${alpha}${adj}`;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}

function fmtP(p: number | null): string {
  if (p === null) return "-";
  return p < 1e-4 ? p.toExponential(1) : Number(p.toPrecision(3)).toString();
}
