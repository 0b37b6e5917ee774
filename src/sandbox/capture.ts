/**
 * Keeps a bounded part of a stream: its first and last bytes. A traceback is at the end of stderr and a program's
 * first words at the start of stdout, so both ends are worth more than one long head.
 */
export class BoundedCapture {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  /** Ring of the most recent chunks past the head, trimmed to `tailLimit`. */
  private tail: Buffer[] = [];
  private tailBytes = 0;
  /** Every byte seen. */
  total = 0;
  private readonly headLimit: number;
  private readonly tailLimit: number;

  constructor(limit: number) {
    this.headLimit = Math.ceil(limit / 2);
    this.tailLimit = Math.floor(limit / 2);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit) {
      this.tailBytes -= this.tail.shift()?.length ?? 0;
    }
  }

  get truncated(): boolean {
    return this.total > this.headBytes + Math.min(this.tailBytes, this.tailLimit);
  }

  /** The kept text; when bytes were dropped, a marker saying how many stands where they were. */
  text(): string {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailLimit) tail = tail.subarray(tail.length - this.tailLimit);
    const dropped = this.total - head.length - tail.length;
    if (dropped <= 0) return Buffer.concat([head, tail]).toString("utf8");
    // Cut points may split a UTF-8 sequence; the decoder shows the broken ends as U+FFFD, which is honest.
    return `${head.toString("utf8")}\n…[${dropped} bytes omitted]…\n${tail.toString("utf8")}`;
  }
}
