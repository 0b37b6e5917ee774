import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Usage } from "../src/core/types.js";
import {
  anthropicCacheWriteBreakdown,
  mergeAnthropicStreamUsage,
  usageFromAnthropic,
  usageFromOpenAIChat,
} from "../src/providers/usage.js";

interface StreamEvent {
  event?: string;
  data: unknown;
}

interface Fixture {
  vendor: string;
  api: "openai-chat" | "anthropic-messages";
  source: string;
  note?: string;
  body: unknown;
  expected: Usage | null;
}

const FIXTURE_DIR = new URL("./fixtures/usage/", import.meta.url);

function loadFixtures(): { file: string; fixture: Fixture }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(new URL(file, FIXTURE_DIR), "utf8")) as Fixture }));
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** Pulls the raw usage out of a recorded body the way the provider adapters do, then maps it. */
function usageOf(fixture: Fixture): Usage | null {
  if (fixture.api === "openai-chat") {
    if (!Array.isArray(fixture.body)) return usageFromOpenAIChat(record(fixture.body).usage);
    // Streaming: the last chunk that carries a usage object is the bill (see src/providers/openai-chat.ts).
    let raw: unknown = null;
    for (const event of fixture.body as StreamEvent[]) {
      const usage = record(event.data).usage;
      if (usage) raw = usage;
    }
    return usageFromOpenAIChat(raw);
  }
  if (!Array.isArray(fixture.body)) return usageFromAnthropic(record(fixture.body).usage);
  let start: unknown = null;
  let delta: unknown = null;
  for (const event of fixture.body as StreamEvent[]) {
    const data = record(event.data);
    if (data.type === "message_start") start = record(data.message).usage ?? null;
    if (data.type === "message_delta" && data.usage) delta = data.usage;
  }
  return usageFromAnthropic(start === null && delta === null ? null : mergeAnthropicStreamUsage(start, delta));
}

const fixtures = loadFixtures();

describe("recorded vendor fixtures", () => {
  it("covers every required vendor case", () => {
    const names = fixtures.map((f) => f.file.replace(/\.json$/, ""));
    for (const required of [
      "openai-gpt-4o-cached",
      "openai-o1-reasoning",
      "openai-stream-final-usage",
      "deepseek-chat-cache-hit",
      "deepseek-reasoner",
      "dashscope-qwen-implicit-cache",
      "dashscope-qwen-explicit-cache-create",
      "moonshot-kimi-cached",
      "doubao-seed-thinking",
      "zhipu-glm",
      "anthropic-messages-cache",
      "anthropic-messages-stream",
      "no-usage",
    ]) {
      expect(names).toContain(required);
    }
  });

  for (const { file, fixture } of fixtures) {
    it(`${file}: maps ${fixture.vendor} usage as billed`, () => {
      expect(fixture.vendor).toBeTypeOf("string");
      expect(fixture.source).toMatch(/^https:\/\//);
      expect(["openai-chat", "anthropic-messages"]).toContain(fixture.api);
      expect(usageOf(fixture)).toEqual(fixture.expected);
    });
  }
});

describe("usageFromOpenAIChat", () => {
  it("returns null when the response carried no usage", () => {
    expect(usageFromOpenAIChat(undefined)).toBeNull();
    expect(usageFromOpenAIChat(null)).toBeNull();
    expect(usageFromOpenAIChat({})).toBeNull();
    expect(usageFromOpenAIChat("12 tokens")).toBeNull();
    expect(usageFromOpenAIChat([1, 2])).toBeNull();
    expect(usageFromOpenAIChat({ unrelated: 3 })).toBeNull();
  });

  it("leaves cached and reasoning null, not 0, when the details are missing", () => {
    expect(usageFromOpenAIChat({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 })).toEqual({
      inputTokens: 10,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      outputTokens: 5,
      reasoningTokens: null,
    });
    expect(
      usageFromOpenAIChat({
        prompt_tokens: 10,
        completion_tokens: 5,
        prompt_tokens_details: null,
        completion_tokens_details: null,
      }),
    ).toMatchObject({ cachedInputTokens: null, reasoningTokens: null });
    expect(
      usageFromOpenAIChat({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { audio_tokens: 0 } }),
    ).toMatchObject({ cachedInputTokens: null });
  });

  it("keeps a reported zero as 0", () => {
    expect(
      usageFromOpenAIChat({
        prompt_tokens: 0,
        completion_tokens: 0,
        total_tokens: 0,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      }),
    ).toEqual({ inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: null, outputTokens: 0, reasoningTokens: 0 });
  });

  it("treats negative, fractional and non-number counts as unknown", () => {
    expect(
      usageFromOpenAIChat({
        prompt_tokens: -1,
        completion_tokens: "12",
        prompt_tokens_details: { cached_tokens: 1.5 },
        completion_tokens_details: { reasoning_tokens: { n: 3 } },
      }),
    ).toEqual({
      inputTokens: null,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      outputTokens: null,
      reasoningTokens: null,
    });
    expect(usageFromOpenAIChat({ prompt_tokens: Number.NaN, completion_tokens: Number.POSITIVE_INFINITY })).toEqual({
      inputTokens: null,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      outputTokens: null,
      reasoningTokens: null,
    });
    // One garbage field does not spoil the others.
    expect(usageFromOpenAIChat({ prompt_tokens: 100, completion_tokens: true })).toEqual({
      inputTokens: 100,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      outputTokens: null,
      reasoningTokens: null,
    });
  });

  describe("DeepSeek precedence", () => {
    it("prefers prompt_cache_hit_tokens over prompt_tokens_details.cached_tokens", () => {
      const usage = usageFromOpenAIChat({
        prompt_tokens: 100,
        completion_tokens: 7,
        prompt_cache_hit_tokens: 64,
        prompt_cache_miss_tokens: 36,
        prompt_tokens_details: { cached_tokens: 60 },
      });
      expect(usage?.cachedInputTokens).toBe(64);
    });

    it("falls back to prompt_tokens_details.cached_tokens when the hit count is unreadable", () => {
      const usage = usageFromOpenAIChat({
        prompt_tokens: 100,
        completion_tokens: 7,
        prompt_cache_hit_tokens: "64",
        prompt_tokens_details: { cached_tokens: 64 },
      });
      expect(usage?.cachedInputTokens).toBe(64);
    });

    it("derives prompt_tokens from hit + miss when it is missing", () => {
      expect(
        usageFromOpenAIChat({ completion_tokens: 7, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 }),
      ).toEqual({
        inputTokens: 100,
        cachedInputTokens: 64,
        cacheWriteTokens: null,
        outputTokens: 7,
        reasoningTokens: null,
      });
    });

    it("derives from hit + miss when prompt_tokens is garbage, but not from hit alone", () => {
      expect(
        usageFromOpenAIChat({ prompt_tokens: -5, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 36 })
          ?.inputTokens,
      ).toBe(36);
      expect(usageFromOpenAIChat({ completion_tokens: 7, prompt_cache_hit_tokens: 64 })?.inputTokens).toBeNull();
    });

    it("keeps the reported prompt_tokens when hit + miss disagree", () => {
      expect(
        usageFromOpenAIChat({ prompt_tokens: 101, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 })
          ?.inputTokens,
      ).toBe(101);
    });
  });

  it("reads Moonshot's top-level cached_tokens, below prompt_tokens_details.cached_tokens", () => {
    expect(usageFromOpenAIChat({ prompt_tokens: 50, completion_tokens: 2, cached_tokens: 40 })?.cachedInputTokens).toBe(
      40,
    );
    expect(
      usageFromOpenAIChat({
        prompt_tokens: 50,
        completion_tokens: 2,
        cached_tokens: 40,
        prompt_tokens_details: { cached_tokens: 41 },
      })?.cachedInputTokens,
    ).toBe(41);
  });

  it("reads DashScope's explicit cache writes from the cache_creation breakdown when the total is absent", () => {
    expect(
      usageFromOpenAIChat({
        prompt_tokens: 2000,
        completion_tokens: 10,
        prompt_tokens_details: { cache_creation: { ephemeral_5m_input_tokens: 1800 }, cached_tokens: 0 },
      })?.cacheWriteTokens,
    ).toBe(1800);
    expect(
      usageFromOpenAIChat({
        prompt_tokens: 2000,
        completion_tokens: 10,
        prompt_tokens_details: { cache_creation: { ephemeral_5m_input_tokens: -1 } },
      })?.cacheWriteTokens,
    ).toBeNull();
    // The documented total wins over the breakdown.
    expect(
      usageFromOpenAIChat({
        prompt_tokens: 2000,
        completion_tokens: 10,
        prompt_tokens_details: {
          cache_creation_input_tokens: 1700,
          cache_creation: { ephemeral_5m_input_tokens: 1800 },
        },
      })?.cacheWriteTokens,
    ).toBe(1700);
  });

  it("reads an OpenRouter-style prompt_tokens_details.cache_write_tokens", () => {
    expect(
      usageFromOpenAIChat({
        prompt_tokens: 194,
        completion_tokens: 50,
        prompt_tokens_details: { cached_tokens: 30, cache_write_tokens: 20 },
      }),
    ).toEqual({
      inputTokens: 194,
      cachedInputTokens: 30,
      cacheWriteTokens: 20,
      outputTokens: 50,
      reasoningTokens: null,
    });
  });

  it("adds reasoning to output when the vendor reports it outside completion_tokens (xAI)", () => {
    // xAI: "The reasoning token count is outputted in the reasoning_tokens field, separated from the
    // completion_tokens" — so total_tokens = prompt + completion + reasoning.
    expect(
      usageFromOpenAIChat({
        prompt_tokens: 9,
        completion_tokens: 50,
        total_tokens: 369,
        completion_tokens_details: { reasoning_tokens: 310 },
      }),
    ).toEqual({
      inputTokens: 9,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      outputTokens: 360,
      reasoningTokens: 310,
    });
  });

  it("does not add reasoning when completion_tokens already includes it, or when total is missing", () => {
    const inclusive = {
      prompt_tokens: 9,
      completion_tokens: 360,
      completion_tokens_details: { reasoning_tokens: 310 },
    };
    expect(usageFromOpenAIChat({ ...inclusive, total_tokens: 369 })?.outputTokens).toBe(360);
    expect(usageFromOpenAIChat(inclusive)?.outputTokens).toBe(360);
  });
});

describe("usageFromAnthropic", () => {
  it("returns null when the response carried no usage", () => {
    expect(usageFromAnthropic(undefined)).toBeNull();
    expect(usageFromAnthropic(null)).toBeNull();
    expect(usageFromAnthropic({})).toBeNull();
    expect(usageFromAnthropic(42)).toBeNull();
  });

  it("adds cache reads and writes to input_tokens", () => {
    expect(
      usageFromAnthropic({
        input_tokens: 3,
        cache_creation_input_tokens: 17102,
        cache_read_input_tokens: 0,
        output_tokens: 4,
      }),
    ).toEqual({
      inputTokens: 17105,
      cachedInputTokens: 0,
      cacheWriteTokens: 17102,
      outputTokens: 4,
      reasoningTokens: null,
    });
  });

  it("leaves cache fields null (and input_tokens as the total) when the response has no cache fields", () => {
    expect(usageFromAnthropic({ input_tokens: 25, output_tokens: 15 })).toEqual({
      inputTokens: 25,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      outputTokens: 15,
      reasoningTokens: null,
    });
    expect(
      usageFromAnthropic({
        input_tokens: 25,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        output_tokens: 15,
      }),
    ).toEqual({
      inputTokens: 25,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      outputTokens: 15,
      reasoningTokens: null,
    });
  });

  it("makes the input total unknown when a reported cache count is garbage", () => {
    expect(
      usageFromAnthropic({
        input_tokens: 25,
        cache_read_input_tokens: -3,
        cache_creation_input_tokens: 0,
        output_tokens: 1,
      }),
    ).toEqual({
      inputTokens: null,
      cachedInputTokens: null,
      cacheWriteTokens: 0,
      outputTokens: 1,
      reasoningTokens: null,
    });
    expect(usageFromAnthropic({ input_tokens: "25", output_tokens: 1 })).toMatchObject({
      inputTokens: null,
      outputTokens: 1,
    });
  });

  it("uses the cache_creation breakdown when cache_creation_input_tokens is absent", () => {
    expect(
      usageFromAnthropic({
        input_tokens: 10,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 1200 },
        output_tokens: 2,
      }),
    ).toEqual({
      inputTokens: 1510,
      cachedInputTokens: 0,
      cacheWriteTokens: 1500,
      outputTokens: 2,
      reasoningTokens: null,
    });
  });

  it("keeps a reported zero as 0 and never reports reasoning", () => {
    expect(
      usageFromAnthropic({
        input_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 0,
      }),
    ).toEqual({ inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: null });
  });
});

describe("anthropicCacheWriteBreakdown", () => {
  it("exposes the 5m / 1h split for pricing", () => {
    expect(
      anthropicCacheWriteBreakdown({
        input_tokens: 1,
        cache_creation_input_tokens: 1500,
        cache_creation: { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 1000 },
      }),
    ).toEqual({ ephemeral5mInputTokens: 500, ephemeral1hInputTokens: 1000 });
    expect(anthropicCacheWriteBreakdown({ cache_creation: { ephemeral_5m_input_tokens: 7 } })).toEqual({
      ephemeral5mInputTokens: 7,
      ephemeral1hInputTokens: null,
    });
  });

  it("returns null when there is no breakdown", () => {
    expect(anthropicCacheWriteBreakdown({ input_tokens: 1, cache_creation_input_tokens: 10 })).toBeNull();
    expect(anthropicCacheWriteBreakdown(null)).toBeNull();
  });
});

describe("mergeAnthropicStreamUsage", () => {
  const start = {
    input_tokens: 472,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 2048,
    output_tokens: 1,
    service_tier: "standard",
  };

  it("takes input and cache counts from message_start and output from message_delta", () => {
    const merged = mergeAnthropicStreamUsage(start, { output_tokens: 503 });
    expect(merged).toEqual({
      input_tokens: 472,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 2048,
      output_tokens: 503,
      service_tier: "standard",
    });
    expect(usageFromAnthropic(merged)).toEqual({
      inputTokens: 2520,
      cachedInputTokens: 2048,
      cacheWriteTokens: 0,
      outputTokens: 503,
      reasoningTokens: null,
    });
  });

  it("lets later delta values win (gateways that send 0 at message_start)", () => {
    const merged = mergeAnthropicStreamUsage(
      { input_tokens: 0, output_tokens: 1 },
      { input_tokens: 9, cache_read_input_tokens: 4, output_tokens: 20 },
    );
    expect(usageFromAnthropic(merged)).toEqual({
      inputTokens: 13,
      cachedInputTokens: 4,
      cacheWriteTokens: null,
      outputTokens: 20,
      reasoningTokens: null,
    });
  });

  it("does not let a null in the delta erase a reported count", () => {
    const merged = mergeAnthropicStreamUsage(start, {
      input_tokens: null,
      cache_read_input_tokens: null,
      output_tokens: 7,
    });
    expect(usageFromAnthropic(merged)).toMatchObject({ inputTokens: 2520, cachedInputTokens: 2048, outputTokens: 7 });
  });

  it("does not report the message_start output_tokens placeholder as output", () => {
    expect(usageFromAnthropic(mergeAnthropicStreamUsage(start, null))).toEqual({
      inputTokens: 2520,
      cachedInputTokens: 2048,
      cacheWriteTokens: 0,
      outputTokens: null,
      reasoningTokens: null,
    });
  });

  it("handles a missing message_start and returns null when both are missing", () => {
    expect(usageFromAnthropic(mergeAnthropicStreamUsage(null, { output_tokens: 12 }))).toEqual({
      inputTokens: null,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      outputTokens: 12,
      reasoningTokens: null,
    });
    expect(mergeAnthropicStreamUsage(null, undefined)).toBeNull();
    expect(usageFromAnthropic(mergeAnthropicStreamUsage(null, undefined))).toBeNull();
  });

  it("does not mutate its arguments", () => {
    const s = { ...start };
    mergeAnthropicStreamUsage(s, { output_tokens: 3 });
    expect(s).toEqual(start);
  });
});
