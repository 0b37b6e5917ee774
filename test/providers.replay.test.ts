import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AttemptOutcome, ChatMessage, ModelRequest } from "../src/core/types.js";
import { loadRecordings } from "../src/providers/replay/recordings.js";
import { createReplayAdapter } from "../src/providers/replay.js";
import { specFromConfig } from "../src/runner/prepare.js";
import { startRun } from "../src/runner/session.js";
import { ifevalScorer } from "../src/scorers/ifeval/scorer.js";
import { Store } from "../src/store/store.js";
import { ifevalSample, readIfevalRecords } from "../src/tasks/builtin/ifeval.js";
import { runCli } from "./support/cli.js";

const SHARED = "/work/shared/datasets";
const IFEVAL_RESPONSES = join(SHARED, "ifeval/input_response_data_gpt4_20231107_145030.jsonl");
const ALPACA_OUTPUTS = join(SHARED, "alpaca_eval/results/gpt4_1106_preview/model_outputs.json");
const IFEVAL_INPUTS = "data/benchmarks/ifeval/input_data.jsonl";

const dir = mkdtempSync(join(tmpdir(), "arbiter-replay-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function jsonl(records: unknown[]): string {
  return `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;
}

function request(content: string | ChatMessage[], sampleId?: string): ModelRequest {
  const messages = typeof content === "string" ? [{ role: "user" as const, content }] : content;
  return sampleId === undefined ? { messages, settings: {} } : { messages, settings: {}, sampleId };
}

async function replay(path: string, req: ModelRequest): Promise<AttemptOutcome> {
  return createReplayAdapter().generate(path, req, { timeoutMs: 1000 });
}

function answer(outcome: AttemptOutcome): string {
  if (!outcome.ok) throw new Error(`expected an answer, got ${outcome.error.errorClass}: ${outcome.error.message}`);
  return outcome.response.text;
}

function errorOf(outcome: AttemptOutcome) {
  if (outcome.ok) throw new Error(`expected an error, got the answer ${JSON.stringify(outcome.response.text)}`);
  return outcome.error;
}

const readJsonl = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("replay: recording formats", () => {
  it("reads Arbiter's own {id?, input, output} records, inputs as strings or conversations", async () => {
    const path = file(
      "own.jsonl",
      jsonl([
        { id: "q1", input: "What is 2+2?", output: "4", generator: "my-model" },
        {
          input: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "Capital of France?" },
          ],
          output: "Paris",
        },
        { id: 7, output: "seven" },
      ]),
    );
    const index = await loadRecordings(path);
    expect(index.size).toBe(3);
    const byText = await replay(path, request([{ role: "user", content: "Capital of France?" }]));
    expect(answer(byText)).toBe("Paris");
    const byId = await replay(path, request("anything at all", "7"));
    expect(answer(byId)).toBe("seven");
    const named = await replay(path, request("What is 2+2?", "q1"));
    expect(named.ok && named.response.reportedModel).toBe("my-model");
  });

  it("replays AlpacaEval's model_outputs.json (the published GPT-4 Turbo outputs) by instruction", async () => {
    const published = JSON.parse(readFileSync(ALPACA_OUTPUTS, "utf8")) as {
      instruction: string;
      output: string;
      generator: string;
    }[];
    const index = await loadRecordings(ALPACA_OUTPUTS);
    expect(index.size).toBe(published.length);
    const adapter = createReplayAdapter();
    for (const i of [0, 401, published.length - 1]) {
      const record = published[i] as (typeof published)[number];
      // Re-wrapped whitespace still matches: the input is compared whitespace-normalised.
      const asked = `  ${record.instruction.replace(/ /g, "  ")}\n`;
      const outcome = await adapter.generate(ALPACA_OUTPUTS, request(asked), { timeoutMs: 1000 });
      expect(answer(outcome)).toBe(record.output);
      expect(outcome.ok && outcome.response.reportedModel).toBe(record.generator);
    }
  });

  it("replays IFEval's GPT-4 response file ({prompt, response}) for IFEval's own prompts", async () => {
    const responses = readJsonl(IFEVAL_RESPONSES);
    const index = await loadRecordings(IFEVAL_RESPONSES);
    expect(index.size).toBe(responses.length);
    const adapter = createReplayAdapter();
    let n = 0;
    for await (const record of readIfevalRecords(IFEVAL_INPUTS)) {
      if (n >= 5) break;
      // The sample's id (IFEval's key) is not in the response file: the prompt's text finds the response.
      const outcome = await adapter.generate(IFEVAL_RESPONSES, request(record.prompt, String(record.key)), {
        timeoutMs: 1000,
      });
      expect(answer(outcome)).toBe(responses[n]?.response);
      n++;
    }
    expect(n).toBe(5);
  });
});

describe("replay: matching", () => {
  const path = file(
    "match.jsonl",
    jsonl([
      { id: "x", input: "Same question", output: "answer recorded for sample x" },
      { input: "Same question", output: "another model's answer to the same text" },
      { id: "only-id", output: "matched by id alone" },
      { input: "Name a colour.", output: "Blue." },
      { id: "moved", input: "Original question", output: "for the original" },
    ]),
  );

  it("matches by sample id first, so that ids tell apart records of the same input", async () => {
    expect(answer(await replay(path, request("Same question", "x")))).toBe("answer recorded for sample x");
    expect(answer(await replay(path, request("any text", "only-id")))).toBe("matched by id alone");
    // Without an id the same input is ambiguous: refused, naming both lines, never a guess.
    const ambiguous = errorOf(await replay(path, request("Same question")));
    expect(ambiguous.errorClass).toBe("bad_request");
    expect(ambiguous.message).toContain(`${path} records different outputs`);
    expect(ambiguous.message).toContain("lines 1, 2");
  });

  it("matches by the last user message's text when the id is not recorded", async () => {
    const conversation: ChatMessage[] = [
      { role: "system", content: "You are terse." },
      { role: "user", content: "Say hi." },
      { role: "assistant", content: "Hi." },
      { role: "user", content: "Name  a\ncolour. " },
    ];
    expect(answer(await replay(path, request(conversation, "sample-not-in-file")))).toBe("Blue.");
  });

  it("refuses an id whose recorded input is another question (ids from another dataset)", async () => {
    const error = errorOf(await replay(path, request("A different question", "moved")));
    expect(error.errorClass).toBe("bad_request");
    expect(error.message).toContain(`${path}:5 records id "moved" for another input`);
  });

  it("fails a sample with no recording as not_recorded, naming the sample and the file", async () => {
    const error = errorOf(await replay(path, request("Never asked", "s404")));
    expect(error.errorClass).toBe("not_recorded");
    expect(error.message).toContain('no recording for sample "s404"');
    expect(error.message).toContain(path);
  });

  it("reports usage as unknown and measures no time to first token or decode speed", async () => {
    const outcome = await replay(path, request("Name a colour."));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.response.usage).toBeNull();
    expect(outcome.response.rawUsage).toBeNull();
    expect(outcome.response.timing).toMatchObject({ ttftMs: null, ttfatMs: null, outputTokensPerSecond: null });
  });

  it("reads the file once and shares its index across calls", async () => {
    const once = file("once.jsonl", jsonl([{ input: "q", output: "a" }]));
    const adapter = createReplayAdapter();
    const options = { timeoutMs: 1000 };
    const [first, second] = await Promise.all([
      adapter.generate(once, request("q"), options),
      adapter.generate(once, request("q"), options),
    ]);
    expect([answer(first), answer(second)]).toEqual(["a", "a"]);
    rmSync(once);
    // The file is gone: only an index loaded on the first call can still answer.
    expect(answer(await adapter.generate(once, request("q"), options))).toBe("a");
    await adapter.close?.();
    expect(errorOf(await adapter.generate(once, request("q"), options)).message).toContain("file not found");
  });
});

describe("replay: bad files", () => {
  const cases: [string, string, string][] = [
    [
      "no-output.jsonl",
      jsonl([{ input: "a", output: "b" }, { input: "c", output: "d" }, { input: "e" }]),
      ':3: no "output" (or "response") field',
    ],
    ["not-json.jsonl", `${JSON.stringify({ input: "a", output: "b" })}\n{input: oops}\n`, ":2: not valid JSON"],
    [
      "number-output.json",
      `[\n  {"instruction": "a", "output": "b"},\n  {"instruction": "c",\n   "output": 42}\n]\n`,
      ':3: field "output" is a number: expected the recorded answer as a string',
    ],
    [
      "duplicate-id.jsonl",
      jsonl([
        { id: 1, output: "a" },
        { id: 2, output: "b" },
        { id: "1", output: "c" },
      ]),
      ':3: id "1" is recorded twice (first at line 1)',
    ],
    ["no-key.jsonl", jsonl([{ output: "orphan" }]), ':1: the record has neither an "id" nor an input'],
    [
      "bad-role.jsonl",
      jsonl([{ input: [{ role: "human", content: "hi" }], output: "hello" }]),
      ':1: input[0].role is "human": expected "system", "user" or "assistant"',
    ],
  ];

  for (const [name, text, expected] of cases) {
    it(`${name}: every sample fails with the file and the line`, async () => {
      const path = file(name, text);
      await expect(loadRecordings(path)).rejects.toThrow(`${path}${expected}`);
      const error = errorOf(await replay(path, request("a")));
      expect(error.errorClass).toBe("bad_request");
      expect(error.message).toContain(`${path}${expected}`);
    });
  }

  it("a missing file is named", async () => {
    const path = join(dir, "nowhere.jsonl");
    expect(errorOf(await replay(path, request("a"))).message).toContain(`${path}: file not found`);
  });
});

/** IFEval's prompt-strict verdict on each GPT-4 response (by sample id), computed by the scorer with no run at all. */
async function directPromptStrict(limit: number): Promise<Map<string, number>> {
  const byPrompt = new Map(readJsonl(IFEVAL_RESPONSES).map((r) => [r.prompt as string, r.response as string]));
  const scorer = ifevalScorer();
  const verdicts = new Map<string, number>();
  let n = 0;
  for await (const record of readIfevalRecords(IFEVAL_INPUTS)) {
    if (n >= limit) break;
    const response = byPrompt.get(record.prompt);
    if (response === undefined) throw new Error(`no GPT-4 response for IFEval key ${record.key}`);
    const scores = await scorer(response, ifevalSample(record), {});
    const strict = (Array.isArray(scores) ? scores : [scores]).find((s) => s.metric === "prompt-strict");
    if (strict === undefined) throw new Error(`no prompt-strict score for IFEval key ${record.key}`);
    verdicts.set(String(record.key), strict.value);
    n++;
  }
  return verdicts;
}

describe("replay: end to end", () => {
  it("a run of the ifeval task on replay/<GPT-4 responses> scores them as the scorer does directly", async () => {
    const responses = readJsonl(IFEVAL_RESPONSES).length;
    const store = await Store.open(join(dir, "e2e.db"));
    try {
      // Two samples past the recorded ones: they must fail as not recorded, not score as empty answers.
      const spec = specFromConfig(null, {
        models: [`replay/${IFEVAL_RESPONSES}`],
        tasks: ["ifeval"],
        limit: responses + 2,
      });
      const result = await startRun(spec, { store });
      expect(result.progress).toMatchObject({ done: responses + 2, failed: 2, errorsByClass: { not_recorded: 2 } });

      const samples = await store.db
        .selectFrom("samples")
        .select(["sample_id", "status", "error_class"])
        .where("run_id", "=", result.runId)
        .execute();
      const failed = samples.filter((s) => s.status === "error");
      expect(failed.map((s) => s.error_class)).toEqual(["not_recorded", "not_recorded"]);
      const strict = await store.db
        .selectFrom("scores")
        .select(["item_key", "value"])
        .where("run_id", "=", result.runId)
        .where("scorer", "=", "prompt-strict")
        .execute();
      const replayed = new Map(strict.map((s) => [String(JSON.parse(s.item_key)[2]), s.value]));
      const direct = await directPromptStrict(responses);
      expect(direct.size).toBe(responses);
      // Sample by sample, so a right total cannot hide answers served to the wrong samples.
      expect(replayed).toEqual(direct);
      const accuracy = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / m.size;
      expect(accuracy(replayed)).toBe(accuracy(direct));

      // Usage is stored as unknown (null), never as zero tokens.
      const attempts = await store.db
        .selectFrom("attempts")
        .select(["input_tokens", "output_tokens", "ttft_ms", "provider"])
        .where("run_id", "=", result.runId)
        .execute();
      expect(attempts).toHaveLength(responses + 2);
      expect(
        attempts.every((a) => a.provider === "replay" && a.input_tokens === null && a.output_tokens === null),
      ).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);

  it("the CLI runs --model replay/<relative path> and serves no answer from the cache", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "arbiter-replay-cli-"));
    try {
      const recordings = join(cwd, "gpt4.jsonl");
      writeFileSync(recordings, readFileSync(IFEVAL_RESPONSES, "utf8").split("\n").slice(0, 3).join("\n"));
      const args = ["run", "--model", "replay/gpt4.jsonl", "--task", "ifeval", "--limit", "3", "--json"];
      const first = await runCli([...args, "--db", "arbiter.db"], { cwd });
      expect(first.code).toBe(0);
      // Replayed calls have no usage: their cost is unknown, and said to be.
      expect(first.stderr).toContain("their cost is unknown, not 0");
      const report = JSON.parse(first.stdout);
      expect(JSON.stringify(report)).toContain(`replay/gpt4.jsonl`);

      // Edit the recording: a replayed answer is never served from the store's cache, so the run sees the change.
      writeFileSync(recordings, readFileSync(IFEVAL_RESPONSES, "utf8").split("\n").slice(1, 3).join("\n"));
      const second = await runCli([...args, "--db", "arbiter.db"], { cwd });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain("1 samples failed");
      // The summary says why: the failure's class, count and message, in JSON and as text.
      const failed = JSON.parse(second.stdout).results[0];
      expect(failed.errorExamples).toHaveLength(1);
      expect(failed.errorExamples[0]).toMatchObject({ errorClass: "not_recorded", count: 1 });
      expect(failed.errorExamples[0].message).toMatch(/gpt4\.jsonl/);
      const text = await runCli(["show", JSON.parse(second.stdout).runId, "--db", "arbiter.db"], { cwd });
      expect(text.stdout).toMatch(/errors:\n {2}replay\/gpt4\.jsonl {2}ifeval {2}not_recorded ×1: .*gpt4\.jsonl/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);
});
