import type { ErrorClass, ModelError } from "../core/types.js";

/**
 * Turns what went wrong on the wire into a classified error value. Classification decides retries, so it is
 * conservative: only failures that a later identical request can survive are retryable (see RETRYABLE).
 */

const CONTENT_FILTER_MARKERS = [
  "content_filter",
  "content_policy_violation",
  "data_inspection_failed", // DashScope
  "content exists risk", // DeepSeek
  "敏感", // Zhipu 1301 and ERNIE: "…可能包含不安全或敏感内容"
  '"1301"', // Zhipu's content-safety error code
  "inappropriate content",
];

export function classifyHttpStatus(status: number, bodyText: string): ErrorClass {
  if (status === 429) return "rate_limit";
  if (status === 401 || status === 403) return "auth";
  if (status === 408) return "timeout";
  if (status >= 500) return "server"; // includes Anthropic's 529 overloaded
  if (status === 409) return "server"; // conflict: a transient lock on the vendor's side
  const lower = bodyText.toLowerCase();
  if (CONTENT_FILTER_MARKERS.some((m) => lower.includes(m))) return "content_filter";
  return "bad_request";
}

/** Parses Retry-After (seconds or an HTTP date) and OpenAI's retry-after-ms. */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  now = Date.now(),
): number | undefined {
  const ms = first(headers["retry-after-ms"]);
  if (ms !== undefined) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const raw = first(headers["retry-after"]);
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
]);

/** Classifies an exception thrown by the HTTP client or the stream reader. */
export function classifyThrown(error: unknown, timedOut: boolean): Pick<ModelError, "errorClass" | "message"> {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err?.code ?? err?.cause?.code;
  const message = err?.message ?? String(error);
  if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code)) || err?.name === "TimeoutError") {
    return { errorClass: "timeout", message: `timed out: ${message}` };
  }
  if (err?.name === "AbortError" || code === "ABORT_ERR" || code === "UND_ERR_ABORTED") {
    return { errorClass: "network", message: `aborted: ${message}` };
  }
  if (err instanceof SyntaxError) return { errorClass: "invalid_response", message: `malformed JSON: ${message}` };
  return { errorClass: "network", message: code ? `${code}: ${message}` : message };
}

/** Maps a vendor error type inside a 200 stream (Anthropic `event: error`, OpenRouter `{error}`) to a class. */
export function classifyVendorErrorType(type: string | undefined, code?: number | string): ErrorClass {
  const t = (type ?? "").toLowerCase();
  if (t.includes("rate_limit") || code === 429) return "rate_limit";
  if (t.includes("overloaded") || t === "api_error" || t.includes("server")) return "server";
  if (t.includes("authentication") || t.includes("permission")) return "auth";
  if (t.includes("content") || t.includes("filter") || t.includes("safety")) return "content_filter";
  if (t.includes("invalid_request")) return "bad_request";
  if (typeof code === "number") return classifyHttpStatus(code, t);
  return "server";
}

/** Removes every secret we know of from a message before it can reach a log, a report or the database. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[REDACTED]");
  }
  // Vendor keys echoed back by a server in a form we did not send (sk-…, Bearer …).
  return out.replace(/\b(sk-[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._~+/-]{8,}=*)/g, "[REDACTED]");
}

export function modelError(
  errorClass: ErrorClass,
  message: string,
  secrets: readonly string[],
  extra?: { httpStatus?: number; retryAfterMs?: number },
): ModelError {
  const error: ModelError = { errorClass, message: redact(message, secrets).slice(0, 2000) };
  if (extra?.httpStatus !== undefined) error.httpStatus = extra.httpStatus;
  if (extra?.retryAfterMs !== undefined) error.retryAfterMs = extra.retryAfterMs;
  return error;
}
