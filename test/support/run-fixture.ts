import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.js";
import { specFromConfig } from "../../src/runner/prepare.js";
import { resumeRun, type SessionOptions, startRun } from "../../src/runner/session.js";
import type { CliOverrides, RunSpec } from "../../src/runner/spec.js";
import { Store } from "../../src/store/store.js";

/** Fast retries for tests: the policy is the same, only the time scale shrinks. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50 };

/** A temp directory with a question/answer JSONL of `n` samples: question "q<i>", answer "a<i>". */
export function workspace(n: number): { dir: string; data: string } {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-run-"));
  const data = join(dir, "qa.jsonl");
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `s${i}`, question: `q${i}`, answer: `a${i}` }),
  );
  writeFileSync(data, `${lines.join("\n")}\n`);
  return { dir, data };
}

/** A config for a local protocol server, with one provider per wire protocol. */
export function configText(baseURL: string, extra = ""): string {
  return `
providers:
  fake:
    type: openai-compatible
    baseURL: ${baseURL}/v1
    apiKeyEnv: FAKE_API_KEY
    maxRetries: 3
  fakeclaude:
    type: anthropic
    baseURL: ${baseURL}
    apiKeyEnv: FAKE_API_KEY
    maxRetries: 3
models:
  - fake/model-a
tasks:
  - name: qa
    data: qa.jsonl
    prompt: "{{question}}"
    target: "{{answer}}"
    scorer: exact
${extra}`;
}

export function specFor(dir: string, text: string, cli: CliOverrides = {}): RunSpec {
  const file = join(dir, "arbiter.yaml");
  writeFileSync(file, text);
  return specFromConfig(parseConfig(text, file), cli);
}

/** Answers each question "q<i>" with "a<i>": the right answer, so every sample scores 1. */
export function echoAnswer(messages: { role: string; content: string }[]): string {
  const q = messages.at(-1)?.content ?? "";
  return q.replace(/^q/, "a");
}

export async function openTestStore(dir: string): Promise<Store> {
  return Store.open(join(dir, "arbiter.db"));
}

export function run(spec: RunSpec, store: Store, extra: Partial<SessionOptions> = {}) {
  return startRun(spec, { store, env: { FAKE_API_KEY: "sk-fake-key-1234567890" }, retry: FAST_RETRY, ...extra });
}

export function resume(runId: string, store: Store, extra: Partial<Parameters<typeof resumeRun>[1]> = {}) {
  return resumeRun(runId, { store, env: { FAKE_API_KEY: "sk-fake-key-1234567890" }, retry: FAST_RETRY, ...extra });
}
