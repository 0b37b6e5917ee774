import { UserError } from "../core/errors.js";
import type { ProviderRuntime } from "../runner/execute.js";
import { ProviderLimiter } from "../runner/limiter.js";
import { DEFAULT_RETRY } from "../runner/retry.js";
import { createAnthropicAdapter } from "./anthropic-messages.js";
import { createLlamaCppAdapter } from "./llamacpp.js";
import { createOpenAIChatAdapter, type HttpProviderConnection } from "./openai-chat.js";
import { DEFAULT_LLAMACPP_CONTEXT, DEFAULT_LLAMACPP_THREADS } from "./presets.js";
import { createReplayAdapter } from "./replay.js";
import type { ProviderAdapter, ProviderSettings } from "./types.js";

/** A problem with the environment a run needs (a missing API key, say), reported before any call is made. */
export class EnvironmentError extends UserError {
  override name = "EnvironmentError";
}

/**
 * Reads the provider's secrets from the environment at the last moment. The key is held only by the adapter:
 * it is never part of a spec, a record or a message.
 */
export function connectionFor(
  settings: ProviderSettings,
  env: NodeJS.ProcessEnv,
  resolveHeaders: (headers: Record<string, string>) => Record<string, string>,
): HttpProviderConnection {
  const apiKey = settings.apiKeyEnv ? env[settings.apiKeyEnv] : undefined;
  if (settings.apiKeyEnv && !apiKey && !settings.apiKeyOptional) {
    throw new EnvironmentError(
      `${settings.apiKeyEnv} is not set: provider "${settings.name}" needs an API key (export ${settings.apiKeyEnv}=…)`,
    );
  }
  const connection: HttpProviderConnection = {
    baseURL: settings.baseURL,
    headers: resolveHeaders(settings.headers ?? {}),
  };
  if (apiKey) connection.apiKey = apiKey;
  return connection;
}

export function createAdapter(settings: ProviderSettings, connection: HttpProviderConnection): ProviderAdapter {
  switch (settings.protocol) {
    case "openai-chat":
      return createOpenAIChatAdapter(connection);
    case "anthropic-messages":
      return createAnthropicAdapter(connection);
    case "llamacpp":
      return createLlamaCppAdapter({
        threads: settings.threads ?? DEFAULT_LLAMACPP_THREADS,
        contextSize: settings.contextSize ?? DEFAULT_LLAMACPP_CONTEXT,
        sequences: settings.concurrency,
      });
    case "replay":
      return createReplayAdapter();
  }
}

export function createRuntime(
  settings: ProviderSettings,
  adapter: ProviderAdapter,
  retry: Partial<typeof DEFAULT_RETRY> = {},
): ProviderRuntime {
  return {
    name: settings.name,
    adapter,
    limiter: new ProviderLimiter({ concurrency: settings.concurrency, rpm: settings.rpm, tpm: settings.tpm }),
    retry: { ...DEFAULT_RETRY, ...retry, maxRetries: settings.maxRetries },
    timeoutMs: settings.timeoutMs,
  };
}
