import type { RunProgress } from "../runner/runner.js";
import { compact } from "./format.js";

/**
 * Shows a run's progress on stderr (stdout stays clean for --json): one line redrawn in place on a terminal, a
 * plain line every few seconds otherwise (CI logs, pipes). `note()` shows a message (such as "stopping") without
 * the next redraw erasing it.
 */
export interface ProgressDisplay {
  note(message: string): void;
  stop(): void;
}

export function startProgress(
  progress: RunProgress,
  currency: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressDisplay {
  const counted = () => progress.done + progress.alreadyDone;
  const rate = () => progress.done / Math.max(0.001, (Date.now() - progress.startedAt) / 1000);
  const eta = () => {
    if (progress.total === null) return "?";
    const r = rate();
    return r > 0 ? `${Math.ceil((progress.total - counted()) / r)}s` : "?";
  };
  const line = () => {
    const total = progress.total ?? 0;
    const share = total > 0 ? Math.min(1, counted() / total) : 0;
    const bar = stream.isTTY ? `${"█".repeat(Math.round(share * 30)).padEnd(30, "░")} ` : "";
    return (
      `${bar}${counted()}/${progress.total ?? "?"} | ${rate().toFixed(1)}/s | ETA ${eta()} | errors ${progress.failed}` +
      ` | cached ${progress.cacheHits} | tokens ${compact(progress.inputTokens)} in, ${compact(progress.outputTokens)} out` +
      ` | cost ${progress.cost.toPrecision(3)} ${currency}${progress.unpricedCalls > 0 ? ` + ${progress.unpricedCalls} unpriced` : ""}`
    );
  };

  if (stream.isTTY) {
    const draw = () => stream.write(`\r${line()}\x1b[K`);
    draw();
    const timer = setInterval(draw, 200);
    return {
      note(message) {
        stream.write(`\r\x1b[K${message}\n`);
        draw();
      },
      stop() {
        clearInterval(timer);
        stream.write(`\r${line()}\x1b[K\n`);
      },
    };
  }
  const timer = setInterval(() => stream.write(`progress ${line()}\n`), 5000);
  timer.unref();
  return {
    note(message) {
      stream.write(`${message}\n`);
    },
    stop() {
      clearInterval(timer);
      stream.write(`progress ${line()}\n`);
    },
  };
}
