import { describe, expect, it } from "vitest";
import type { ModelError } from "../src/core/types.js";
import { ProviderLimiter, TokenBucket } from "../src/runner/limiter.js";
import { backoffDelay, type RetryPolicy, shouldRetry } from "../src/runner/retry.js";

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
const err = (errorClass: ModelError["errorClass"], retryAfterMs?: number): ModelError => ({
  errorClass,
  message: "x",
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

describe("retry policy", () => {
  it("retries only retryable classes, and only maxRetries times", () => {
    for (const cls of ["rate_limit", "server", "timeout", "network", "invalid_response"] as const) {
      expect(shouldRetry(err(cls), 0, policy)).toBe(true);
      expect(shouldRetry(err(cls), 3, policy)).toBe(false);
    }
    for (const cls of ["bad_request", "auth", "content_filter"] as const) {
      expect(shouldRetry(err(cls), 0, policy)).toBe(false);
    }
  });

  it("backs off exponentially with equal jitter, capped", () => {
    expect(backoffDelay(err("server"), 0, policy, () => 0)).toBe(50);
    expect(backoffDelay(err("server"), 0, policy, () => 1)).toBe(100);
    expect(backoffDelay(err("server"), 3, policy, () => 0)).toBe(400);
    expect(backoffDelay(err("server"), 10, policy, () => 1)).toBe(1000);
  });

  it("never comes back sooner than Retry-After, and clamps absurd ones", () => {
    expect(backoffDelay(err("rate_limit", 2000), 0, policy, () => 0)).toBe(2000);
    expect(backoffDelay(err("rate_limit", 2000), 0, policy, () => 1)).toBeGreaterThanOrEqual(2000);
    expect(backoffDelay(err("rate_limit", 3_600_000), 0, policy, () => 0)).toBe(5000);
  });
});

describe("ProviderLimiter", () => {
  it("never exceeds its concurrency", async () => {
    const limiter = new ProviderLimiter({ concurrency: 3 });
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const permit = await limiter.acquire(1);
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 2));
        active--;
        permit.release(1);
      }),
    );
    expect(peak).toBe(3);
  });

  it("holds calls while paused by a 429", async () => {
    const limiter = new ProviderLimiter({ concurrency: 5 });
    limiter.pause(120);
    const start = Date.now();
    const permit = await limiter.acquire(1);
    permit.release(1);
    expect(Date.now() - start).toBeGreaterThanOrEqual(100);
  });

  it("spaces requests to honour requests per minute", async () => {
    // 600 rpm = one request per 100 ms once the initial burst (the bucket's capacity) is spent.
    const limiter = new ProviderLimiter({ concurrency: 10, rpm: 600 });
    for (let i = 0; i < 600; i++) (await limiter.acquire(1)).release(1);
    const start = Date.now();
    (await limiter.acquire(1)).release(1);
    (await limiter.acquire(1)).release(1);
    expect(Date.now() - start).toBeGreaterThanOrEqual(150);
  });
});

describe("TokenBucket", () => {
  it("charges the real usage after a call", () => {
    const bucket = new TokenBucket(1000);
    bucket.take(100);
    bucket.adjust(400); // the call used 500, not the 100 reserved
    expect(bucket.wait(600)).toBeGreaterThan(0);
    expect(bucket.wait(500)).toBe(0);
  });
});
