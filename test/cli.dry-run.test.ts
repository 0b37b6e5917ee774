import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { getEncoding } from "js-tiktoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { workspace } from "./support/run-fixture.js";

let server: ProtocolServer;
beforeAll(async () => {
  server = await startProtocolServer();
});
afterAll(async () => {
  await server.close();
});

describe("arbiter run --dry-run", () => {
  it("counts tokens with the model's encoding, prices the range, and makes no call", async () => {
    const { dir } = workspace(7);
    writeFileSync(
      join(dir, "arbiter.yaml"),
      `providers:
  openai: { baseURL: ${server.url}/v1 }
models: [openai/gpt-4o]
settings: { maxTokens: 100 }
tasks:
  - { name: qa, data: qa.jsonl, prompt: "{{question}}", target: "{{answer}}", scorer: exact }
`,
    );
    const before = server.callCount();
    const res = await runCli(["run", "arbiter.yaml", "--dry-run", "--json", "--epochs", "2"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(server.callCount()).toBe(before);
    const [e] = JSON.parse(res.stdout).estimates;
    // Each request is one user message "q<i>": o200k tokens of the text + 3 per message + 3 for the reply.
    const o200k = getEncoding("o200k_base");
    let expected = 0;
    for (let i = 0; i < 7; i++) expected += o200k.encode(`q${i}`).length + 3 + 3;
    expect(e).toMatchObject({ model: "openai/gpt-4o", items: 14, inputTokens: expected * 2, tokenizer: "o200k_base" });
    expect(e.outputTokensMax).toBe(1400);
    expect(e.outputTokensExpected).toBeNull(); // no earlier run in this store
    expect(e.costMin).toBeGreaterThan(0);
    expect(e.costMax).toBeGreaterThan(e.costMin);
    expect(e.costExpected).toBeNull();
  });
});
