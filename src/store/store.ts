import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import type { ErrorClass } from "../core/types.js";
import type { PricedCallRow } from "../pricing/run-costs.js";
import type { PairedTaskScores } from "../report/compare.js";
import { migrateToLatest } from "./migrations.js";
import type {
  CachedAnswer,
  CategoryResult,
  ErrorExample,
  GroupSummary,
  ItemResult,
  MetricSummary,
  MetricValue,
  Percentiles,
  RunInfo,
  RunSummary,
  SampleCall,
  ScoredAnswer,
} from "./records.js";
import { nullableNumber, timedSql } from "./records.js";
import type { Database, RunStatus } from "./schema.js";
import { type EncodedItem, groupKey, SqliteHotPath } from "./sqlite-writes.js";

export class Store {
  private constructor(
    readonly db: Kysely<Database>,
    private readonly hot: SqliteHotPath,
  ) {}

  /** Opens (creating if needed) a store file: WAL, foreign keys, migrations to the latest schema. */
  static async open(path: string): Promise<Store> {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    sqlite.pragma("journal_mode = WAL");
    // NORMAL is durable against a killed process (kill -9); only power loss can drop the last commits.
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 10000");
    // Checkpoints (which fsync) every ~32 MiB of WAL instead of 4 MiB: results arrive in bursts of thousands.
    sqlite.pragma("wal_autocheckpoint = 8192");
    sqlite.pragma("cache_size = -16384"); // 16 MiB of page cache (the default 2 MiB thrashes on the cache index)
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    await migrateToLatest(db as Kysely<unknown>);
    return new Store(db, new SqliteHotPath(sqlite));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async createRun(run: { id: string; toolVersion: string; spec: unknown; totalItems: number | null }): Promise<void> {
    await this.db
      .insertInto("runs")
      .values({
        id: run.id,
        created_at: new Date().toISOString(),
        ended_at: null,
        status: "running",
        tool_version: run.toolVersion,
        spec_json: JSON.stringify(run.spec),
        total_items: run.totalItems,
      })
      .execute();
  }

  async setRunStatus(id: string, status: RunStatus, totalItems?: number): Promise<void> {
    const ended = status === "running" ? null : new Date().toISOString();
    await this.db
      .updateTable("runs")
      .set({ status, ended_at: ended, ...(totalItems === undefined ? {} : { total_items: totalItems }) })
      .where("id", "=", id)
      .execute();
  }

  async getRun(id: string): Promise<RunInfo | null> {
    const row = await this.db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return null;
    const done = await this.db
      .selectFrom("samples")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("run_id", "=", id)
      .executeTakeFirstOrThrow();
    return toRunInfo(row, Number(done.n));
  }

  async listRuns(limit = 50): Promise<RunInfo[]> {
    const rows = await this.db
      .selectFrom("runs")
      .selectAll("runs")
      .select((eb) =>
        eb
          .selectFrom("samples")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("samples.run_id", "=", "runs.id")
          .as("done"),
      )
      .orderBy("created_at", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => toRunInfo(r, Number(r.done ?? 0)));
  }

  /** Drops a run's failed samples (their attempts stay, for the record) so that a resume tries them again. */
  async forgetFailedSamples(runId: string): Promise<number> {
    const result = await this.db
      .deleteFrom("samples")
      .where("run_id", "=", runId)
      .where("status", "=", "error")
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Item keys of `runId` that already have a final result: what a resumed run must not call again. */
  async findDone(runId: string, itemKeys: string[]): Promise<Set<string>> {
    return this.hot.findDone(runId, itemKeys);
  }

  /** The response cache: the latest successful attempt for each request hash, from any run in this store. */
  async findCached(hashes: string[]): Promise<Map<string, CachedAnswer>> {
    return this.hot.findCached(hashes);
  }

  /** Writes finished items with their attempts and scores in one transaction: a crash never leaves half an item. */
  async writeResults(results: ItemResult[]): Promise<void> {
    this.hot.write(results.map((r) => this.hot.encode(r)));
  }

  /** The values a result's rows bind; the runner encodes results as they arrive and writes them in batches. */
  encodeResult(result: ItemResult): EncodedItem {
    return this.hot.encode(result);
  }

  /**
   * Scores of two models of a run on the same (task, sample, epoch), per task, on the task's headline metric (or the
   * one named): the input of a paired comparison.
   */
  async pairedScores(
    runId: string,
    modelA: string,
    modelB: string,
    task?: string,
    metric?: string,
  ): Promise<PairedTaskScores[]> {
    return this.pairedScoresAcross(runId, modelA, runId, modelB, task, metric);
  }

  /**
   * Scores of model A in run A and model B in run B (the same run or two) on the same (task, sample id, epoch), per
   * task, on run A's headline metric of the task (or the one named), in (task, sample, epoch) order with each pair's
   * sample id. A sample whose target differs between the two runs is still paired (the ids say it is the same
   * question) but counted in `targetMismatches`, so that a caller can warn about two datasets sharing ids.
   */
  async pairedScoresAcross(
    runA: string,
    modelA: string,
    runB: string,
    modelB: string,
    task?: string,
    metric?: string,
  ): Promise<PairedTaskScores[]> {
    const headlines = await this.headlineMetrics(runA);
    const rows = await sql<{ task: string; sample_id: string; scorer: string; a: number; b: number; same: number }>`
      SELECT sa.task, sa.sample_id, sca.scorer, sca.value AS a, scb.value AS b,
        sa.target_json = sb.target_json AS same
      FROM samples sa
      JOIN samples sb ON sb.run_id = ${runB} AND sb.model = ${modelB} AND sb.task = sa.task
        AND sb.sample_id = sa.sample_id AND sb.epoch = sa.epoch
      JOIN scores sca ON sca.run_id = sa.run_id AND sca.item_key = sa.item_key
      JOIN scores scb ON scb.run_id = sb.run_id AND scb.item_key = sb.item_key AND scb.scorer = sca.scorer
      WHERE sa.run_id = ${runA} AND sa.model = ${modelA} ${task === undefined ? sql`` : sql`AND sa.task = ${task}`}
      ORDER BY sa.task, sa.sample_id, sa.epoch`.execute(this.db);
    const byTask = new Map<string, PairedTaskScores & { sampleIds: string[]; targetMismatches: number }>();
    for (const r of rows.rows) {
      if (r.scorer !== (metric ?? headlines.get(r.task))) continue;
      let t = byTask.get(r.task);
      if (!t) {
        t = { task: r.task, a: [], b: [], sampleIds: [], targetMismatches: 0 };
        byTask.set(r.task, t);
      }
      t.a.push(Number(r.a));
      t.b.push(Number(r.b));
      t.sampleIds.push(String(r.sample_id));
      if (!Number(r.same)) t.targetMismatches++;
    }
    return [...byTask.values()];
  }

  /**
   * Every score of one metric in a run with its answer, per model, task, sample and epoch, streamed: pairwise
   * judgments ("win-rate" scores carry the judged orders in `answer`) for Bradley–Terry ratings.
   */
  *metricAnswers(runId: string, metric: string, task?: string): Generator<ScoredAnswer> {
    yield* this.hot.metricAnswers(runId, metric, task);
  }

  /**
   * Every sample of a run with each successful call the model under test made for it in this run (judge calls left
   * out; a sample's epoch with none, e.g. served from the cache, comes with `call: null`), in (model, task, sample id,
   * epoch) order, streamed: the per-sample costs behind the interval of the cost per correct answer.
   */
  sampleCalls(runId: string): Iterable<SampleCall> {
    return this.hot.sampleCalls(runId);
  }

  /**
   * One metric's scores for a model × task, per sample and epoch, with each sample's category: what an interval
   * (clustered on categories or on a sample's epochs) is computed from. Streamed, never the whole run at once.
   */
  *metricValues(runId: string, model: string, task: string, metric: string): Generator<MetricValue> {
    yield* this.hot.metricValues(runId, model, task, metric);
  }

  /** Mean of one metric per category of a model × task (MMLU subjects, MMLU-Pro categories). */
  async categoryBreakdown(runId: string): Promise<CategoryResult[]> {
    const rows = await sql<{
      model: string;
      task: string;
      scorer: string;
      category: string;
      scored: number;
      mean: number;
    }>`
      SELECT s.model, s.task, sc.scorer, s.category, COUNT(sc.value) AS scored, AVG(sc.value) AS mean
      FROM samples s JOIN scores sc ON sc.run_id = s.run_id AND sc.item_key = s.item_key
      WHERE s.run_id = ${runId} AND s.category IS NOT NULL
      GROUP BY s.model, s.task, sc.scorer, s.category
      ORDER BY s.model, s.task, sc.scorer, s.category`.execute(this.db);
    return rows.rows.map((r) => ({ ...r, scored: Number(r.scored), mean: Number(r.mean) }));
  }

  /**
   * Failed samples by model × task × error class: how many, and the message of one (the first by sample), so that a
   * summary can say *why* without listing every failure.
   */
  async errorExamples(runId: string): Promise<ErrorExample[]> {
    const rows = await sql<{
      model: string;
      task: string;
      error_class: string;
      count: number;
      sample_id: string;
      message: string | null;
    }>`
      SELECT model, task, error_class, COUNT(*) AS count, MIN(sample_id) AS sample_id,
        (SELECT e.error_message FROM samples e
          WHERE e.run_id = s.run_id AND e.model = s.model AND e.task = s.task AND e.error_class = s.error_class
            AND e.status = 'error'
          ORDER BY e.sample_id LIMIT 1) AS message
      FROM samples s
      WHERE run_id = ${runId} AND status = 'error'
      GROUP BY model, task, error_class
      ORDER BY model, task, error_class`.execute(this.db);
    return rows.rows.map((r) => ({
      model: r.model,
      task: r.task,
      errorClass: r.error_class,
      count: Number(r.count),
      sampleId: r.sample_id,
      message: r.message,
    }));
  }

  /** Each task's headline metric in a run: the first metric its scorer reported. */
  async headlineMetrics(runId: string): Promise<Map<string, string>> {
    const rows = await sql<{ task: string; scorer: string }>`
      SELECT s.task, sc.scorer, MIN(sc.id) AS first_id
      FROM samples s JOIN scores sc ON sc.run_id = s.run_id AND sc.item_key = s.item_key
      WHERE s.run_id = ${runId} GROUP BY s.task, sc.scorer ORDER BY first_id`.execute(this.db);
    const out = new Map<string, string>();
    for (const r of rows.rows) if (!out.has(r.task)) out.set(r.task, r.scorer);
    return out;
  }

  /** Mean output tokens of a model (by its label) on a task over earlier runs' answers; null when there are none. */
  async observedOutputTokens(model: string, task: string): Promise<number | null> {
    const row = await sql<{ mean: number | null }>`
      SELECT AVG(a.output_tokens) AS mean FROM samples s JOIN attempts a ON a.id = s.final_attempt_id
      WHERE s.model = ${model} AND s.task = ${task} AND s.status = 'ok' AND a.output_tokens IS NOT NULL`.execute(
      this.db,
    );
    const mean = row.rows[0]?.mean;
    return mean === null || mean === undefined ? null : Number(mean);
  }

  /** The run's successful calls with their usage, for pricing (streamed). */
  pricingRows(runId: string): Iterable<PricedCallRow> {
    return this.hot.pricingRows(runId);
  }

  /** Writes encoded results in one transaction. */
  async writeEncoded(items: EncodedItem[]): Promise<void> {
    this.hot.write(items);
  }

  /** Per model × task: counts, mean score, errors by class, usage totals, cache hits, p50/p95 of speed. */
  async summary(runId: string): Promise<RunSummary | null> {
    const run = await this.getRun(runId);
    if (!run) return null;
    const base = await sql<{
      model: string;
      task: string;
      n: number;
      calls: number;
      cache_hits: number;
      input_tokens: number | null;
      cached_input_tokens: number | null;
      cache_write_tokens: number | null;
      output_tokens: number | null;
      reasoning_tokens: number | null;
      unknown_usage: number;
    }>`
      SELECT s.model, s.task, COUNT(*) AS n, SUM(s.calls) AS calls, SUM(s.cached) AS cache_hits,
        SUM(a.input_tokens) AS input_tokens, SUM(a.cached_input_tokens) AS cached_input_tokens,
        SUM(a.cache_write_tokens) AS cache_write_tokens, SUM(a.output_tokens) AS output_tokens,
        SUM(a.reasoning_tokens) AS reasoning_tokens,
        SUM(CASE WHEN s.status = 'ok' AND a.input_tokens IS NULL AND a.output_tokens IS NULL THEN 1 ELSE 0 END)
          AS unknown_usage
      FROM samples s LEFT JOIN attempts a ON a.id = s.final_attempt_id
      WHERE s.run_id = ${runId}
      GROUP BY s.model, s.task ORDER BY s.model, s.task`.execute(this.db);

    // Metrics in the order the scorer reports them (first written first): the headline metric leads.
    const scoreRows = await sql<{
      model: string;
      task: string;
      scorer: string;
      scored: number;
      mean: number | null;
      non_binary: number;
    }>`
      SELECT s.model, s.task, sc.scorer, COUNT(sc.value) AS scored, AVG(sc.value) AS mean,
        SUM(CASE WHEN sc.value = 0 OR sc.value = 1 THEN 0 ELSE 1 END) AS non_binary, MIN(sc.id) AS first_id
      FROM samples s JOIN scores sc ON sc.run_id = s.run_id AND sc.item_key = s.item_key
      WHERE s.run_id = ${runId}
      GROUP BY s.model, s.task, sc.scorer
      ORDER BY first_id`.execute(this.db);

    const errorRows = await sql<{ model: string; task: string; error_class: string; n: number }>`
      SELECT model, task, error_class, COUNT(*) AS n FROM samples
      WHERE run_id = ${runId} AND status = 'error'
      GROUP BY model, task, error_class`.execute(this.db);

    const latency = await this.percentiles(runId, "latency_ms");
    const ttft = await this.percentiles(runId, "ttft_ms");
    const tps = await this.percentiles(runId, "output_tps");

    const groups: GroupSummary[] = base.rows.map((r) => {
      const key = groupKey(r.model, r.task);
      const metrics: MetricSummary[] = scoreRows.rows
        .filter((s) => s.model === r.model && s.task === r.task)
        .map((s) => ({
          metric: s.scorer,
          scored: Number(s.scored),
          mean: s.mean === null ? null : Number(s.mean),
          binary: Number(s.non_binary) === 0,
        }));
      const headline = metrics[0];
      const errors: Partial<Record<ErrorClass, number>> = {};
      for (const e of errorRows.rows) {
        if (e.model === r.model && e.task === r.task) errors[e.error_class as ErrorClass] = Number(e.n);
      }
      return {
        model: r.model,
        task: r.task,
        n: Number(r.n),
        scored: headline?.scored ?? 0,
        meanScore: headline?.mean ?? null,
        metric: headline?.metric ?? null,
        metrics,
        errors,
        calls: Number(r.calls ?? 0),
        cacheHits: Number(r.cache_hits ?? 0),
        usage: {
          inputTokens: nullableNumber(r.input_tokens),
          cachedInputTokens: nullableNumber(r.cached_input_tokens),
          cacheWriteTokens: nullableNumber(r.cache_write_tokens),
          outputTokens: nullableNumber(r.output_tokens),
          reasoningTokens: nullableNumber(r.reasoning_tokens),
          unknownUsage: Number(r.unknown_usage ?? 0),
        },
        latencyMs: latency.get(key) ?? { p50: null, p95: null },
        ttftMs: ttft.get(key) ?? { p50: null, p95: null },
        outputTokensPerSecond: tps.get(key) ?? { p50: null, p95: null },
      };
    });
    return { run, groups };
  }

  /** Nearest-rank p50 and p95 per model × task, computed in SQL so that no run is ever loaded whole. */
  private async percentiles(
    runId: string,
    column: "latency_ms" | "ttft_ms" | "output_tps",
  ): Promise<Map<string, Percentiles>> {
    const rows = await sql<{ model: string; task: string; x: number; rn: number; cnt: number }>`
      WITH v AS (
        SELECT s.model, s.task, a.${sql.ref(column)} AS x,
          ROW_NUMBER() OVER (PARTITION BY s.model, s.task ORDER BY a.${sql.ref(column)}) AS rn,
          COUNT(*) OVER (PARTITION BY s.model, s.task) AS cnt
        FROM samples s JOIN attempts a ON a.id = s.final_attempt_id
        WHERE s.run_id = ${runId} AND s.status = 'ok' AND a.${sql.ref(column)} IS NOT NULL
          AND ${sql.raw(timedSql("a"))}
      )
      SELECT model, task, x, rn, cnt FROM v
      WHERE rn = (cnt * 50 + 99) / 100 OR rn = (cnt * 95 + 99) / 100`.execute(this.db);
    const out = new Map<string, Percentiles>();
    for (const r of rows.rows) {
      const key = groupKey(r.model, r.task);
      const p = out.get(key) ?? { p50: null, p95: null };
      const cnt = Number(r.cnt);
      const rn = Number(r.rn);
      if (rn === Math.floor((cnt * 50 + 99) / 100)) p.p50 = Number(r.x);
      if (rn === Math.floor((cnt * 95 + 99) / 100)) p.p95 = Number(r.x);
      out.set(key, p);
    }
    return out;
  }
}

function toRunInfo(
  row: {
    id: string;
    created_at: string;
    ended_at: string | null;
    status: string;
    tool_version: string;
    spec_json: string;
    total_items: number | null;
  },
  done: number,
): RunInfo {
  return {
    id: row.id,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    status: row.status,
    toolVersion: row.tool_version,
    spec: JSON.parse(row.spec_json),
    totalItems: row.total_items,
    done,
  };
}

/** SUM over only unknown values is unknown (NULL), not zero. Postgres returns sums as strings. */
