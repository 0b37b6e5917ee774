/**
 * Resolves in the event loop's next timers phase, after the current poll and check phases.
 *
 * Why: undici writes a request on a reused keep-alive socket only in the check phase (it first lets the idle
 * socket show a pending close). Work done in the poll phase, right after a response arrives, delays every request
 * dispatched in that turn of the loop. A call's answer is timed when it arrives; scoring and storing it can wait
 * until the new requests are on the wire. Measured: 5,000 calls at 20 ms and concurrency 32 ran ~8% faster.
 *
 * One timer serves every waiter of the same turn.
 */
let waiting: (() => void)[] = [];
let scheduled = false;

export function yieldToIO(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) {
      scheduled = true;
      setTimeout(release, 0);
    }
  });
}

function release(): void {
  const ready = waiting;
  waiting = [];
  scheduled = false;
  for (const resolve of ready) resolve();
}
