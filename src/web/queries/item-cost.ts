/** What one sample's calls cost, for the per-sample views (a page of rows, never a whole run). */
import type { Usage } from "../../core/types.js";
import type { Catalog } from "../../pricing/catalog.js";
import { priceCall } from "../../pricing/run-costs.js";
import type { Currency } from "../../pricing/schema.js";
import type { RunData } from "../../report/run-data.js";
import { usageOfRow } from "../../store/records.js";

/** One call priced at its own time in `currency`; null when the catalog cannot price it. */
export function callCost(
  catalog: Catalog,
  currency: Currency,
  provider: string,
  model: string,
  usage: Usage,
  startedAt: string,
  latencyMs?: number | null,
): number | null {
  return priceCall(catalog, currency, provider, model, usage, new Date(startedAt), latencyMs)?.total ?? null;
}

/**
 * The model-under-test calls this run made for a sample (failed calls cost nothing; an answer served from the cache
 * cost nothing in this run); null when any of them could not be priced.
 */
export function itemCost(
  data: RunData,
  runId: string,
  itemKey: string,
  catalog: Catalog,
  currency: Currency,
): number | null {
  const rows = data
    .prepare(
      `SELECT provider, model, started_at, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens,
         reasoning_tokens, latency_ms
       FROM attempts WHERE run_id = ? AND item_key = ? AND status = 'ok' AND role = 'model'`,
    )
    .all(runId, itemKey) as Record<string, string | number | null>[];
  let total = 0;
  for (const r of rows) {
    const cost = callCost(
      catalog,
      currency,
      String(r.provider),
      String(r.model),
      usageOfRow(r),
      String(r.started_at),
      r.latency_ms as number | null,
    );
    if (cost === null) return null;
    total += cost;
  }
  return total;
}
