import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoreContext } from "../src/core/task.js";
import type { Sample, Score } from "../src/core/types.js";
import { type AssertionSpec, buildAssertions, checkAssertionModules } from "../src/scorers/assertions.js";
import type { Store } from "../src/store/store.js";
import { buildCustomTask, validateCustomTask } from "../src/tasks/custom.js";
import { loadTaskFile } from "../src/tasks/task-file.js";
import { runCli } from "./support/cli.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { configText, openTestStore, run, specFor } from "./support/run-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "arbiter-assert-"));
const sample: Sample = {
  id: "1",
  input: "What is the capital of France?",
  target: "Paris",
  metadata: { country: "France", capital: "Paris", population: 2102650 },
};
const noJudge: ScoreContext = {};

async function scoreWith(specs: AssertionSpec[], output: string, threshold?: number, context = noJudge) {
  const scorer = buildAssertions(specs, { baseDir: dir, task: "t", ...(threshold !== undefined ? { threshold } : {}) });
  const scores = (await scorer(output, sample, context)) as Score[];
  const byMetric = Object.fromEntries(scores.map((s) => [s.metric, s]));
  return { pass: byMetric.pass?.value, score: byMetric.score?.value, explanation: byMetric.pass?.explanation, scores };
}

describe("each assertion type", () => {
  it("equals compares with the target or a templated value, trimming and with case options", async () => {
    expect((await scoreWith([{ type: "equals" }], " Paris\n")).pass).toBe(1);
    expect((await scoreWith([{ type: "equals" }], "paris")).pass).toBe(0);
    expect((await scoreWith([{ type: "equals", ignoreCase: true }], "paris")).pass).toBe(1);
    expect((await scoreWith([{ type: "equals", value: "{{capital}}!" }], "Paris!")).pass).toBe(1);
  });

  it("contains: any or all of several values, case-insensitive unless told", async () => {
    const any: AssertionSpec = { type: "contains", value: ["Paris", "Lutetia"] };
    const all: AssertionSpec = { type: "contains", value: ["Paris", "Seine"], mode: "all" };
    expect((await scoreWith([any], "It is paris.")).pass).toBe(1);
    expect((await scoreWith([any], "It is Lyon.")).explanation).toContain('contains none of "Paris", "Lutetia"');
    expect((await scoreWith([all], "Paris, on the Seine")).pass).toBe(1);
    const missing = await scoreWith([all], "Paris");
    expect(missing.pass).toBe(0);
    expect(missing.explanation).toContain('missing "Seine"');
    expect((await scoreWith([{ type: "contains", value: "paris", ignoreCase: false }], "Paris")).pass).toBe(0);
  });

  it("regex with flags", async () => {
    expect((await scoreWith([{ type: "regex", pattern: "^paris$", flags: "i" }], "PARIS")).pass).toBe(1);
    expect((await scoreWith([{ type: "regex", pattern: "^\\d+$" }], "12a")).pass).toBe(0);
  });

  it("numeric with absolute and relative tolerance", async () => {
    const spec: AssertionSpec = { type: "numeric", value: "{{population}}", tolerance: 0.01, relative: true };
    expect((await scoreWith([spec], "About 2,100,000 people")).pass).toBe(1);
    expect((await scoreWith([spec], "About 1,900,000 people")).pass).toBe(0);
    expect((await scoreWith([{ type: "numeric", value: "3.14", tolerance: 0.01 }], "pi is 3.141")).pass).toBe(1);
  });

  it("json parses (fenced or not) and validates against a JSON Schema, inline or from a file", async () => {
    const schema = {
      type: "object",
      required: ["city"],
      properties: { city: { type: "string" }, rank: { type: "integer" } },
    };
    writeFileSync(join(dir, "city.schema.json"), JSON.stringify(schema));
    const inline: AssertionSpec = { type: "json", schema };
    const file: AssertionSpec = { type: "json", schema: "city.schema.json" };
    expect((await scoreWith([inline], '```json\n{"city": "Paris", "rank": 1}\n```')).pass).toBe(1);
    expect((await scoreWith([file], '{"city": "Paris"}')).pass).toBe(1);
    const wrongType = await scoreWith([file], '{"city": "Paris", "rank": "first"}');
    expect(wrongType.pass).toBe(0);
    expect(wrongType.explanation).toContain("/rank must be integer");
    expect((await scoreWith([{ type: "json" }], "Paris")).explanation).toContain("not JSON");
    expect(() => buildAssertions([{ type: "json", schema: "missing.json" }], { baseDir: dir, task: "t" })).toThrow(
      /cannot read the JSON Schema missing\.json/,
    );
  });

  it("choice reads the answer letter", async () => {
    const mc: Sample = { ...sample, target: "B", choices: ["Lyon", "Paris", "Nice"] };
    const scorer = buildAssertions([{ type: "choice" }], { baseDir: dir, task: "t" });
    const right = (await scorer("The answer is (B).", mc, noJudge)) as Score[];
    const wrong = (await scorer("Answer: A", mc, noJudge)) as Score[];
    expect(right[0]?.value).toBe(1);
    expect(wrong[0]?.value).toBe(0);
  });

  it("javascript calls an exported function with the output and the record; a missing export is named", async () => {
    writeFileSync(
      join(dir, "checks.mjs"),
      [
        "export function mentionsCapital(output, { vars }) { return output.includes(vars.capital); }",
        "export const lengthScore = (output) => Math.min(1, output.length / 20);",
        "export async function polite(output) { return { pass: /please|thank/i.test(output), reason: 'not polite' }; }",
      ].join("\n"),
    );
    const fn = (name: string): AssertionSpec => ({ type: "javascript", file: "checks.mjs", function: name });
    expect((await scoreWith([fn("mentionsCapital")], "Paris")).pass).toBe(1);
    expect((await scoreWith([fn("lengthScore")], "0123456789")).score).toBeCloseTo(0.5, 10);
    const rude = await scoreWith([fn("polite")], "Paris.");
    expect(rude.pass).toBe(0);
    expect(rude.explanation).toContain("not polite");
    await expect(checkAssertionModules([fn("nope")], dir)).rejects.toThrow(
      'checks.mjs exports no function "nope"; it exports: lengthScore, mentionsCapital, polite',
    );
    await expect(checkAssertionModules([{ type: "javascript", file: "gone.mjs" }], dir)).rejects.toThrow(
      "gone.mjs: file not found",
    );
  });

  it("llm-rubric asks the judge with the rubric filled from the record; an unreadable verdict is counted", async () => {
    const asked: string[] = [];
    const judge = (reply: string): ScoreContext => ({
      judge: async (request) => {
        asked.push(request.messages.map((m) => (typeof m.content === "string" ? m.content : "")).join("\n"));
        return reply;
      },
    });
    const rubric: AssertionSpec = { type: "llm-rubric", rubric: "Names {{capital}} as the capital of {{country}}" };
    const graded = await scoreWith(
      [rubric],
      "Paris.",
      undefined,
      judge('{"reason": "correct", "pass": true, "score": 1}'),
    );
    expect(asked[0]).toContain("Names Paris as the capital of France");
    expect(asked[0]).toContain("Paris.");
    expect(graded.pass).toBe(1);
    const unreadable = await scoreWith([rubric], "Paris.", undefined, judge("I cannot decide."));
    expect(unreadable.pass).toBe(0);
    expect(unreadable.scores.filter((s) => s.metric === "judge-unparsed")).toHaveLength(1);
    await expect(scoreWith([rubric], "Paris.")).rejects.toThrow(/judge/);
  });
});

describe("weights and threshold", () => {
  const specs: AssertionSpec[] = [
    { type: "contains", value: "Paris", weight: 3 },
    { type: "regex", pattern: "^[A-Z]", weight: 1 },
  ];

  it("the score is the weighted mean; without a threshold every assertion must pass", async () => {
    const r = await scoreWith(specs, "it is Paris");
    expect(r.score).toBeCloseTo(0.75, 12);
    expect(r.pass).toBe(0);
    expect(r.scores[0]?.answer).toBe("1/2 assertions passed");
    expect(r.explanation).toBe("failed: regex: no match for /^[A-Z]/");
  });

  it("with a threshold the weighted score decides", async () => {
    expect((await scoreWith(specs, "it is Paris", 0.7)).pass).toBe(1);
    expect((await scoreWith(specs, "it is Paris", 0.8)).pass).toBe(0);
  });

  it("rejects an empty list, zero total weight and a bad regex when the task is built", () => {
    const opts = { baseDir: dir, task: "t" };
    expect(() => buildAssertions([], opts)).toThrow(/at least one assertion/);
    expect(() => buildAssertions([{ type: "regex", pattern: "a", weight: 0 }], opts)).toThrow(/weights add up to 0/);
    expect(() => buildAssertions([{ type: "regex", pattern: "(" }], opts)).toThrow(/assert\[0\] \(regex\)/);
  });
});

describe("YAML task files", () => {
  const taskDir = mkdtempSync(join(tmpdir(), "arbiter-taskfile-"));
  writeFileSync(
    join(taskDir, "capitals.jsonl"),
    `${[
      { id: "fr", country: "France", capital: "Paris" },
      { id: "jp", country: "Japan", capital: "Tokyo" },
      { id: "it", country: "Italy", capital: "Rome" },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n")}\n`,
  );
  writeFileSync(join(taskDir, "checks.mjs"), "export const short = (output) => output.length < 40;\n");
  const taskText = `name: capitals
data: capitals.jsonl
prompt: "What is the capital of {{country}}?"
target: "{{capital}}"
assert:
  - {type: contains, weight: 2}
  - {type: javascript, file: checks.mjs, function: short}
  - {type: llm-rubric, rubric: "Answers {{capital}} without hedging"}
threshold: 0.6
`;
  writeFileSync(join(taskDir, "capitals.yaml"), taskText);

  it("loads a task with assertions; paths are relative to the task file", async () => {
    const { spec, baseDir } = await loadTaskFile(join(taskDir, "capitals.yaml"));
    await validateCustomTask(spec, baseDir);
    const task = buildCustomTask(spec, baseDir);
    expect(task.metrics).toEqual(["pass", "score", "judge-unparsed"]);
    expect(task.needsJudge).toBe(true);
    expect(task.scorerName).toBe("pass");
  });

  it("names the file, line and field of a mistake", async () => {
    const bad = join(taskDir, "bad.yaml");
    writeFileSync(bad, taskText.replace("{type: contains, weight: 2}", "{type: contians, weight: 2}"));
    await expect(loadTaskFile(bad)).rejects.toThrow(/bad\.yaml:6:\d+: assert\[0\]/);
    writeFileSync(bad, "name: x\ndata: capitals.jsonl\nprompt: hi\n");
    await expect(loadTaskFile(bad)).rejects.toThrow(/scorer: .* or assert:/);
    writeFileSync(bad, "name: x\ndata: capitals.jsonl\nprompt: hi\nassert:\n  - {type: equals}\n");
    await expect(loadTaskFile(bad)).rejects.toThrow(/bad\.yaml:5:\d+: assert\[0\]: .*give the task a target template/);
    writeFileSync(bad, taskText.replace("function: short", "function: shrt"));
    const { spec, baseDir } = await loadTaskFile(bad);
    await expect(validateCustomTask(spec, baseDir)).rejects.toThrow('exports no function "shrt"; it exports: short');
  });

  describe("in a run against a protocol server, with a judge", () => {
    let server: ProtocolServer;
    const stores: Store[] = [];
    beforeAll(async () => {
      server = await startProtocolServer();
      // The model knows two capitals out of three; the judge approves any answer that is a single word.
      server.setResponder((req) => {
        if (req.model === "judge") {
          const answer = /<Output>\n([\s\S]*?)\n<\/Output>/.exec(req.messages.at(-1)?.content ?? "")?.[1] ?? "";
          const oneWord = !/\s/.test(answer.trim());
          return { text: JSON.stringify({ reason: "checked", pass: oneWord, score: oneWord ? 1 : 0 }) };
        }
        const q = req.messages.at(-1)?.content ?? "";
        return { text: q.includes("France") ? "Paris" : q.includes("Japan") ? "Tokyo" : "I think it is Milan" };
      });
    });
    afterAll(async () => {
      for (const s of stores) await s.close();
      await server.close();
    });

    it("scores pass and the weighted score, and the judge's calls are kept apart", async () => {
      const config = configText(server.url).replace(/tasks:[\s\S]*$/, "tasks:\n  - capitals.yaml\njudge: fake/judge\n");
      const spec = specFor(taskDir, config);
      const store = await openTestStore(taskDir);
      stores.push(store);
      const result = await run(spec, store);
      const summary = await store.summary(result.runId);
      const group = summary?.groups.find((g) => g.model === "fake/model-a");
      const byMetric = Object.fromEntries((group?.metrics ?? []).map((m) => [m.metric, m.mean]));
      // fr, jp: 3 of 3 assertions pass; it: javascript passes (weight 1 of 4) but contains and rubric fail.
      expect(byMetric.pass).toBeCloseTo(2 / 3, 12);
      expect(byMetric.score).toBeCloseTo((1 + 1 + 1 / 4) / 3, 12);
      const judgeCalls = server.requests.filter((r) => r.model === "judge");
      expect(judgeCalls).toHaveLength(3);
    });

    it("the CLI takes a task file with --task, relative to the working directory", async () => {
      const config = configText(server.url).replace(/tasks:[\s\S]*$/, "");
      writeFileSync(join(taskDir, "providers.yaml"), config);
      const env = { FAKE_API_KEY: "sk-fake-key-1234567890" };
      const res = await runCli(
        ["run", "providers.yaml", "--task", "capitals.yaml", "--judge", "fake/judge", "--json", "--no-cache"],
        { cwd: taskDir, env },
      );
      expect(res.code, res.stderr).toBe(0);
      const doc = JSON.parse(res.stdout);
      const result = doc.results.find((r: { model: string }) => r.model === "fake/model-a");
      expect(result.task).toBe("capitals");
      // Every verdict was readable: no judge-unparsed rows.
      expect(result.estimates.map((e: { metric: string }) => e.metric)).toEqual(["pass", "score"]);
      expect(result.estimates[0].mean).toBeCloseTo(2 / 3, 12);
      expect(result.cost.judge).not.toBeNull();
      const listed = await runCli(["tasks", "providers.yaml"], { cwd: taskDir, env });
      expect(listed.code).toBe(0);
      const typo = await runCli(["run", "providers.yaml", "--task", "capitalz.yaml"], { cwd: taskDir, env });
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain("capitalz.yaml: task file not found");
    });
  });
});
