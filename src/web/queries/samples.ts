/**
 * The run detail's samples: filtered, searched and paged on the server, never the whole run at once. Pages are
 * keyset pages in (model, task, sample, epoch) order over the samples_by_group index (migration 0003): the next
 * page starts after the last row shown, so page 2,000 costs what page 1 does. Counts under the same filters come
 * from the index alone unless a score filter or a search needs the rows.
 */
import type { Catalog } from "../../pricing/catalog.js";
import type { Currency } from "../../pricing/schema.js";
import { targetText } from "../../report/formatting.js";
import { headlineCase, type RunData } from "../../report/run-data.js";
import { measuredLatencySql, nullableNumber, usageOfRow } from "../../store/records.js";
import type { AttemptDetail, SampleDetail, SampleRow, SamplesPage } from "../api-types.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { callCost } from "./item-cost.js";

export const SCORE_FILTERS = ["pass", "fail", "none"] as const;
export type ScoreFilter = (typeof SCORE_FILTERS)[number];

export interface SampleFilters {
  model?: string;
  task?: string;
  status?: "ok" | "error";
  /** pass: headline score ≥ 1 (full marks on 0–1); fail: below 1; none: no headline score (failed or unscored). */
  score?: ScoreFilter;
  /** Case-insensitive substring of the answer, the prompt or the sample id. */
  q?: string;
}

export interface PageRequest {
  after?: string;
  before?: string;
  limit: number;
}

const PREVIEW_CHARS = 240;
type Row = Record<string, unknown>;
type Key = [string, string, string, number];

const SCORE_SQL: Record<ScoreFilter, string> = {
  pass: "sc.value >= 1",
  fail: "sc.value < 1",
  none: "sc.value IS NULL",
};

/** LIKE pattern for a literal substring (% and _ in the query match themselves). */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, "\\$&")}%`;
}

function where(runId: string, headlines: Map<string, string>, f: SampleFilters) {
  const clauses = ["s.run_id = ?"];
  const params: unknown[] = [runId];
  if (f.model !== undefined) {
    clauses.push("s.model = ?");
    params.push(f.model);
  }
  if (f.task !== undefined) {
    clauses.push("s.task = ?");
    params.push(f.task);
  }
  if (f.status !== undefined) {
    clauses.push("s.status = ?");
    params.push(f.status);
  }
  const joinParams: unknown[] = [];
  let joins = "";
  const needScores = f.score !== undefined;
  const needAnswer = f.q !== undefined && f.q !== "";
  if (needScores) {
    const metric = headlineCase(headlines, "s.task");
    joins += ` LEFT JOIN scores sc ON sc.run_id = s.run_id AND sc.item_key = s.item_key AND sc.scorer = ${metric.sql}`;
    joinParams.push(...metric.params);
    clauses.push(SCORE_SQL[f.score as ScoreFilter]);
  }
  if (needAnswer) {
    joins += " LEFT JOIN attempts a ON a.id = s.final_attempt_id";
    const pattern = likePattern(f.q as string);
    clauses.push("(a.output LIKE ? ESCAPE '\\' OR s.sample_id LIKE ? ESCAPE '\\' OR s.input_json LIKE ? ESCAPE '\\')");
    params.push(pattern, pattern, pattern);
  }
  return { joins, joinParams, clauses, params };
}

/**
 * The keyset condition: the index's leading columns fixed by equality filters are left out of the row value, so
 * that SQLite seeks straight to the cursor instead of scanning from the start of the model's samples.
 */
function keyset(f: SampleFilters, key: Key, op: ">" | "<"): { sql: string; params: unknown[] } {
  const [model, task, sampleId, epoch] = key;
  if (f.model !== undefined && f.task !== undefined) {
    return { sql: `(s.sample_id, s.epoch) ${op} (?, ?)`, params: [sampleId, epoch] };
  }
  if (f.model !== undefined)
    return { sql: `(s.task, s.sample_id, s.epoch) ${op} (?, ?, ?)`, params: [task, sampleId, epoch] };
  return { sql: `(s.model, s.task, s.sample_id, s.epoch) ${op} (?, ?, ?, ?)`, params: [model, task, sampleId, epoch] };
}

export function samplesPage(
  data: RunData,
  runId: string,
  headlines: Map<string, string>,
  filters: SampleFilters,
  page: PageRequest,
): SamplesPage {
  const w = where(runId, headlines, filters);
  const backward = page.before !== undefined;
  const cursor = decodeCursor<Key>(page.before ?? page.after, isKey);
  const clauses = [...w.clauses];
  const params = [...w.params];
  if (cursor) {
    const k = keyset(filters, cursor, backward ? "<" : ">");
    clauses.push(k.sql);
    params.push(...k.params);
  }
  const dir = backward ? " DESC" : "";
  const metric = headlineCase(headlines, "s.task");
  const sql = `SELECT s.item_key, s.model, s.task, s.sample_id, s.epoch, s.status, s.error_class, s.cached,
      substr(fa.output, 1, ${PREVIEW_CHARS}) AS preview, length(fa.output) AS output_length, ${measuredLatencySql("fa")} AS latency_ms, fa.ttft_ms,
      fa.output_tokens, hs.value AS score, hs.answer
    FROM samples s${w.joins}
    LEFT JOIN attempts fa ON fa.id = s.final_attempt_id
    LEFT JOIN scores hs ON hs.run_id = s.run_id AND hs.item_key = s.item_key AND hs.scorer = ${metric.sql}
    WHERE ${clauses.join(" AND ")}
    ORDER BY s.model${dir}, s.task${dir}, s.sample_id${dir}, s.epoch${dir}
    LIMIT ?`;
  const rows = data.prepare(sql).all(...w.joinParams, ...metric.params, ...params, page.limit + 1) as Row[];
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  if (backward) shown.reverse();
  const out = shown.map(sampleRow);
  const first = out[0];
  const last = out.at(-1);
  const keyOf = (r: SampleRow): Key => [r.model, r.task, r.sampleId, r.epoch];
  // Going forward, a previous page exists when we came from a cursor; going back, a next page always does.
  const hasNext = backward ? cursor !== null : more;
  const hasPrev = backward ? more : cursor !== null;
  return {
    rows: out,
    total: countSamples(data, runId, headlines, filters),
    next: hasNext && last ? encodeCursor(keyOf(last)) : null,
    prev: hasPrev && first ? encodeCursor(keyOf(first)) : null,
  };
}

function countSamples(data: RunData, runId: string, headlines: Map<string, string>, filters: SampleFilters): number {
  const w = where(runId, headlines, filters);
  const r = data
    .prepare(`SELECT COUNT(*) AS n FROM samples s${w.joins} WHERE ${w.clauses.join(" AND ")}`)
    .get(...w.joinParams, ...w.params) as Row;
  return Number(r.n);
}

function sampleRow(r: Row): SampleRow {
  return {
    itemKey: String(r.item_key),
    model: String(r.model),
    task: String(r.task),
    sampleId: String(r.sample_id),
    epoch: Number(r.epoch),
    status: r.status === "error" ? "error" : "ok",
    errorClass: r.error_class as string | null,
    cached: Number(r.cached) === 1,
    outputPreview: r.preview as string | null,
    outputLength: Number(r.output_length ?? 0),
    score: nullableNumber(r.score),
    answer: r.answer as string | null,
    latencyMs: nullableNumber(r.latency_ms),
    ttftMs: nullableNumber(r.ttft_ms),
    outputTokens: nullableNumber(r.output_tokens),
  };
}

function isKey(v: unknown): v is Key {
  return (
    Array.isArray(v) &&
    v.length === 4 &&
    typeof v[0] === "string" &&
    typeof v[1] === "string" &&
    typeof v[2] === "string" &&
    Number.isInteger(v[3])
  );
}

/** One sample with every attempt (the judge's too), its scores and what each call cost. */
export function sampleDetail(
  data: RunData,
  runId: string,
  itemKey: string,
  catalog: Catalog,
  currency: Currency,
): SampleDetail | null {
  const s = data.prepare("SELECT * FROM samples WHERE run_id = ? AND item_key = ?").get(runId, itemKey) as
    | Row
    | undefined;
  if (!s) return null;
  const attempts = (
    data.prepare("SELECT * FROM attempts WHERE run_id = ? AND item_key = ? ORDER BY id").all(runId, itemKey) as Row[]
  ).map((a) => attemptDetail(a, catalog, currency));
  const finalId = nullableNumber(s.final_attempt_id);
  let final = attempts.find((a) => a.id === finalId) ?? null;
  if (finalId !== null && final === null) {
    // Served from the cache: the answer is an attempt of an earlier run.
    const row = data.prepare("SELECT * FROM attempts WHERE id = ?").get(finalId) as Row | undefined;
    final = row ? attemptDetail(row, catalog, currency) : null;
  }
  const scores = (
    data
      .prepare("SELECT scorer, value, answer, explanation FROM scores WHERE run_id = ? AND item_key = ? ORDER BY id")
      .all(runId, itemKey) as Row[]
  ).map((r) => ({
    metric: String(r.scorer),
    value: Number(r.value),
    answer: r.answer as string | null,
    explanation: r.explanation as string | null,
  }));
  return {
    itemKey,
    model: String(s.model),
    task: String(s.task),
    sampleId: String(s.sample_id),
    epoch: Number(s.epoch),
    category: s.category as string | null,
    status: s.status === "error" ? "error" : "ok",
    errorClass: s.error_class as string | null,
    errorMessage: s.error_message as string | null,
    messages: parseMessages(String(s.input_json)),
    target: targetText(String(s.target_json)),
    output: final?.output ?? null,
    reasoning: final?.reasoning ?? null,
    turns: s.turns_json ? (JSON.parse(String(s.turns_json)) as string[]) : null,
    cachedFrom: Number(s.cached) === 1 ? finalId : null,
    scores,
    attempts,
    currency,
  };
}

function parseMessages(json: string): { role: string; content: string }[] {
  try {
    const parsed = JSON.parse(json) as { role: unknown; content: unknown }[];
    return parsed.map((m) => ({ role: String(m.role), content: String(m.content) }));
  } catch {
    return [{ role: "user", content: json }];
  }
}

function attemptDetail(a: Row, catalog: Catalog, currency: Currency): AttemptDetail {
  const usage = usageOfRow(a);
  const ok = a.status === "ok";
  return {
    id: Number(a.id),
    attemptNo: Number(a.attempt_no),
    role: String(a.role ?? "model"),
    turn: Number(a.turn ?? 1),
    provider: String(a.provider),
    model: String(a.model),
    reportedModel: a.reported_model as string | null,
    startedAt: String(a.started_at),
    status: ok ? "ok" : "error",
    errorClass: a.error_class as string | null,
    errorMessage: a.error_message as string | null,
    httpStatus: nullableNumber(a.http_status),
    output: a.output as string | null,
    reasoning: a.reasoning as string | null,
    finishReason: a.finish_reason as string | null,
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
    latencyMs: Number(a.latency_ms),
    ttftMs: nullableNumber(a.ttft_ms),
    ttfatMs: nullableNumber(a.ttfat_ms),
    outputTps: nullableNumber(a.output_tps),
    // A failed call is not billed.
    cost: ok
      ? callCost(
          catalog,
          currency,
          String(a.provider),
          String(a.model),
          usage,
          String(a.started_at),
          nullableNumber(a.latency_ms),
        )
      : 0,
  };
}
