import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passAtKOf } from "../src/report/pass-at-k.js";
import { humanEvalFile, readHumanEvalProblems } from "../src/tasks/builtin/humaneval.js";
import { benchmarkDir } from "../src/tasks/builtin/paths.js";
import { runCli } from "./support/cli.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";

const value = (sampleId: string, epoch: number, v: number) => ({ sampleId, epoch, category: null, value: v });

describe("pass@k over epochs", () => {
  it("is the unbiased estimator averaged over problems, for the k every problem supports", () => {
    // Problem a: 2 of 5 pass; problem b: 0 of 5. pass@1 = (2/5 + 0)/2; pass@5 = (1 + 0)/2.
    const values = [
      ...[1, 1, 0, 0, 0].map((v, i) => value("a", i + 1, v)),
      ...[0, 0, 0, 0, 0].map((v, i) => value("b", i + 1, v)),
    ];
    const list = passAtKOf(values);
    expect(list.map((p) => p.k)).toEqual([1, 5]);
    expect(list[0]?.value).toBeCloseTo(0.2, 12);
    expect(list[1]?.value).toBeCloseTo(0.5, 12);
    // pass@2 of problem a by hand: 1 − C(3,2)/C(5,2) = 1 − 3/10.
    const ten = Array.from({ length: 10 }, (_, i) => value("c", i + 1, i < 3 ? 1 : 0));
    const k10 = passAtKOf(ten);
    expect(k10.map((p) => p.k)).toEqual([1, 10]);
    expect(k10[1]?.value).toBe(1);
    expect(passAtKOf([value("a", 1, 1)])).toEqual([]);
  });
});

describe("a HumanEval run over three epochs", () => {
  let server: ProtocolServer;
  const KEY = "sk-fake-key-1234567890";
  const solutions = new Map<string, string>();
  const asked = new Map<string, number>();

  beforeAll(async () => {
    for await (const { problem } of readHumanEvalProblems(humanEvalFile(benchmarkDir("humaneval")))) {
      solutions.set(problem.prompt.trim(), `${problem.prompt}${problem.canonical_solution}`);
      if (solutions.size === 2) break;
    }
    // The first problem is always solved; the second only the first time it is asked.
    server = await startProtocolServer({
      apiKey: KEY,
      respond: (req) => {
        const text = req.messages.at(-1)?.content ?? "";
        const [prompt, code] = [...solutions].find(([p]) => text.includes(p)) ?? ["", ""];
        const n = (asked.get(prompt) ?? 0) + 1;
        asked.set(prompt, n);
        const second = [...solutions.keys()][1] === prompt;
        return { text: `\`\`\`python\n${second && n > 1 ? "def nothing():\n    pass\n" : code}\`\`\`` };
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it("reports pass@1 and pass@3 in --json and in the summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arbiter-passk-"));
    writeFileSync(
      join(dir, "arbiter.yaml"),
      `providers:\n  fake: {type: openai-compatible, baseURL: ${server.url}/v1, apiKeyEnv: FAKE_API_KEY}\nmodels: [fake/coder]\ntasks: [humaneval]\n`,
    );
    const env = { FAKE_API_KEY: KEY };
    const res = await runCli(["run", "arbiter.yaml", "--limit", "2", "--epochs", "3", "--json"], { cwd: dir, env });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    const passAtK = doc.results[0].passAtK;
    expect(passAtK.map((p: { k: number }) => p.k)).toEqual([1, 3]);
    // pass@1 = (3/3 + 1/3) / 2; pass@3 = (1 + 1) / 2.
    expect(passAtK[0].value).toBeCloseTo(2 / 3, 12);
    expect(passAtK[1].value).toBe(1);
    const shown = await runCli(["show", doc.runId], { cwd: dir, env });
    expect(shown.stdout).toContain("pass@1 66.7%  pass@3 100.0%");
  }, 60_000);
});
