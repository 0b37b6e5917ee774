import type { Readable } from "node:stream";
import type { AttemptOutcome, ModelRequest, ReasoningEffort } from "../core/types.js";
import { classifyVendorErrorType } from "./errors.js";
import { joinURL } from "./http.js";
import { answered, callOverHttp, errorDetail, failed, type WireDialect } from "./http-call.js";
import type { HttpProviderConnection } from "./openai-chat.js";
import { readSSE } from "./sse.js";
import type { CallClock } from "./timing.js";
import type { ProviderAdapter } from "./types.js";
import { mergeAnthropicStreamUsage, usageFromAnthropic } from "./usage.js";

export const ANTHROPIC_VERSION = "2023-06-01";
/** Anthropic requires max_tokens; this is used when the run does not set one. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;
/** Extended-thinking budgets standing in for reasoning effort, which the Messages API does not have. */
export const THINKING_BUDGET: Record<ReasoningEffort, number> = { low: 1024, medium: 4096, high: 16384 };

/** Anthropic Messages (POST {baseURL}/v1/messages), streaming and not. Seeds are not supported by the API. */
export function createAnthropicAdapter(connection: HttpProviderConnection): ProviderAdapter {
  const url = joinURL(connection.baseURL, "/v1/messages");
  const headers: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION, ...connection.headers };
  if (connection.apiKey) headers["x-api-key"] = connection.apiKey;
  const secrets = [connection.apiKey ?? "", ...Object.values(connection.headers)];

  const dialect: WireDialect = {
    url,
    headers,
    secrets,
    body: requestBody,
    errorDetail,
    parseBody: (text, clock) => parseMessage(text, clock, secrets),
    readStream: (body, clock) => readStream(body, clock, secrets),
  };
  return {
    protocol: "anthropic-messages",
    generate: (model, request, options) => callOverHttp(dialect, model, request, options),
  };
}

function requestBody(model: string, request: ModelRequest) {
  const s = request.settings;
  const system = request.messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const messages = request.messages.filter((m) => m.role !== "system");
  const body: Record<string, unknown> & { stream: boolean } = {
    model,
    messages,
    max_tokens: s.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    stream: s.stream !== false,
  };
  if (system) body.system = system;
  if (s.temperature !== undefined) body.temperature = s.temperature;
  if (s.topP !== undefined) body.top_p = s.topP;
  if (s.stop !== undefined && s.stop.length > 0) body.stop_sequences = s.stop;
  if (s.reasoningEffort !== undefined)
    body.thinking = { type: "enabled", budget_tokens: THINKING_BUDGET[s.reasoningEffort] };
  return body;
}

interface ContentBlock {
  type: string;
  text?: string;
  thinking?: string;
}

function parseMessage(text: string, clock: CallClock, secrets: string[]): AttemptOutcome {
  let parsed: { model?: string; content?: ContentBlock[]; stop_reason?: string | null; usage?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return failed(clock, "invalid_response", `malformed JSON body: ${(error as Error).message}`, secrets);
  }
  if (!Array.isArray(parsed.content))
    return failed(clock, "invalid_response", "response has no content array", secrets);
  const answer = parsed.content.filter((b) => b.type === "text").map((b) => b.text ?? "");
  const thinking = parsed.content.filter((b) => b.type === "thinking").map((b) => b.thinking ?? "");
  const usage = usageFromAnthropic(parsed.usage);
  return answered(
    {
      text: answer.join(""),
      reasoning: thinking.length > 0 ? thinking.join("") : null,
      finishReason: parsed.stop_reason ?? null,
      reportedModel: parsed.model ?? null,
      usage,
      rawUsage: parsed.usage ?? null,
      timing: clock.finish(usage?.outputTokens ?? null),
    },
    "refusal",
    clock,
    secrets,
  );
}

interface StreamEvent {
  type?: string;
  message?: { model?: string; usage?: unknown };
  delta?: { type?: string; text?: string; thinking?: string; stop_reason?: string | null };
  usage?: unknown;
  error?: { type?: string; message?: string };
}

async function readStream(body: Readable, clock: CallClock, secrets: string[]): Promise<AttemptOutcome> {
  const text: string[] = [];
  const thinking: string[] = [];
  let startUsage: unknown = null;
  let deltaUsage: unknown = null;
  let reportedModel: string | null = null;
  let stopReason: string | null = null;
  let stopped = false;
  let streamError: AttemptOutcome | null = null;

  await readSSE(body, (event) => {
    let data: StreamEvent;
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      streamError = failed(clock, "invalid_response", `malformed JSON in stream: ${(error as Error).message}`, secrets);
      return false;
    }
    switch (data.type) {
      case "message_start":
        reportedModel = data.message?.model ?? null;
        startUsage = data.message?.usage ?? null;
        break;
      case "content_block_delta":
        if (data.delta?.type === "text_delta") {
          clock.contentDelta(data.delta.text);
          if (data.delta.text) text.push(data.delta.text);
        } else if (data.delta?.type === "thinking_delta") {
          clock.reasoningDelta(data.delta.thinking);
          if (data.delta.thinking) thinking.push(data.delta.thinking);
        }
        break;
      case "message_delta":
        if (data.delta?.stop_reason) stopReason = data.delta.stop_reason;
        if (data.usage) deltaUsage = data.usage;
        break;
      case "message_stop":
        stopped = true;
        return false;
      case "error": {
        const cls = classifyVendorErrorType(data.error?.type);
        streamError = failed(clock, cls, `error in stream: ${data.error?.type}: ${data.error?.message}`, secrets);
        return false;
      }
    }
    return undefined;
  });
  if (streamError) return streamError;
  if (!stopped) return failed(clock, "invalid_response", "stream ended before message_stop", secrets);
  const rawUsage =
    startUsage === null && deltaUsage === null ? null : mergeAnthropicStreamUsage(startUsage, deltaUsage);
  const usage = usageFromAnthropic(rawUsage);
  return answered(
    {
      text: text.join(""),
      reasoning: thinking.length > 0 ? thinking.join("") : null,
      finishReason: stopReason,
      reportedModel,
      usage,
      rawUsage,
      timing: clock.finish(usage?.outputTokens ?? null),
    },
    "refusal",
    clock,
    secrets,
  );
}
