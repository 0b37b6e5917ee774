import { type ModelError, RETRYABLE } from "../core/types.js";

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff step; doubles each retry. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After we honour; a longer one is clamped so a run never sleeps for hours. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, "maxRetries"> = {
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 600_000,
};

export function shouldRetry(error: ModelError, retriesSoFar: number, policy: RetryPolicy): boolean {
  return RETRYABLE.has(error.errorClass) && retriesSoFar < policy.maxRetries;
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random) so that many workers hit by the same 429 do
 * not retry in lockstep. A server's Retry-After is a floor: we never come back sooner than asked.
 */
export function backoffDelay(
  error: ModelError,
  retriesSoFar: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retriesSoFar);
  const jittered = step / 2 + random() * (step / 2);
  if (error.retryAfterMs !== undefined) {
    const asked = Math.min(error.retryAfterMs, policy.maxRetryAfterMs);
    return asked + random() * Math.min(1000, step / 4);
  }
  return jittered;
}
