/**
 * The config file (`arbiter.yaml`), as a zod schema. Objects are strict everywhere: an unknown key is an error, so a
 * typo never silently does nothing. `configJsonSchema()` gives the same schema as JSON Schema for editors:
 *
 * ```yaml
 * # yaml-language-server: $schema=./node_modules/arbiter-eval/schema/arbiter.schema.json
 * models: [openai/gpt-4o-mini, deepseek/deepseek-chat]
 * tasks: [{name: capitals, data: capitals.jsonl, prompt: "Capital of {{country}}?", target: "{{capital}}", scorer: includes}]
 * ```
 */
import { z } from "zod";
import { PriceOverrideSchema } from "../pricing/schema.js";
import { isPresetProvider, RESERVED_PROVIDER_NAMES, unknownProviderMessage } from "../providers/presets.js";
import { CustomTaskSpec, GenerationSettingsSchema } from "../tasks/custom.js";
import { ConfigError } from "./errors.js";

/** A provider name: lowercase letters, digits, "-" and "_", starting with a letter or digit. */
export const PROVIDER_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
/** `provider/model`; the model may itself contain slashes and colons (`together/meta-llama/…`, `ollama/qwen2.5:7b`). */
export const MODEL_REF_PATTERN = /^[a-z0-9][a-z0-9_-]*\/\S+$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** `${NAME}` in a header value: replaced by the environment variable NAME when the call is made. */
const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A value as a message shows it: `"hot"`, `5`, `a list`, `a map`, `an empty value`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") {
    const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(text);
  }
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return String(value);
}

function intSchema(min: 0 | 1) {
  const expected = min === 1 ? "a positive integer" : "an integer ≥ 0";
  const error = (issue: { input?: unknown }) => `expected ${expected}, got ${describeValue(issue.input)}`;
  return z.number({ error }).int({ error }).min(min, { error });
}

function modelRefMessage(input: unknown): string {
  if (typeof input !== "string") return `expected "provider/model", got ${describeValue(input)}`;
  const example = "(e.g. openai/gpt-4o, ollama/qwen2.5:7b)";
  const slash = input.indexOf("/");
  if (slash < 0) return `model "${input}" is not of the form provider/model ${example}`;
  const provider = input.slice(0, slash);
  const model = input.slice(slash + 1);
  if (!PROVIDER_NAME_PATTERN.test(provider)) {
    return `model "${input}": provider "${provider}" must be lowercase letters, digits, "-" or "_" ${example}`;
  }
  if (model === "") return `model "${input}": the model name after "/" is missing ${example}`;
  return `model "${input}": the model name must not contain spaces ${example}`;
}

const ModelRef = z
  .string({ error: (issue) => modelRefMessage(issue.input) })
  .regex(MODEL_REF_PATTERN, { error: (issue) => modelRefMessage(issue.input) })
  .describe(
    '"provider/model", e.g. openai/gpt-4o, together/meta-llama/Llama-3.3-70B-Instruct-Turbo, ollama/qwen2.5:7b',
  );

/** A model to evaluate: `"provider/model"`, or a map with an alias (`name`) and settings of its own. */
export const ModelEntry = z.union(
  [
    ModelRef,
    z.strictObject({
      ref: ModelRef,
      name: z
        .string()
        .min(1)
        .optional()
        .describe("Label in reports; use it to list one model twice with different settings"),
      settings: GenerationSettingsSchema.optional().describe("Generation settings for this model (override settings:)"),
    }),
  ],
  {
    error: (issue) =>
      `expected "provider/model" or a map with ref: (and name:, settings:), got ${describeValue(issue.input)}`,
  },
);
export type ModelEntry = z.output<typeof ModelEntry>;

/** A built-in benchmark with options. */
export const BuiltinTaskEntry = z.strictObject({
  builtin: z.string().min(1).describe("Name of the built-in task (see: arbiter tasks)"),
  name: z.string().min(1).optional().describe("Name of the task in results (default: the built-in name)"),
  path: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Folder holding the benchmark's data (default: the bundled copy), or hf:owner/name[@revision][/folder]: a Hugging Face dataset with the same files",
    ),
  subjects: z.array(z.string().min(1)).optional().describe("Keep only these subjects / categories"),
  variant: z.string().min(1).optional().describe("Prompt-format variant (see: arbiter tasks)"),
});

/** A task: the name of a built-in task, a built-in task with options, or a custom task. */
export const TaskEntry = z.union(
  [
    z.string().min(1).describe("Name of a built-in task, or a YAML task file (relative to this file)"),
    BuiltinTaskEntry,
    CustomTaskSpec,
  ],
  {
    error: (issue) =>
      `expected the name of a built-in task, {builtin: NAME, ...options}, or a task definition (a map with name:, data:, prompt:, scorer:), got ${describeValue(issue.input)}`,
  },
);
export type TaskEntry = z.output<typeof TaskEntry>;

function checkEnvRefs(value: string, ctx: z.RefinementCtx): void {
  for (const match of value.matchAll(/\$\{([^}]*)(\}?)/g)) {
    const [whole, name, close] = match;
    if (close !== "}" || !ENV_NAME_PATTERN.test(name ?? "")) {
      ctx.addIssue({
        code: "custom",
        message: `"${whole.slice(0, 40)}" is not a valid environment reference: write \${NAME}, e.g. \${AZURE_API_KEY}`,
      });
    }
  }
}

const HeaderValue = z
  .string({
    error: (issue) =>
      typeof issue.input === "number" || typeof issue.input === "boolean"
        ? `expected a string: quote the value ("${String(issue.input)}")`
        : `expected a string, got ${describeValue(issue.input)}`,
  })
  .superRefine(checkEnvRefs)
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${ENV_VAR} is config syntax
  .describe("Header value; ${ENV_VAR} is replaced by that environment variable when the call is made");

const PROVIDER_TYPES = ["openai-compatible", "anthropic"] as const;

/** A provider under `providers:`: overrides of a preset, or (with `type:` and `baseURL`) a provider of one's own. */
export const ProviderOverride = z
  .strictObject({
    type: z
      .enum(PROVIDER_TYPES)
      .optional()
      .describe("Define a provider of your own: openai-compatible (Chat Completions) or anthropic (Messages API)"),
    baseURL: z
      .string()
      .regex(/^https?:\/\/[^\s/]+\S*$/, {
        error: (issue) => `expected an http(s) URL, got ${describeValue(issue.input)}`,
      })
      .optional()
      .describe("Endpoint base URL, e.g. http://localhost:8000/v1"),
    apiKeyEnv: z
      .string()
      .regex(ENV_NAME_PATTERN, {
        error: "expected the name of the environment variable holding the key (e.g. MYLAB_API_KEY), not the key itself",
      })
      .optional()
      .describe("Name of the environment variable holding the API key (never the key itself)"),
    headers: z
      .record(
        z.string().regex(HEADER_NAME_PATTERN, {
          error: (issue) => `${describeValue(issue.input)} is not a valid HTTP header name`,
        }),
        HeaderValue,
      )
      .optional()
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${ENV_VAR} is config syntax
      .describe("Extra HTTP headers; values may contain ${ENV_VAR} references"),
    concurrency: intSchema(1).optional().describe("Calls in flight at once"),
    rpm: intSchema(1).optional().describe("Requests per minute limit"),
    tpm: intSchema(1).optional().describe("Tokens per minute limit"),
    timeoutMs: intSchema(1).optional().describe("Per-attempt timeout in milliseconds (default 120000)"),
    maxRetries: intSchema(0).optional().describe("Retries of a failed call (default 6)"),
    threads: intSchema(1).optional().describe("llamacpp: CPU threads per model context (default 1)"),
    contextSize: intSchema(1).optional().describe("llamacpp: context size in tokens (default 2048)"),
  })
  .superRefine((provider, ctx) => {
    if (provider.type !== undefined && provider.baseURL === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["baseURL"],
        message: `type: ${provider.type} needs a baseURL, e.g. baseURL: http://localhost:8000/v1`,
      });
    }
  });
export type ProviderOverride = z.output<typeof ProviderOverride>;

const ProviderName = z.string().regex(PROVIDER_NAME_PATTERN, {
  error: (issue) =>
    `invalid provider name ${describeValue(issue.input)}: use lowercase letters, digits, "-" and "_" (e.g. mylab)`,
});

function labelOf(entry: ModelEntry): string {
  return typeof entry === "string" ? entry : (entry.name ?? entry.ref);
}

function taskNameOf(entry: TaskEntry): string {
  if (typeof entry === "string") return entry;
  if ("builtin" in entry) return entry.name ?? entry.builtin;
  return entry.name;
}

export const ConfigSchema = z
  .strictObject({
    db: z
      .string()
      .min(1)
      .optional()
      .describe("Results database (default .arbiter/arbiter.db, relative to the current directory)"),
    concurrency: intSchema(1).optional().describe("Calls in flight per provider, unless the provider sets its own"),
    epochs: intSchema(1).optional().describe("Times each sample is run (default 1)"),
    limit: intSchema(1).optional().describe("Run only the first N samples of each task (with sampleSeed: N at random)"),
    sampleSeed: z
      .number()
      .int()
      .optional()
      .describe("With limit: draw a seeded random sample of N samples instead of the first N"),
    judge: ModelEntry.optional().describe(
      'Judge model for tasks scored by a judge (MT-Bench, pairwise, llm-rubric): "provider/model" or {ref, settings}',
    ),
    maxErrors: intSchema(0).optional().describe("Failed samples tolerated before the run exits non-zero (default 0)"),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, {
        error: (issue) => `expected a 3-letter currency code such as USD or CNY, got ${describeValue(issue.input)}`,
      })
      .transform((code) => code.toUpperCase())
      .optional()
      .describe("Reporting currency (ISO 4217 code, e.g. USD, CNY)"),
    settings: GenerationSettingsSchema.optional().describe("Default generation settings for every model"),
    providers: z
      .record(ProviderName, ProviderOverride)
      .optional()
      .describe("Provider settings by name: overrides of a preset, or providers of your own"),
    models: z.array(ModelEntry).optional().describe('Models to evaluate: "provider/model" or {ref, name, settings}'),
    tasks: z.array(TaskEntry).optional().describe("Tasks: names of built-in tasks or custom task definitions"),
    prices: z
      .array(PriceOverrideSchema)
      .optional()
      .describe("Your own prices (negotiated, self-hosted at 0, rented hardware per hour); they win over the catalog"),
  })
  .superRefine((config, ctx) => {
    const providers = config.providers ?? {};
    for (const [name, provider] of Object.entries(providers)) {
      if (RESERVED_PROVIDER_NAMES.has(name) || (provider.type === undefined && !isPresetProvider(name))) {
        ctx.addIssue({ code: "custom", path: ["providers", name], message: unknownProviderMessage(name) });
      }
    }
    const labels = new Map<string, number>();
    (config.models ?? []).forEach((entry, i) => {
      const ref = typeof entry === "string" ? entry : entry.ref;
      // A malformed ref is reported by its own check; refinements still run after such (non-fatal) issues.
      if (!MODEL_REF_PATTERN.test(ref)) return;
      const provider = ref.slice(0, ref.indexOf("/"));
      const path = typeof entry === "string" ? ["models", i] : ["models", i, "ref"];
      if (
        RESERVED_PROVIDER_NAMES.has(provider) ||
        (!isPresetProvider(provider) && !Object.hasOwn(providers, provider))
      ) {
        ctx.addIssue({ code: "custom", path, message: unknownProviderMessage(provider) });
      }
      const label = labelOf(entry);
      const first = labels.get(label);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["models", i],
          message: `model "${label}" is listed twice (first as models[${first}]): give one of them a distinct name:`,
        });
      } else {
        labels.set(label, i);
      }
    });
    const tasks = new Map<string, number>();
    (config.tasks ?? []).forEach((entry, i) => {
      const name = taskNameOf(entry);
      const first = tasks.get(name);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: typeof entry === "string" ? ["tasks", i] : ["tasks", i, "name"],
          message: `task "${name}" is listed twice (first as tasks[${first}])`,
        });
      } else {
        tasks.set(name, i);
      }
    });
  })
  .meta({
    title: "Arbiter configuration",
    description: "Models, tasks and providers for an Arbiter evaluation run (arbiter.yaml)",
  });

/** The config as parsed (defaults not applied: absent keys stay absent). */
export type ArbiterConfig = z.output<typeof ConfigSchema>;
/** The config as written in the file. */
export type ArbiterConfigInput = z.input<typeof ConfigSchema>;

/** The config file's JSON Schema (draft-07, the input side), for editor completion and validation of YAML. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigSchema, { io: "input", target: "draft-7", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
}

/**
 * Header values with their `${ENV_VAR}` references replaced from `env`. Called when the provider connects, so
 * secrets are never part of a config, a spec or a record. Throws {@link ConfigError} naming the header and the
 * variable when a referenced variable is unset or empty.
 */
export function resolveHeaderEnv(
  headers: Record<string, string>,
  env: Record<string, string | undefined> = process.env,
  provider?: string,
): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [header, value] of Object.entries(headers)) {
    resolved[header] = value.replace(ENV_REF, (_ref, name: string) => {
      const found = env[name];
      if (found === undefined || found === "") {
        const owner = provider === undefined ? "" : `provider "${provider}": `;
        throw new ConfigError(
          `${owner}header "${header}" uses \${${name}}, but the environment variable ${name} is not set (export ${name}=…)`,
          { field: provider === undefined ? `headers.${header}` : `providers.${provider}.headers.${header}` },
        );
      }
      return found;
    });
  }
  return resolved;
}
