import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";
import { type HubServer, startHubServer } from "./support/hub-server.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";

/** A GSM8K-shaped table: the answer is the number after "####". */
const ROWS = [
  { question: "What is 2+2?", answer: "Two and two. #### 4" },
  { question: "Halve 10.", answer: "Half of ten. #### 5" },
  { question: "What is 3×3?", answer: "Three threes. #### 9" },
];

function parquetOf(rows: typeof ROWS): Buffer {
  return Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: "question", data: rows.map((r) => r.question), type: "STRING" },
        { name: "answer", data: rows.map((r) => r.answer), type: "STRING" },
        { name: "number", data: rows.map((r) => r.answer.split("#### ")[1] ?? ""), type: "STRING" },
      ],
    }),
  );
}

/** The first three ARC-Challenge questions and the answer key, laid out as the upstream files. */
const ARC_DIR = join(import.meta.dirname, "..", "data", "benchmarks", "arc_challenge");
const arcFile = (name: string, lines?: number) => {
  const text = readFileSync(join(ARC_DIR, name), "utf8");
  return Buffer.from(lines === undefined ? text : `${text.split("\n").slice(0, lines).join("\n")}\n`);
};

let hub: HubServer;
let model: ProtocolServer;
const KEY = "sk-fake-key-1234567890";

beforeAll(async () => {
  hub = await startHubServer([
    {
      type: "dataset",
      id: "acme/mini-gsm",
      revisions: {
        main: {
          "README.md": Buffer.from("# mini gsm\n"),
          "main/test-00000-of-00001.parquet": parquetOf(ROWS),
          "main/train-00000-of-00001.parquet": parquetOf(ROWS.slice(0, 1)),
          "socratic/test-00000-of-00001.parquet": parquetOf(ROWS.slice(1)),
        },
      },
    },
    {
      type: "dataset",
      id: "acme/arc-mirror",
      revisions: {
        main: {
          ".gitattributes": Buffer.from("*.jsonl filter=lfs diff=lfs merge=lfs -text\n"),
          "ARC-Challenge/test.jsonl": arcFile("test.jsonl", 3),
          "ARC-Challenge/question-answers.jsonl": arcFile("question-answers.jsonl"),
          "README.md": Buffer.from("# ARC mirror\n"),
        },
      },
    },
  ]);
  // Knows 2+2 and 10/2, gets 3×3 wrong.
  model = await startProtocolServer({
    apiKey: KEY,
    respond: (req) => {
      const q = req.messages.at(-1)?.content ?? "";
      return { text: q.includes("2+2") ? "4" : q.includes("10") ? "5" : "6" };
    },
  });
});
afterAll(async () => {
  await hub.close();
  await model.close();
});

function workspace(task: string): string {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-hubdata-"));
  writeFileSync(
    join(dir, "arbiter.yaml"),
    `providers:
  fake: {type: openai-compatible, baseURL: ${model.url}/v1, apiKeyEnv: FAKE_API_KEY}
models: [fake/model-a]
tasks:
  - name: mini-gsm
${task}
    prompt: "{{question}}"
    target: "{{number}}"
    scorer: numeric
`,
  );
  return dir;
}

describe("custom task data from the Hugging Face hub and from Parquet", () => {
  const cache = mkdtempSync(join(tmpdir(), "arbiter-hubcache-"));

  it("reads a dataset's split by name, downloads it once, then runs offline from the cache", async () => {
    const dir = workspace("    data: hf:acme/mini-gsm\n    subset: main\n    split: test");
    const env = { FAKE_API_KEY: KEY, HF_ENDPOINT: hub.url, ARBITER_CACHE: cache };
    const first = await runCli(["run", "arbiter.yaml", "--json", "--db", join(dir, "a.db")], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout).results[0];
    expect(result.n).toBe(3);
    expect(result.estimates[0].mean).toBeCloseTo(2 / 3, 12);
    const downloads = hub.requests.filter((r) => r.url.includes(".parquet")).length;
    expect(downloads).toBeGreaterThan(0);

    const offline = await runCli(["run", "arbiter.yaml", "--json", "--no-cache", "--db", join(dir, "b.db")], {
      cwd: dir,
      env: { ...env, HF_HUB_OFFLINE: "1" },
    });
    expect(offline.code, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout).results[0].n).toBe(3);
    expect(hub.requests.filter((r) => r.url.includes(".parquet")).length).toBe(downloads);
  });

  it("asks which subset when a split spans several, and names a missing dataset", async () => {
    const env = { FAKE_API_KEY: KEY, HF_ENDPOINT: hub.url, ARBITER_CACHE: mkdtempSync(join(tmpdir(), "c-")) };
    const ambiguous = workspace("    data: hf:acme/mini-gsm");
    const res = await runCli(["run", "arbiter.yaml"], { cwd: ambiguous, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/main.*socratic|socratic.*main/);
    const missing = workspace("    data: hf:acme/nothing-here/test.parquet");
    const gone = await runCli(["run", "arbiter.yaml"], { cwd: missing, env });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain("acme/nothing-here");
    expect(gone.stderr).not.toMatch(/\n\s+at /);
  });

  it("gives a built-in benchmark its files from a hub dataset (path: hf:owner/name/folder), once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arbiter-hubarc-"));
    writeFileSync(
      join(dir, "arbiter.yaml"),
      `providers:
  fake: {type: openai-compatible, baseURL: ${model.url}/v1, apiKeyEnv: FAKE_API_KEY}
models: [fake/model-a]
tasks:
  - {builtin: arc_challenge, path: "hf:acme/arc-mirror/ARC-Challenge"}
`,
    );
    const env = { FAKE_API_KEY: KEY, HF_ENDPOINT: hub.url, ARBITER_CACHE: mkdtempSync(join(tmpdir(), "c-")) };
    const res = await runCli(["run", "arbiter.yaml", "--json"], { cwd: dir, env });
    expect(res.code, res.stderr).toBe(0);
    const result = JSON.parse(res.stdout).results[0];
    expect(result.task).toBe("arc_challenge");
    // Only the three questions of the mirror's test file: the bundled copy was not used.
    expect(result.n).toBe(3);
    const fetched = hub.requests.filter((r) => r.url.includes("arc-mirror") && r.url.includes("/resolve/")).length;
    expect(fetched).toBeGreaterThanOrEqual(2);
    const offline = await runCli(["run", "arbiter.yaml", "--json", "--no-cache"], {
      cwd: dir,
      env: { ...env, HF_HUB_OFFLINE: "1" },
    });
    expect(offline.code, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout).results[0].n).toBe(3);
  });

  it("reads a local Parquet file, and names the file when it is not Parquet", async () => {
    const dir = workspace("    data: local.parquet");
    writeFileSync(join(dir, "local.parquet"), parquetOf(ROWS));
    const env = { FAKE_API_KEY: KEY };
    const ok = await runCli(["run", "arbiter.yaml", "--json"], { cwd: dir, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).results[0].n).toBe(3);
    writeFileSync(join(dir, "local.parquet"), "not parquet at all");
    const bad = await runCli(["run", "arbiter.yaml"], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("local.parquet: cannot read as Parquet");
  });
});
