/**
 * The run's data each claim needs, read from the store: paired scores (Store.pairedScores, the input of
 * `arbiter compare`) for score claims, and per-sample costs for cost claims. Every model and task a claim names
 * must be in the run; all problems are reported at once, each with the claim's file and line.
 *
 * A sample's cost is what its answer cost to produce: the model's successful calls for it (every turn and retry;
 * judge calls excluded), priced from the catalog at each call's own time (`costsByGroup`, as `arbiter show` does). A
 * sample served from the response cache is priced by the calls of the run that made its answer, so a partly cached
 * run does not look free.
 */

import { sql } from "kysely";
import { UserError } from "../core/errors.js";
import type { Catalog } from "../pricing/catalog.js";
import { costsByGroup, type PricedCallRow } from "../pricing/run-costs.js";
import type { Currency } from "../pricing/schema.js";
import { usageOfRow } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { CostEvidence } from "./cost-test.js";
import type { Evidence } from "./evaluate.js";
import type { ClaimsFile } from "./file.js";

/** Claims that name models, tasks or data the run does not have: one `file:line: …` line per problem. */
export class ClaimsRunError extends UserError {
  override name = "ClaimsRunError";
}

export interface PricingContext {
  catalog: Catalog;
  currency: Currency;
}

export async function gatherEvidence(
  store: Store,
  runId: string,
  file: ClaimsFile,
  pricing: PricingContext,
): Promise<Evidence[]> {
  const summary = await store.summary(runId);
  if (!summary) throw new ClaimsRunError(`no run "${runId}" in the store (see: arbiter runs)`);
  const tasksOf = new Map<string, Set<string>>();
  for (const g of summary.groups) {
    let set = tasksOf.get(g.model);
    if (!set) {
      set = new Set();
      tasksOf.set(g.model, set);
    }
    set.add(g.task);
  }
  const models = [...tasksOf.keys()].sort();
  const problems: string[] = [];
  const at = (line: number) => `${file.file}:${line}`;
  for (const entry of file.claims) {
    const { a, b, task } = entry.claim;
    for (const model of [a, b]) {
      const tasks = tasksOf.get(model);
      if (!tasks) {
        problems.push(
          `${at(entry.line)}: "${entry.text}": model "${model}" is not in run ${runId} (its models: ${models.join(", ") || "none"})`,
        );
      } else if (!tasks.has(task)) {
        problems.push(
          `${at(entry.line)}: "${entry.text}": run ${runId} has no task "${task}" for ${model} (its tasks: ${[...tasks].sort().join(", ")})`,
        );
      }
    }
  }
  if (problems.length > 0) throw new ClaimsRunError(problems.join("\n"));

  const headlines = await store.headlineMetrics(runId);
  const costCache = new Map<string, Map<string, number | null>>();
  const evidence: Evidence[] = [];
  for (const entry of file.claims) {
    const { claim } = entry;
    if (claim.kind === "cost-ratio") {
      const ev = await costEvidence(store, runId, claim.a, claim.b, claim.task, pricing, costCache);
      if (ev.unknown === undefined && ev.a.length === 0) {
        problems.push(
          `${at(entry.line)}: "${entry.text}": ${claim.a} and ${claim.b} have no successfully answered sample in common on ${claim.task}`,
        );
      }
      evidence.push(ev);
      continue;
    }
    const paired = (await store.pairedScores(runId, claim.a, claim.b, claim.task))[0];
    if (!paired || paired.a.length === 0) {
      problems.push(
        `${at(entry.line)}: "${entry.text}": ${claim.a} and ${claim.b} have no scored sample in common on ${claim.task}`,
      );
      evidence.push({ kind: "scores", metric: null, a: [], b: [] });
      continue;
    }
    evidence.push({ kind: "scores", metric: headlines.get(claim.task) ?? null, a: paired.a, b: paired.b });
  }
  if (problems.length > 0) throw new ClaimsRunError(problems.join("\n"));
  return evidence;
}

const sampleKey = (sampleId: string, epoch: number): string => `${sampleId}\u0000${epoch}`;

async function costEvidence(
  store: Store,
  runId: string,
  a: string,
  b: string,
  task: string,
  pricing: PricingContext,
  cache: Map<string, Map<string, number | null>>,
): Promise<CostEvidence> {
  const costsOf = async (model: string) => {
    const key = `${model}\u0000${task}`;
    let costs = cache.get(key);
    if (!costs) {
      costs = await sampleCosts(store, runId, model, task, pricing);
      cache.set(key, costs);
    }
    return costs;
  };
  const ca = await costsOf(a);
  const cb = await costsOf(b);
  const out: CostEvidence = { kind: "costs", currency: pricing.currency, a: [], b: [] };
  const unknownA: string[] = [];
  const unknownB: string[] = [];
  for (const [key, costA] of [...ca].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    if (!cb.has(key)) continue;
    const costB = cb.get(key) ?? null;
    if (costA === null) unknownA.push(key);
    if (costB === null) unknownB.push(key);
    if (costA !== null && costB !== null) {
      out.a.push(costA);
      out.b.push(costB);
    }
  }
  const reasons: string[] = [];
  for (const [model, missing] of [
    [a, unknownA],
    [b, unknownB],
  ] as const) {
    if (missing.length === 0) continue;
    const priceless = await unpricedModels(store, runId, model, task, pricing);
    reasons.push(
      `${missing.length} of ${model}'s samples could not be priced${priceless.length > 0 ? ` (${priceless.join(", ")}: no price in force in the catalog or the config's prices at the time of the calls, or usage without a count the price needs)` : " (no recorded call to price)"}`,
    );
  }
  if (reasons.length > 0) {
    return { kind: "costs", currency: pricing.currency, a: [], b: [], unknown: reasons.join("; ") };
  }
  return out;
}

type CallRow = {
  sample_id: string;
  epoch: number;
  provider: string;
  model: string;
  started_at: string;
  input_tokens: number | null;
  cached_input_tokens: number | null;
  cache_write_tokens: number | null;
  output_tokens: number | null;
  reasoning_tokens: number | null;
};

/** The model's successful calls for each of its answered samples of a task: this run's, or the cached answer's. */
async function callRows(store: Store, runId: string, model: string, task: string): Promise<CallRow[]> {
  const rows = await sql<CallRow>`
    SELECT s.sample_id, s.epoch, a.provider, a.model, a.started_at, a.input_tokens, a.cached_input_tokens,
      a.cache_write_tokens, a.output_tokens, a.reasoning_tokens
    FROM samples s
    JOIN attempts a ON a.run_id = s.run_id AND a.item_key = s.item_key
    WHERE s.run_id = ${runId} AND s.model = ${model} AND s.task = ${task} AND s.status = 'ok' AND s.cached = 0
      AND a.status = 'ok' AND a.role = 'model'
    UNION ALL
    SELECT s.sample_id, s.epoch, a.provider, a.model, a.started_at, a.input_tokens, a.cached_input_tokens,
      a.cache_write_tokens, a.output_tokens, a.reasoning_tokens
    FROM samples s
    JOIN attempts f ON f.id = s.final_attempt_id
    JOIN attempts a ON a.run_id = f.run_id AND a.item_key = f.item_key
    WHERE s.run_id = ${runId} AND s.model = ${model} AND s.task = ${task} AND s.status = 'ok' AND s.cached <> 0
      AND a.status = 'ok' AND a.role = 'model'`.execute(store.db);
  return rows.rows;
}

function pricedRows(rows: CallRow[]): PricedCallRow[] {
  return rows.map((r) => ({
    group: sampleKey(String(r.sample_id), Number(r.epoch)),
    provider: String(r.provider),
    model: String(r.model),
    startedAt: String(r.started_at),
    usage: usageOfRow(r),
    role: "model",
  }));
}

/** Cost of each answered sample (keyed by sample and epoch); null when any of its calls could not be priced. */
async function sampleCosts(
  store: Store,
  runId: string,
  model: string,
  task: string,
  pricing: PricingContext,
): Promise<Map<string, number | null>> {
  const answered = await sql<{ sample_id: string; epoch: number }>`
    SELECT sample_id, epoch FROM samples
    WHERE run_id = ${runId} AND model = ${model} AND task = ${task} AND status = 'ok'`.execute(store.db);
  const costs = costsByGroup(pricedRows(await callRows(store, runId, model, task)), pricing.catalog, pricing.currency);
  const out = new Map<string, number | null>();
  for (const s of answered.rows) {
    const key = sampleKey(String(s.sample_id), Number(s.epoch));
    const c = costs.get(key);
    out.set(key, c && c.unpricedCalls === 0 && c.total !== null ? c.total : null);
  }
  return out;
}

async function unpricedModels(
  store: Store,
  runId: string,
  model: string,
  task: string,
  pricing: PricingContext,
): Promise<string[]> {
  const costs = costsByGroup(pricedRows(await callRows(store, runId, model, task)), pricing.catalog, pricing.currency);
  return [...new Set([...costs.values()].flatMap((c) => c.unpricedModels))].sort();
}
