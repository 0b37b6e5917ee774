/**
 * Arbiter's library entry: everything the CLI does is available programmatically.
 *
 *   import { Store, specFromConfig, loadConfigFile, startRun } from "arbiter-eval";
 *   const store = await Store.open(".arbiter/arbiter.db");
 *   const spec = specFromConfig(await loadConfigFile("arbiter.yaml"), { limit: 20 });
 *   const { runId } = await startRun(spec, { store });
 *   console.log(await store.summary(runId));
 */

export { ConfigError } from "./config/errors.js";
export { type LoadedConfig, loadConfigFile, parseConfig } from "./config/load.js";
export { type ArbiterConfig, ConfigSchema, configJsonSchema } from "./config/schema.js";
export { requestHash } from "./core/request-hash.js";
export type { Dataset, Scorer, Solver, Task } from "./core/task.js";
export { buildRequest } from "./core/task.js";
export * from "./core/types.js";
export { TOOL_VERSION } from "./core/version.js";
export { type Catalog, findPrice, loadCatalog, mergeOverrides, priceHistory } from "./pricing/catalog.js";
export { type CallCost, costOfCall } from "./pricing/cost.js";
export { convert, convertCost } from "./pricing/fx.js";
export { costsByGroup } from "./pricing/run-costs.js";
export type { Currency, PriceRecord } from "./pricing/schema.js";
export { createAnthropicAdapter } from "./providers/anthropic-messages.js";
export { createOpenAIChatAdapter, type HttpProviderConnection } from "./providers/openai-chat.js";
export { PROVIDER_PRESETS, resolveProvider } from "./providers/presets.js";
export type { CallOptions, ProviderAdapter, ProviderSettings, WireProtocol } from "./providers/types.js";
export { usageFromAnthropic, usageFromOpenAIChat } from "./providers/usage.js";
export { buildRunReport, type RunReport } from "./report/run-report.js";
export { planFromSpec, specFromConfig } from "./runner/prepare.js";
export { countItems, executeRun, type ModelUnderTest, type RunPlan, type RunProgress } from "./runner/runner.js";
export { resumeRun, type SessionOptions, type SessionResult, startRun } from "./runner/session.js";
export type { CliOverrides, RunSpec } from "./runner/spec.js";
export { buildScorer } from "./scorers/index.js";
export * as stats from "./stats/index.js";
export type { AttemptRecord, GroupSummary, ItemResult, RunInfo, RunSummary } from "./store/records.js";
export { Store } from "./store/store.js";
export { buildCustomTask } from "./tasks/custom.js";
export { DataFileError, readRecords } from "./tasks/data-files.js";
