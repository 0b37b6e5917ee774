/**
 * Arbiter's library entry: everything the CLI does is available programmatically.
 *
 *   import { Store, specFromConfig, loadConfigFile, startRun } from "arbiter-eval";
 *   const store = await Store.open(".arbiter/arbiter.db");
 *   const spec = specFromConfig(await loadConfigFile("arbiter.yaml"), { limit: 20 });
 *   const { runId } = await startRun(spec, { store });
 *   console.log(await store.summary(runId));
 */
export * from "./core/types.js";
export type { Dataset, Scorer, Solver, Task } from "./core/task.js";
export { buildRequest } from "./core/task.js";
export { requestHash } from "./core/request-hash.js";
export { TOOL_VERSION } from "./core/version.js";

export type { ProviderAdapter, ProviderSettings, WireProtocol, CallOptions } from "./providers/types.js";
export { createOpenAIChatAdapter, type HttpProviderConnection } from "./providers/openai-chat.js";
export { createAnthropicAdapter } from "./providers/anthropic-messages.js";
export { usageFromOpenAIChat, usageFromAnthropic } from "./providers/usage.js";
export { PROVIDER_PRESETS, resolveProvider } from "./providers/presets.js";

export { ConfigError } from "./config/errors.js";
export { loadConfigFile, parseConfig, type LoadedConfig } from "./config/load.js";
export { ConfigSchema, configJsonSchema, type ArbiterConfig } from "./config/schema.js";

export { buildCustomTask } from "./tasks/custom.js";
export { readRecords, DataFileError } from "./tasks/data-files.js";
export { buildScorer } from "./scorers/index.js";

export { Store } from "./store/store.js";
export type { GroupSummary, ItemResult, AttemptRecord, RunInfo, RunSummary } from "./store/records.js";

export { specFromConfig, planFromSpec } from "./runner/prepare.js";
export { startRun, resumeRun, type SessionOptions, type SessionResult } from "./runner/session.js";
export { executeRun, countItems, type RunPlan, type RunProgress, type ModelUnderTest } from "./runner/runner.js";
export type { RunSpec, CliOverrides } from "./runner/spec.js";
