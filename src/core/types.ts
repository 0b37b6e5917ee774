/**
 * Arbiter's domain vocabulary. Pure types: nothing here performs I/O.
 * Modelled on inspect_ai: a Task is a dataset + a solver + a scorer; a Run is models × tasks × samples × epochs.
 */

export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

/** One item of a dataset. `input` is either a plain prompt or a full conversation. */
export interface Sample {
  id: string;
  input: string | ChatMessage[];
  target: string | string[];
  choices?: string[];
  /**
   * Free-form facts about the sample. By convention `metadata.category` names the group a sample belongs to (MMLU
   * subject, MMLU-Pro category, MT-Bench category): reports break results down by it and cluster standard errors on it.
   */
  metadata?: Record<string, unknown>;
}

/** What a solver builds and a provider sends: messages plus generation settings. */
export interface ModelRequest {
  messages: ChatMessage[];
  settings: GenerationSettings;
  /**
   * The dataset sample this request opens (set by the runner on a sample's first turn). Wire providers ignore it;
   * the replay provider finds a sample's recorded answer by it. Never part of the request hash.
   */
  sampleId?: string;
}

export type ReasoningEffort = "low" | "medium" | "high";

export interface GenerationSettings {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  reasoningEffort?: ReasoningEffort;
  /** Stream the answer over SSE. On by default: streaming is how time to first token is measured. */
  stream?: boolean;
}

/**
 * Token usage exactly as the vendor billed it, in one shape for every vendor.
 * `null` means the vendor did not say; it is never silently 0.
 * - inputTokens: every input token, including those read from or written to the cache.
 * - cachedInputTokens: the part of inputTokens read from the cache (a cache hit).
 * - cacheWriteTokens: the part of inputTokens written to the cache (Anthropic, DashScope explicit cache).
 * - outputTokens: every generated token, including reasoning tokens.
 * - reasoningTokens: the part of outputTokens spent on reasoning.
 */
export interface Usage {
  inputTokens: number | null;
  cachedInputTokens: number | null;
  cacheWriteTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
}

/** Timing of one attempt, in milliseconds from the moment the request was sent. */
export interface Timing {
  /** Wall time until the response was complete. */
  latencyMs: number;
  /** First content or reasoning delta (not the first SSE frame). Null when not streamed. */
  ttftMs: number | null;
  /** First answer (content) delta; later than ttft for reasoning models. Null when not streamed. */
  ttfatMs: number | null;
  /** Output tokens per second after the first token: (output − 1) ÷ (end − first token). */
  outputTokensPerSecond: number | null;
}

export const ERROR_CLASSES = [
  "rate_limit",
  "server",
  "timeout",
  "network",
  "bad_request",
  "auth",
  "content_filter",
  "invalid_response",
  // The replay provider's recordings hold no answer for the request.
  "not_recorded",
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Errors worth another try: the same request may well succeed later. */
export const RETRYABLE: ReadonlySet<ErrorClass> = new Set([
  "rate_limit",
  "server",
  "timeout",
  "network",
  // A truncated stream or malformed body is almost always a transient gateway fault.
  "invalid_response",
]);

export interface ModelError {
  errorClass: ErrorClass;
  message: string;
  httpStatus?: number;
  /** Milliseconds the server asked us to wait (Retry-After / retry-after-ms). */
  retryAfterMs?: number;
}

/** What a provider adapter returns for one call. */
export interface ModelResponse {
  text: string;
  reasoning: string | null;
  finishReason: string | null;
  /** The model id the provider reports serving (may differ from the one asked for). */
  reportedModel: string | null;
  usage: Usage | null;
  /** The vendor's usage object, verbatim, for audit and re-pricing. */
  rawUsage: unknown;
  timing: Timing;
}

export type AttemptOutcome =
  | { ok: true; response: ModelResponse }
  | { ok: false; error: ModelError; timing: Pick<Timing, "latencyMs"> };

export interface Score {
  /** 0..1 for most scorers; a scorer may use another scale and say so (MT-Bench: 1–10). */
  value: number;
  answer: string | null;
  explanation?: string;
  /** Which metric this is when a scorer reports several (e.g. "strict-match"); default: the task's scorer name. */
  metric?: string;
}

export interface ModelRef {
  provider: string;
  model: string;
}

export function parseModelRef(ref: string): ModelRef | null {
  const slash = ref.indexOf("/");
  if (slash <= 0 || slash === ref.length - 1) return null;
  return { provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
}

export function formatModelRef(ref: ModelRef): string {
  return `${ref.provider}/${ref.model}`;
}
