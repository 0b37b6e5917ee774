import type { ModelError, ModelRequest } from "../core/types.js";
import type { Budget } from "../pricing/budget.js";
import type { ProviderAdapter } from "../providers/types.js";
import type { AttemptRecord, AttemptRole } from "../store/records.js";
import { type ProviderLimiter, sleep } from "./limiter.js";
import { backoffDelay, type RetryPolicy, shouldRetry } from "./retry.js";

export interface ProviderRuntime {
  name: string;
  adapter: ProviderAdapter;
  limiter: ProviderLimiter;
  retry: RetryPolicy;
  timeoutMs: number;
}

export interface CallResult {
  attempts: AttemptRecord[];
  /** The last attempt: its answer when ok, its error otherwise. */
  final: AttemptRecord | null;
  error: ModelError | null;
  /** The run was stopped before this request got an answer: the item is left for --resume, not recorded. */
  interrupted: boolean;
}

export interface StopSignals {
  /** Set on the first Ctrl-C: no new calls and no more retries; calls in flight may finish. */
  stop: AbortSignal;
  /** Set on the second Ctrl-C: calls in flight are aborted. */
  abort: AbortSignal;
}

const ZERO_USAGE = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

/** Sends one request, retrying retryable failures with backoff, and records every call as an attempt. */
export async function callWithRetries(
  runtime: ProviderRuntime,
  model: string,
  request: ModelRequest,
  requestHash: string,
  /** Whose call it is (the model under test's or the judge's) and which turn of the conversation it answers. */
  origin: { role: AttemptRole; turn: number },
  signals: StopSignals,
  budget?: Budget,
): Promise<CallResult> {
  const attempts: AttemptRecord[] = [];
  let lastError: ModelError | null = null;
  const estimate = estimateTokens(request);
  for (let retries = 0; ; retries++) {
    const permit = await runtime.limiter.acquire(estimate);
    if (signals.stop.aborted) {
      permit.release(0);
      return { attempts, final: null, error: lastError, interrupted: true };
    }
    const sentAt = new Date();
    const ticket = budget ? budget.reserve(runtime.name, model, request, sentAt) : null;
    if (budget && !ticket) {
      permit.release(0);
      return { attempts, final: null, error: lastError, interrupted: true };
    }
    const startedAt = sentAt.toISOString();
    const outcome = await runtime.adapter.generate(model, request, {
      signal: signals.abort,
      timeoutMs: runtime.timeoutMs,
    });
    // A failed call is not billed: no usage, nothing spent. A success without usage counts as its worst case.
    ticket?.settle(outcome.ok ? (outcome.response.usage ?? null) : ZERO_USAGE);
    const record: AttemptRecord = {
      attemptNo: attempts.length + 1,
      provider: runtime.name,
      model,
      requestHash,
      startedAt,
      ok: outcome.ok,
      errorClass: outcome.ok ? null : outcome.error.errorClass,
      errorMessage: outcome.ok ? null : outcome.error.message,
      httpStatus: outcome.ok ? null : (outcome.error.httpStatus ?? null),
      output: outcome.ok ? outcome.response.text : null,
      reasoning: outcome.ok ? outcome.response.reasoning : null,
      finishReason: outcome.ok ? outcome.response.finishReason : null,
      reportedModel: outcome.ok ? outcome.response.reportedModel : null,
      usage: outcome.ok ? outcome.response.usage : null,
      rawUsage: outcome.ok ? outcome.response.rawUsage : null,
      timing: outcome.ok
        ? outcome.response.timing
        : { latencyMs: outcome.timing.latencyMs, ttftMs: null, ttfatMs: null, outputTokensPerSecond: null },
      role: origin.role,
      turn: origin.turn,
    };
    const used = outcome.ok ? totalTokens(outcome.response.usage) : 0;
    permit.release(used);
    attempts.push(record);
    if (outcome.ok) return { attempts, final: record, error: null, interrupted: false };
    lastError = outcome.error;
    if (signals.stop.aborted) return { attempts, final: null, error: lastError, interrupted: true };
    if (!shouldRetry(outcome.error, retries, runtime.retry)) break;
    const delay = backoffDelay(outcome.error, retries, runtime.retry);
    if (outcome.error.errorClass === "rate_limit") runtime.limiter.pause(delay);
    await sleep(delay, signals.stop);
  }
  return { attempts, final: attempts.at(-1) ?? null, error: lastError, interrupted: false };
}

/** A deliberately generous guess for the tokens-per-minute bucket: ~4 characters a token plus the output cap. */
export function estimateTokens(request: ModelRequest): number {
  let chars = 0;
  for (const m of request.messages) chars += m.content.length;
  return Math.ceil(chars / 4) + (request.settings.maxTokens ?? 512);
}

function totalTokens(usage: { inputTokens: number | null; outputTokens: number | null } | null): number | null {
  if (!usage || usage.inputTokens === null || usage.outputTokens === null) return null;
  return usage.inputTokens + usage.outputTokens;
}
