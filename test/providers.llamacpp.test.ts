import { fileURLToPath } from "node:url";
import { getLlama, LlamaLogLevel, type Token } from "node-llama-cpp";
import { afterAll, describe, expect, it } from "vitest";
import { createLlamaCppAdapter } from "../src/providers/llamacpp.js";

const MODEL = fileURLToPath(new URL("../../shared/models/stories260K/stories260K.gguf", import.meta.url));
// ../shared/models/SOURCES.md: the first 40 greedy token ids after BOS, from a float64 reference forward pass.
const REFERENCE_IDS = [
  403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337, 410, 408, 419,
  292, 411, 322, 265, 282, 295, 433, 426, 385, 328, 432, 358, 394, 261, 370, 432, 352,
];

const adapter = createLlamaCppAdapter({ threads: 1, contextSize: 256, sequences: 2 });
afterAll(async () => {
  await adapter.close?.();
});

describe("llamacpp in-process provider (stories260K)", () => {
  it("greedy decoding from BOS reproduces the 40 reference tokens, with exact usage and timing", async () => {
    const out = await adapter.generate(
      MODEL,
      { messages: [{ role: "user", content: "" }], settings: { temperature: 0, maxTokens: 40 } },
      { timeoutMs: 60_000 },
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: MODEL });
    try {
      expect(out.response.text).toBe(model.detokenize(REFERENCE_IDS as Token[]));
      expect(model.tokenize(out.response.text)).toEqual(REFERENCE_IDS);
    } finally {
      await model.dispose();
    }
    expect(out.response.usage).toEqual({
      inputTokens: 1, // BOS alone
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 40,
      reasoningTokens: 0,
    });
    expect(out.response.finishReason).toBe("maxTokens");
    expect(out.response.reportedModel).toBe("stories260K.gguf");
    expect(out.response.timing.ttftMs).not.toBeNull();
    expect(out.response.timing.outputTokensPerSecond).toBeGreaterThan(0);
  });

  it("counts the prompt's tokens and serves concurrent calls on separate sequences", async () => {
    const ask = (content: string) =>
      adapter.generate(
        MODEL,
        { messages: [{ role: "user", content }], settings: { temperature: 0, maxTokens: 8 } },
        { timeoutMs: 60_000 },
      );
    const [a, b, c] = await Promise.all([ask("Once upon a time"), ask("Once upon a time"), ask("The cat")]);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!(a.ok && b.ok && c.ok)) return;
    // Greedy decoding is deterministic whichever sequence serves the call.
    expect(a.response.text).toBe(b.response.text);
    expect(a.response.usage?.inputTokens).toBeGreaterThan(c.response.usage?.inputTokens ?? Number.POSITIVE_INFINITY);
    expect(a.response.usage?.outputTokens).toBe(8);
  });

  it("reports a missing model file as a failed call, not a crash", async () => {
    const out = await adapter.generate(
      "/nonexistent/model.gguf",
      { messages: [{ role: "user", content: "x" }], settings: {} },
      { timeoutMs: 5_000 },
    );
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.errorClass).toBe("bad_request");
      expect(out.error.message).toContain("/nonexistent/model.gguf");
    }
  });
});
