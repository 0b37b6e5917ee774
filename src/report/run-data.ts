/**
 * Read-only queries over one store file for reports and the dashboard: per-sample scores and model-call usage,
 * paired samples of two models, speed measurements, and every sample with its outcome (JUnit).
 *
 * A separate read-only connection (WAL lets it read while a run writes) with prepared statements that stream rows:
 * a 100k-sample run is never loaded as one array of objects. Joins are written with CROSS JOIN, which fixes
 * SQLite's join order: without ANALYZE statistics the planner may otherwise drive a join from the scores table and
 * look samples up by run alone, which turns a 100k-sample pairing into a quadratic scan.
 */
import SQLite from "better-sqlite3";
import type { Usage } from "../core/types.js";
import { measuredLatencySql, nullableNumber, timedSql, usageOfRow } from "../store/records.js";

/** One successful call of the model under test, with the sample it answered. */
export interface ModelCallRow {
  model: string;
  task: string;
  sampleId: string;
  epoch: number;
  provider: string;
  apiModel: string;
  startedAt: string;
  usage: Usage;
  /** Wall time of the call: what a per-hour price bills. */
  latencyMs: number | null;
}

/** One sample's score on a metric. */
export interface ScoreRow {
  model: string;
  sampleId: string;
  epoch: number;
  value: number;
}

/** Two models' scores on the same (task, sample, epoch). */
export interface PairRow {
  sampleId: string;
  epoch: number;
  a: number;
  b: number;
}

/** One sample's final answer's speed (null when not measured: not streamed, no usage). */
export interface SpeedRow {
  model: string;
  task: string;
  latencyMs: number;
  ttftMs: number | null;
  ttfatMs: number | null;
  outputTps: number | null;
}

/** Everything a JUnit test case says about one sample. */
export interface OutcomeRow {
  model: string;
  task: string;
  sampleId: string;
  epoch: number;
  status: "ok" | "error";
  errorClass: string | null;
  errorMessage: string | null;
  targetJson: string;
  output: string | null;
  latencyMs: number | null;
  score: number | null;
  answer: string | null;
}

export interface OutcomeCounts {
  model: string;
  task: string;
  tests: number;
  errors: number;
  failures: number;
  latencyMs: number;
}

/** Which of two models did better on a paired sample (a missing score, e.g. a failed call, counts as worst). */
export type PairFilter = "all" | "differ" | "a_better" | "b_better" | "same";

export const PAIR_FILTERS: readonly PairFilter[] = ["all", "differ", "a_better", "b_better", "same"];

/** One paired sample with both sides' outcomes: a row of the head-to-head diff. */
export interface PairSampleRow {
  task: string;
  sampleId: string;
  epoch: number;
  inputJson: string;
  targetJson: string;
  a: PairSide;
  b: PairSide;
}

export interface PairSide {
  itemKey: string;
  status: "ok" | "error";
  errorClass: string | null;
  output: string | null;
  score: number | null;
  answer: string | null;
  latencyMs: number | null;
}

/** Keyset position in (task, sample_id, epoch) order. */
export interface PairCursor {
  task: string;
  sampleId: string;
  epoch: number;
}

// A missing score sorts below every real one, so "A better" includes A right where B failed.
const MISSING = -1e300;
const PAIR_CONDITION: Record<PairFilter, string> = {
  all: "1",
  differ: `COALESCE(sca.value, ${MISSING}) <> COALESCE(scb.value, ${MISSING})`,
  a_better: `COALESCE(sca.value, ${MISSING}) > COALESCE(scb.value, ${MISSING})`,
  b_better: `COALESCE(sca.value, ${MISSING}) < COALESCE(scb.value, ${MISSING})`,
  same: `COALESCE(sca.value, ${MISSING}) = COALESCE(scb.value, ${MISSING})`,
};

type Row = Record<string, unknown>;

export class RunData {
  private readonly statements = new Map<string, SQLite.Statement>();

  private constructor(readonly db: SQLite.Database) {}

  /** Opens a store file read-only. The file must exist and be migrated (open it with Store.open first). */
  static open(path: string): RunData {
    const db = new SQLite(path, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 10000");
    db.pragma("cache_size = -16384");
    return new RunData(db);
  }

  close(): void {
    this.db.close();
  }

  /** A prepared statement, compiled once per distinct SQL text. */
  prepare(sql: string): SQLite.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** The successful calls of the models under test (not the judge's) made in this run, sample by sample. */
  *modelCalls(runId: string, task?: string): Generator<ModelCallRow> {
    const rows = this.prepare(
      `SELECT s.model AS label, s.task, s.sample_id, s.epoch, a.provider, a.model, a.started_at, a.input_tokens,
         a.cached_input_tokens, a.cache_write_tokens, a.output_tokens, a.reasoning_tokens, a.latency_ms
       FROM samples s CROSS JOIN attempts a
       WHERE s.run_id = ? AND (? IS NULL OR s.task = ?)
         AND a.run_id = s.run_id AND a.item_key = s.item_key AND a.status = 'ok' AND a.role = 'model'`,
    ).iterate(runId, task ?? null, task ?? null) as IterableIterator<Row>;
    for (const r of rows) {
      yield {
        model: String(r.label),
        task: String(r.task),
        sampleId: String(r.sample_id),
        epoch: Number(r.epoch),
        provider: String(r.provider),
        apiModel: String(r.model),
        startedAt: String(r.started_at),
        usage: usageOfRow(r),
        latencyMs: typeof r.latency_ms === "number" ? r.latency_ms : null,
      };
    }
  }

  /** Every model's scores on one metric of a task. */
  *scores(runId: string, task: string, metric: string): Generator<ScoreRow> {
    const rows = this.prepare(
      `SELECT s.model, s.sample_id, s.epoch, sc.value
       FROM samples s CROSS JOIN scores sc
       WHERE s.run_id = ? AND s.task = ? AND sc.run_id = s.run_id AND sc.item_key = s.item_key AND sc.scorer = ?`,
    ).iterate(runId, task, metric) as IterableIterator<Row>;
    for (const r of rows) {
      yield { model: String(r.model), sampleId: String(r.sample_id), epoch: Number(r.epoch), value: Number(r.value) };
    }
  }

  /** Scores of models A and B on the same samples of a task (both scored), in sample order. */
  pairedScores(runId: string, modelA: string, modelB: string, task: string, metric: string): PairRow[] {
    const rows = this.prepare(
      `SELECT sa.sample_id, sa.epoch, sca.value AS a, scb.value AS b
       FROM samples sa CROSS JOIN samples sb CROSS JOIN scores sca CROSS JOIN scores scb
       WHERE sa.run_id = ? AND sa.model = ? AND sa.task = ?
         AND sb.run_id = sa.run_id AND sb.model = ? AND sb.task = sa.task AND sb.sample_id = sa.sample_id
         AND sb.epoch = sa.epoch
         AND sca.run_id = sa.run_id AND sca.item_key = sa.item_key AND sca.scorer = ?
         AND scb.run_id = sb.run_id AND scb.item_key = sb.item_key AND scb.scorer = ?
       ORDER BY sa.sample_id, sa.epoch`,
    ).all(runId, modelA, task, modelB, metric, metric) as Row[];
    return rows.map((r) => ({
      sampleId: String(r.sample_id),
      epoch: Number(r.epoch),
      a: Number(r.a),
      b: Number(r.b),
    }));
  }

  /**
   * A page of the samples both models answered, in (task, sample, epoch) order after (or, `backward`, before) the
   * cursor, with each side's answer and score on its task's headline metric. `limit + 1` rows are read so that
   * the caller knows whether another page follows.
   */
  pairedSamples(
    runId: string,
    modelA: string,
    modelB: string,
    headlines: Map<string, string>,
    options: { task?: string; filter?: PairFilter; after?: PairCursor; before?: PairCursor; limit: number },
  ): PairSampleRow[] {
    const { sql, params } = this.pairQuery(runId, modelA, modelB, headlines, options.task, options.filter ?? "all");
    const cursor = options.before ?? options.after;
    const backward = options.before !== undefined;
    const keyset = cursor ? ` AND (sa.task, sa.sample_id, sa.epoch) ${backward ? "<" : ">"} (?, ?, ?)` : "";
    const order = backward
      ? "ORDER BY sa.task DESC, sa.sample_id DESC, sa.epoch DESC"
      : "ORDER BY sa.task, sa.sample_id, sa.epoch";
    const statement = this.prepare(
      `SELECT sa.task, sa.sample_id, sa.epoch, sa.input_json, sa.target_json,
         sa.item_key AS a_key, sa.status AS a_status, sa.error_class AS a_error, aa.output AS a_output,
         sca.value AS a_score, sca.answer AS a_answer, ${measuredLatencySql("aa")} AS a_latency,
         sb.item_key AS b_key, sb.status AS b_status, sb.error_class AS b_error, ab.output AS b_output,
         scb.value AS b_score, scb.answer AS b_answer, ${measuredLatencySql("ab")} AS b_latency
       ${sql}${keyset} ${order} LIMIT ?`,
    );
    const bound = [...params, ...(cursor ? [cursor.task, cursor.sampleId, cursor.epoch] : []), options.limit + 1];
    const rows = (statement.all(...bound) as Row[]).map(pairSampleRow);
    return backward ? rows.reverse() : rows;
  }

  /** How many paired samples pass each filter, per task (for the head-to-head's filter counts). */
  pairCounts(
    runId: string,
    modelA: string,
    modelB: string,
    headlines: Map<string, string>,
    task?: string,
  ): Record<PairFilter, number> {
    const { sql, params } = this.pairQuery(runId, modelA, modelB, headlines, task, "all");
    const r = this.prepare(
      `SELECT COUNT(*) AS n_all, SUM(${PAIR_CONDITION.differ}) AS n_differ, SUM(${PAIR_CONDITION.a_better}) AS n_a,
         SUM(${PAIR_CONDITION.b_better}) AS n_b, SUM(${PAIR_CONDITION.same}) AS n_same ${sql}`,
    ).get(...params) as Row;
    return {
      all: Number(r.n_all ?? 0),
      differ: Number(r.n_differ ?? 0),
      a_better: Number(r.n_a ?? 0),
      b_better: Number(r.n_b ?? 0),
      same: Number(r.n_same ?? 0),
    };
  }

  /** Rows counted by a paired-sample filter, for "N of M" beside the page. */
  pairTotal(
    runId: string,
    modelA: string,
    modelB: string,
    headlines: Map<string, string>,
    task: string | undefined,
    filter: PairFilter,
  ): number {
    const { sql, params } = this.pairQuery(runId, modelA, modelB, headlines, task, filter);
    const r = this.prepare(`SELECT COUNT(*) AS n ${sql}`).get(...params) as Row;
    return Number(r.n ?? 0);
  }

  /** FROM … WHERE … of paired samples: both models' samples of a (task, sample, epoch), answers and headline scores. */
  private pairQuery(
    runId: string,
    modelA: string,
    modelB: string,
    headlines: Map<string, string>,
    task: string | undefined,
    filter: PairFilter,
  ): { sql: string; params: unknown[] } {
    const metric = headlineCase(headlines, "sa.task");
    const sql = `FROM samples sa CROSS JOIN samples sb
       LEFT JOIN attempts aa ON aa.id = sa.final_attempt_id
       LEFT JOIN attempts ab ON ab.id = sb.final_attempt_id
       LEFT JOIN scores sca ON sca.run_id = sa.run_id AND sca.item_key = sa.item_key AND sca.scorer = ${metric.sql}
       LEFT JOIN scores scb ON scb.run_id = sb.run_id AND scb.item_key = sb.item_key AND scb.scorer = ${metric.sql}
       WHERE sa.run_id = ? AND sa.model = ?${task === undefined ? "" : " AND sa.task = ?"}
         AND sb.run_id = sa.run_id AND sb.model = ? AND sb.task = sa.task AND sb.sample_id = sa.sample_id
         AND sb.epoch = sa.epoch AND ${PAIR_CONDITION[filter]}`;
    return {
      sql,
      params: [...metric.params, ...metric.params, runId, modelA, ...(task === undefined ? [] : [task]), modelB],
    };
  }

  /** The final answer's speed of every successful sample (an answer served from the cache keeps its first timing). */
  *speeds(runId: string): Generator<SpeedRow> {
    const rows = this.prepare(
      `SELECT s.model, s.task, a.latency_ms, a.ttft_ms, a.ttfat_ms, a.output_tps
       FROM samples s CROSS JOIN attempts a
       WHERE s.run_id = ? AND s.status = 'ok' AND a.id = s.final_attempt_id AND ${timedSql("a")}`,
    ).iterate(runId) as IterableIterator<Row>;
    for (const r of rows) {
      yield {
        model: String(r.model),
        task: String(r.task),
        latencyMs: Number(r.latency_ms),
        ttftMs: nullableNumber(r.ttft_ms),
        ttfatMs: nullableNumber(r.ttfat_ms),
        outputTps: nullableNumber(r.output_tps),
      };
    }
  }

  /** Every sample of a run with its outcome and headline score, grouped by model × task, in sample order. */
  *outcomes(runId: string, headlines: Map<string, string>): Generator<OutcomeRow> {
    const metric = headlineCase(headlines, "s.task");
    const rows = this.prepare(
      `SELECT s.model, s.task, s.sample_id, s.epoch, s.status, s.error_class, s.error_message, s.target_json,
         a.output, ${measuredLatencySql("a")} AS latency_ms, sc.value AS score, sc.answer
       FROM samples s
       LEFT JOIN attempts a ON a.id = s.final_attempt_id
       LEFT JOIN scores sc ON sc.run_id = s.run_id AND sc.item_key = s.item_key AND sc.scorer = ${metric.sql}
       WHERE s.run_id = ?
       ORDER BY s.model, s.task, s.sample_id, s.epoch`,
    ).iterate(...metric.params, runId) as IterableIterator<Row>;
    for (const r of rows) {
      yield {
        model: String(r.model),
        task: String(r.task),
        sampleId: String(r.sample_id),
        epoch: Number(r.epoch),
        status: r.status === "error" ? "error" : "ok",
        errorClass: r.error_class as string | null,
        errorMessage: r.error_message as string | null,
        targetJson: String(r.target_json),
        output: r.output as string | null,
        latencyMs: nullableNumber(r.latency_ms),
        score: nullableNumber(r.score),
        answer: r.answer as string | null,
      };
    }
  }

  /**
   * Per model × task: samples, failed calls, answers that did not score full marks on the headline metric (below 1,
   * or no score), and the answers' total latency: a JUnit test suite's counts, known before its test cases stream.
   */
  outcomeCounts(runId: string, headlines: Map<string, string>): OutcomeCounts[] {
    const metric = headlineCase(headlines, "s.task");
    const rows = this.prepare(
      `SELECT s.model, s.task, COUNT(*) AS tests, SUM(s.status = 'error') AS errors,
         SUM(s.status = 'ok' AND (sc.value IS NULL OR sc.value < 1)) AS failures, SUM(a.latency_ms) AS latency
       FROM samples s
       LEFT JOIN attempts a ON a.id = s.final_attempt_id
       LEFT JOIN scores sc ON sc.run_id = s.run_id AND sc.item_key = s.item_key AND sc.scorer = ${metric.sql}
       WHERE s.run_id = ?
       GROUP BY s.model, s.task ORDER BY s.model, s.task`,
    ).all(...metric.params, runId) as Row[];
    return rows.map((r) => ({
      model: String(r.model),
      task: String(r.task),
      tests: Number(r.tests),
      errors: Number(r.errors ?? 0),
      failures: Number(r.failures ?? 0),
      latencyMs: Number(r.latency ?? 0),
    }));
  }

  /** The epochs a run's samples were run for (epochs are numbered from 1); 1 for an empty run. */
  epochs(runId: string): number {
    const r = this.prepare("SELECT MAX(epoch) AS e FROM samples WHERE run_id = ?").get(runId) as Row;
    return r.e === null || r.e === undefined ? 1 : Number(r.e);
  }
}

/**
 * `CASE task WHEN ? THEN ? … END`: the headline metric of the row's task, so that one query reads each task's
 * headline score (tasks differ: exact for one, strict-match for another).
 */
export function headlineCase(headlines: Map<string, string>, column: string): { sql: string; params: string[] } {
  if (headlines.size === 0) return { sql: "NULL", params: [] };
  const params: string[] = [];
  let sql = `CASE ${column}`;
  for (const [task, metric] of headlines) {
    sql += " WHEN ? THEN ?";
    params.push(task, metric);
  }
  return { sql: `${sql} END`, params };
}

function pairSampleRow(r: Row): PairSampleRow {
  const side = (p: "a" | "b"): PairSide => ({
    itemKey: String(r[`${p}_key`]),
    status: r[`${p}_status`] === "error" ? "error" : "ok",
    errorClass: r[`${p}_error`] as string | null,
    output: r[`${p}_output`] as string | null,
    score: nullableNumber(r[`${p}_score`]),
    answer: r[`${p}_answer`] as string | null,
    latencyMs: nullableNumber(r[`${p}_latency`]),
  });
  return {
    task: String(r.task),
    sampleId: String(r.sample_id),
    epoch: Number(r.epoch),
    inputJson: String(r.input_json),
    targetJson: String(r.target_json),
    a: side("a"),
    b: side("b"),
  };
}
