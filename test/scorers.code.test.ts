/**
 * Code-execution scoring: reading code out of answers, the HumanEval and MBPP tasks, and pass@k against
 * human-eval's documented result. Programs run in the real sandbox (bubblewrap), never unsandboxed.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Sample, Score } from "../src/core/types.js";
import { Sandbox, type SandboxResult, SandboxRunError, SandboxUnavailableError } from "../src/sandbox/index.js";
import {
  codeExecutionScorer,
  definesFunction,
  extractCode,
  meanPassAtK,
  passCounts,
  stderrTail,
} from "../src/scorers/code-execution.js";
import { createRng } from "../src/stats/random.js";
import { BuiltinTaskError } from "../src/tasks/builtin/definition.js";
import {
  HUMANEVAL_INSTRUCTION,
  type HumanEvalProblem,
  humanEvalCompletion,
  humanEvalProgram,
  humanEvalSample,
  humanEvalScorer,
  humaneval,
  readHumanEvalProblems,
} from "../src/tasks/builtin/humaneval.js";
import {
  calledNames,
  type MbppProblem,
  mbpp,
  mbppAssistantTurn,
  mbppCode,
  mbppProgram,
  mbppScorer,
  mbppTestSamples,
  readMbppProblems,
} from "../src/tasks/builtin/mbpp.js";
import { DataFileError, readRecords } from "../src/tasks/data-files.js";

const SHARED = resolve("../shared/datasets");
const sandbox = new Sandbox({ concurrency: 2 });

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function humanEvalProblems(): Promise<HumanEvalProblem[]> {
  return (await collect(readHumanEvalProblems(join(SHARED, "humaneval/HumanEval.jsonl.gz")))).map((p) => p.problem);
}

/** `count` items drawn without replacement with a fixed seed (a partial Fisher–Yates shuffle). */
function seededSubset<T>(items: readonly T[], count: number, seed: number): T[] {
  const pool = [...items];
  const rng = createRng(seed);
  for (let i = 0; i < Math.min(count, pool.length); i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, count);
}

function single(score: Score | Score[]): Score {
  if (Array.isArray(score)) throw new Error("expected one score");
  return score;
}

describe("extractCode", () => {
  it("takes the fenced Python block, ignoring prose, <think> and blocks in other languages", () => {
    const answer = [
      "<think>maybe ```python\nwrong()\n```</think>Sure! Run it with:",
      "```bash\npython solve.py\n```",
      "Here is the function:",
      "```python\ndef f(x):\n    return x + 1\n```",
      "It adds one.",
    ].join("\n");
    expect(extractCode(answer)).toBe("def f(x):\n    return x + 1\n");
  });

  it("prefers the block that defines a wanted function, and reads ~~~ and untagged fences", () => {
    const answer = "```\nprint(g(2))\n```\nand\n~~~py\ndef g(x):\n    return 2 * x\n~~~\n";
    expect(extractCode(answer, { definitions: ["g"] })).toBe("def g(x):\n    return 2 * x\n");
    expect(extractCode(answer)).toBe("print(g(2))\n");
  });

  it("reads an unclosed fence to the end (a truncated answer) and takes unfenced text whole", () => {
    expect(extractCode("```python\ndef h():\n    return 1\n")).toBe("def h():\n    return 1\n");
    expect(extractCode("    return 1")).toBe("    return 1");
  });

  it("definesFunction looks for a top-level def of that exact name", () => {
    expect(definesFunction("def foo(a):\n    pass", "foo")).toBe(true);
    expect(definesFunction("async def foo():\n    pass", "foo")).toBe(true);
    expect(definesFunction("def foobar(a):\n    pass", "foo")).toBe(false);
    expect(definesFunction("class A:\n    def foo(self):\n        pass", "foo")).toBe(false);
  });
});

describe("pass@k", () => {
  it("groups attempts by problem and averages the unbiased estimator over problems", () => {
    const counts = passCounts([
      { id: "a", value: 1 },
      { id: "a", value: 0 },
      { id: "a", value: 1 },
      { id: "a", value: 0 },
      { id: "a", value: 0 },
      { id: "b", value: 0 },
      { id: "b", value: 0 },
      { id: "b", value: 0 },
      { id: "b", value: 0 },
      { id: "b", value: 1 },
    ]);
    expect(counts.get("a")).toEqual({ n: 5, c: 2 });
    expect(counts.get("b")).toEqual({ n: 5, c: 1 });
    // a: 1 − C(3,2)/C(5,2) = 0.7; b: 1 − C(4,2)/C(5,2) = 0.4.
    expect(meanPassAtK(counts.values(), 2)).toBeCloseTo((0.7 + 0.4) / 2, 14);
    expect(meanPassAtK(counts.values(), 1)).toBeCloseTo((2 / 5 + 1 / 5) / 2, 14);
    expect(() => meanPassAtK(counts.values(), 6)).toThrow(/at least 6 samples/);
  });

  it("human-eval's example samples give its documented {'pass@1': 0.4999999999999999}", async () => {
    const [problem] = (await collect(readHumanEvalProblems(join(SHARED, "humaneval/example_problem.jsonl")))).map(
      (p) => p.problem,
    );
    if (!problem) throw new Error("example_problem.jsonl is empty");
    const samples = await collect(readRecords(join(SHARED, "humaneval/example_samples.jsonl")));
    expect(samples).toHaveLength(6);
    const scorer = humanEvalScorer({ sandbox });
    // The samples are raw completions (what human-eval appends to the prompt), scored as the model's output.
    const scores = await Promise.all(
      samples.map(async ({ record }) => {
        expect(record.task_id).toBe(problem.task_id);
        return single(await scorer(String(record.completion), humanEvalSample(problem), {}));
      }),
    );
    expect(scores.map((s) => s.value)).toEqual([0, 0, 0, 1, 1, 1]);
    // subprocess.Popen is disabled as by human-eval's reliability_guard; the sleep hits the 3 s limit; input()
    // finds a stdin that raises, as under human-eval's swallow_io.
    expect(scores[0]?.explanation).toMatch(/^failed: TypeError: 'NoneType' object is not callable/);
    expect(scores[1]?.explanation).toBe("timeout: timed out after 3 s");
    expect(scores[2]?.explanation).toMatch(/^failed: OSError/);
    expect(scores.slice(3).map((s) => s.explanation)).toEqual(["passed", "passed", "passed"]);
    const counts = passCounts(
      samples.map(({ record }, i) => ({ id: String(record.task_id), value: scores[i]?.value ?? 0 })),
    );
    const passAt1 = meanPassAtK(counts.values(), 1);
    expect(Math.abs(passAt1 - 0.4999999999999999)).toBeLessThan(1e-12);
  }, 60_000);
});

describe("humaneval", () => {
  it("all 164 canonical solutions pass their tests", async () => {
    // Measured at ~14 s for the 164 at concurrency 2 on 2 cores, under the 60 s budget: so all of them, not a subset.
    const problems = await humanEvalProblems();
    expect(problems).toHaveLength(164);
    const scorer = humanEvalScorer({ sandbox });
    const scores = await Promise.all(
      problems.map(async (p) => ({
        id: p.task_id,
        score: single(await scorer(p.canonical_solution, humanEvalSample(p), {})),
      })),
    );
    expect(scores.filter((s) => s.score.value !== 1).map((s) => `${s.id}: ${s.score.explanation}`)).toEqual([]);
  }, 180_000);

  it("a chat answer repeating the whole function in a code block passes (seeded subset of 20)", async () => {
    const problems = seededSubset(await humanEvalProblems(), 20, 7);
    const scorer = humanEvalScorer({ sandbox });
    const scores = await Promise.all(
      problems.map(async (p) => {
        const answer = `Here is the implementation:\n\n\`\`\`python\n${p.prompt}${p.canonical_solution}\`\`\`\n\nIt passes the examples.`;
        return single(await scorer(answer, humanEvalSample(p), {}));
      }),
    );
    expect(scores.map((s) => s.value)).toEqual(problems.map(() => 1));
  }, 120_000);

  it("keeps the prompt's helper functions when the answer gives only the entry point", async () => {
    const problems = await humanEvalProblems();
    const p = problems[10] as HumanEvalProblem; // make_palindrome calls the prompt's is_palindrome
    expect(p.entry_point).toBe("make_palindrome");
    const signature = p.prompt.slice(p.prompt.indexOf("def make_palindrome"));
    const answer = `\`\`\`python\n${signature}${p.canonical_solution}\`\`\``;
    expect(answer).not.toContain("def is_palindrome");
    const score = single(await humanEvalScorer({ sandbox })(answer, humanEvalSample(p), {}));
    expect(score).toMatchObject({ value: 1, metric: "pass" });
  }, 30_000);

  it("builds completions: whole function, indented body as is, column-0 body indented", () => {
    expect(humanEvalCompletion("def f(x):\n    return x\n", "f")).toBe("\ndef f(x):\n    return x\n");
    expect(humanEvalCompletion("  return 1", "f")).toBe("  return 1");
    expect(humanEvalCompletion("\treturn 1", "f")).toBe("\treturn 1");
    expect(humanEvalCompletion("for x in l:\n    s += x\n\nreturn s", "f")).toBe(
      "    for x in l:\n        s += x\n\n    return s",
    );
    const p = { prompt: "def f():\n", test: "def check(c):\n    assert c() == 1", entry_point: "f" };
    expect(humanEvalProgram(p, "    return 1")).toBe(
      "def f():\n    return 1\ndef check(c):\n    assert c() == 1\ncheck(f)",
    );
  });

  it("a column-0 body passes; a wrong body and prose fail with the reason", async () => {
    const problems = await humanEvalProblems();
    const p = problems[2] as HumanEvalProblem; // truncate_number: "    return number % 1.0\n"
    const scorer = humanEvalScorer({ sandbox });
    const [dedented, wrong, prose] = await Promise.all([
      scorer("return number % 1.0\n", humanEvalSample(p), {}),
      scorer("    return number\n", humanEvalSample(p), {}),
      scorer("I would subtract the integer part from the number.", humanEvalSample(p), {}),
    ]);
    expect(single(dedented).value).toBe(1);
    expect(single(wrong)).toMatchObject({ value: 0, metric: "pass" });
    expect(single(wrong).explanation).toMatch(/^failed: AssertionError\n/);
    expect(single(wrong).explanation).toContain("assert candidate(3.5) == 0.5");
    expect(single(prose).explanation).toMatch(/^failed: SyntaxError/);
  }, 30_000);

  it("the built-in task streams 164 samples with simple-evals' instruction before the prompt", async () => {
    const task = humaneval.create({});
    const samples = await collect(task.dataset());
    expect(samples).toHaveLength(164);
    expect(samples[0]?.id).toBe("HumanEval/0");
    const problems = await humanEvalProblems();
    const request = task.solver(samples[0] as Sample);
    expect(request.messages).toEqual([{ role: "user", content: `${HUMANEVAL_INSTRUCTION}${problems[0]?.prompt}` }]);
    expect(humaneval.info).toMatchObject({ samples: 164, metrics: ["pass"], needs: ["sandbox"], bundled: true });
    expect(task.metrics).toEqual(["pass"]);
    expect(() => humaneval.create({ path: "/nonexistent/humaneval" })).toThrow(BuiltinTaskError);
    expect(() => humaneval.create({ subjects: ["x"] })).toThrow(/no subjects/);
  });

  it("bad data files fail with the file, line and field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "humaneval-bad-"));
    try {
      const good = {
        task_id: "t/0",
        prompt: "def f():\n",
        entry_point: "f",
        canonical_solution: "",
        test: "def check(c):\n    pass",
      };
      const { entry_point: _, ...missing } = good;
      writeFileSync(join(dir, "HumanEval.jsonl"), `${JSON.stringify(good)}\n${JSON.stringify(missing)}\n`);
      await expect(collect(readHumanEvalProblems(join(dir, "HumanEval.jsonl"), "HumanEval.jsonl"))).rejects.toThrow(
        'HumanEval.jsonl:2: field "entry_point" is missing: expected a string',
      );
      writeFileSync(join(dir, "bad.jsonl.gz"), "this is not gzip");
      await expect(collect(readHumanEvalProblems(join(dir, "bad.jsonl.gz"), "bad.jsonl.gz"))).rejects.toThrow(
        /bad.jsonl.gz: not a valid gzip file/,
      );
      await expect(collect(readHumanEvalProblems(join(dir, "none.jsonl.gz"), "none.jsonl.gz"))).rejects.toThrow(
        DataFileError,
      );
      // The task reads an uncompressed HumanEval.jsonl when that is what the folder holds.
      const task = humaneval.create({ path: dir });
      await expect(collect(task.dataset())).rejects.toThrow(/line 2|:2:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("mbpp", () => {
  const sanitizedFile = join(SHARED, "mbpp/sanitized-mbpp.json");
  const fullFile = join(SHARED, "mbpp/mbpp.jsonl");

  it("takes the README's test split: 257 sanitized problems, 500 of the full set", async () => {
    const sanitized = await collect(mbppTestSamples(sanitizedFile, "sanitized"));
    const full = await collect(mbppTestSamples(fullFile, "full"));
    expect(sanitized).toHaveLength(257);
    expect(full).toHaveLength(500);
    for (const s of [...sanitized, ...full]) {
      expect(Number(s.id)).toBeGreaterThanOrEqual(11);
      expect(Number(s.id)).toBeLessThanOrEqual(510);
    }
    expect(mbpp.info).toMatchObject({ samples: 257, variants: ["sanitized", "full"], needs: ["sandbox"] });
    expect(await collect(mbpp.create({ variant: "full" }).dataset())).toHaveLength(500);
    expect(() => mbpp.create({ variant: "plus" })).toThrow(/unknown variant "plus"/);
  });

  it("prompts in the paper's 3-shot format with task ids 2, 3 and 4", async () => {
    const [first] = await collect(mbppTestSamples(sanitizedFile, "sanitized"));
    const messages = mbpp.create({}).solver(first as Sample).messages;
    expect(messages).toHaveLength(7);
    expect(messages.map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
    ]);
    expect(messages[0]?.content).toBe(
      "You are an expert Python programmer, and here is your task: Write a function to find the shared elements " +
        "from the given two lists. Your code should pass these tests:\n\n" +
        "assert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))\n" +
        "assert set(similar_elements((1, 2, 3, 4),(5, 4, 3, 7))) == set((3, 4))\n" +
        "assert set(similar_elements((11, 12, 14, 13),(17, 15, 14, 13))) == set((13, 14))",
    );
    expect(messages[1]?.content).toBe(
      "[BEGIN]\ndef similar_elements(test_tup1, test_tup2):\n  res = tuple(set(test_tup1) & set(test_tup2))\n  return (res) \n[DONE]",
    );
    expect(messages[6]?.content).toMatch(
      /^You are an expert Python programmer, and here is your task: .+ Your code should pass these tests:\n\nassert /,
    );
    expect(messages[6]?.content).toContain(((first?.metadata?.tests ?? []) as string[])[0]);
    expect(mbpp.info.settings.stop).toEqual(["[DONE]"]);
  });

  it("reads the code between [BEGIN] and [DONE], or from a code block, or the whole answer", () => {
    const tests = ["assert add(1, 2) == 3"];
    expect(calledNames(["assert set(similar_elements((1,), (2,))) == set()", "assert math.isclose(f(1), 2)"])).toEqual([
      "similar_elements",
      "f",
    ]);
    expect(mbppCode("[BEGIN]\ndef add(a, b):\n    return a + b\n[DONE]\nmore", tests)).toBe(
      "def add(a, b):\n    return a + b\n",
    );
    expect(mbppCode("[BEGIN]\n```python\ndef add(a, b):\n    return a + b\n```\n", tests)).toBe(
      "def add(a, b):\n    return a + b\n",
    );
    expect(
      mbppCode("Use:\n```python\nprint(add(1, 2))\n```\n```python\ndef add(a, b):\n    return a+b\n```", tests),
    ).toBe("def add(a, b):\n    return a+b\n");
    expect(mbppCode("def add(a, b): return a + b", tests)).toBe("def add(a, b): return a + b");
    expect(mbppProgram("CODE", { setup: "import math", tests: ["assert a", "assert b"] })).toBe(
      "CODE\nimport math\nassert a\nassert b",
    );
  });

  it("reference solutions pass: a seeded 30 of the sanitized test split, those needing test_imports, 10 of the full set and its one with setup code", async () => {
    // All 257 + 500 references were run once (all pass, ~70 s); the test keeps to a seeded subset.
    const sanitized = await collect(mbppTestSamples(sanitizedFile, "sanitized"));
    const full = await collect(mbppTestSamples(fullFile, "full"));
    const withImports = sanitized.filter((s) => s.metadata?.setup !== "").slice(0, 3);
    // Of the two problems with test_setup_code (367, 927) only 367 is in the test split.
    const withSetup = full.filter((s) => s.metadata?.setup !== "");
    expect(withImports.length).toBe(3);
    expect(withSetup.map((s) => s.id)).toEqual(["367"]);
    const chosen = [...seededSubset(sanitized, 30, 11), ...withImports, ...seededSubset(full, 10, 13), ...withSetup];
    const scorer = mbppScorer({ sandbox });
    const scores = await Promise.all(
      chosen.map(async (s) => ({
        id: s.id,
        score: single(await scorer(mbppAssistantTurn({ code: String(s.target) }), s, {})),
      })),
    );
    expect(scores.filter((s) => s.score.value !== 1).map((s) => `${s.id}: ${s.score.explanation}`)).toEqual([]);
  }, 120_000);

  it("a wrong solution fails with the failing assert; a misnamed function with a NameError", async () => {
    const [sample] = await collect(mbppTestSamples(sanitizedFile, "sanitized"));
    const scorer = mbppScorer({ sandbox });
    const tests = sample?.metadata?.tests as string[];
    const name = calledNames(tests)[0];
    const wrong = single(await scorer(`[BEGIN]\ndef ${name}(*args):\n    return None\n[DONE]`, sample as Sample, {}));
    expect(wrong.value).toBe(0);
    expect(wrong.explanation).toMatch(/^failed: AssertionError/);
    const misnamed = single(
      await scorer("[BEGIN]\ndef something_else(x):\n    return x\n[DONE]", sample as Sample, {}),
    );
    expect(misnamed.explanation).toMatch(new RegExp(`^failed: NameError: name '${name}' is not defined`));
  }, 30_000);

  it("a bad record fails with the file, line and field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mbpp-bad-"));
    try {
      const file = join(dir, "sanitized-mbpp.json");
      const record = { source_file: "x", task_id: 12, prompt: "p", code: "c", test_imports: [], test_list: "assert x" };
      writeFileSync(file, JSON.stringify([record], null, 4));
      await expect(collect(readMbppProblems(file, "sanitized", "sanitized-mbpp.json"))).rejects.toThrow(
        'sanitized-mbpp.json:2: field "test_list" is a string: expected a list of assert statements (strings)',
      );
      const task = mbpp.create({ path: dir });
      await expect(collect(task.dataset())).rejects.toThrow(DataFileError);
      const few = [{ ...record, task_id: 2, test_list: ["assert True"] }];
      writeFileSync(file, JSON.stringify(few));
      await expect(collect(mbpp.create({ path: dir }).dataset())).rejects.toThrow(/has no task_id 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("problems keep the sanitized file's fields", async () => {
    const problems: MbppProblem[] = await collect(readMbppProblems(sanitizedFile, "sanitized"));
    expect(problems).toHaveLength(427);
    expect(problems.filter((p) => p.setup === "import math").length).toBeGreaterThan(0);
  });
});

describe("codeExecutionScorer", () => {
  it("never runs code when the machine cannot sandbox it: the scorer throws, it does not score", async () => {
    const scorer = codeExecutionScorer({
      program: (code) => code,
      sandbox: new Sandbox({ python: "/opt/not-under-usr/python3" }),
    });
    await expect(scorer("print(1)", { id: "x", input: "", target: "" }, {})).rejects.toThrow(SandboxUnavailableError);
  });

  it("reports a sandbox failure as an error, not as the model's 0", async () => {
    class BrokenSandbox extends Sandbox {
      override async run(): Promise<SandboxResult> {
        return {
          status: "error",
          exitCode: null,
          signal: null,
          stdout: "",
          stderr: "bwrap: Can't mount tmpfs on /newroot/tmp: No space left on device",
          stdoutTruncated: false,
          stderrTruncated: false,
          durationMs: 3,
        };
      }
    }
    const scorer = codeExecutionScorer({ program: (code) => code, sandbox: new BrokenSandbox() });
    const scoring = scorer("print(1)", { id: "x", input: "", target: "" }, {});
    await expect(scoring).rejects.toThrow(SandboxRunError);
    await expect(scoring).rejects.toThrow(/could not run the program: bwrap: Can't mount tmpfs/);
  });

  it("explains a failure with the status and the end of stderr", async () => {
    const scorer = codeExecutionScorer({ program: (code) => `${code}\nassert f() == 2, 'f() should be 2'`, sandbox });
    const score = single(
      await scorer("```python\ndef f():\n    return 1\n```", { id: "x", input: "", target: "" }, {}),
    );
    expect(score.value).toBe(0);
    expect(score.answer).toBe("def f():\n    return 1\n");
    expect(score.explanation).toMatch(/^failed: AssertionError: f\(\) should be 2\n/);
    expect(score.explanation?.split("\n").length).toBeLessThanOrEqual(7);
    expect(stderrTail("a\nb\nc\nd\ne\nf\ng\nh\n")).toBe("c\nd\ne\nf\ng\nh");
  }, 30_000);

  it("a program that ends the process early with os._exit(0) does not pass", async () => {
    const scorer = codeExecutionScorer({ program: (code) => `${code}\nassert False`, sandbox });
    const score = single(await scorer("import os\nos._exit(0)", { id: "x", input: "", target: "" }, {}));
    expect(score).toMatchObject({ value: 0, explanation: "failed: exited before its tests finished" });
  }, 30_000);
});
