import type { ChatMessage, ErrorClass, Score, Timing, Usage } from "../core/types.js";

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
}

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

export interface GroupSummary {
  model: string;
  task: string;
  n: number;
  scored: number;
  meanScore: number | null;
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
