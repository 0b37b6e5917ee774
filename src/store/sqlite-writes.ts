import type SQLite from "better-sqlite3";
import type { PricedCallRow } from "../pricing/run-costs.js";
import {
  type CachedAnswer,
  type ItemResult,
  type MetricValue,
  type SampleCall,
  type ScoredAnswer,
  usageOfRow,
} from "./records.js";

/** How a model × task group is keyed wherever per-group figures are joined. */
export function groupKey(model: string, task: string): string {
  return `${model}\u0000${task}`;
}

/** A result as the values its rows bind (see `encode`). */
export interface EncodedItem {
  attempts: unknown[][];
  sample: unknown[];
  scores: unknown[][];
}

/**
 * The store's hot path on SQLite: prepared statements reused for every row, inside one synchronous transaction per
 * batch. A query builder compiling a fresh multi-row INSERT per batch cost more than the HTTP calls it recorded
 * (see BENCHMARKS.md); the statements are plain SQL that Postgres accepts too.
 */
export class SqliteHotPath {
  private readonly insertSample: SQLite.Statement;
  private readonly insertAttempt: SQLite.Statement;
  private readonly insertScore: SQLite.Statement;
  private readonly selectCachedByCount = new Map<number, SQLite.Statement>();
  private readonly selectDone: SQLite.Statement;
  private readonly writeBatch: (items: EncodedItem[]) => void;

  constructor(private readonly db: SQLite.Database) {
    this.insertSample = db.prepare(
      `INSERT INTO samples (run_id, item_key, model, task, sample_id, epoch, status, error_class, error_message,
        input_json, target_json, request_hash, final_attempt_id, cached, calls, completed_at, turns_json, category)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertAttempt = db.prepare(
      `INSERT INTO attempts (run_id, item_key, attempt_no, provider, model, reported_model, request_hash,
        started_at, status, error_class, error_message, http_status, output, reasoning, finish_reason, input_tokens,
        cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, usage_raw_json, latency_ms, ttft_ms,
        ttfat_ms, output_tps, role, turn)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertScore = db.prepare(
      "INSERT INTO scores (run_id, item_key, scorer, value, answer, explanation) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.selectDone = db.prepare("SELECT 1 FROM samples WHERE run_id = ? AND item_key = ?").pluck();
    this.writeBatch = db.transaction((items: EncodedItem[]) => {
      const now = new Date().toISOString();
      for (const item of items) this.writeOne(item, now);
    });
  }

  write(items: EncodedItem[]): void {
    if (items.length > 0) this.writeBatch(items);
  }

  /** One statement per batch: rows come back in id order, so the latest answer for each hash wins. */
  findCached(hashes: string[]): Map<string, CachedAnswer> {
    const found = new Map<string, CachedAnswer>();
    if (hashes.length === 0) return found;
    const rows = this.cachedStatement(hashes.length).all(...hashes) as {
      id: number;
      request_hash: string;
      output: string | null;
      reasoning: string | null;
    }[];
    for (const row of rows) {
      found.set(row.request_hash, { attemptId: row.id, output: row.output ?? "", reasoning: row.reasoning });
    }
    return found;
  }

  private cachedStatement(n: number): SQLite.Statement {
    let statement = this.selectCachedByCount.get(n);
    if (!statement) {
      statement = this.db.prepare(
        `SELECT id, request_hash, output, reasoning FROM attempts
         WHERE status = 'ok' AND request_hash IN (${Array(n).fill("?").join(", ")}) ORDER BY id`,
      );
      this.selectCachedByCount.set(n, statement);
    }
    return statement;
  }

  /** The run's successful calls with their usage, streamed row by row (a run is never loaded whole). */
  *pricingRows(runId: string): Generator<PricedCallRow> {
    const rows = this.db
      .prepare(
        `SELECT s.model AS label, s.task, a.provider, a.model, a.started_at, a.input_tokens, a.cached_input_tokens,
           a.cache_write_tokens, a.output_tokens, a.reasoning_tokens, a.role, a.latency_ms
         FROM attempts a JOIN samples s ON s.run_id = a.run_id AND s.item_key = a.item_key
         WHERE a.run_id = ? AND a.status = 'ok'`,
      )
      .iterate(runId) as IterableIterator<Record<string, string | number | null>>;
    for (const r of rows) {
      yield {
        group: groupKey(String(r.label), String(r.task)),
        provider: String(r.provider),
        model: String(r.model),
        startedAt: String(r.started_at),
        usage: usageOfRow(r),
        role: r.role === "judge" ? "judge" : "model",
        // Per-hour prices (a local model, a rented server) bill the call's wall time.
        ...(typeof r.latency_ms === "number" ? { latencyMs: r.latency_ms } : {}),
      };
    }
  }

  *metricValues(runId: string, model: string, task: string, metric: string): Generator<MetricValue> {
    const rows = this.db
      .prepare(
        `SELECT s.sample_id, s.epoch, s.category, sc.value
         FROM samples s JOIN scores sc ON sc.run_id = s.run_id AND sc.item_key = s.item_key
         WHERE s.run_id = ? AND s.model = ? AND s.task = ? AND sc.scorer = ?`,
      )
      .iterate(runId, model, task, metric) as IterableIterator<{
      sample_id: string;
      epoch: number;
      category: string | null;
      value: number;
    }>;
    for (const r of rows) yield { sampleId: r.sample_id, epoch: r.epoch, category: r.category, value: r.value };
  }

  *metricAnswers(runId: string, metric: string, task?: string): Generator<ScoredAnswer> {
    const rows = this.db
      .prepare(
        `SELECT s.model, s.task, s.sample_id, s.epoch, sc.value, sc.answer
         FROM samples s JOIN scores sc ON sc.run_id = s.run_id AND sc.item_key = s.item_key
         WHERE s.run_id = ? AND sc.scorer = ?${task === undefined ? "" : " AND s.task = ?"}
         ORDER BY s.model, s.task, s.sample_id, s.epoch`,
      )
      .iterate(runId, metric, ...(task === undefined ? [] : [task])) as IterableIterator<{
      model: string;
      task: string;
      sample_id: string;
      epoch: number;
      value: number;
      answer: string | null;
    }>;
    for (const r of rows) {
      yield { model: r.model, task: r.task, sampleId: r.sample_id, epoch: r.epoch, value: r.value, answer: r.answer };
    }
  }

  *sampleCalls(runId: string): Generator<SampleCall> {
    const rows = this.db
      .prepare(
        `SELECT s.model AS label, s.task, s.sample_id, a.provider, a.model, a.started_at, a.input_tokens,
           a.cached_input_tokens, a.cache_write_tokens, a.output_tokens, a.reasoning_tokens, a.latency_ms
         FROM samples s LEFT JOIN attempts a ON a.run_id = s.run_id AND a.item_key = s.item_key
           AND a.status = 'ok' AND a.role = 'model'
         WHERE s.run_id = ?
         ORDER BY s.model, s.task, s.sample_id, s.epoch, a.id`,
      )
      .iterate(runId) as IterableIterator<Record<string, string | number | null>>;
    for (const r of rows) {
      const group = groupKey(String(r.label), String(r.task));
      const sampleId = String(r.sample_id);
      if (r.provider === null) {
        yield { group, sampleId, call: null };
        continue;
      }
      yield {
        group,
        sampleId,
        call: {
          group,
          provider: String(r.provider),
          model: String(r.model),
          startedAt: String(r.started_at),
          usage: usageOfRow(r),
          role: "model",
          latencyMs: r.latency_ms as number | null,
        },
      };
    }
  }

  findDone(runId: string, itemKeys: string[]): Set<string> {
    const done = new Set<string>();
    for (const key of itemKeys) if (this.selectDone.get(runId, key) !== undefined) done.add(key);
    return done;
  }

  /**
   * Turns a result into the values its rows bind, as soon as it arrives: a handful of strings and numbers survive
   * in memory until the next commit instead of the result's whole object graph, which kept the young-generation
   * GC copying (and pausing the event loop) for several milliseconds at a time.
   */
  encode(r: ItemResult): EncodedItem {
    const attempts = r.attempts.map((a) => {
      const u = a.usage;
      return [
        r.runId,
        r.itemKey,
        a.attemptNo,
        a.provider,
        a.model,
        a.reportedModel,
        a.requestHash,
        a.startedAt,
        a.ok ? "ok" : "error",
        a.errorClass,
        a.errorMessage,
        a.httpStatus,
        a.output,
        a.reasoning,
        a.finishReason,
        u?.inputTokens ?? null,
        u?.cachedInputTokens ?? null,
        u?.cacheWriteTokens ?? null,
        u?.outputTokens ?? null,
        u?.reasoningTokens ?? null,
        a.rawUsage === null || a.rawUsage === undefined ? null : JSON.stringify(a.rawUsage),
        a.timing.latencyMs,
        a.timing.ttftMs,
        a.timing.ttfatMs,
        a.timing.outputTokensPerSecond,
        a.role ?? "model",
        a.turn ?? 1,
      ];
    });
    // final_attempt_id (index 12) and completed_at (index 15) are filled in when written.
    const sample: unknown[] = [
      r.runId,
      r.itemKey,
      r.model,
      r.task,
      r.sampleId,
      r.epoch,
      r.ok ? "ok" : "error",
      r.errorClass,
      r.errorMessage,
      JSON.stringify(r.messages),
      JSON.stringify(r.target),
      r.requestHash,
      r.cachedFrom,
      r.cachedFrom === null ? 0 : 1,
      r.attempts.length,
      null,
      r.turns === undefined ? null : JSON.stringify(r.turns),
      r.category ?? null,
    ];
    const scores = r.scores.map((sc) => [r.runId, r.itemKey, sc.scorer, sc.value, sc.answer, sc.explanation ?? null]);
    return { attempts, sample, scores };
  }

  private writeOne(item: EncodedItem, now: string): void {
    // The sample's answer is the model's last call, unless it was served from the cache; judge calls never are.
    const fromCache = item.sample[12] !== null;
    for (const values of item.attempts) {
      const { lastInsertRowid } = this.insertAttempt.run(values);
      if (!fromCache && values[25] === "model") item.sample[12] = Number(lastInsertRowid);
    }
    item.sample[15] = now;
    this.insertSample.run(item.sample);
    for (const values of item.scores) this.insertScore.run(values);
  }
}
