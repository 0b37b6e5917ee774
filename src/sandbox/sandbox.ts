/**
 * Runs untrusted Python (model-generated code) in a throwaway bubblewrap sandbox: a separate process with no
 * network, a read-only view of /usr only, private bounded tmpfs for /tmp and /dev/shm, no environment from the
 * parent, limits on CPU time, wall time, memory, processes, file size and output, and, when started as root, an
 * unprivileged user. See command.ts for the exact command line.
 *
 * A {@link Sandbox} checks once that the machine can do all this (a probe run) and refuses to run anything when
 * it cannot, with a {@link SandboxUnavailableError} saying what to install or enable: code is never run without
 * the sandbox. It runs at most `concurrency` programs at a time; the rest wait their turn.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { BoundedCapture } from "./capture.js";
import { classify, type RunObservation } from "./classify.js";
import { buildCommand, STATUS_FD } from "./command.js";
import { detectEnvironment, type EnvironmentOptions, type SandboxEnvironment } from "./environment.js";
import {
  DEFAULT_LIMITS,
  type SandboxLimits,
  type SandboxRequest,
  SandboxRequestError,
  type SandboxResult,
  SandboxUnavailableError,
} from "./types.js";

export interface SandboxOptions extends EnvironmentOptions {
  /** Programs run at once; default: the number of CPUs. */
  concurrency?: number;
  /** Limits for every run (a request may override them). */
  limits?: Partial<SandboxLimits>;
}

const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
/** After a kill, how long to wait for the pipes to close before giving up on them. */
const CLOSE_GRACE_MS = 5_000;

/**
 * The limits of one run: the built-in defaults, then the sandbox's, then the request's. The CPU limit follows the
 * wall limit unless one of them sets it (a program cannot use more CPU than wall time single-threaded).
 */
export function resolveLimits(...layers: (Partial<SandboxLimits> | undefined)[]): SandboxLimits {
  const merged: SandboxLimits = { ...DEFAULT_LIMITS };
  let cpuGiven = false;
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer) as [keyof SandboxLimits, number | undefined][]) {
      if (value === undefined) continue;
      merged[key] = value;
      if (key === "cpuSeconds") cpuGiven = true;
    }
  }
  if (!cpuGiven) merged.cpuSeconds = Math.max(1, Math.ceil(merged.wallTimeMs / 1000));
  checkLimits(merged);
  return merged;
}

function checkLimits(limits: SandboxLimits): void {
  const rules: [keyof SandboxLimits, number][] = [
    ["wallTimeMs", 1],
    ["cpuSeconds", 1],
    ["memoryBytes", 16 * 1024 * 1024],
    ["processes", 2],
    ["fileSizeBytes", 1],
    ["openFiles", 8],
    ["tmpfsBytes", 4096],
    ["outputBytes", 1],
    ["captureBytes", 0],
  ];
  for (const [key, min] of rules) {
    const value = limits[key];
    if (!Number.isSafeInteger(value) || value < min) {
      throw new SandboxRequestError(`sandbox limit ${key} must be an integer ≥ ${min}, got ${value}`);
    }
  }
}

function checkRequest(request: SandboxRequest): void {
  if (typeof request.code !== "string") throw new SandboxRequestError("sandbox request: code must be a string");
  for (const name of Object.keys(request.files ?? {})) {
    if (!FILE_NAME.test(name) || name === "main.py") {
      throw new SandboxRequestError(
        `sandbox request: file name ${JSON.stringify(name)} is not allowed: expected letters, digits, ".", "_" or "-" (not main.py)`,
      );
    }
  }
  for (const arg of request.args ?? []) {
    if (typeof arg !== "string" || arg.includes("\0")) {
      throw new SandboxRequestError("sandbox request: args must be strings without NUL characters");
    }
  }
}

/** What to tell the user when the probe run fails, from bubblewrap's or setpriv's complaint. */
function probeAdvice(stderr: string): string {
  if (/Can't find source path/i.test(stderr)) {
    return (
      `the sandbox user cannot reach the temporary folder ${tmpdir()} where each program is written; set TMPDIR ` +
      "to a folder every user can traverse, such as /tmp"
    );
  }
  if (/setpriv/i.test(stderr)) {
    return (
      "setpriv could not switch to the unprivileged sandbox user (started as root, the sandbox drops to uid 65534 " +
      "first); run Arbiter as an ordinary user, or give the container CAP_SETUID and CAP_SETGID"
    );
  }
  if (/uid map|namespace|unshare|Operation not permitted|Permission denied/i.test(stderr)) {
    return (
      "unprivileged user namespaces are unavailable; enable them: `sysctl -w user.max_user_namespaces=15000`, on " +
      "Debian ≤ 10 `sysctl -w kernel.unprivileged_userns_clone=1`, on Ubuntu ≥ 23.10 " +
      "`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (or an AppArmor profile allowing bwrap); in " +
      "Docker, start the container with `--security-opt seccomp=unconfined --security-opt apparmor=unconfined`"
    );
  }
  return "the sandbox could not start (see bubblewrap's message)";
}

export class Sandbox {
  readonly concurrency: number;
  private readonly options: SandboxOptions;
  private environment: SandboxEnvironment | null = null;
  private ready: Promise<SandboxEnvironment> | null = null;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: SandboxOptions = {}) {
    const concurrency = options.concurrency ?? availableParallelism();
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new SandboxRequestError(`sandbox concurrency must be an integer ≥ 1, got ${concurrency}`);
    }
    this.concurrency = concurrency;
    this.options = options;
    resolveLimits(options.limits);
  }

  /**
   * Checks once that the machine can sandbox code: finds the tools, then runs a probe program and makes sure it
   * ran, unprivileged. Throws {@link SandboxUnavailableError} with what to install or enable.
   */
  check(): Promise<void> {
    if (this.ready === null) {
      this.ready = this.probe();
      // A failed check is not cached: the user may fix the machine and try again in the same process.
      this.ready.catch(() => {
        this.ready = null;
      });
    }
    return this.ready.then(() => undefined);
  }

  private async probe(): Promise<SandboxEnvironment> {
    const env = detectEnvironment(this.options);
    const result = await this.execute(env, {
      code: "import os, sys\nsys.stdout.write('sandbox-ok uid=%d' % os.getuid())\n",
      limits: { wallTimeMs: 10_000 },
    });
    const match = /^sandbox-ok uid=(\d+)$/.exec(result.stdout);
    if (result.status !== "passed" || match === null) {
      const said = result.stderr.trim().split("\n").slice(-3).join(" | ") || `status ${result.status}`;
      throw new SandboxUnavailableError(
        `cannot sandbox generated code: ${probeAdvice(result.stderr)}. The probe run said: ${said}`,
      );
    }
    if (match[1] === "0") {
      throw new SandboxUnavailableError(
        "cannot sandbox generated code: the probe program ran as root inside the sandbox; refusing to go on",
      );
    }
    this.environment = env;
    return env;
  }

  /** Runs one program in a fresh sandbox (after the check, when a slot is free). */
  async run(request: SandboxRequest): Promise<SandboxResult> {
    checkRequest(request);
    resolveLimits(this.options.limits, request.limits);
    await this.check();
    const env = this.environment;
    if (env === null) throw new SandboxUnavailableError("the sandbox check did not complete");
    await this.acquire();
    try {
      return await this.execute(env, request);
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private async execute(env: SandboxEnvironment, request: SandboxRequest): Promise<SandboxResult> {
    const limits = resolveLimits(this.options.limits, request.limits);
    const dir = await mkdtemp(join(tmpdir(), "arbiter-sandbox-"));
    try {
      const files: [string, string][] = [["main.py", request.code], ...Object.entries(request.files ?? {})];
      for (const [name, content] of files) {
        await writeFile(join(dir, name), content, { mode: 0o400, flag: "wx" });
      }
      // The folder stays private (0700): readable by the sandbox user only, who cannot change it (read-only bind).
      if (env.dropTo !== null) {
        for (const [name] of files) await chown(join(dir, name), env.dropTo.uid, env.dropTo.gid);
        await chown(dir, env.dropTo.uid, env.dropTo.gid);
      }
      return await spawnSandbox(env, dir, limits, request);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function spawnSandbox(
  env: SandboxEnvironment,
  dir: string,
  limits: SandboxLimits,
  request: SandboxRequest,
): Promise<SandboxResult> {
  const command = buildCommand(env, dir, limits, request.args ?? []);
  const started = performance.now();
  const stdout = new BoundedCapture(limits.captureBytes);
  const stderr = new BoundedCapture(limits.captureBytes);
  let statusText = "";
  let killedFor: RunObservation["killedFor"] = null;
  let spawnError: string | null = null;

  return new Promise<SandboxResult>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(command.file, command.args, {
        // Only what the wrappers need: the parent's variables (API keys…) never reach even bubblewrap.
        env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
        stdio: [request.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe", "pipe"],
        // Its own process group, so that one kill reaches timeout, setpriv and bubblewrap together.
        detached: true,
      });
    } catch (err) {
      resolve(errorResult(`cannot start the sandbox: ${err instanceof Error ? err.message : String(err)}`, started));
      return;
    }

    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const kill = (reason: "wall" | "output"): void => {
      if (killedFor === null) killedFor = reason;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      // bubblewrap dies with its parent and takes the whole pid namespace with it, so the pipes close at once;
      // should they not, stop waiting for them.
      graceTimer ??= setTimeout(() => {
        for (const stream of child.stdio) stream?.destroy();
        finish();
      }, CLOSE_GRACE_MS);
    };
    const wallTimer = setTimeout(() => kill("wall"), limits.wallTimeMs);

    const onOutput = (capture: BoundedCapture) => (chunk: Buffer) => {
      capture.push(chunk);
      if (stdout.total + stderr.total > limits.outputBytes) kill("output");
    };
    child.stdout?.on("data", onOutput(stdout));
    child.stderr?.on("data", onOutput(stderr));
    (child.stdio[STATUS_FD] as Readable | null)?.on("data", (chunk: Buffer) => {
      if (statusText.length < 64 * 1024) statusText += chunk.toString("utf8");
    });
    for (const stream of child.stdio) stream?.on("error", () => {});
    if (request.stdin !== undefined && child.stdin) child.stdin.end(request.stdin);

    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(wallTimer);
      clearTimeout(graceTimer);
      const status = parseStatus(statusText);
      const stderrText = stderr.text();
      const verdict = classify({
        killedFor,
        started: status.started,
        programStatus: status.exitCode,
        spawnError,
        stderr: stderrText,
      });
      resolve({
        ...verdict,
        stdout: stdout.text(),
        stderr: spawnError !== null ? `${stderrText}${spawnError}` : stderrText,
        stdoutTruncated: stdout.truncated,
        stderrTruncated: stderr.truncated,
        durationMs: performance.now() - started,
      });
    };
    child.on("error", (err) => {
      spawnError = `cannot start the sandbox: ${err.message}`;
      finish();
    });
    child.on("close", finish);
  });
}

/** bubblewrap's --json-status-fd stream: `{"child-pid": N, …}` once set up, `{"exit-code": N}` at the end. */
function parseStatus(text: string): { started: boolean; exitCode: number | null } {
  let started = false;
  let exitCode: number | null = null;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const doc = JSON.parse(line) as Record<string, unknown>;
      if (typeof doc["child-pid"] === "number") started = true;
      if (typeof doc["exit-code"] === "number") exitCode = doc["exit-code"];
    } catch {
      // A line cut short by a kill: ignore it.
    }
  }
  return { started, exitCode };
}

function errorResult(message: string, started: number): SandboxResult {
  return {
    status: "error",
    exitCode: null,
    signal: null,
    stdout: "",
    stderr: message,
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs: performance.now() - started,
  };
}

let shared: Sandbox | null = null;

/** The process-wide sandbox (default limits, concurrency = CPUs), created on first use. */
export function defaultSandbox(): Sandbox {
  shared ??= new Sandbox();
  return shared;
}
