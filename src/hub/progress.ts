/**
 * Download progress on stderr. On a terminal, one line redrawn in place: name, bar, %, bytes, rate and ETA. In a
 * log (not a terminal), a few plain lines: the start, one every few seconds for a long download, and the end.
 * Only the file's name and byte counts are shown, never a URL (a CDN URL carries a signature) nor a header.
 */
export type ProgressMode = "auto" | "bar" | "lines" | "none";

export interface DownloadProgress {
  /** The transfer begins (again): `total` bytes expected if known, `from` bytes already on disk. */
  start(total: number | null, from: number): void;
  advance(bytes: number): void;
  /** The transfer stopped and will be resumed: `reason` says why. */
  interrupted(reason: string): void;
  done(): void;
  failed(): void;
}

type Stream = NodeJS.WritableStream & { isTTY?: boolean };

const REDRAW_MS = 100;
const LINE_EVERY_MS = 5000;

export function downloadProgress(label: string, mode: ProgressMode, stream: Stream): DownloadProgress {
  const effective = mode === "auto" ? (stream.isTTY ? "bar" : "lines") : mode;
  if (effective === "none") return { start() {}, advance() {}, interrupted() {}, done() {}, failed() {} };

  let total: number | null = null;
  let received = 0;
  let sessionStart = 0; // bytes on disk when this transfer (re)started: the rate counts only what was fetched
  let startedAt = 0;
  let firstStart = 0;
  let lastDraw = 0;
  let drawn = false;
  // On a terminal, a plain line first clears whatever line (a run's progress) the cursor is on.
  const clear = stream.isTTY ? "\r\x1b[K" : "";

  const rate = () => (received - sessionStart) / Math.max(0.001, (Date.now() - startedAt) / 1000);
  const status = () => {
    const r = rate();
    const pct = total ? `${Math.floor((100 * received) / total)}% ` : "";
    const size = total ? `${formatBytes(received)}/${formatBytes(total)}` : formatBytes(received);
    const eta = total && r > 0 ? ` ETA ${formatDuration((total - received) / r)}` : "";
    return `${pct}${size} ${formatBytes(r)}/s${eta}`;
  };
  const bar = () => {
    const width = 24;
    const filled = total ? Math.min(width, Math.round((width * received) / total)) : 0;
    return `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
  };
  const write = (text: string) => stream.write(text);

  if (effective === "bar") {
    const draw = (force = false) => {
      const now = Date.now();
      if (!force && now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      drawn = true;
      write(`\r${label} ${bar()} ${status()}\x1b[K`);
    };
    return {
      start(t, from) {
        total = t;
        received = from;
        sessionStart = from;
        startedAt = Date.now();
        firstStart ||= startedAt;
        draw(true);
      },
      advance(bytes) {
        received += bytes;
        draw();
      },
      interrupted(reason) {
        write(`\r\x1b[K${label}: interrupted at ${formatBytes(received)} (${reason}); resuming\n`);
        drawn = false;
      },
      done() {
        draw(true);
        write(` in ${formatDuration((Date.now() - firstStart) / 1000)}\n`);
      },
      failed() {
        if (drawn) write("\n");
      },
    };
  }

  return {
    start(t, from) {
      total = t;
      received = from;
      sessionStart = from;
      startedAt = Date.now();
      lastDraw = startedAt;
      const size = t === null ? "" : ` (${formatBytes(t)})`;
      if (!firstStart) write(`${clear}downloading ${label}${size}\n`);
      else write(`${clear}resuming ${label} at ${formatBytes(from)}${size}\n`);
      firstStart ||= startedAt;
    },
    advance(bytes) {
      received += bytes;
      const now = Date.now();
      if (now - lastDraw >= LINE_EVERY_MS) {
        lastDraw = now;
        write(`${clear}  ${label}: ${status()}\n`);
      }
    },
    interrupted(reason) {
      write(`${clear}  ${label}: interrupted at ${formatBytes(received)} (${reason})\n`);
    },
    done() {
      const seconds = (Date.now() - firstStart) / 1000;
      write(`${clear}downloaded ${label}: ${formatBytes(received)} in ${formatDuration(seconds)}\n`);
    },
    failed() {},
  };
}

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
