import { homedir } from "node:os";
import { join } from "node:path";
import { HubError } from "./errors.js";
import type { ProgressMode } from "./progress.js";

export const DEFAULT_ENDPOINT = "https://huggingface.co";

/** What every hub call may be told; anything left out comes from the environment. */
export interface HubOptions {
  /** Default: $HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** Default: $HF_TOKEN. Sent as `Authorization: Bearer …` to the hub only (never to the CDN it redirects to). */
  token?: string;
  /** Default: $ARBITER_CACHE/hub, else $XDG_CACHE_HOME/arbiter/hub, else ~/.cache/arbiter/hub. */
  cacheDir?: string;
  /** Never touch the network: a file missing from the cache is an error. Default: $HF_HUB_OFFLINE is 1/true. */
  offline?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Download progress on `stream`: "auto" draws a bar on a terminal and a few plain lines otherwise. */
  progress?: ProgressMode;
  /** Shorthand for progress "none". */
  quiet?: boolean;
  /** Where progress goes (default process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** How many times an interrupted transfer is resumed within one call (default 3). */
  retries?: number;
  /** Wait before the first resume; doubled each time (default 1000 ms). */
  retryDelayMs?: number;
  /** Longest wait for response headers, or between two chunks of a body (default 60 s). */
  timeoutMs?: number;
}

export interface HubSettings {
  endpoint: string;
  token: string | undefined;
  cacheDir: string;
  offline: boolean;
}

export function hubSettings(options: HubOptions = {}): HubSettings {
  const env = options.env ?? process.env;
  const endpoint = (options.endpoint ?? (env.HF_ENDPOINT || DEFAULT_ENDPOINT)).replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(endpoint);
  } catch {
    throw new HubError(`HF_ENDPOINT "${endpoint}" is not a URL: expected e.g. ${DEFAULT_ENDPOINT}`, "reference");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new HubError(
      `HF_ENDPOINT "${endpoint}" is not an http(s) URL: expected e.g. ${DEFAULT_ENDPOINT}`,
      "reference",
    );
  }
  const token = options.token ?? env.HF_TOKEN;
  return {
    endpoint,
    token: token ? token.trim() : undefined,
    cacheDir: options.cacheDir ?? defaultCacheDir(env),
    offline: options.offline ?? /^(1|true|yes|on)$/i.test(env.HF_HUB_OFFLINE ?? ""),
  };
}

function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.ARBITER_CACHE) return join(env.ARBITER_CACHE, "hub");
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "arbiter", "hub");
}
