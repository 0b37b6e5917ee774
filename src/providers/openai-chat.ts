import type { Readable } from "node:stream";
import type { AttemptOutcome, ModelRequest, ModelResponse } from "../core/types.js";
import { classifyVendorErrorType } from "./errors.js";
import { joinURL } from "./http.js";
import { answered, callOverHttp, errorDetail, failed, type WireDialect } from "./http-call.js";
import { readSSE } from "./sse.js";
import type { CallClock } from "./timing.js";
import type { ProviderAdapter } from "./types.js";
import { usageFromOpenAIChat } from "./usage.js";

/** Credentials and endpoint of one OpenAI-compatible provider, with secrets already resolved from the environment. */
export interface HttpProviderConnection {
  baseURL: string;
  apiKey?: string;
  headers: Record<string, string>;
}

/**
 * OpenAI Chat Completions (POST {baseURL}/chat/completions), streaming and not, for OpenAI and every vendor that
 * speaks its dialect (DeepSeek, DashScope, Ark, Qianfan, Moonshot, Zhipu, vLLM, Ollama, llama.cpp server, …).
 */
export function createOpenAIChatAdapter(connection: HttpProviderConnection): ProviderAdapter {
  const url = joinURL(connection.baseURL, "/chat/completions");
  const headers: Record<string, string> = { ...connection.headers };
  if (connection.apiKey) headers.authorization = `Bearer ${connection.apiKey}`;
  const secrets = [connection.apiKey ?? "", ...Object.values(connection.headers)];
  // OpenAI itself wants max_completion_tokens (o-series reject max_tokens); the compatible vendors want max_tokens.
  const maxTokensField = /\/\/api\.openai\.com\b/.test(connection.baseURL) ? "max_completion_tokens" : "max_tokens";

  const dialect: WireDialect = {
    url,
    headers,
    secrets,
    body: (model, request) => requestBody(model, request, maxTokensField),
    errorDetail,
    parseBody: (text, clock) => parseCompletion(text, clock, secrets),
    readStream: (body, clock) => readStream(body, clock, secrets),
  };
  return {
    protocol: "openai-chat",
    generate: (model, request, options) => callOverHttp(dialect, model, request, options),
  };
}

function requestBody(model: string, request: ModelRequest, maxTokensField: string) {
  const s = request.settings;
  const stream = s.stream !== false;
  const body: Record<string, unknown> & { stream: boolean } = { model, messages: request.messages, stream };
  if (stream) body.stream_options = { include_usage: true };
  if (s.temperature !== undefined) body.temperature = s.temperature;
  if (s.maxTokens !== undefined) body[maxTokensField] = s.maxTokens;
  if (s.topP !== undefined) body.top_p = s.topP;
  if (s.seed !== undefined) body.seed = s.seed;
  if (s.stop !== undefined && s.stop.length > 0) body.stop = s.stop;
  if (s.reasoningEffort !== undefined) body.reasoning_effort = s.reasoningEffort;
  return body;
}

interface CompletionChoice {
  message?: { content?: string | null; reasoning_content?: string | null; reasoning?: string | null };
  finish_reason?: string | null;
}

function parseCompletion(text: string, clock: CallClock, secrets: string[]): AttemptOutcome {
  let parsed: { model?: string; choices?: CompletionChoice[]; usage?: unknown; error?: { message?: string } };
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return failed(clock, "invalid_response", `malformed JSON body: ${(error as Error).message}`, secrets);
  }
  const choice = parsed.choices?.[0];
  if (!choice?.message) return failed(clock, "invalid_response", "response has no choices[0].message", secrets);
  const usage = usageFromOpenAIChat(parsed.usage);
  const response: ModelResponse = {
    text: choice.message.content ?? "",
    reasoning: choice.message.reasoning_content ?? choice.message.reasoning ?? null,
    finishReason: choice.finish_reason ?? null,
    reportedModel: parsed.model ?? null,
    usage,
    rawUsage: parsed.usage ?? null,
    timing: clock.finish(usage?.outputTokens ?? null),
  };
  return answered(response, "content_filter", clock, secrets);
}

interface StreamChunk {
  model?: string;
  choices?: {
    delta?: { content?: string | null; reasoning_content?: string | null; reasoning?: string | null };
    finish_reason?: string | null;
    /** Moonshot puts the stream's usage on the last choice instead of the chunk. */
    usage?: unknown;
  }[];
  usage?: unknown;
  error?: { message?: string; type?: string; code?: number | string };
}

async function readStream(body: Readable, clock: CallClock, secrets: string[]): Promise<AttemptOutcome> {
  const text: string[] = [];
  const reasoning: string[] = [];
  let finishReason: string | null = null;
  let reportedModel: string | null = null;
  let rawUsage: unknown = null;
  let done = false;
  let streamError: AttemptOutcome | null = null;

  const { terminated } = await readSSE(body, (event) => {
    if (event.data === "[DONE]") {
      done = true;
      return false;
    }
    let chunk: StreamChunk;
    try {
      chunk = JSON.parse(event.data);
    } catch (error) {
      streamError = failed(clock, "invalid_response", `malformed JSON in stream: ${(error as Error).message}`, secrets);
      return false;
    }
    if (chunk.error) {
      const cls = classifyVendorErrorType(chunk.error.type, chunk.error.code);
      streamError = failed(clock, cls, `error in stream: ${chunk.error.message ?? "unknown"}`, secrets);
      return false;
    }
    if (chunk.model) reportedModel = chunk.model;
    // Some vendors repeat a running usage on every chunk: the last one is the bill.
    if (chunk.usage) rawUsage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (choice) {
      const delta = choice.delta;
      const r = delta?.reasoning_content ?? delta?.reasoning;
      if (r) {
        clock.reasoningDelta(r);
        reasoning.push(r);
      }
      if (delta?.content) {
        clock.contentDelta(delta.content);
        text.push(delta.content);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
      if (choice.usage) rawUsage = choice.usage;
    }
    return undefined;
  });
  if (streamError) return streamError;
  if (!terminated && !done && finishReason === null) {
    return failed(
      clock,
      "invalid_response",
      "stream ended before completion (no finish_reason and no [DONE])",
      secrets,
    );
  }
  const usage = usageFromOpenAIChat(rawUsage);
  const response: ModelResponse = {
    text: text.join(""),
    reasoning: reasoning.length > 0 ? reasoning.join("") : null,
    finishReason,
    reportedModel,
    usage,
    rawUsage,
    timing: clock.finish(usage?.outputTokens ?? null),
  };
  return answered(response, "content_filter", clock, secrets);
}
