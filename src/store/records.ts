import type { ChatMessage, ErrorClass, Score, Timing, Usage } from "../core/types.js";

/** One API call, as the runner hands it to the store. */
export interface AttemptRecord {
  id: string;
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
  /** The attempt whose answer stands: the last of `attempts`, or a cached attempt from an earlier run. */
  finalAttemptId: string | null;
  cached: boolean;
  scores: ({ scorer: string } & Score)[];
}

/** A successful earlier answer to the same request, served instead of a new call. */
export interface CachedAnswer {
  attemptId: string;
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
  usage: {
    inputTokens: number;
    cachedInputTokens: number;
    cacheWriteTokens: number;
    outputTokens: number;
    reasoningTokens: number;
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
