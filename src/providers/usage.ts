/**
 * Vendor usage objects → Arbiter's `Usage` (see src/core/types.ts), exactly as each vendor bills.
 *
 * Ground rules, for every function here:
 * - `null` result: the response carried no usage object at all (absent, `null`, not an object, or an object
 *   with none of the fields we know). A usage object whose known fields are all unreadable still yields a
 *   `Usage` (of nulls): the vendor did report something, we just could not read it.
 * - A field is `null` when the vendor did not report it. We never invent 0. A reported 0 stays 0.
 * - Only non-negative safe integers are counts. Anything else (negative, fractional, string, NaN, object…) is
 *   garbage and the field is treated as unknown (`null`). JSON `null` is treated as "not reported".
 * - No cross-field "repairs" (e.g. cached > input is passed through as reported); the raw object is stored
 *   verbatim next to the mapped one (`ModelResponse.rawUsage`) for audit and re-pricing.
 *
 * ─── OpenAI Chat Completions and OpenAI-compatible vendors: usageFromOpenAIChat ───────────────────────────
 * OpenAI: `prompt_tokens` includes cached tokens; `prompt_tokens_details.cached_tokens` is the cache hit part;
 * `completion_tokens` includes reasoning tokens; `completion_tokens_details.reasoning_tokens` is that part.
 *   https://platform.openai.com/docs/guides/prompt-caching
 *   https://platform.openai.com/docs/guides/reasoning
 *   https://platform.openai.com/docs/api-reference/chat/object (and chat-streaming: with
 *   `stream_options.include_usage` the last chunk before `[DONE]` has `choices: []` and the usage; earlier
 *   chunks carry `usage: null`).
 * DeepSeek: `prompt_tokens` = `prompt_cache_hit_tokens` + `prompt_cache_miss_tokens`; newer responses also
 * mirror the hit count in `prompt_tokens_details.cached_tokens`; deepseek-reasoner reports
 * `completion_tokens_details.reasoning_tokens` (included in `completion_tokens`) and puts the chain of thought in
 * `message.reasoning_content`.
 *   https://api-docs.deepseek.com/guides/kv_cache
 *   https://api-docs.deepseek.com/guides/reasoning_model
 *   https://api-docs.deepseek.com/api/create-chat-completion
 * Alibaba Model Studio / DashScope (Qwen, compatible mode): implicit cache → `prompt_tokens_details.cached_tokens`
 * (part of `prompt_tokens`). Explicit cache (`cache_control: {type: "ephemeral"}`) → `prompt_tokens_details`
 * carries `cache_creation_input_tokens` (tokens written, billed 125%), `cache_creation:
 * {ephemeral_5m_input_tokens}` (the same count by TTL), `cache_type: "ephemeral"` and `cached_tokens` (hits,
 * billed 10%); all of them are part of `prompt_tokens` (the docs compute "not hit and not cached" as
 * prompt_tokens − cache_creation_input_tokens − cached_tokens). The native DashScope protocol in some regions
 * puts `cached_tokens` at the top level of `usage` instead.
 *   https://www.alibabacloud.com/help/en/model-studio/context-cache
 * Moonshot/Kimi: the context-caching API (moonshot-v1) reports a top-level `usage.cached_tokens`; Kimi K2's
 * automatic prefix cache reports `prompt_tokens_details.cached_tokens`.
 *   https://platform.moonshot.cn/docs/api/caching
 * Zhipu GLM (BigModel / Z.AI): `usage.prompt_tokens_details.cached_tokens`.
 *   https://docs.bigmodel.cn/cn/guide/capabilities/cache · https://docs.z.ai/guides/capabilities/cache
 * Doubao (Volcengine Ark), Hunyuan, ERNIE (Qianfan v2): the plain OpenAI shape
 * (`prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens`).
 *   https://www.volcengine.com/docs/82379 (对话(Chat) API) · https://cloud.tencent.com/document/product/1729/111007
 * xAI Grok (and Gemini's OpenAI-compatible endpoint) report `reasoning_tokens` OUTSIDE `completion_tokens`, so
 * `total_tokens` = prompt + completion + reasoning there.
 *   https://docs.cloud.google.com/vertex-ai/generative-ai/docs/partner-models/grok/capabilities/reasoning
 *
 * Precedence (first readable count wins):
 * - inputTokens: `prompt_tokens`; when it is missing or unreadable, `prompt_cache_hit_tokens` +
 *   `prompt_cache_miss_tokens` (DeepSeek's documented identity) when both are readable; else null.
 * - cachedInputTokens: `prompt_cache_hit_tokens` (DeepSeek's own billing field) → `prompt_tokens_details.cached_tokens`
 *   (OpenAI and everyone compatible; DeepSeek's mirror) → top-level `cached_tokens` (Moonshot caching API, native
 *   DashScope). When several are present they are documented to be equal.
 * - cacheWriteTokens: `prompt_tokens_details.cache_creation_input_tokens` (DashScope explicit cache) → sum of
 *   `prompt_tokens_details.cache_creation.ephemeral_*_input_tokens` (DashScope's per-TTL breakdown) →
 *   `prompt_tokens_details.cache_write_tokens` (OpenRouter-style; not confirmed against vendor docs) → null.
 *   OpenAI, DeepSeek, Moonshot etc. do not report cache writes (they do not bill them separately): null, not 0.
 * - outputTokens: `completion_tokens`, plus `reasoning_tokens` when the vendor visibly reports reasoning outside
 *   completion (reasoning > 0 and total_tokens = prompt + completion + reasoning ≠ prompt + completion). For vendors
 *   that include reasoning in completion, total = prompt + completion, so the two cases cannot be confused.
 * - reasoningTokens: `completion_tokens_details.reasoning_tokens`, else null (e.g. Zhipu and DeepSeek-chat do not
 *   report it even when the message carries `reasoning_content`).
 *
 * ─── Anthropic Messages: usageFromAnthropic / mergeAnthropicStreamUsage ──────────────────────────────────
 * `input_tokens` EXCLUDES cache reads and writes: total input = input_tokens + cache_creation_input_tokens +
 * cache_read_input_tokens. `cache_creation_input_tokens` equals the sum of the newer
 * `cache_creation: {ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}` breakdown (the 1h TTL writes are
 * priced higher: use `anthropicCacheWriteBreakdown` when pricing). Anthropic does not report thinking tokens
 * separately (they are billed inside output_tokens): reasoningTokens is always null.
 *   https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 *   https://docs.anthropic.com/en/docs/build-with-claude/streaming
 * Mapping: inputTokens = input_tokens + cache_read + cache_write (a cache field that is absent or JSON null
 * contributes nothing — responses without caching omit them; one that is present but unreadable makes the total
 * unknown); cachedInputTokens = cache_read_input_tokens; cacheWriteTokens = cache_creation_input_tokens (or, when
 * absent, the sum of the `cache_creation` breakdown); outputTokens = output_tokens.
 * Streaming: `message_start.message.usage` has the input/cache counts and an `output_tokens` placeholder (1);
 * `message_delta.usage` has the final cumulative `output_tokens` and, in newer API versions (and on
 * Anthropic-compatible gateways, which may send 0s at message_start), input/cache counts too. Later values win.
 */

import type { Usage } from "../core/types.js";

type JsonObject = Record<string, unknown>;

function asObject(value: unknown): JsonObject | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

/**
 * Reads one count: `undefined` when not reported (absent or JSON null), `null` when reported but unreadable,
 * else the count.
 */
function readCount(obj: JsonObject | null, key: string): number | null | undefined {
  if (obj === null) return undefined;
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** The first readable count among candidates, else null. */
function firstCount(...candidates: (number | null | undefined)[]): number | null {
  for (const c of candidates) if (typeof c === "number") return c;
  return null;
}

/**
 * Sums the `ephemeral_*_input_tokens` counts of a cache_creation breakdown (Anthropic, DashScope).
 * `undefined` when there is no breakdown (or it has no such key), `null` when one of them is unreadable.
 */
function sumEphemeralBreakdown(value: unknown): number | null | undefined {
  const obj = asObject(value);
  if (obj === null) return undefined;
  let sum: number | undefined;
  for (const key of Object.keys(obj)) {
    if (!/^ephemeral_.+_input_tokens$/.test(key)) continue;
    const n = readCount(obj, key);
    if (n === undefined) continue;
    if (n === null) return null;
    sum = (sum ?? 0) + n;
  }
  return sum;
}

const OPENAI_KNOWN_FIELDS = [
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "prompt_tokens_details",
  "completion_tokens_details",
  "prompt_cache_hit_tokens",
  "prompt_cache_miss_tokens",
  "cached_tokens",
] as const;

/** Maps an OpenAI Chat Completions `usage` object (or any OpenAI-compatible vendor's variant) to `Usage`. */
export function usageFromOpenAIChat(raw: unknown): Usage | null {
  const usage = asObject(raw);
  if (usage === null || !OPENAI_KNOWN_FIELDS.some((k) => usage[k] !== undefined && usage[k] !== null)) return null;
  const promptDetails = asObject(usage.prompt_tokens_details);
  const completionDetails = asObject(usage.completion_tokens_details);

  const prompt = readCount(usage, "prompt_tokens");
  const hit = readCount(usage, "prompt_cache_hit_tokens");
  const miss = readCount(usage, "prompt_cache_miss_tokens");
  const inputTokens =
    typeof prompt === "number" ? prompt : typeof hit === "number" && typeof miss === "number" ? hit + miss : null;

  const cachedInputTokens = firstCount(
    hit,
    readCount(promptDetails, "cached_tokens"),
    readCount(usage, "cached_tokens"),
  );

  const cacheWriteTokens = firstCount(
    readCount(promptDetails, "cache_creation_input_tokens"),
    sumEphemeralBreakdown(promptDetails?.cache_creation),
    readCount(promptDetails, "cache_write_tokens"),
  );

  const reasoning = readCount(completionDetails, "reasoning_tokens");
  const reasoningTokens = typeof reasoning === "number" ? reasoning : null;

  const completion = readCount(usage, "completion_tokens");
  const total = readCount(usage, "total_tokens");
  let outputTokens = typeof completion === "number" ? completion : null;
  if (
    outputTokens !== null &&
    reasoningTokens !== null &&
    reasoningTokens > 0 &&
    typeof prompt === "number" &&
    typeof total === "number" &&
    total === prompt + outputTokens + reasoningTokens
  ) {
    // Reasoning reported outside completion_tokens (xAI, Gemini compatibility): Arbiter's output includes it.
    outputTokens += reasoningTokens;
  }

  return { inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens, reasoningTokens };
}

const ANTHROPIC_KNOWN_FIELDS = [
  "input_tokens",
  "output_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
  "cache_creation",
] as const;

/** Maps an Anthropic Messages `usage` object (or a merged streaming one) to `Usage`. */
export function usageFromAnthropic(raw: unknown): Usage | null {
  const usage = asObject(raw);
  if (usage === null || !ANTHROPIC_KNOWN_FIELDS.some((k) => usage[k] !== undefined && usage[k] !== null)) return null;

  const input = readCount(usage, "input_tokens");
  const read = readCount(usage, "cache_read_input_tokens");
  const writeField = readCount(usage, "cache_creation_input_tokens");
  const write = writeField !== undefined ? writeField : sumEphemeralBreakdown(usage.cache_creation);
  const output = readCount(usage, "output_tokens");

  const inputTokens =
    typeof input === "number" && read !== null && write !== null ? input + (read ?? 0) + (write ?? 0) : null;

  return {
    inputTokens,
    cachedInputTokens: read ?? null,
    cacheWriteTokens: write ?? null,
    outputTokens: output ?? null,
    reasoningTokens: null,
  };
}

/** Anthropic cache writes by TTL, for pricing (1h writes cost more than 5m ones). Null fields: not reported. */
export interface AnthropicCacheWriteBreakdown {
  ephemeral5mInputTokens: number | null;
  ephemeral1hInputTokens: number | null;
}

/**
 * The `cache_creation` breakdown of an Anthropic usage object, or null when the response has none (older API
 * versions: then every write in `cache_creation_input_tokens` is a 5-minute write, the only TTL that existed).
 */
export function anthropicCacheWriteBreakdown(raw: unknown): AnthropicCacheWriteBreakdown | null {
  const cacheCreation = asObject(asObject(raw)?.cache_creation);
  if (cacheCreation === null) return null;
  return {
    ephemeral5mInputTokens: readCount(cacheCreation, "ephemeral_5m_input_tokens") ?? null,
    ephemeral1hInputTokens: readCount(cacheCreation, "ephemeral_1h_input_tokens") ?? null,
  };
}

/**
 * Merges the usage of a streamed Anthropic message into one raw Anthropic-shaped usage object for
 * `usageFromAnthropic` (and for storage as the raw usage).
 * - Starts from `message_start.message.usage`, then every field of `message_delta.usage` that is not JSON null
 *   overwrites it (the delta's counts are cumulative, so later values win, nested objects replaced whole).
 * - `output_tokens` is taken from the delta only: the one in message_start is a placeholder, not a count. If the
 *   delta carries none, the merged object has none (output unknown rather than a made-up 1).
 * Returns null when neither argument is an object.
 */
export function mergeAnthropicStreamUsage(messageStartUsage: unknown, messageDeltaUsage: unknown): unknown {
  const start = asObject(messageStartUsage);
  const delta = asObject(messageDeltaUsage);
  if (start === null && delta === null) return null;
  const merged: JsonObject = { ...(start ?? {}) };
  delete merged.output_tokens;
  for (const [key, value] of Object.entries(delta ?? {})) {
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}
