/**
 * The vocabulary of the code sandbox: what a run may use (limits), what is asked (request) and what came back
 * (result). Pure types and defaults; no I/O.
 */
import { UserError } from "../core/errors.js";

/**
 * How a sandboxed run ended.
 * - passed: exit status 0.
 * - failed: any other exit status (an exception, a failed assert, a syntax error, a signal we cannot attribute).
 * - timeout: the wall-time limit, or the CPU-time limit (SIGXCPU, or SIGKILL at the hard CPU limit).
 * - oom: Python ran out of its address-space limit (MemoryError, "Cannot allocate memory").
 * - output_limit: stdout + stderr grew past `outputBytes`, or a file past `fileSizeBytes` (SIGXFSZ).
 * - error: the sandbox itself could not run the program (bubblewrap refused a mount, spawn failed…).
 */
export type SandboxStatus = "passed" | "failed" | "timeout" | "error" | "oom" | "output_limit";

export interface SandboxLimits {
  /** Wall-clock limit, from spawn to exit; the whole sandbox is killed when it passes. */
  wallTimeMs: number;
  /** CPU seconds per process (RLIMIT_CPU; SIGXCPU at this, SIGKILL one second later). Whole seconds, ≥ 1. */
  cpuSeconds: number;
  /** Address space per process (RLIMIT_AS), bytes. Python raises MemoryError past it. */
  memoryBytes: number;
  /**
   * Processes and threads the program may have at once (RLIMIT_NPROC). Applied inside the sandbox's own user
   * namespace, so on Linux ≥ 5.14 it counts this sandbox's processes only (the sandbox's pid 1 counts too).
   */
  processes: number;
  /** Largest file the program may write (RLIMIT_FSIZE), bytes. */
  fileSizeBytes: number;
  /** Open file descriptors (RLIMIT_NOFILE). */
  openFiles: number;
  /** Size of each private tmpfs (/tmp and /dev/shm), bytes: the only writable places. */
  tmpfsBytes: number;
  /** stdout + stderr bytes after which the run is killed with status "output_limit". */
  outputBytes: number;
  /** Bytes of each stream kept in the result (head and tail; the middle is dropped and marked). */
  captureBytes: number;
}

/** Limits for a short test program: 10 s, 512 MiB, 8 processes, 4 MiB of output. */
export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  wallTimeMs: 10_000,
  cpuSeconds: 10,
  memoryBytes: 512 * 1024 * 1024,
  processes: 8,
  fileSizeBytes: 16 * 1024 * 1024,
  openFiles: 64,
  tmpfsBytes: 64 * 1024 * 1024,
  outputBytes: 4 * 1024 * 1024,
  captureBytes: 64 * 1024,
});

export interface SandboxRequest {
  /** The Python program, run as the script /sandbox/main.py. */
  code: string;
  /**
   * More read-only files beside main.py in /sandbox, by name (letters, digits, `.`, `_`, `-`; not main.py). The
   * code-execution harness uses this to keep the untrusted program apart from the script that runs it.
   */
  files?: Record<string, string>;
  /** Arguments after the script name. */
  args?: string[];
  /** Text fed to the program's stdin; without it stdin is /dev/null. */
  stdin?: string;
  /** Limits for this run; unset ones come from the sandbox's defaults. */
  limits?: Partial<SandboxLimits>;
}

export interface SandboxResult {
  status: SandboxStatus;
  /** The program's exit status; null when it was killed by a signal or never ran. */
  exitCode: number | null;
  /** The signal that ended the program ("SIGXCPU", "SIGKILL"…), or null. */
  signal: string | null;
  /** Captured stdout (head and tail when longer than `captureBytes`). */
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** Wall time from spawn to exit, including the sandbox's own start-up (~10–30 ms). */
  durationMs: number;
}

/**
 * The machine cannot sandbox code (bubblewrap missing, user namespaces disabled, not Linux…). The message says
 * what to install or enable. Code is never run unsandboxed instead.
 */
export class SandboxUnavailableError extends UserError {
  override name = "SandboxUnavailableError";
}

/** A request the sandbox refuses before running anything (a bad file name, a limit out of range). */
export class SandboxRequestError extends Error {
  override name = "SandboxRequestError";
}

/**
 * The sandbox failed to run one program (bubblewrap could not set it up, or died): a fault of the machine, not of
 * the program, so a scorer reports it rather than scoring 0.
 */
export class SandboxRunError extends Error {
  override name = "SandboxRunError";
}
