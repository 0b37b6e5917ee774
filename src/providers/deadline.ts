import { EventEmitter } from "node:events";

/**
 * One call's abort signal: the caller's signal (Ctrl-C) or the per-attempt deadline, whichever comes first.
 *
 * It is an EventEmitter with `aborted` and an "abort" event, which undici takes as a request's `signal`: creating an
 * AbortSignal and listening on it cost ~15 µs per call (a profile of 20,000 calls: 4% of the harness's time), and
 * AbortSignal.any + AbortSignal.timeout cost more. An AbortSignal is made only for APIs that need one
 * ({@link abortSignal}). Nor does a call listen on the caller's signal, which every call of a run shares (EventTarget
 * removal scans its listeners): one listener per caller's signal aborts every call under it.
 */
export class Deadline extends EventEmitter {
  aborted = false;
  private expired = false;
  private controller: AbortController | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    timeoutMs: number,
    private readonly outer?: AbortSignal,
  ) {
    super();
    this.timer = setTimeout(() => {
      this.expired = true;
      this.abort();
    }, timeoutMs);
    if (outer?.aborted) this.abort();
    else if (outer) callsUnder(outer).add(this);
  }

  /** The same deadline as an AbortSignal, made on first use (node-llama-cpp wants one). */
  get abortSignal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort();
    }
    return this.controller.signal;
  }

  /** True when the deadline (not the caller) ended the call. */
  get timedOut(): boolean {
    return this.expired;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.controller?.abort();
    this.emit("abort");
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.outer) registry.get(this.outer)?.delete(this);
  }
}

const registry = new WeakMap<AbortSignal, Set<Deadline>>();

function callsUnder(outer: AbortSignal): Set<Deadline> {
  let calls = registry.get(outer);
  if (!calls) {
    const set = new Set<Deadline>();
    calls = set;
    registry.set(outer, set);
    outer.addEventListener(
      "abort",
      () => {
        for (const call of set) call.abort();
        set.clear();
      },
      { once: true },
    );
  }
  return calls;
}
