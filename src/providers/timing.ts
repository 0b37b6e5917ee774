import type { Timing } from "../core/types.js";

/**
 * Measures one call. The first token is the first non-empty content or reasoning delta, not the first SSE frame:
 * vendors open streams with an empty role frame that says nothing about the model's speed.
 */
export class CallClock {
  private readonly start = performance.now();
  private firstTokenAt: number | null = null;
  private firstAnswerAt: number | null = null;

  reasoningDelta(text: string | null | undefined): void {
    if (text && this.firstTokenAt === null) this.firstTokenAt = performance.now();
  }

  contentDelta(text: string | null | undefined): void {
    if (!text) return;
    const now = performance.now();
    if (this.firstTokenAt === null) this.firstTokenAt = now;
    if (this.firstAnswerAt === null) this.firstAnswerAt = now;
  }

  elapsed(): number {
    return performance.now() - this.start;
  }

  finish(outputTokens: number | null): Timing {
    const end = performance.now();
    const ttft = this.firstTokenAt === null ? null : this.firstTokenAt - this.start;
    const ttfat = this.firstAnswerAt === null ? null : this.firstAnswerAt - this.start;
    return {
      latencyMs: round(end - this.start),
      ttftMs: ttft === null ? null : round(ttft),
      ttfatMs: ttfat === null ? null : round(ttfat),
      outputTokensPerSecond: tokensPerSecond(outputTokens, this.firstTokenAt, end),
    };
  }
}

/** Decode speed after the first token: (output − 1) tokens over the time from the first token to the end. */
export function tokensPerSecond(outputTokens: number | null, firstTokenAt: number | null, end: number): number | null {
  if (outputTokens === null || firstTokenAt === null || outputTokens < 2) return null;
  const seconds = (end - firstTokenAt) / 1000;
  if (seconds <= 0) return null;
  return Math.round(((outputTokens - 1) / seconds) * 100) / 100;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
