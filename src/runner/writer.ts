import type { ItemResult } from "../store/records.js";
import type { EncodedItem } from "../store/sqlite-writes.js";
import type { Store } from "../store/store.js";

/**
 * Streams finished items to the store in small transactions: at most `maxBatch` items or `maxDelayMs` old, so a
 * killed run loses at most the last fraction of a second and memory holds only one batch.
 */
export class ResultWriter {
  private buffer: EncodedItem[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly store: Store,
    private readonly maxBatch = 256,
    // Long enough to group many results per commit, short enough that a kill loses a blink of work.
    private readonly maxDelayMs = 100,
  ) {}

  add(result: ItemResult): void {
    if (this.failure) throw this.failure;
    this.buffer.push(this.store.encodeResult(result));
    if (this.buffer.length >= this.maxBatch) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), this.maxDelayMs);
  }

  /** Items accepted but not yet committed; the runner waits when too many pile up. */
  get pending(): number {
    return this.buffer.length;
  }

  async flush(): Promise<void> {
    this.flushNow();
    await this.writing;
    if (this.failure) throw this.failure;
  }

  private flushNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.writing = this.writing.then(async () => {
      if (this.failure) return;
      try {
        await this.store.writeEncoded(batch);
      } catch (error) {
        this.failure = error;
      }
    });
  }
}
