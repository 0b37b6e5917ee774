/**
 * Runs a "check program" (a candidate solution followed by its tests) the way human-eval's
 * `human_eval/execution.py` (openai/human-eval) does, inside the sandbox:
 * - the program is `exec`uted in a fresh globals dict, so `__name__` is "builtins" and an
 *   `if __name__ == "__main__":` block does not run;
 * - stdout and stderr are swallowed during the run and stdin raises on read (their `swallow_io`);
 * - a SIGALRM interval timer limits the exec to `timeout` seconds (their `time_limit`, 3 s for HumanEval), and the
 *   process as a whole gets that plus a grace period (they join the worker for timeout + 1 s);
 * - the same calls are disabled first as by their `reliability_guard()` (os.kill, os.system, os.fork, os.remove,
 *   shutil.rmtree, subprocess.Popen, exit/quit, help, importing resource/psutil/…), so a program that relies on
 *   them fails here as it fails under the reference grader;
 * - passing means the exec finished without any exception (including SystemExit).
 * The harness prints its verdict after a per-run random token it read from stdin before the program ran, so a
 * program that ends the process early with `os._exit(0)` does not pass (the reference reports "timed out").
 *
 * Unlike the reference, only the standard library is importable (the sandbox runs `python3 -I -S`).
 */
import { randomBytes } from "node:crypto";
import { defaultSandbox, type Sandbox } from "./sandbox.js";
import type { SandboxLimits, SandboxResult, SandboxStatus } from "./types.js";

/**
 * The harness, run as /sandbox/main.py. argv: timeout seconds, program path. stdin: the verdict token. It prints
 * "\n<token> passed|failed|timed-out" as stdout's last line and exits 0 only when passed.
 */
export const CHECK_HARNESS = `import builtins, contextlib, faulthandler, io, os, signal, sys, traceback


class _Timeout(Exception):
    pass


class _WriteOnly(io.StringIO):
    def read(self, *args, **kwargs):
        raise OSError

    def readline(self, *args, **kwargs):
        raise OSError

    def readlines(self, *args, **kwargs):
        raise OSError

    def readable(self, *args, **kwargs):
        return False


class _RedirectStdin(contextlib._RedirectStream):
    _stream = "stdin"


def _on_alarm(signum, frame):
    raise _Timeout("Timed out!")


_DISABLED_OS = (
    "kill system putenv remove removedirs rmdir fchdir setuid fork forkpty killpg rename renames truncate "
    "replace unlink fchmod fchown chmod chown chroot lchflags lchmod lchown getcwd chdir"
).split()


def _guard():
    faulthandler.disable()
    builtins.exit = None
    builtins.quit = None
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in _DISABLED_OS:
        setattr(os, name, None)
    import shutil
    import subprocess

    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess.Popen = None
    builtins.help = None
    for name in ("ipdb", "joblib", "resource", "psutil", "tkinter"):
        sys.modules[name] = None


def _main():
    token = sys.stdin.readline().strip()
    timeout = float(sys.argv[1])
    path = sys.argv[2]
    with open(path, encoding="utf-8") as f:
        source = f.read()
    write, leave = os.write, os._exit
    _guard()
    try:
        stream = _WriteOnly()
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream), _RedirectStdin(stream):
            previous = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                exec(compile(source, path, "exec"), {})
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
        verdict = "passed"
    except _Timeout:
        verdict = "timed-out"
    except BaseException:
        verdict = "failed"
        try:
            kind, value, tb = sys.exc_info()
            # Start the traceback at the program: the harness's own frame says nothing about the failure.
            traceback.print_exception(kind, value, tb.tb_next if tb is not None else None)
        except BaseException:
            pass
    try:
        sys.stderr.flush()
    except BaseException:
        pass
    write(1, ("\\n%s %s\\n" % (token, verdict)).encode())
    leave(0 if verdict == "passed" else 1)


_main()
`;

const PROGRAM_FILE = "program.py";

export interface CheckProgramOptions {
  /** Seconds the exec may take (human-eval: 3). The process gets 2 s more for start-up and reporting. */
  timeoutSeconds?: number;
  /** Default: the process-wide sandbox. */
  sandbox?: Sandbox;
  /** Other limits (memory, processes…); the wall and CPU limits follow `timeoutSeconds`. */
  limits?: Partial<SandboxLimits>;
}

export interface CheckOutcome {
  passed: boolean;
  /** The sandbox's status, corrected by the harness's verdict (a harness timeout is "timeout"). */
  status: SandboxStatus;
  /**
   * Why, in a few words: "passed", "timed out after 3 s", "exited before its tests finished", or for a failure the
   * last line of stderr ("AssertionError: …").
   */
  detail: string;
  /** The raw sandbox result (the harness's verdict line removed from stdout). */
  result: SandboxResult;
}

/** Runs `program` (solution + tests) in the sandbox as human-eval does and says whether it passed. */
export async function runCheckProgram(program: string, options: CheckProgramOptions = {}): Promise<CheckOutcome> {
  const timeoutSeconds = options.timeoutSeconds ?? 3;
  if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    throw new RangeError(`timeoutSeconds must be a positive number, got ${timeoutSeconds}`);
  }
  const sandbox = options.sandbox ?? defaultSandbox();
  const token = randomBytes(16).toString("hex");
  const result = await sandbox.run({
    code: CHECK_HARNESS,
    files: { [PROGRAM_FILE]: program },
    args: [String(timeoutSeconds), `/sandbox/${PROGRAM_FILE}`],
    stdin: `${token}\n`,
    limits: {
      ...options.limits,
      wallTimeMs: Math.ceil(timeoutSeconds * 1000) + 2000,
      cpuSeconds: Math.ceil(timeoutSeconds) + 1,
    },
  });
  const { verdict, stdout } = takeVerdict(result.stdout, token);
  const cleaned: SandboxResult = { ...result, stdout };
  if (verdict === "passed" && result.status === "passed") {
    return { passed: true, status: "passed", detail: "passed", result: cleaned };
  }
  if (verdict === "timed-out") {
    return { passed: false, status: "timeout", detail: `timed out after ${timeoutSeconds} s`, result: cleaned };
  }
  if (verdict === null && result.status === "passed") {
    // Exit status 0 without the harness's verdict: the program ended the process itself (os._exit).
    return { passed: false, status: "failed", detail: "exited before its tests finished", result: cleaned };
  }
  const status: SandboxStatus = result.status === "passed" ? "failed" : result.status;
  return { passed: false, status, detail: describe(status, result), result: cleaned };
}

/** The harness's verdict (the last line of stdout, after the token) and stdout without it. */
function takeVerdict(stdout: string, token: string): { verdict: string | null; stdout: string } {
  const marker = `\n${token} `;
  const at = stdout.lastIndexOf(marker);
  if (at === -1) return { verdict: null, stdout };
  const verdict = stdout.slice(at + marker.length).trim();
  return { verdict, stdout: stdout.slice(0, at) };
}

function describe(status: SandboxStatus, result: SandboxResult): string {
  switch (status) {
    case "timeout":
      return result.signal === "SIGXCPU" ? "ran out of CPU time" : "timed out";
    case "oom":
      return "ran out of memory";
    case "output_limit":
      return "wrote too much output";
    case "error":
      return "the sandbox could not run the program";
    default: {
      const last = lastLine(result.stderr);
      return last === "" ? `exit status ${result.exitCode ?? result.signal}` : last;
    }
  }
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  const last = (lines[lines.length - 1] ?? "").trim();
  return last.length > 200 ? `${last.slice(0, 200)}…` : last;
}
