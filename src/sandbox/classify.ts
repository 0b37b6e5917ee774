/**
 * From what was observed of a run (why we killed it, what bubblewrap reported, stderr) to a {@link SandboxStatus}.
 * Pure, so every rule can be tested without running anything.
 */
import { constants } from "node:os";
import type { SandboxStatus } from "./types.js";

export interface RunObservation {
  /** Set when we killed the sandbox ourselves. */
  killedFor: "wall" | "output" | null;
  /** bubblewrap reported the child's pid: the sandbox was set up and the program started. */
  started: boolean;
  /**
   * The program's status as bubblewrap's pid 1 reported it: the exit code, or 128 + the signal number. Null when
   * the sandbox was killed before the program ended.
   */
  programStatus: number | null;
  /** Why the sandbox process could not be spawned at all (ENOENT…). */
  spawnError: string | null;
  stderr: string;
}

export interface Classification {
  status: SandboxStatus;
  exitCode: number | null;
  signal: string | null;
}

/** Signal numbers to names; the first name wins where two share a number (SIGABRT before SIGIOT). */
const SIGNAL_NAMES = new Map<number, string>();
for (const [name, number] of Object.entries(constants.signals)) {
  if (!SIGNAL_NAMES.has(number)) SIGNAL_NAMES.set(number, name);
}

/** A status above 128 is a signal (bubblewrap, like a shell, reports death by signal N as 128 + N). */
function splitStatus(status: number | null): { exitCode: number | null; signal: string | null } {
  if (status === null) return { exitCode: null, signal: null };
  const name = status > 128 ? SIGNAL_NAMES.get(status - 128) : undefined;
  return name === undefined ? { exitCode: status, signal: null } : { exitCode: null, signal: name };
}

/**
 * Python's ways of saying it ran out of its address space: a MemoryError as the traceback's last line, or an
 * OSError "Cannot allocate memory" (ENOMEM from mmap/fork), or a fatal error while allocating.
 */
export function looksOutOfMemory(stderr: string): boolean {
  const lines = stderr.trimEnd().split("\n");
  const last = lines[lines.length - 1]?.trim() ?? "";
  if (/^MemoryError\b/.test(last)) return true;
  if (/\[Errno 12\] Cannot allocate memory/.test(last)) return true;
  return /^Fatal Python error: .*(?:memory|MemoryError)/im.test(stderr);
}

export function classify(run: RunObservation): Classification {
  const { exitCode, signal } = splitStatus(run.programStatus);
  if (run.spawnError !== null) return { status: "error", exitCode: null, signal: null };
  if (run.killedFor === "output") return { status: "output_limit", exitCode, signal: signal ?? "SIGKILL" };
  if (run.killedFor === "wall") return { status: "timeout", exitCode, signal: signal ?? "SIGKILL" };
  if (!run.started || run.programStatus === null) return { status: "error", exitCode, signal };
  if (exitCode === 0) return { status: "passed", exitCode, signal };
  // RLIMIT_CPU sends SIGXCPU at the soft limit and SIGKILL at the hard one (a second later).
  if (signal === "SIGXCPU" || signal === "SIGKILL") return { status: "timeout", exitCode, signal };
  if (signal === "SIGXFSZ") return { status: "output_limit", exitCode, signal };
  if (looksOutOfMemory(run.stderr)) return { status: "oom", exitCode, signal };
  return { status: "failed", exitCode, signal };
}
