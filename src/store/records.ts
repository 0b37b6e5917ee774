import type { ChatMessage, ErrorClass, Score, Timing, Usage } from "../core/types.js";
import type { PricedCallRow } from "../pricing/run-costs.js";

/** One API call, as the runner hands it to the store. */
export interface AttemptRecord {
  attemptNo: number;
  provider: string;
  model: string;
  requestHash: string;
  startedAt: string;
  ok: boolean;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  httpStatus: number | null;
  output: string | null;
  reasoning: string | null;
  finishReason: string | null;
  reportedModel: string | null;
  usage: Usage | null;
  rawUsage: unknown;
  timing: Timing;
  /** Whose call this was: the model under test (default) or the run's judge. Judge calls are priced apart. */
  role?: AttemptRole;
  /** Turn of the conversation this call answered (1 for single-turn samples). */
  turn?: number;
}

export type AttemptRole = "model" | "judge";

/** The final outcome of one (model, task, sample, epoch), written with its attempts in one transaction. */
export interface ItemResult {
  runId: string;
  itemKey: string;
  model: string;
  task: string;
  sampleId: string;
  epoch: number;
  messages: ChatMessage[];
  target: string | string[];
  requestHash: string;
  attempts: AttemptRecord[];
  ok: boolean;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  /** Served from the cache: the earlier attempt whose answer stands. Otherwise the last of `attempts` stands. */
  cachedFrom: number | null;
  scores: ({ scorer: string } & Score)[];
  /** Every answer of a multi-turn sample, in order; absent for single-turn samples. */
  turns?: string[];
  /** The sample's group (its metadata.category), if it has one. */
  category?: string | null;
}

/** A successful earlier answer to the same request, served instead of a new call. */
export interface CachedAnswer {
  attemptId: number;
  output: string;
  reasoning: string | null;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

/** One metric of a group: a scorer may report several (GSM8K strict-match and flexible-extract). */
export interface MetricSummary {
  metric: string;
  scored: number;
  mean: number | null;
  /** Scores that are exactly 0 or 1 throughout: a proportion (Wilson interval) rather than a mean (t interval). */
  binary: boolean;
}

export interface GroupSummary {
  model: string;
  task: string;
  n: number;
  /** Samples scored on the headline metric, and its mean. */
  scored: number;
  meanScore: number | null;
  /** The headline metric's name (the first a scorer reports). */
  metric: string | null;
  /** Every metric, headline first. */
  metrics: MetricSummary[];
  errors: Partial<Record<ErrorClass, number>>;
  calls: number;
  cacheHits: number;
  /** Token totals over the samples' final answers; null when no response reported that kind of token. */
  usage: {
    inputTokens: number | null;
    cachedInputTokens: number | null;
    cacheWriteTokens: number | null;
    outputTokens: number | null;
    reasoningTokens: number | null;
    /** Samples whose response carried no usage: their tokens are unknown, not zero. */
    unknownUsage: number;
  };
  latencyMs: Percentiles;
  ttftMs: Percentiles;
  outputTokensPerSecond: Percentiles;
}

export interface RunInfo {
  id: string;
  createdAt: string;
  endedAt: string | null;
  status: string;
  toolVersion: string;
  spec: unknown;
  totalItems: number | null;
  done: number;
}

export interface RunSummary {
  run: RunInfo;
  groups: GroupSummary[];
}

/** One score of one sample and epoch, with the sample's group. */
export interface MetricValue {
  sampleId: string;
  epoch: number;
  category: string | null;
  value: number;
}

export interface CategoryResult {
  model: string;
  task: string;
  scorer: string;
  category: string;
  scored: number;
  mean: number;
}

/** One score with its answer (e.g. a pairwise judgment's record) and where it belongs. */
export interface ScoredAnswer {
  model: string;
  task: string;
  sampleId: string;
  epoch: number;
  value: number;
  answer: string | null;
}

/** A sample of a run (its model × task group, by groupKey) and one priced call for it, or null when it has none. */
export interface SampleCall {
  group: string;
  sampleId: string;
  call: PricedCallRow | null;
}

/** The usage columns of an `attempts` row as read raw from SQLite (null where the vendor reported no count). */
/** A nullable numeric column as a number (Postgres returns bigint sums as strings), null staying null. */
export function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function usageOfRow(r: Record<string, unknown>): Usage {
  return {
    inputTokens: nullableNumber(r.input_tokens),
    cachedInputTokens: nullableNumber(r.cached_input_tokens),
    cacheWriteTokens: nullableNumber(r.cache_write_tokens),
    outputTokens: nullableNumber(r.output_tokens),
    reasoningTokens: nullableNumber(r.reasoning_tokens),
  };
}

/**
 * SQL: whether an attempt's timing is a measurement. A replayed answer's stored latency is only the file lookup's
 * time — the recording carries none — and must not rank a recording as the fastest model.
 */
export function timedSql(alias: string): string {
  return `${alias}.provider <> 'replay'`;
}

/** SQL for an attempt's latency as a measurement: NULL where it is not one ({@link timedSql}). */
export function measuredLatencySql(alias: string): string {
  return `CASE WHEN ${timedSql(alias)} THEN ${alias}.latency_ms END`;
}

/** One model × task × error class of a run: how many samples failed so, and one of their messages. */
export interface ErrorExample {
  model: string;
  task: string;
  errorClass: string;
  count: number;
  sampleId: string;
  message: string | null;
}
