import type { AttemptOutcome, ModelRequest } from "../core/types.js";

/**
 * A provider adapter speaks one wire protocol. It makes exactly one call per `generate` and never retries:
 * retries, limits and caching belong to the runner. Every failure is returned as a classified error value.
 */
export interface ProviderAdapter {
  readonly protocol: WireProtocol;
  /**
   * Its answers are never served from the store's response cache: they cost nothing to get again and their source
   * may have changed since (a recordings file that was edited).
   */
  readonly uncached?: boolean;
  generate(model: string, request: ModelRequest, options: CallOptions): Promise<AttemptOutcome>;
  close?(): Promise<void>;
}

/**
 * How a provider is reached: one of two HTTP wire protocols, in this process (llama.cpp bindings), or not at all
 * (replay: recorded outputs read from a file).
 */
export type WireProtocol = "openai-chat" | "anthropic-messages" | "llamacpp" | "replay";

export interface CallOptions {
  /** Aborts the call: the runner's per-attempt timeout and Ctrl-C. */
  signal?: AbortSignal;
  timeoutMs: number;
}

/** A provider as configured: a preset with the user's overrides, or one the user defined. */
export interface ProviderSettings {
  name: string;
  protocol: WireProtocol;
  baseURL: string;
  /** Name of the environment variable holding the key. The key itself is read at call time and never stored. */
  apiKeyEnv?: string;
  /** Send the key when the variable is set, run without one otherwise. */
  apiKeyOptional?: boolean;
  headers?: Record<string, string>;
  concurrency: number;
  rpm?: number;
  tpm?: number;
  timeoutMs: number;
  maxRetries: number;
  /** In-process models: CPU threads per context and the context size in tokens. */
  threads?: number;
  contextSize?: number;
}
