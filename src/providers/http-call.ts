import type { Readable } from "node:stream";
import type { AttemptOutcome, ErrorClass, ModelRequest, ModelResponse } from "../core/types.js";
import { Deadline } from "./deadline.js";
import { classifyHttpStatus, classifyThrown, modelError, retryAfterMs } from "./errors.js";
import { postJSON } from "./http.js";
import type { CallClock as Clock } from "./timing.js";
import { CallClock } from "./timing.js";
import type { CallOptions } from "./types.js";

/** What differs between wire protocols; the call itself (deadline, HTTP, status, exceptions) is shared. */
export interface WireDialect {
  url: string;
  headers: Record<string, string>;
  /** Every secret the dialect sends, so that no error message can repeat one. */
  secrets: string[];
  body(model: string, request: ModelRequest): Record<string, unknown> & { stream: boolean };
  /** The human part of a vendor's error body. */
  errorDetail(text: string): string;
  parseBody(text: string, clock: Clock): AttemptOutcome;
  readStream(body: Readable, clock: Clock): Promise<AttemptOutcome>;
}

/** One HTTP call in a dialect, every failure turned into a classified error value. */
export async function callOverHttp(
  dialect: WireDialect,
  model: string,
  request: ModelRequest,
  options: CallOptions,
): Promise<AttemptOutcome> {
  const body = dialect.body(model, request);
  const clock = new CallClock();
  const deadline = new Deadline(options.timeoutMs, options.signal);
  try {
    const res = await postJSON(dialect.url, dialect.headers, body, {
      signal: deadline,
      timeoutMs: options.timeoutMs,
    });
    if (res.statusCode !== 200) {
      const text = await res.body.text().catch(() => "");
      return failed(
        clock,
        classifyHttpStatus(res.statusCode, text),
        `HTTP ${res.statusCode}: ${dialect.errorDetail(text)}`,
        dialect.secrets,
        {
          httpStatus: res.statusCode,
          retryAfterMs: retryAfterMs(res.headers),
        },
      );
    }
    if (body.stream && String(res.headers["content-type"] ?? "").includes("text/event-stream")) {
      return await dialect.readStream(res.body, clock);
    }
    return dialect.parseBody(await res.body.text(), clock);
  } catch (error) {
    const { errorClass, message } = classifyThrown(error, deadline.timedOut);
    return failed(clock, errorClass, message, dialect.secrets);
  } finally {
    deadline.dispose();
  }
}

export function failed(
  clock: Clock,
  errorClass: ErrorClass,
  message: string,
  secrets: readonly string[],
  extra?: { httpStatus?: number; retryAfterMs?: number },
): AttemptOutcome {
  return { ok: false, error: modelError(errorClass, message, secrets, extra), timing: { latencyMs: clock.elapsed() } };
}

/** A complete response, unless the vendor's stop reason says the content was filtered or refused. */
export function answered(
  response: ModelResponse,
  filteredReason: string,
  clock: Clock,
  secrets: readonly string[],
): AttemptOutcome {
  if (response.finishReason === filteredReason) {
    return failed(clock, "content_filter", `the provider stopped the answer (stop reason: ${filteredReason})`, secrets);
  }
  return { ok: true, response };
}

/** The `message` of a JSON error body ({error: {message}} or {message}), else the start of the text. */
export function errorDetail(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string; type?: string } | string; message?: string };
    if (typeof parsed.error === "string") return parsed.error;
    if (parsed.error?.message)
      return parsed.error.type ? `${parsed.error.type}: ${parsed.error.message}` : parsed.error.message;
    if (parsed.message) return parsed.message;
  } catch {
    // not JSON: the raw text below
  }
  return text.slice(0, 500) || "(empty body)";
}
