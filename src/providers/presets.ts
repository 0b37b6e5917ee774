/**
 * Vendor presets: the endpoint, wire protocol and API-key variable of every provider Arbiter knows by name, so that
 * `models: [deepseek/deepseek-chat]` works with nothing but `DEEPSEEK_API_KEY` set. A config may override any field
 * of a preset under `providers:` or define a provider of its own (`type: openai-compatible` + `baseURL`).
 *
 * Sources checked (vendor documentation unless noted):
 * - openai, anthropic: well-known SDK defaults (OPENAI_API_KEY, ANTHROPIC_API_KEY); Anthropic's path /v1/messages is
 *   appended by the adapter, so its base URL has no /v1.
 * - deepseek: api-docs.deepseek.com, base_url https://api.deepseek.com (…/v1 also accepted), DEEPSEEK_API_KEY.
 * - qwen: Alibaba Cloud Model Studio "Base URL overview" (compatible-mode/v1 per region); DASHSCOPE_API_KEY.
 * - doubao: Volcengine Ark, https://ark.cn-beijing.volces.com/api/v3; ARK_API_KEY (Ark SDK and integrations).
 * - ernie: Baidu Qianfan "OpenAI SDK兼容介绍", https://qianfan.baidubce.com/v2. Baidu's docs name no variable for
 *   the v2 bearer key; QIANFAN_API_KEY is the convention of third-party integrations (their own SDK uses AK/SK pairs).
 * - hunyuan: Tencent Cloud "混元 OpenAI 兼容接口", https://api.hunyuan.cloud.tencent.com/v1, HUNYUAN_API_KEY in its
 *   examples.
 * - moonshot: China endpoint https://api.moonshot.cn/v1; the international one is https://api.moonshot.ai/v1.
 *   MOONSHOT_API_KEY is the usual variable (integrations' docs; not confirmed on Moonshot's own pages).
 * - zhipu: https://open.bigmodel.cn/api/paas/v4; ZHIPUAI_API_KEY is what the official zhipuai SDK reads.
 * - together: docs.together.ai now documents https://api.together.ai/v1 (the older api.together.xyz host still
 *   appears in client libraries); TOGETHER_API_KEY.
 * - fireworks: https://api.fireworks.ai/inference/v1, FIREWORKS_API_KEY.
 * - openrouter: https://openrouter.ai/api/v1, OPENROUTER_API_KEY.
 * - ollama: http://localhost:11434/v1, no key (Ollama ignores it).
 * - vllm: `vllm serve` listens on port 8000 and requires a key only when started with --api-key / VLLM_API_KEY.
 * - llama-server: llama.cpp's HTTP server listens on 127.0.0.1:8080 with OpenAI-compatible routes under /v1.
 * - replay: no model at all; recorded outputs read from a file (src/providers/replay.ts).
 */
import { ConfigError } from "../config/errors.js";
import type { ProviderOverride } from "../config/schema.js";
import type { ProviderSettings, WireProtocol } from "./types.js";

export interface ProviderPreset {
  protocol: WireProtocol;
  baseURL: string;
  /** Name of the environment variable holding the API key; absent when the server needs none. */
  apiKeyEnv?: string;
  /** The key is sent when set but the server may run without one (a local vLLM). */
  apiKeyOptional?: boolean;
  /** Calls in flight when the config says nothing (an in-process model runs one sequence per call). */
  concurrency?: number;
  notes?: string;
}

export const PROVIDER_PRESETS: Record<string, ProviderPreset> = {
  openai: {
    protocol: "openai-chat",
    baseURL: "https://api.openai.com/v1",
    apiKeyEnv: "OPENAI_API_KEY",
  },
  anthropic: {
    protocol: "anthropic-messages",
    baseURL: "https://api.anthropic.com",
    apiKeyEnv: "ANTHROPIC_API_KEY",
  },
  deepseek: {
    protocol: "openai-chat",
    baseURL: "https://api.deepseek.com",
    apiKeyEnv: "DEEPSEEK_API_KEY",
  },
  qwen: {
    protocol: "openai-chat",
    baseURL: "https://dashscope.aliyuncs.com/compatible-mode/v1",
    apiKeyEnv: "DASHSCOPE_API_KEY",
    notes:
      "Alibaba Cloud DashScope (Model Studio), Beijing region. Keys are per region: for the international " +
      "(Singapore) region set baseURL: https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
  },
  doubao: {
    protocol: "openai-chat",
    baseURL: "https://ark.cn-beijing.volces.com/api/v3",
    apiKeyEnv: "ARK_API_KEY",
    notes: "Volcengine Ark. The model is a model id (e.g. doubao-seed-1-6-251015) or an endpoint id (ep-…).",
  },
  ernie: {
    protocol: "openai-chat",
    baseURL: "https://qianfan.baidubce.com/v2",
    apiKeyEnv: "QIANFAN_API_KEY",
    notes:
      'Baidu Qianfan v2 (keys look like bce-v3/ALTAK-…). An app id can be sent as a header: headers: {appid: "app-…"}',
  },
  hunyuan: {
    protocol: "openai-chat",
    baseURL: "https://api.hunyuan.cloud.tencent.com/v1",
    apiKeyEnv: "HUNYUAN_API_KEY",
    notes: "Tencent Hunyuan, OpenAI-compatible endpoint (default limit: 5 concurrent requests per account).",
  },
  moonshot: {
    protocol: "openai-chat",
    baseURL: "https://api.moonshot.cn/v1",
    apiKeyEnv: "MOONSHOT_API_KEY",
    notes: "Moonshot AI (Kimi), China endpoint. International accounts: baseURL: https://api.moonshot.ai/v1",
  },
  zhipu: {
    protocol: "openai-chat",
    baseURL: "https://open.bigmodel.cn/api/paas/v4",
    apiKeyEnv: "ZHIPUAI_API_KEY",
    notes: "Zhipu AI BigModel (GLM models).",
  },
  together: {
    protocol: "openai-chat",
    baseURL: "https://api.together.ai/v1",
    apiKeyEnv: "TOGETHER_API_KEY",
  },
  fireworks: {
    protocol: "openai-chat",
    baseURL: "https://api.fireworks.ai/inference/v1",
    apiKeyEnv: "FIREWORKS_API_KEY",
    notes: "Models are named accounts/fireworks/models/…",
  },
  openrouter: {
    protocol: "openai-chat",
    baseURL: "https://openrouter.ai/api/v1",
    apiKeyEnv: "OPENROUTER_API_KEY",
  },
  ollama: {
    protocol: "openai-chat",
    baseURL: "http://localhost:11434/v1",
    notes: "Local Ollama server; no key.",
  },
  vllm: {
    protocol: "openai-chat",
    baseURL: "http://localhost:8000/v1",
    apiKeyEnv: "VLLM_API_KEY",
    apiKeyOptional: true,
    notes: "Local `vllm serve`; the key is needed only when the server was started with --api-key.",
  },
  llamacpp: {
    protocol: "llamacpp",
    baseURL: "in-process",
    concurrency: 1,
    notes: "GGUF models run in this process with node-llama-cpp: llamacpp/path/to/model.gguf (CPU, no key).",
  },
  "llama-server": {
    protocol: "openai-chat",
    baseURL: "http://localhost:8080/v1",
    notes: "llama.cpp's llama-server; no key.",
  },
  replay: {
    protocol: "replay",
    baseURL: "recordings",
    notes:
      "Recorded outputs instead of a model: replay/path/to/outputs.jsonl (JSONL or JSON: {id?, input, output}, " +
      "AlpacaEval model_outputs.json, IFEval response files). Usage and cost unknown; an unrecorded sample fails.",
  },
};

/** Names that a user-defined provider may not take (`llamacpp` runs GGUF files in-process; a server is `llama-server`). */
export const RESERVED_PROVIDER_NAMES: ReadonlySet<string> = new Set([]);
/** In-process defaults: one thread per context was the fastest for small models on 2 cores. */
export const DEFAULT_LLAMACPP_THREADS = 1;
export const DEFAULT_LLAMACPP_CONTEXT = 2048;

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 6;

export function isPresetProvider(name: string): boolean {
  return Object.hasOwn(PROVIDER_PRESETS, name);
}

/** The message for a provider name that is neither a preset nor defined in the config. */
export function unknownProviderMessage(name: string): string {
  return (
    `unknown provider "${name}": use one of ${Object.keys(PROVIDER_PRESETS).join(", ")} ` +
    `or define it under providers: with type: openai-compatible and baseURL`
  );
}

const PROTOCOL_OF_TYPE: Record<NonNullable<ProviderOverride["type"]>, WireProtocol> = {
  "openai-compatible": "openai-chat",
  anthropic: "anthropic-messages",
};

/**
 * The settings of provider `name`: its preset (unless the config defines the provider itself with `type:`), then
 * the config's overrides, then the defaults (concurrency from `defaults`, timeout 120 s, 6 retries).
 * Throws {@link ConfigError} for an unknown provider or a user-defined one without a base URL.
 */
export function resolveProvider(
  name: string,
  overrides: ProviderOverride | undefined,
  defaults: { concurrency: number },
): ProviderSettings {
  if (RESERVED_PROVIDER_NAMES.has(name)) throw new ConfigError(unknownProviderMessage(name));
  const o = overrides ?? {};
  let protocol: WireProtocol;
  let baseURL: string | undefined;
  let apiKeyEnv: string | undefined;
  let apiKeyOptional = false;
  let presetConcurrency: number | undefined;
  if (o.type !== undefined) {
    protocol = PROTOCOL_OF_TYPE[o.type];
    baseURL = o.baseURL;
    apiKeyEnv = o.apiKeyEnv;
    if (baseURL === undefined) {
      throw new ConfigError(
        `provider "${name}": type: ${o.type} needs a baseURL (e.g. baseURL: http://localhost:8000/v1)`,
        { field: `providers.${name}.baseURL` },
      );
    }
  } else {
    const preset = isPresetProvider(name) ? PROVIDER_PRESETS[name] : undefined;
    if (!preset) throw new ConfigError(unknownProviderMessage(name), { field: `providers.${name}` });
    protocol = preset.protocol;
    baseURL = o.baseURL ?? preset.baseURL;
    apiKeyEnv = o.apiKeyEnv ?? preset.apiKeyEnv;
    // A key variable the user names explicitly is required; a preset's optional one stays optional.
    apiKeyOptional = o.apiKeyEnv === undefined && preset.apiKeyOptional === true;
    presetConcurrency = preset.concurrency;
  }
  const settings: ProviderSettings = {
    name,
    protocol,
    baseURL,
    concurrency: o.concurrency ?? presetConcurrency ?? defaults.concurrency,
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: o.maxRetries ?? DEFAULT_MAX_RETRIES,
  };
  if (apiKeyEnv !== undefined) settings.apiKeyEnv = apiKeyEnv;
  if (apiKeyOptional) settings.apiKeyOptional = true;
  if (o.headers !== undefined && Object.keys(o.headers).length > 0) settings.headers = { ...o.headers };
  if (protocol === "llamacpp") {
    settings.threads = o.threads ?? DEFAULT_LLAMACPP_THREADS;
    settings.contextSize = o.contextSize ?? DEFAULT_LLAMACPP_CONTEXT;
  }
  if (o.rpm !== undefined) settings.rpm = o.rpm;
  if (o.tpm !== undefined) settings.tpm = o.tpm;
  return settings;
}
