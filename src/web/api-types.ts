/**
 * The dashboard's JSON API: what each endpoint returns. Types only — the browser app imports this file for its
 * types, so nothing here may run code or import Node modules.
 */
import type { ClaimResult, ClaimsReport, Verdict } from "../claims/evaluate.js";
import type { Comparison } from "../report/compare.js";
import type { LeaderboardRow } from "../report/leaderboard.js";
import type { ParetoView } from "../report/pareto.js";
import type { PairFilter } from "../report/run-data.js";

export type { ClaimResult, ClaimsReport, Comparison, LeaderboardRow, PairFilter, ParetoView, Verdict };

export interface ApiError {
  error: string;
}

/** GET /api/runs */
export interface RunListItem {
  id: string;
  createdAt: string;
  endedAt: string | null;
  status: string;
  done: number;
  totalItems: number | null;
  models: string[];
  tasks: string[];
  /** Times each sample was run (epochs are numbered from 1). */
  epochs: number;
}

/** GET /api/runs/:id */
export interface RunOverview {
  run: RunListItem;
  /** The run's reporting currency (config `currency:`), else USD. */
  currency: "USD" | "CNY";
}

/** GET /api/runs/:id/leaderboard */
export interface LeaderboardResponse {
  currency: "USD" | "CNY";
  rows: LeaderboardRow[];
  intervalNotes: string[];
  unpricedModels: string[];
}

/** GET /api/runs/:id/pareto?task= (task "*": all tasks pooled) */
export interface ParetoResponse {
  view: ParetoView;
  tasks: string[];
  /** Whether "*" (every task's samples pooled) is offered: only when all tasks score on 0–1. */
  poolable: boolean;
}

/** GET /api/runs/:id/compare?a=&b= */
export interface CompareResponse {
  comparison: Comparison;
  tooFew: string[];
  counts: Record<string, Record<PairFilter, number>>;
  /** Whether each task's headline scores are 0/1 (shown as percentages). */
  binary: Record<string, boolean>;
}

export interface DiffSide {
  itemKey: string;
  status: "ok" | "error";
  errorClass: string | null;
  output: string | null;
  score: number | null;
  answer: string | null;
  latencyMs: number | null;
  /** This sample's calls in the reporting currency; null when a call could not be priced. */
  cost: number | null;
}

export interface DiffRow {
  task: string;
  sampleId: string;
  epoch: number;
  prompt: string;
  target: string;
  a: DiffSide;
  b: DiffSide;
}

/** GET /api/runs/:id/compare/samples */
export interface DiffPage {
  rows: DiffRow[];
  total: number;
  /** Cursors of the next and previous pages, null at either end. */
  next: string | null;
  prev: string | null;
  currency: "USD" | "CNY";
}

export interface SampleRow {
  itemKey: string;
  model: string;
  task: string;
  sampleId: string;
  epoch: number;
  status: "ok" | "error";
  errorClass: string | null;
  cached: boolean;
  /** The first characters of the answer (the full text is in the sample's detail). */
  outputPreview: string | null;
  outputLength: number;
  score: number | null;
  answer: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  outputTokens: number | null;
}

/** GET /api/runs/:id/samples */
export interface SamplesPage {
  rows: SampleRow[];
  /** Samples that pass the filters. */
  total: number;
  next: string | null;
  prev: string | null;
}

export interface AttemptDetail {
  id: number;
  attemptNo: number;
  role: string;
  turn: number;
  provider: string;
  model: string;
  reportedModel: string | null;
  startedAt: string;
  status: "ok" | "error";
  errorClass: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
  output: string | null;
  reasoning: string | null;
  finishReason: string | null;
  inputTokens: number | null;
  cachedInputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
  latencyMs: number;
  ttftMs: number | null;
  ttfatMs: number | null;
  outputTps: number | null;
  /** In the run's reporting currency; null when it could not be priced (or the call failed: then 0). */
  cost: number | null;
}

/** GET /api/runs/:id/sample?key= */
export interface SampleDetail {
  itemKey: string;
  model: string;
  task: string;
  sampleId: string;
  epoch: number;
  category: string | null;
  status: "ok" | "error";
  errorClass: string | null;
  errorMessage: string | null;
  messages: { role: string; content: string }[];
  target: string;
  /** The answer that stands (from the cache when `cachedFrom` is set). */
  output: string | null;
  reasoning: string | null;
  turns: string[] | null;
  cachedFrom: number | null;
  scores: { metric: string; value: number; answer: string | null; explanation: string | null }[];
  attempts: AttemptDetail[];
  currency: "USD" | "CNY";
}

export interface Distribution {
  model: string;
  n: number;
  min: number;
  p5: number;
  q1: number;
  median: number;
  q3: number;
  p95: number;
  max: number;
  mean: number;
}

export interface SpeedMetric {
  key: "ttft" | "ttfat" | "tps" | "latency";
  label: string;
  unit: string;
  distributions: Distribution[];
  /** Shared bin edges (bins.length + 1 of them); the last bin also holds everything above its upper edge. */
  edges: number[];
  counts: Record<string, number[]>;
}

/** GET /api/runs/:id/speed */
export interface SpeedResponse {
  metrics: SpeedMetric[];
}

export interface PriceModel {
  /** provider/model */
  ref: string;
  displayName: string;
  records: number;
}

export interface PriceSeries {
  /** provider/model · region list (currency) */
  name: string;
  ref: string;
  region: string;
  /** The currency the vendor lists it in. */
  listedIn: "USD" | "CNY";
  /** Converted at each month's USD/CNY rate (not the vendor's own list in this currency). */
  converted: boolean;
  /** [ISO time, price per 1M tokens or null (a break)] */
  input: [string, number | null][];
  output: [string, number | null][];
}

export interface PriceRow {
  id: string;
  ref: string;
  displayName: string;
  region: string;
  currency: "USD" | "CNY";
  kind: string;
  from: string | null;
  to: string | null;
  input: number | null;
  cachedInput: number | null;
  output: number | null;
  offPeak: string | null;
  verified: boolean;
  sourceUrl: string | null;
  sourceQuote: string;
  notes: string;
}

/** GET /api/prices?model=&currency= */
export interface PricesResponse {
  currency: "USD" | "CNY";
  models: string[];
  series: PriceSeries[];
  records: PriceRow[];
  /** Models asked for that the catalog has no price for. */
  unknown: string[];
}

export interface ClaimMeasured {
  label: string;
  task: string;
  n: number;
  /** On the published number's scale (× 100 for percentages); null when the scales differ. */
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** Where the published number falls against the measured 95% interval. */
  published: "inside" | "above" | "below" | null;
}

export interface ClaimRow {
  id: string;
  claimant: string;
  model: string;
  benchmark: string;
  task: string | null;
  metric: string | null;
  setting: string | null;
  scale: string | null;
  published: number | null;
  date: string;
  verified: boolean;
  sourceUrl: string | null;
  sourceQuote: string;
  measured: ClaimMeasured[];
}

/** GET /api/claims?run= */
export interface ClaimsResponse {
  /** False when the catalog has no claims file. */
  available: boolean;
  runId: string | null;
  rows: ClaimRow[];
}

/** POST /api/runs/:id/claims/check with {"text": a claims file}: the verdicts `arbiter claims FILE` gives. */
export interface ClaimsCheckResponse {
  runId: string;
  report: ClaimsReport;
}
