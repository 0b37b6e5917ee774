import type { AttemptOutcome, ModelRequest, ModelResponse, ReasoningEffort } from "../core/types.js";
import { Deadline } from "./deadline.js";
import { classifyHttpStatus, classifyThrown, classifyVendorErrorType, modelError, retryAfterMs } from "./errors.js";
import { joinURL, postJSON } from "./http.js";
import type { HttpProviderConnection } from "./openai-chat.js";
import { readSSE } from "./sse.js";
import { CallClock } from "./timing.js";
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

  return {
    protocol: "anthropic-messages",
    async generate(model, request, options) {
      const body = requestBody(model, request);
      const clock = new CallClock();
      const deadline = new Deadline(options.timeoutMs, options.signal);
      try {
        const res = await postJSON(url, headers, body, { signal: deadline.signal, timeoutMs: options.timeoutMs });
        if (res.statusCode !== 200) {
          const text = await res.body.text().catch(() => "");
          const errorClass = classifyHttpStatus(res.statusCode, text);
          return {
            ok: false,
            error: modelError(errorClass, `HTTP ${res.statusCode}: ${errorMessage(text)}`, secrets, {
              httpStatus: res.statusCode,
              retryAfterMs: retryAfterMs(res.headers),
            }),
            timing: { latencyMs: clock.elapsed() },
          };
        }
        if (body.stream && String(res.headers["content-type"] ?? "").includes("text/event-stream")) {
          return await readStream(res.body, clock, secrets);
        }
        return parseMessage(await res.body.text(), clock, secrets);
      } catch (error) {
        const { errorClass, message } = classifyThrown(error, deadline.timedOut);
        return { ok: false, error: modelError(errorClass, message, secrets), timing: { latencyMs: clock.elapsed() } };
      } finally {
        deadline.dispose();
      }
    },
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

function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string; type?: string } };
    if (parsed.error?.message) return `${parsed.error.type ?? "error"}: ${parsed.error.message}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 500) || "(empty body)";
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
    return invalid(clock, `malformed JSON body: ${(error as Error).message}`, secrets);
  }
  if (!Array.isArray(parsed.content)) return invalid(clock, "response has no content array", secrets);
  const answer = parsed.content.filter((b) => b.type === "text").map((b) => b.text ?? "");
  const thinking = parsed.content.filter((b) => b.type === "thinking").map((b) => b.thinking ?? "");
  const usage = usageFromAnthropic(parsed.usage);
  return outcome(
    {
      text: answer.join(""),
      reasoning: thinking.length > 0 ? thinking.join("") : null,
      finishReason: parsed.stop_reason ?? null,
      reportedModel: parsed.model ?? null,
      usage,
      rawUsage: parsed.usage ?? null,
      timing: clock.finish(usage?.outputTokens ?? null),
    },
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

async function readStream(
  body: AsyncIterable<Uint8Array>,
  clock: CallClock,
  secrets: string[],
): Promise<AttemptOutcome> {
  const text: string[] = [];
  const thinking: string[] = [];
  let startUsage: unknown = null;
  let deltaUsage: unknown = null;
  let reportedModel: string | null = null;
  let stopReason: string | null = null;
  let stopped = false;
  let failed: AttemptOutcome | null = null;

  await readSSE(body, (event) => {
    let data: StreamEvent;
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      failed = invalid(clock, `malformed JSON in stream: ${(error as Error).message}`, secrets);
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
        failed = {
          ok: false,
          error: modelError(cls, `error in stream: ${data.error?.type}: ${data.error?.message}`, secrets),
          timing: { latencyMs: clock.elapsed() },
        };
        return false;
      }
    }
    return undefined;
  });
  if (failed) return failed;
  if (!stopped) return invalid(clock, "stream ended before message_stop", secrets);
  const rawUsage =
    startUsage === null && deltaUsage === null ? null : mergeAnthropicStreamUsage(startUsage, deltaUsage);
  const usage = usageFromAnthropic(rawUsage);
  return outcome(
    {
      text: text.join(""),
      reasoning: thinking.length > 0 ? thinking.join("") : null,
      finishReason: stopReason,
      reportedModel,
      usage,
      rawUsage,
      timing: clock.finish(usage?.outputTokens ?? null),
    },
    clock,
    secrets,
  );
}

function outcome(response: ModelResponse, clock: CallClock, secrets: string[]): AttemptOutcome {
  if (response.finishReason === "refusal") {
    return {
      ok: false,
      error: modelError("content_filter", "the model refused (stop_reason: refusal)", secrets),
      timing: { latencyMs: clock.elapsed() },
    };
  }
  return { ok: true, response };
}

function invalid(clock: CallClock, message: string, secrets: string[]): AttemptOutcome {
  return { ok: false, error: modelError("invalid_response", message, secrets), timing: { latencyMs: clock.elapsed() } };
}
