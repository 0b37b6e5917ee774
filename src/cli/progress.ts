import cliProgress from "cli-progress";
import type { RunProgress } from "../runner/runner.js";
import { compact } from "./format.js";

/**
 * Shows a run's progress on stderr (stdout stays clean for --json): a live bar on a terminal, a plain line every
 * few seconds otherwise (CI logs, pipes).
 */
export function startProgress(progress: RunProgress, stream: NodeJS.WriteStream = process.stderr): () => void {
  const counted = () => progress.done + progress.alreadyDone;
  const rate = () => progress.done / Math.max(0.001, (Date.now() - progress.startedAt) / 1000);
  const eta = () => {
    if (progress.total === null) return "?";
    const r = rate();
    return r > 0 ? `${Math.ceil((progress.total - counted()) / r)}s` : "?";
  };
  const details = () =>
    `${rate().toFixed(1)}/s | ETA ${eta()} | errors ${progress.failed} | cached ${progress.cacheHits} | tokens ${compact(progress.inputTokens)} in, ${compact(progress.outputTokens)} out`;

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: "{bar} {value}/{total} | {details}", stream, hideCursor: true, clearOnComplete: false, fps: 5 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(progress.total ?? 0, counted(), { details: details() });
    const timer = setInterval(() => bar.update(counted(), { details: details() }), 200);
    return () => {
      clearInterval(timer);
      bar.update(counted(), { details: details() });
      bar.stop();
    };
  }
  const line = () => stream.write(`progress ${counted()}/${progress.total ?? "?"} | ${details()}\n`);
  const timer = setInterval(line, 5000);
  timer.unref();
  return () => {
    clearInterval(timer);
    line();
  };
}
