import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VendorClaim } from "../src/claims/vendor.js";
import { holm } from "../src/stats/multiple.js";
import { ROOT, runCli } from "./support/cli.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { echoAnswer, workspace } from "./support/run-fixture.js";

const KEY = "sk-fake-claims-0123456789";
const env = { FAKE_API_KEY: KEY };
let server: ProtocolServer;
let dir: string;
let runId: string;

// model-a answers every question right; model-b gets every fifth wrong (q0, q5, …; on the tiny task q100 only);
// model-c answers like model-a but has no price. Usage varies by question so that costs vary by sample.
const A_PRICE = { input: 0.5, output: 1 };
const B_PRICE = { input: 10, output: 30 };

function config(models: string, tasks: string): string {
  return `
providers:
  fake:
    type: openai-compatible
    baseURL: ${server.url}/v1
    apiKeyEnv: FAKE_API_KEY
    maxRetries: 3
models:
${models}
tasks:
${tasks}
prices:
  - { provider: fake, model: model-a, currency: USD, input: ${A_PRICE.input}, output: ${A_PRICE.output} }
  - { provider: fake, model: model-b, currency: USD, input: ${B_PRICE.input}, output: ${B_PRICE.output} }
currency: USD
`;
}

const task = (name: string, data: string) =>
  `  - { name: ${name}, data: ${data}, prompt: "{{question}}", target: "{{answer}}", scorer: exact }`;

beforeAll(async () => {
  server = await startProtocolServer({
    apiKey: KEY,
    respond: (req) => {
      const q = req.messages.at(-1)?.content ?? "";
      const i = Number(q.slice(1));
      const wrong = req.model === "model-b" && i % 5 === 0;
      const completion = req.model === "model-b" ? 30 + (i % 3) : 20 + (i % 5);
      return {
        text: wrong ? "wrong" : echoAnswer(req.messages),
        usage: {
          prompt_tokens: 100 + (i % 7),
          completion_tokens: completion,
          total_tokens: 100 + (i % 7) + completion,
        },
      };
    },
  });
  const ws = workspace(50);
  dir = ws.dir;
  const tiny = Array.from({ length: 4 }, (_, k) =>
    JSON.stringify({ id: `t${k}`, question: `q${100 + k}`, answer: `a${100 + k}` }),
  );
  writeFileSync(join(dir, "tiny.jsonl"), `${tiny.join("\n")}\n`);
  writeFileSync(
    join(dir, "arbiter.yaml"),
    config(
      "  - fake/model-a\n  - fake/model-b\n  - fake/model-c",
      [task("qa", "qa.jsonl"), task("tiny", "tiny.jsonl")].join("\n"),
    ),
  );
  const res = await runCli(["run", "arbiter.yaml", "--json"], { cwd: dir, env });
  expect(res.code, res.stderr).toBe(0);
  runId = JSON.parse(res.stdout).runId;
}, 60_000);

afterAll(async () => {
  await server.close();
});

const CLAIMS = [
  "claims:",
  "  - fake/model-a > fake/model-b on qa",
  "  - fake/model-b > fake/model-a on qa",
  "  - fake/model-b non-inferior to fake/model-a on qa by 2 points",
  "  - fake/model-a ≈ fake/model-b on qa within 50 points",
  "  - fake/model-a > fake/model-b on tiny",
  "  - claim: cost(fake/model-a, qa) < 0.1 × cost(fake/model-b, qa)",
  "    id: a-cheap",
  "  - cost(fake/model-c, qa) < cost(fake/model-b, qa)",
  "",
].join("\n");

describe("arbiter claims FILE --run RUN", () => {
  it("gives each claim a verdict with effect, interval, p-values (Holm) and samples needed, as JSON", async () => {
    writeFileSync(join(dir, "claims.yaml"), CLAIMS);
    const res = await runCli(["claims", "claims.yaml", "--run", runId, "--json"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc).toMatchObject({ runId, file: "claims.yaml", alpha: 0.05, adjustment: { method: "holm", family: 6 } });
    expect(doc.claims.map((c: { line: number; verdict: string }) => [c.line, c.verdict])).toEqual([
      [2, "supported"],
      [3, "contradicted"],
      [4, "contradicted"],
      [5, "supported"],
      [6, "inconclusive"],
      [7, "supported"],
      [9, "inconclusive"],
    ]);
    const [better, , , , tiny, cheap, unpriced] = doc.claims;
    // 10 samples only model-a got right, none only model-b: exact one-sided McNemar p = 2⁻¹⁰.
    expect(better.pValue).toBeCloseTo(2 ** -10, 12);
    expect(better).toMatchObject({ n: 50, metric: "exact", scores: "binary", meanA: 1, meanB: 0.8 });
    expect(better.effect.estimate).toBeCloseTo(0.2, 12);
    // Holm across the six claims that were tested (the unpriced cost claim is not one of them).
    const tested = doc.claims.filter((c: { pValue: number | null }) => c.pValue !== null);
    expect(tested).toHaveLength(6);
    const adjusted = holm(tested.map((c: { pValue: number }) => c.pValue));
    tested.forEach((c: { pAdjusted: number }, i: number) => {
      expect(c.pAdjusted).toBeCloseTo(adjusted[i] as number, 12);
    });
    // The tiny task: one discordant pair of four; more samples would settle it.
    expect(tiny.n).toBe(4);
    expect(tiny.samplesNeeded).toMatchObject({ toward: "supported", power: 0.8 });
    expect(tiny.samplesNeeded.additional).toBe(tiny.samplesNeeded.total - 4);
    expect(tiny.samplesNeeded.total).toBeGreaterThan(4);
    // Costs from the config's prices and the recorded usage: A's per-sample cost over B's.
    let sumA = 0;
    let sumB = 0;
    for (let i = 0; i < 50; i++) {
      const prompt = 100 + (i % 7);
      sumA += (prompt * A_PRICE.input + (20 + (i % 5)) * A_PRICE.output) / 1e6;
      sumB += (prompt * B_PRICE.input + (30 + (i % 3)) * B_PRICE.output) / 1e6;
    }
    expect(cheap).toMatchObject({ id: "a-cheap", currency: "USD", n: 50, factor: 0.1 });
    expect(cheap.effect.estimate).toBeCloseTo(sumA / sumB, 12);
    expect(cheap.costA.total).toBeCloseTo(sumA, 12);
    expect(cheap.effect.ci.upper).toBeLessThan(0.1);
    expect(unpriced.reason).toMatch(
      /^cost unknown: 50 of fake\/model-c's samples could not be priced \(fake\/model-c:/,
    );
    expect(unpriced.pValue).toBeNull();
  }, 60_000);

  it("prints the verdicts as text, naming the adjustment and each claim's line", async () => {
    writeFileSync(join(dir, "claims.yaml"), CLAIMS);
    const res = await runCli(["claims", "claims.yaml"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const out = res.stdout;
    expect(out).toContain(`run ${runId}: 7 claims in claims.yaml — 3 supported, 2 contradicted, 2 inconclusive`);
    expect(out).toContain("p-values adjusted across the 6 tested claims with Holm (1979) step-down");
    expect(out).toContain(
      "claims.yaml:2  fake/model-a > fake/model-b on qa\n  → SUPPORTED   A − B +20.0 points, 90% CI [",
    );
    expect(out).toContain("claims.yaml:3  fake/model-b > fake/model-a on qa\n  → CONTRADICTED");
    expect(out).toMatch(/claims\.yaml:6 {2}fake\/model-a > fake\/model-b on tiny\n {2}→ INCONCLUSIVE[^\n]*n 4\n/);
    expect(out).toMatch(/to settle: about \d+ paired samples in all \(\d+ more\), likely as supported \(80% power/);
    expect(out).toContain("cost(A)/cost(B)");
    expect(out).toContain("why: cost unknown: 50 of fake/model-c's samples could not be priced");
  }, 30_000);

  it("exits 2 naming every claim line whose model or task the run lacks", async () => {
    writeFileSync(
      join(dir, "absent.yaml"),
      "- fake/model-a > fake/model-b on qa\n- fake/model-z > fake/model-a on qa\n- fake/model-a > fake/model-b on nope\n",
    );
    const res = await runCli(["claims", "absent.yaml", "--run", runId], { cwd: dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `absent.yaml:2: "fake/model-z > fake/model-a on qa": model "fake/model-z" is not in run ${runId} (its models: fake/model-a, fake/model-b, fake/model-c)`,
    );
    expect(res.stderr).toContain(
      `absent.yaml:3: "fake/model-a > fake/model-b on nope": run ${runId} has no task "nope"`,
    );
    expect(res.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  }, 30_000);

  it("exits 2 on a syntax error with file:line and the valid forms", async () => {
    writeFileSync(
      join(dir, "bad.yaml"),
      "claims:\n  - fake/model-a > fake/model-b on qa\n  - fake/model-a >> fake/model-b\n",
    );
    const res = await runCli(["claims", "bad.yaml", "--run", runId], { cwd: dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error: bad\.yaml:3: cannot read the claim "fake\/model-a >> fake\/model-b"/);
    expect(res.stderr).toContain("valid forms:");
    expect(res.stderr).toContain("e.g. qwen/qwen-max > deepseek/deepseek-chat on mmlu_pro");
    const none = await runCli(["claims"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give a claims file");
  }, 30_000);
});

describe("arbiter claims --vendor", () => {
  const shipped = JSON.parse(readFileSync(join(ROOT, "data/catalog/claims.json"), "utf8")).claims as VendorClaim[];
  const mmluPro = shipped.find((c) => c.modelId === "deepseek-v3" && c.task === "mmlu_pro" && c.score !== null);

  it("lists a model's published claims with their sources", async () => {
    const res = await runCli(["claims", "--vendor", "deepseek-v3"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const v3 = shipped.filter((c) => c.modelId === "deepseek-v3");
    expect(res.stdout).toContain(
      `DeepSeek-V3 (deepseek-v3; API deepseek/deepseek-chat) — ${v3.length} published claims`,
    );
    expect(mmluPro).toBeDefined();
    expect(res.stdout).toMatch(
      new RegExp(`\\n {2}MMLU-Pro {2}${mmluPro?.metric?.replace(".", "\\.")} {2}${mmluPro?.score}`),
    );
    expect(res.stdout).toContain(`source: ${mmluPro?.source_url}`);
    const unknown = await runCli(["claims", "--vendor", "gpt-9"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no published claims about "gpt-9"; models with claims: ');
    expect(unknown.stderr).toContain("deepseek-r1");
  }, 30_000);

  it("with --run puts the run's measurement beside the published number", async () => {
    // A run whose models carry the API names the catalog knows and whose task is named like the benchmark's.
    writeFileSync(
      join(dir, "vendor.yaml"),
      config(
        "  - { ref: fake/model-a, name: deepseek/deepseek-chat }\n  - { ref: fake/model-b, name: openai/gpt-4o-2024-05-13 }",
        task("mmlu_pro", "qa.jsonl"),
      ),
    );
    const run = await runCli(["run", "vendor.yaml", "--json"], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    const vendorRun = JSON.parse(run.stdout).runId;
    const res = await runCli(["claims", "--vendor", "deepseek/deepseek-chat", "--run", vendorRun, "--json"], {
      cwd: dir,
    });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc).toMatchObject({ runId: vendorRun, model: "deepseek/deepseek-chat" });
    const row = doc.claims.find((c: { id: string }) => c.id === mmluPro?.id);
    expect(row.score).toBe(mmluPro?.score);
    expect(row.source_quote).toBe(mmluPro?.source_quote);
    expect(row.measured).toHaveLength(1);
    expect(row.measured[0]).toMatchObject({ label: "deepseek/deepseek-chat", task: "mmlu_pro", n: 50, mean: 1 });
    expect(row.measured[0].onPublishedScale.value).toBeCloseTo(100, 12);
    expect(row.measured[0].published).toBe(
      (mmluPro?.score ?? 100) < row.measured[0].onPublishedScale.ci.lower ? "below" : "inside",
    );
    const gpt = row.competitorsMeasured.find((c: { modelId: string }) => c.modelId === "gpt-4o-2024-05-13");
    expect(gpt.measured[0]).toMatchObject({ label: "openai/gpt-4o-2024-05-13", n: 50, mean: 0.8 });
    // Claims on benchmarks the run did not measure are listed without a measurement.
    expect(doc.claims.filter((c: { measured: unknown[] }) => c.measured.length === 0).length).toBeGreaterThan(0);
    const text = await runCli(["claims", "--vendor", "deepseek-v3", "--run", vendorRun], { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`run ${vendorRun} \\(\\d{4}-\\d{2}-\\d{2}\\) measured \\d+ of these`));
    // deepseek-chat also served DeepSeek-V2: the run's deepseek-chat is not shown as the "DeepSeek V2-0506" column.
    expect(text.stdout).not.toContain("measured DeepSeek V2-0506");
    expect(text.stdout).toMatch(
      /measured: 100\.0 \[\d+\.\d, 100\.0\] deepseek\/deepseek-chat on mmlu_pro \(n 50, exact\)/,
    );
    expect(text.stdout).toMatch(/measured GPT-4o 0513 \(published [\d.]+\): 80\.0 \[/);
  }, 60_000);
});
