import type { AttemptOutcome, ModelRequest, ModelResponse } from "../core/types.js";
import { Deadline } from "./deadline.js";
import { classifyHttpStatus, classifyThrown, classifyVendorErrorType, modelError, retryAfterMs } from "./errors.js";
import { joinURL, postJSON } from "./http.js";
import { readSSE } from "./sse.js";
import { CallClock } from "./timing.js";
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

  return {
    protocol: "openai-chat",
    async generate(model, request, options) {
      const body = requestBody(model, request, maxTokensField);
      const clock = new CallClock();
      const deadline = new Deadline(options.timeoutMs, options.signal);
      try {
        const res = await postJSON(url, headers, body, { signal: deadline.signal, timeoutMs: options.timeoutMs });
        if (res.statusCode !== 200) {
          const text = await res.body.text().catch(() => "");
          return failure(clock, res.statusCode, text, res.headers, secrets);
        }
        const contentType = String(res.headers["content-type"] ?? "");
        if (body.stream && contentType.includes("text/event-stream")) {
          return await readStream(res.body, clock, secrets);
        }
        return parseCompletion(await res.body.text(), clock, secrets);
      } catch (error) {
        const { errorClass, message } = classifyThrown(error, deadline.timedOut);
        return { ok: false, error: modelError(errorClass, message, secrets), timing: { latencyMs: clock.elapsed() } };
      } finally {
        deadline.dispose();
      }
    },
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

function failure(
  clock: CallClock,
  status: number,
  text: string,
  headers: Record<string, string | string[] | undefined>,
  secrets: string[],
): AttemptOutcome {
  const errorClass = classifyHttpStatus(status, text);
  const retryAfter = retryAfterMs(headers);
  const detail = errorMessageFromBody(text);
  return {
    ok: false,
    error: modelError(errorClass, `HTTP ${status}: ${detail}`, secrets, {
      httpStatus: status,
      retryAfterMs: retryAfter,
    }),
    timing: { latencyMs: clock.elapsed() },
  };
}

function errorMessageFromBody(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    if (typeof parsed.error === "string") return parsed.error;
    return parsed.error?.message ?? parsed.message ?? text.slice(0, 500);
  } catch {
    return text.slice(0, 500) || "(empty body)";
  }
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
    return invalid(clock, `malformed JSON body: ${(error as Error).message}`, secrets);
  }
  const choice = parsed.choices?.[0];
  if (!choice?.message) return invalid(clock, "response has no choices[0].message", secrets);
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
  return outcome(response, secrets, clock);
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

async function readStream(
  body: AsyncIterable<Uint8Array>,
  clock: CallClock,
  secrets: string[],
): Promise<AttemptOutcome> {
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
      streamError = invalid(clock, `malformed JSON in stream: ${(error as Error).message}`, secrets);
      return false;
    }
    if (chunk.error) {
      const cls = classifyVendorErrorType(chunk.error.type, chunk.error.code);
      streamError = {
        ok: false,
        error: modelError(cls, `error in stream: ${chunk.error.message ?? "unknown"}`, secrets),
        timing: { latencyMs: clock.elapsed() },
      };
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
    return invalid(clock, "stream ended before completion (no finish_reason and no [DONE])", secrets);
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
  return outcome(response, secrets, clock);
}

function outcome(response: ModelResponse, secrets: string[], clock: CallClock): AttemptOutcome {
  if (response.finishReason === "content_filter") {
    return {
      ok: false,
      error: modelError("content_filter", "the provider stopped the answer (finish_reason: content_filter)", secrets),
      timing: { latencyMs: clock.elapsed() },
    };
  }
  return { ok: true, response };
}

function invalid(clock: CallClock, message: string, secrets: string[]): AttemptOutcome {
  return { ok: false, error: modelError("invalid_response", message, secrets), timing: { latencyMs: clock.elapsed() } };
}
