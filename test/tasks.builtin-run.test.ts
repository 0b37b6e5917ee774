import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinTaskNames } from "../src/tasks/registry.js";
import { runCli } from "./support/cli.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";

const SHARED = fileURLToPath(new URL("../../shared/datasets", import.meta.url));
const KEY = "sk-fake-key-1234567890";
let server: ProtocolServer;

/**
 * The model under test answers like a plausible model of each kind (a letter, a boxed number, a code block); the
 * judge answers in the format its prompt asks for ([[A]] for pairwise, [[rating]] for single-answer grading).
 */
function respond(messages: { role: string; content: string }[], model: string): string {
  const text = messages.map((m) => m.content).join("\n");
  if (model === "judge")
    return /\[\[A\]\]/.test(text) ? "Assistant A is more helpful. [[A]]" : "Good answer. Rating: [[8]]";
  if (/```python|Python function|\[BEGIN\]/i.test(text)) return "```python\ndef solution(*args):\n    return None\n```";
  if (/\\boxed/.test(text)) return "So the answer is $\\boxed{4}$.";
  if (/Q: .*\nA:|Question:/s.test(text) && /####|The answer is \d/.test(text)) return "2 + 2 = 4. The answer is 4.";
  if (/答案/.test(text)) return "答案是 A";
  if (/\(A\)|A\.|A\)/.test(text)) return "The answer is (A).";
  return "Here is a short answer, written in English, with no commas or special formatting at all";
}

beforeAll(async () => {
  server = await startProtocolServer({
    apiKey: KEY,
    respond: (req) => ({ text: respond(req.messages, req.model) }),
  });
});
afterAll(async () => {
  await server.close();
});

describe("arbiter run --task NAME for every built-in task", () => {
  it("runs each against a protocol server and scores every sample", async () => {
    const names = builtinTaskNames();
    expect(names.length).toBeGreaterThanOrEqual(12);
    const dir = mkdtempSync(join(tmpdir(), "arbiter-builtin-"));
    // CMMLU and AlpacaEval are non-commercial: not bundled, read from the shared copy.
    writeFileSync(
      join(dir, "arbiter.yaml"),
      `providers:
  fake: {type: openai-compatible, baseURL: ${server.url}/v1, apiKeyEnv: FAKE_API_KEY}
models: [fake/model-a]
tasks:
  - {builtin: cmmlu, path: ${join(SHARED, "cmmlu")}}
  - {builtin: pairwise, path: ${join(SHARED, "alpaca_eval")}}
`,
    );
    const args = ["run", "arbiter.yaml", "--limit", "2", "--judge", "fake/judge", "--json"];
    for (const name of names) args.push("--task", name);
    const res = await runCli(args, { cwd: dir, env: { FAKE_API_KEY: KEY } });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.status).toBe("completed");
    const tasks = doc.results.map((r: { task: string }) => r.task).sort();
    expect(tasks).toEqual([...names].sort());
    for (const r of doc.results) {
      expect(r.n, r.task).toBe(2);
      expect(r.errors, r.task).toEqual({});
      // Every sample got a score on the headline metric (no sample left unscored).
      expect(r.estimates[0]?.n, r.task).toBe(2);
    }
    const judged = doc.results.filter((r: { cost: { judge: unknown } | null }) => r.cost?.judge);
    expect(judged.map((r: { task: string }) => r.task).sort()).toEqual(["mt_bench", "pairwise"]);
    // The judge really was asked: both turns of each MT-Bench answer, and each pairwise comparison in both orders.
    const judgeCalls = server.requests.filter((r) => r.model === "judge").length;
    expect(judgeCalls).toBe(2 * 2 + 2 * 2);
  }, 120_000);
});
