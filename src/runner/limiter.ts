/**
 * Per-provider admission: a concurrency cap, requests-per-minute and tokens-per-minute buckets, and a pause that
 * a 429's Retry-After imposes on the whole provider (the vendor is rate limiting the key, not one request).
 */
export interface LimiterSettings {
  concurrency: number;
  rpm?: number;
  tpm?: number;
}

export interface Permit {
  /** Corrects the token bucket with the tokens the call really used, and frees the concurrency slot. */
  release(actualTokens?: number | null): void;
}

export class ProviderLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly requests: TokenBucket | null;
  private readonly tokens: TokenBucket | null;
  private pausedUntil = 0;

  constructor(private readonly settings: LimiterSettings) {
    this.requests = settings.rpm ? new TokenBucket(settings.rpm) : null;
    this.tokens = settings.tpm ? new TokenBucket(settings.tpm) : null;
  }

  get capacity(): number {
    return this.settings.concurrency;
  }

  async acquire(estimatedTokens: number): Promise<Permit> {
    if (this.active >= this.settings.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    for (;;) {
      const wait = Math.max(
        this.pausedUntil - Date.now(),
        this.requests?.wait(1) ?? 0,
        this.tokens?.wait(estimatedTokens) ?? 0,
      );
      if (wait <= 0) break;
      await sleep(wait);
    }
    this.requests?.take(1);
    const reserved = this.tokens ? this.tokens.take(estimatedTokens) : 0;
    let released = false;
    return {
      release: (actualTokens) => {
        if (released) return;
        released = true;
        if (this.tokens && actualTokens !== null && actualTokens !== undefined) {
          this.tokens.adjust(actualTokens - reserved);
        }
        const next = this.waiting.shift();
        if (next) next();
        else this.active--;
      },
    };
  }

  /** Holds every new call to this provider until `ms` from now. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

/** A bucket refilled continuously at `perMinute`; its level may go negative when a call used more than reserved. */
export class TokenBucket {
  private level: number;
  private updated = Date.now();

  constructor(private readonly perMinute: number) {
    this.level = perMinute;
  }

  private refill(): void {
    const now = Date.now();
    this.level = Math.min(this.perMinute, this.level + ((now - this.updated) * this.perMinute) / 60_000);
    this.updated = now;
  }

  /** Milliseconds until `amount` can be taken (a request larger than the bucket waits for a full bucket). */
  wait(amount: number): number {
    this.refill();
    const need = Math.min(amount, this.perMinute) - this.level;
    return need <= 0 ? 0 : Math.ceil((need * 60_000) / this.perMinute);
  }

  take(amount: number): number {
    this.refill();
    const taken = Math.min(amount, this.perMinute);
    this.level -= taken;
    return taken;
  }

  adjust(delta: number): void {
    this.refill();
    this.level = Math.min(this.perMinute, this.level - delta);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
