// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${VAR}" is config syntax (header env references) here
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/errors.js";
import { loadConfigFile, parseConfig } from "../src/config/load.js";
import { configJsonSchema, resolveHeaderEnv } from "../src/config/schema.js";
import { PROVIDER_PRESETS, resolveProvider } from "../src/providers/presets.js";

/** The ConfigError `fn` throws (fails the test if it throws anything else or nothing). */
function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

function configError(text: string, file = "arbiter.yaml"): ConfigError {
  return errorOf(() => parseConfig(text, file));
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "arbiter-config-"));
}

describe("parseConfig: valid configs", () => {
  it("accepts every documented form and normalizes what it parses", () => {
    const text = `# yaml-language-server: $schema=./schema/arbiter.schema.json
db: results/arbiter.db
concurrency: 16
epochs: 3
limit: 100
maxErrors: 2
currency: cny
settings: {temperature: 0, maxTokens: 256, stop: "###", reasoningEffort: low, stream: false}
providers:
  mylab:
    type: openai-compatible
    baseURL: http://localhost:9000/v1
    apiKeyEnv: MYLAB_KEY
    headers: {X-Org: "acme", api-key: "\${AZURE_KEY}"}
    concurrency: 8
    rpm: 600
    tpm: 1000000
    timeoutMs: 60000
    maxRetries: 4
  claude-proxy: {type: anthropic, baseURL: "https://proxy.example.com"}
  deepseek: {concurrency: 4}
models:
  - openai/gpt-4o
  - together/meta-llama/Llama-3.3-70B-Instruct-Turbo
  - ollama/qwen2.5:7b
  - ref: mylab/model-1
    name: model-1-hot
    settings: {temperature: 1.2, stop: [a, b]}
  - claude-proxy/claude-sonnet
tasks:
  - gsm8k
  - name: capitals
    data: data/capitals.jsonl
    prompt: "What is the capital of {{country}}?"
    target: "{{capital}}"
    scorer: includes
    settings: {maxTokens: 20}
`;
    const loaded = parseConfig(text, "configs/arbiter.yaml");
    expect(loaded.file).toBe("configs/arbiter.yaml");
    expect(loaded.baseDir).toBe(resolve("configs"));
    const c = loaded.config;
    expect(c.db).toBe("results/arbiter.db");
    expect([c.concurrency, c.epochs, c.limit, c.maxErrors]).toEqual([16, 3, 100, 2]);
    expect(c.currency).toBe("CNY");
    expect(c.settings).toEqual({
      temperature: 0,
      maxTokens: 256,
      stop: ["###"],
      reasoningEffort: "low",
      stream: false,
    });
    expect(c.providers?.mylab).toEqual({
      type: "openai-compatible",
      baseURL: "http://localhost:9000/v1",
      apiKeyEnv: "MYLAB_KEY",
      headers: { "X-Org": "acme", "api-key": "${AZURE_KEY}" },
      concurrency: 8,
      rpm: 600,
      tpm: 1000000,
      timeoutMs: 60000,
      maxRetries: 4,
    });
    expect(c.providers?.deepseek).toEqual({ concurrency: 4 });
    expect(c.models).toEqual([
      "openai/gpt-4o",
      "together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
      "ollama/qwen2.5:7b",
      { ref: "mylab/model-1", name: "model-1-hot", settings: { temperature: 1.2, stop: ["a", "b"] } },
      "claude-proxy/claude-sonnet",
    ]);
    expect(c.tasks?.[0]).toBe("gsm8k");
    expect(c.tasks?.[1]).toMatchObject({ name: "capitals", scorer: "includes", settings: { maxTokens: 20 } });
  });

  it("accepts a minimal config and leaves absent keys absent", () => {
    const { config } = parseConfig("models: [deepseek/deepseek-chat]\ntasks: [gsm8k]\n", "a.yaml");
    expect(config).toEqual({ models: ["deepseek/deepseek-chat"], tasks: ["gsm8k"] });
  });

  it("loads a file from disk, with baseDir its directory", async () => {
    const dir = tempDir();
    const file = join(dir, "arbiter.yaml");
    writeFileSync(file, "models:\n  - vllm/Qwen/Qwen2.5-7B-Instruct\n");
    const loaded = await loadConfigFile(file);
    expect(loaded.baseDir).toBe(dir);
    expect(loaded.file).toBe(file);
    expect(loaded.config.models).toEqual(["vllm/Qwen/Qwen2.5-7B-Instruct"]);
  });
});

describe("parseConfig: errors name file, line, column, field and the expectation", () => {
  it("reports a wrong type at the value", () => {
    const e = configError(`models:
  - openai/gpt-4o
  - ref: openai/gpt-4o-mini
    settings:
      temperature: hot
`);
    expect(e.message).toBe('arbiter.yaml:5:20: models[1].settings.temperature: expected a number, got "hot"');
    expect([e.file, e.line, e.column, e.field]).toEqual(["arbiter.yaml", 5, 20, "models[1].settings.temperature"]);
  });

  it("suggests the camelCase key for a snake_case one, pointing at the key", () => {
    const e = configError("settings:\n  max_tokens: 100\n");
    expect(e.message).toBe(
      'arbiter.yaml:2:3: settings.max_tokens: unknown field "max_tokens": did you mean "maxTokens"?',
    );
    expect([e.line, e.column, e.field]).toEqual([2, 3, "settings.max_tokens"]);
  });

  it("suggests camelCase keys in providers too, and for top-level keys", () => {
    const e = configError("max_errors: 3\nproviders:\n  deepseek:\n    base_url: https://x.example.com\n");
    expect(e.message).toContain('arbiter.yaml:1:1: max_errors: unknown field "max_errors": did you mean "maxErrors"?');
    expect(e.message).toContain(
      'arbiter.yaml:4:5: providers.deepseek.base_url: unknown field "base_url": did you mean "baseURL"?',
    );
  });

  it("lists the valid keys for an unknown key that resembles none", () => {
    const e = configError("models: [openai/gpt-4o]\nbanana: 1\n");
    expect(e.message).toBe(
      'arbiter.yaml:2:1: banana: unknown field "banana": expected one of db, concurrency, epochs, limit, sampleSeed, judge, maxErrors, currency, settings, providers, models, tasks, prices',
    );
  });

  it("points out a setting written one level too high", () => {
    const e = configError("models:\n  - ref: openai/gpt-4o\n    temperature: 0\n");
    expect(e.message).toBe(
      'arbiter.yaml:3:5: models[0].temperature: unknown field "temperature": did you mean to put "temperature" under settings:?',
    );
  });

  it("rejects model refs that are not provider/model", () => {
    const e = configError("models:\n  - gpt-4o\n  - OpenAI/gpt-4o\n  - ref: openai/\n");
    const lines = e.message.split("\n");
    expect(lines).toEqual([
      'arbiter.yaml:2:5: models[0]: model "gpt-4o" is not of the form provider/model (e.g. openai/gpt-4o, ollama/qwen2.5:7b)',
      'arbiter.yaml:3:5: models[1]: model "OpenAI/gpt-4o": provider "OpenAI" must be lowercase letters, digits, "-" or "_" (e.g. openai/gpt-4o, ollama/qwen2.5:7b)',
      'arbiter.yaml:4:10: models[2].ref: model "openai/": the model name after "/" is missing (e.g. openai/gpt-4o, ollama/qwen2.5:7b)',
    ]);
    expect(e.field).toBe("models[0]");
  });

  it("says what a list entry may be when it is neither form", () => {
    const e = configError("models:\n  - 7\n");
    expect(e.message).toBe(
      'arbiter.yaml:2:5: models[0]: expected "provider/model" or a map with ref: (and name:, settings:), got 7',
    );
  });

  it("turns YAML syntax errors into located ConfigErrors", () => {
    const e = configError("models: [openai/gpt-4o]\nsettings: temperature: 0\n");
    expect(e.message).toBe("arbiter.yaml:2:11: YAML syntax error: Nested mappings are not allowed in compact mappings");
    expect([e.file, e.line, e.column]).toEqual(["arbiter.yaml", 2, 11]);
    expect(configError("settings:\n\ttemperature: 0\n").message).toBe(
      "arbiter.yaml:2:1: YAML syntax error: Tabs are not allowed as indentation",
    );
  });

  it("reports duplicate keys as YAML errors", () => {
    const e = configError("epochs: 1\nepochs: 2\n");
    expect(e.message).toMatch(/^arbiter\.yaml:2:1: YAML syntax error: .*unique/);
  });

  it("reports a missing file", async () => {
    const path = join(tempDir(), "arbiter.yaml");
    const e = await loadConfigFile(path).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).message).toBe(`${path}: file not found`);
    expect((e as ConfigError).file).toBe(path);
  });

  it("reports an empty file, or one with only comments", () => {
    expect(configError("").message).toBe("arbiter.yaml: the file is empty: expected a map with models: and tasks:");
    expect(configError("# just a comment\n\n").message).toBe(
      "arbiter.yaml: the file is empty: expected a map with models: and tasks:",
    );
  });

  it("rejects a file that is not a map", () => {
    expect(configError("- openai/gpt-4o\n").message).toBe("arbiter.yaml:1:1: expected a map, got a list");
  });

  it("rejects a model whose provider is neither a preset nor defined", () => {
    const e = configError("models:\n  - openai/gpt-4o\n  - foo/bar\n");
    expect(e.message).toBe(
      'arbiter.yaml:3:5: models[1]: unknown provider "foo": use one of openai, anthropic, deepseek, qwen, doubao, ernie, hunyuan, moonshot, zhipu, together, fireworks, openrouter, ollama, vllm, llamacpp, llama-server, replay or define it under providers: with type: openai-compatible and baseURL',
    );
    expect(e.field).toBe("models[1]");
  });

  it("rejects an unknown provider under providers: without type", () => {
    const e = configError("providers:\n  foo:\n    baseURL: http://localhost:1234/v1\n");
    expect(e.message).toMatch(/^arbiter\.yaml:2:3: providers\.foo: unknown provider "foo": use one of openai, /);
  });

  it("requires a baseURL for a provider with a type", () => {
    const e = configError("providers:\n  mylab:\n    type: openai-compatible\n    apiKeyEnv: MYLAB_KEY\n");
    expect(e.message).toBe(
      "arbiter.yaml:3:5: providers.mylab.baseURL: type: openai-compatible needs a baseURL, e.g. baseURL: http://localhost:8000/v1",
    );
  });

  it("rejects an API key pasted where its variable name belongs, without echoing it", () => {
    const e = configError("providers:\n  openai:\n    apiKeyEnv: sk-proj-secret123\n");
    expect(e.message).toContain("arbiter.yaml:3:16: providers.openai.apiKeyEnv: expected the name of the environment");
    expect(e.message).not.toContain("secret123");
  });

  it("rejects a malformed ${VAR} reference in a header", () => {
    const e = configError('providers:\n  openai:\n    headers: {api-key: "${AZURE KEY}"}\n');
    expect(e.message).toMatch(
      /^arbiter\.yaml:3:24: providers\.openai\.headers\.api-key: "\$\{AZURE KEY\}" is not a valid/,
    );
  });

  it("checks numbers and enums with the bounds in the message", () => {
    const e = configError("concurrency: 0\nepochs: 1.5\nsettings: {reasoningEffort: max, temperature: -1}\n");
    expect(e.message.split("\n")).toEqual([
      "arbiter.yaml:1:14: concurrency: expected a positive integer, got 0",
      "arbiter.yaml:2:9: epochs: expected a positive integer, got 1.5",
      'arbiter.yaml:3:29: settings.reasoningEffort: expected one of "low", "medium", "high", got "max"',
      "arbiter.yaml:3:47: settings.temperature: expected a number ≥ 0, got -1",
    ]);
  });

  it("reports a missing required field of a custom task at its map", () => {
    const e = configError("tasks:\n  - name: t\n    prompt: hi\n    target: x\n    scorer: exact\n");
    expect(e.message).toBe("arbiter.yaml:2:5: tasks[0].data: required field is missing: expected a string");
  });

  it("reports errors inside a task's scorer", () => {
    const e = configError("tasks:\n  - name: t\n    data: d.jsonl\n    prompt: hi\n    scorer: {type: regex}\n");
    expect(e.message).toBe("arbiter.yaml:5:13: tasks[0].scorer.pattern: required field is missing: expected a string");
  });

  it("reports duplicate model labels", () => {
    const e = configError("models:\n  - openai/gpt-4o\n  - {ref: openai/gpt-4o-mini, name: openai/gpt-4o}\n");
    expect(e.message).toBe(
      'arbiter.yaml:3:5: models[1]: model "openai/gpt-4o" is listed twice (first as models[0]): give one of them a distinct name:',
    );
  });

  it("reports at most five problems, in file order, and counts the rest", () => {
    const e = configError("a_b: 1\nc: 2\nd: 3\ne: 4\nf: 5\ng: 6\nh: 7\n");
    const lines = e.message.split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^arbiter\.yaml:1:1: a_b: unknown field "a_b"/);
    expect(lines[4]).toMatch(/^arbiter\.yaml:5:1: f: unknown field "f"/);
    expect(lines[5]).toBe("… and 2 more");
  });
});

describe("resolveHeaderEnv", () => {
  it("replaces ${VAR} references from the environment", () => {
    const headers = { "api-key": "${AZURE_KEY}", Authorization: "Token ${A}-${B}", "X-Org": "acme" };
    expect(resolveHeaderEnv(headers, { AZURE_KEY: "k1", A: "x", B: "y" })).toEqual({
      "api-key": "k1",
      Authorization: "Token x-y",
      "X-Org": "acme",
    });
  });

  it("names the header and the variable when the variable is unset", () => {
    const e = errorOf(() => resolveHeaderEnv({ "X-Org": "acme", "api-key": "${AZURE_KEY}" }, {}));
    expect(e.message).toBe(
      'header "api-key" uses ${AZURE_KEY}, but the environment variable AZURE_KEY is not set (export AZURE_KEY=…)',
    );
    expect(e.field).toBe("headers.api-key");
    const named = errorOf(() => resolveHeaderEnv({ "api-key": "${AZURE_KEY}" }, { AZURE_KEY: "" }, "azure"));
    expect(named.message).toMatch(/^provider "azure": header "api-key" uses \$\{AZURE_KEY\}/);
    expect(named.field).toBe("providers.azure.headers.api-key");
  });
});

describe("provider presets", () => {
  const expected: Record<string, [string, string | undefined]> = {
    openai: ["https://api.openai.com/v1", "OPENAI_API_KEY"],
    anthropic: ["https://api.anthropic.com", "ANTHROPIC_API_KEY"],
    deepseek: ["https://api.deepseek.com", "DEEPSEEK_API_KEY"],
    qwen: ["https://dashscope.aliyuncs.com/compatible-mode/v1", "DASHSCOPE_API_KEY"],
    doubao: ["https://ark.cn-beijing.volces.com/api/v3", "ARK_API_KEY"],
    ernie: ["https://qianfan.baidubce.com/v2", "QIANFAN_API_KEY"],
    hunyuan: ["https://api.hunyuan.cloud.tencent.com/v1", "HUNYUAN_API_KEY"],
    moonshot: ["https://api.moonshot.cn/v1", "MOONSHOT_API_KEY"],
    zhipu: ["https://open.bigmodel.cn/api/paas/v4", "ZHIPUAI_API_KEY"],
    together: ["https://api.together.ai/v1", "TOGETHER_API_KEY"],
    fireworks: ["https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY"],
    openrouter: ["https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"],
    ollama: ["http://localhost:11434/v1", undefined],
    vllm: ["http://localhost:8000/v1", "VLLM_API_KEY"],
    llamacpp: ["in-process", undefined],
    "llama-server": ["http://localhost:8080/v1", undefined],
    replay: ["recordings", undefined],
  };

  it("has exactly the documented vendors, with their endpoints and key variables", () => {
    expect(Object.keys(PROVIDER_PRESETS)).toEqual(Object.keys(expected));
    for (const [name, [baseURL, apiKeyEnv]] of Object.entries(expected)) {
      const preset = PROVIDER_PRESETS[name];
      expect(preset?.baseURL, name).toBe(baseURL);
      expect(preset?.apiKeyEnv, name).toBe(apiKeyEnv);
      const own: Record<string, string> = { anthropic: "anthropic-messages", llamacpp: "llamacpp", replay: "replay" };
      const protocol = own[name] ?? "openai-chat";
      expect(preset?.protocol, name).toBe(protocol);
    }
    expect(PROVIDER_PRESETS.qwen?.notes).toContain("dashscope-intl.aliyuncs.com");
  });

  it("resolves a preset with the defaults", () => {
    expect(resolveProvider("deepseek", undefined, { concurrency: 8 })).toEqual({
      name: "deepseek",
      protocol: "openai-chat",
      baseURL: "https://api.deepseek.com",
      apiKeyEnv: "DEEPSEEK_API_KEY",
      concurrency: 8,
      timeoutMs: 120000,
      maxRetries: 6,
    });
    expect(resolveProvider("ollama", undefined, { concurrency: 2 })).not.toHaveProperty("apiKeyEnv");
  });

  it("applies the config's overrides on top of a preset", () => {
    const settings = resolveProvider(
      "qwen",
      {
        baseURL: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        headers: { "X-DashScope-Session": "s1" },
        concurrency: 3,
        rpm: 60,
        tpm: 100000,
        timeoutMs: 30000,
        maxRetries: 0,
      },
      { concurrency: 16 },
    );
    expect(settings).toEqual({
      name: "qwen",
      protocol: "openai-chat",
      baseURL: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
      apiKeyEnv: "DASHSCOPE_API_KEY",
      headers: { "X-DashScope-Session": "s1" },
      concurrency: 3,
      rpm: 60,
      tpm: 100000,
      timeoutMs: 30000,
      maxRetries: 0,
    });
  });

  it("resolves user-defined providers from the parsed config", () => {
    const { config } = parseConfig(
      `providers:
  mylab: {type: openai-compatible, baseURL: "http://10.0.0.5:8000/v1", apiKeyEnv: MYLAB_KEY, headers: {api-key: "\${K}"}}
  proxy: {type: anthropic, baseURL: "https://proxy.example.com"}
models: [mylab/m, proxy/claude]
`,
      "arbiter.yaml",
    );
    expect(resolveProvider("mylab", config.providers?.mylab, { concurrency: 8 })).toEqual({
      name: "mylab",
      protocol: "openai-chat",
      baseURL: "http://10.0.0.5:8000/v1",
      apiKeyEnv: "MYLAB_KEY",
      headers: { "api-key": "${K}" },
      concurrency: 8,
      timeoutMs: 120000,
      maxRetries: 6,
    });
    const proxy = resolveProvider("proxy", config.providers?.proxy, { concurrency: 8 });
    expect([proxy.protocol, proxy.baseURL, proxy.apiKeyEnv]).toEqual([
      "anthropic-messages",
      "https://proxy.example.com",
      undefined,
    ]);
  });

  it("lets a type: definition replace a preset of the same name entirely", () => {
    const s = resolveProvider(
      "openai",
      { type: "openai-compatible", baseURL: "http://localhost:4000/v1" },
      { concurrency: 1 },
    );
    expect(s.baseURL).toBe("http://localhost:4000/v1");
    expect(s.apiKeyEnv).toBeUndefined();
  });

  it("runs llamacpp in-process with one sequence and one thread unless told otherwise", () => {
    expect(resolveProvider("llamacpp", undefined, { concurrency: 8 })).toMatchObject({
      protocol: "llamacpp",
      concurrency: 1,
      threads: 1,
      contextSize: 2048,
    });
    expect(
      resolveProvider("llamacpp", { threads: 2, contextSize: 512, concurrency: 4 }, { concurrency: 8 }),
    ).toMatchObject({ concurrency: 4, threads: 2, contextSize: 512 });
  });

  it("rejects unknown providers and a type without baseURL", () => {
    const unknown = errorOf(() => resolveProvider("foo", undefined, { concurrency: 8 }));
    expect(unknown.message).toMatch(/^unknown provider "foo": use one of openai, anthropic, deepseek, /);
    expect(unknown.message).toMatch(/ or define it under providers: with type: openai-compatible and baseURL$/);
    expect(errorOf(() => resolveProvider("foo", { concurrency: 2 }, { concurrency: 8 })).message).toBe(unknown.message);
    expect(errorOf(() => resolveProvider("mylab", { type: "anthropic" }, { concurrency: 8 })).message).toBe(
      'provider "mylab": type: anthropic needs a baseURL (e.g. baseURL: http://localhost:8000/v1)',
    );
  });
});

describe("configJsonSchema", () => {
  it("describes every top-level key, strictly, for editors", () => {
    const schema = configJsonSchema() as {
      $schema: string;
      type: string;
      additionalProperties: boolean;
      properties: Record<string, { properties?: Record<string, unknown>; items?: unknown }>;
    };
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual([
      "db",
      "concurrency",
      "epochs",
      "limit",
      "sampleSeed",
      "judge",
      "maxErrors",
      "currency",
      "settings",
      "providers",
      "models",
      "tasks",
      "prices",
    ]);
    expect(Object.keys(schema.properties.settings?.properties ?? {})).toEqual(
      expect.arrayContaining(["temperature", "maxTokens", "topP", "seed", "stop", "reasoningEffort", "stream"]),
    );
    expect(JSON.stringify(schema.properties.models)).toContain('"ref"');
    expect(JSON.stringify(schema.properties.providers)).toContain('"baseURL"');
  });

  it("is plain JSON (what write-schema.mjs writes)", () => {
    const schema = configJsonSchema();
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
