import type { Generated } from "kysely";

/**
 * The store's tables, written for SQLite and kept portable to Postgres: plain types, ISO-8601 text timestamps,
 * JSON as text, no SQLite-only column types.
 */
export interface Database {
  runs: RunsTable;
  samples: SamplesTable;
  attempts: AttemptsTable;
  scores: ScoresTable;
}

export interface RunsTable {
  id: string;
  created_at: string;
  ended_at: string | null;
  status: RunStatus;
  tool_version: string;
  /** The resolved run specification (models, tasks, settings, epochs, limit): enough to resume or replay. */
  spec_json: string;
  total_items: number | null;
}

export type RunStatus = "running" | "completed" | "failed" | "interrupted" | "budget_exhausted";

/** One (model, task, sample, epoch) of a run and its final outcome. */
export interface SamplesTable {
  run_id: string;
  item_key: string;
  model: string;
  task: string;
  sample_id: string;
  epoch: number;
  status: "ok" | "error";
  error_class: string | null;
  error_message: string | null;
  input_json: string;
  target_json: string;
  request_hash: string;
  /** The attempt whose response is this sample's answer; from another run when served from the cache. */
  final_attempt_id: number | null;
  cached: number;
  /** API calls made for this sample in this run (0 when served from the cache). */
  calls: number;
  completed_at: string;
  turns_json: string | null;
  category: string | null;
}

/** One API call and its outcome. Only real calls are attempts: a cache hit is not. */
export interface AttemptsTable {
  /** Integer and increasing: appends to the B-tree instead of scattering random keys (see BENCHMARKS.md). */
  id: Generated<number>;
  run_id: string;
  item_key: string;
  attempt_no: number;
  provider: string;
  model: string;
  reported_model: string | null;
  request_hash: string;
  started_at: string;
  status: "ok" | "error";
  error_class: string | null;
  error_message: string | null;
  http_status: number | null;
  output: string | null;
  reasoning: string | null;
  finish_reason: string | null;
  input_tokens: number | null;
  cached_input_tokens: number | null;
  cache_write_tokens: number | null;
  output_tokens: number | null;
  reasoning_tokens: number | null;
  usage_raw_json: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  ttfat_ms: number | null;
  output_tps: number | null;
  role: Generated<string>;
  turn: Generated<number>;
}

export interface ScoresTable {
  id: Generated<number>;
  run_id: string;
  item_key: string;
  scorer: string;
  value: number;
  answer: string | null;
  explanation: string | null;
}
