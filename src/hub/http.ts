import { type Dispatcher, request } from "undici";
import { HubError, scrub } from "./errors.js";

export type HubResponse = Dispatcher.ResponseData;

export interface SendOptions {
  method?: "GET" | "HEAD";
  headers: Record<string, string>;
  timeoutMs: number;
  /** Secrets to keep out of any message. */
  secrets: readonly (string | undefined)[];
  /** How the failing request is named in a message: "the Hugging Face hub at https://…", "the CDN at …". */
  target: string;
}

/** One request, no redirect followed. A failure to connect or to get an answer becomes a HubError naming `target`. */
export async function send(url: string, options: SendOptions): Promise<HubResponse> {
  try {
    return await request(url, {
      method: options.method ?? "GET",
      headers: options.headers,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  } catch (error) {
    throw new HubError(
      scrub(`cannot reach ${options.target}: ${describeNetworkError(error)}`, options.secrets),
      "network",
    );
  }
}

/** A short reason for a network failure ("ECONNREFUSED", "timed out", "connection closed"). */
export function describeNetworkError(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (ECONNREFUSED)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `host not found (${code})`;
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "connection closed by the server";
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return "timed out";
    default:
      return code ? `${e.cause?.message ?? e.message ?? "error"} (${code})` : (e.message ?? String(error));
  }
}

export function header(response: HubResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads and drops a body that is not wanted (a redirect's, an error's), so the connection can be reused. */
export async function discard(response: HubResponse): Promise<void> {
  await response.body.dump().catch(() => undefined);
}

/** The body of an error answer, as text (at most a few KB: error pages can be large). */
export async function errorText(response: HubResponse): Promise<string> {
  try {
    const text = await response.body.text();
    return text.slice(0, 2000);
  } catch {
    return "";
  }
}

export function origin(url: string): string {
  return new URL(url).origin;
}
