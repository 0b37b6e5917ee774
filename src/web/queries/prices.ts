/**
 * The price catalog's history as a timeline: each model's price records (src/pricing/catalog.ts priceHistory) as
 * step lines of input and output price per million tokens, in USD or CNY. A record listed in the other currency is
 * converted at each month's USD/CNY rate (src/pricing/fx.ts: the latest earlier month's when a month has none), so
 * its line moves with the rate and has a gap before the first rate; a vendor's own list in the chosen currency is a separate, unconverted line (DeepSeek
 * and Alibaba set their CNY and USD lists apart).
 */
import { type Catalog, priceHistory } from "../../pricing/catalog.js";
import { convert } from "../../pricing/fx.js";
import type { Currency, PriceRecord } from "../../pricing/schema.js";
import { safeHttpUrl } from "../../report/formatting.js";
import type { PriceModel, PriceRow, PriceSeries, PricesResponse } from "../api-types.js";

/** Every provider/model the catalog prices, the most re-priced first (the most interesting timelines). */
export function priceModels(catalog: Catalog): PriceModel[] {
  const byRef = new Map<string, PriceModel>();
  for (const r of catalog.prices) {
    const ref = `${r.provider}/${r.model}`;
    const m = byRef.get(ref) ?? { ref, displayName: r.displayName, records: 0 };
    m.records++;
    byRef.set(ref, m);
  }
  return [...byRef.values()].sort((a, b) => b.records - a.records || a.ref.localeCompare(b.ref));
}

/** A ref as the catalog knows it: provider/model when the first segment is a catalog provider, else a bare id. */
function recordsOf(catalog: Catalog, ref: string): PriceRecord[] {
  const slash = ref.indexOf("/");
  if (slash > 0 && catalog.providers[ref.slice(0, slash)] !== undefined) {
    return priceHistory(catalog, ref.slice(slash + 1), { provider: ref.slice(0, slash) });
  }
  return priceHistory(catalog, ref);
}

/** Month starts (UTC) strictly between two times: where a converted price can change. */
function monthStarts(from: number, to: number): number[] {
  const out: number[] = [];
  const d = new Date(from);
  let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  while (t < to) {
    out.push(t);
    const m = new Date(t);
    t = Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1);
  }
  return out;
}

export function pricesView(
  catalog: Catalog,
  refs: string[],
  currency: Currency,
  now: Date = new Date(),
): PricesResponse {
  const found = refs.map((ref) => ({ ref, records: recordsOf(catalog, ref) }));
  const records = found.flatMap((f) => f.records);
  const known = records.flatMap((r) => (r.effectiveFrom ? [Date.parse(r.effectiveFrom)] : []));
  // A record whose start is unknown is drawn from the earliest known start on the chart.
  const chartStart = known.length > 0 ? Math.min(...known) : Date.UTC(now.getUTCFullYear(), 0, 1);
  const groups = new Map<string, PriceRecord[]>();
  for (const r of records) {
    const key = [r.provider, r.model, r.region, r.currency, r.priceKind].join("\u0000");
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const series: PriceSeries[] = [];
  for (const list of groups.values()) {
    const first = list[0] as PriceRecord;
    const converted = first.currency !== currency;
    const input: [string, number | null][] = [];
    const output: [string, number | null][] = [];
    const value = (price: number | null, at: number): number | null => {
      if (price === null) return null;
      if (!converted) return price;
      return convert(price, first.currency, currency, new Date(at), catalog.fx)?.amount ?? null;
    };
    list.forEach((r, i) => {
      const start = r.effectiveFrom ? Date.parse(r.effectiveFrom) : chartStart;
      const end = r.effectiveTo ? Date.parse(r.effectiveTo) : now.getTime();
      if (end <= start) return;
      const times = [start, ...(converted ? monthStarts(start, end) : []), end];
      for (const t of times) {
        const iso = new Date(t).toISOString();
        input.push([iso, value(r.input, Math.min(t, end - 1))]);
        output.push([iso, value(r.output, Math.min(t, end - 1))]);
      }
      const next = list[i + 1];
      const nextStart = next?.effectiveFrom ? Date.parse(next.effectiveFrom) : null;
      if (nextStart === null || nextStart > end) {
        // A gap before the next record (or the end): break the line rather than bridge it.
        const iso = new Date(end).toISOString();
        input.push([iso, null]);
        output.push([iso, null]);
      }
    });
    const kind = first.priceKind === "list" ? "" : ` [${first.priceKind}]`;
    series.push({
      name: `${first.provider}/${first.model} · ${first.region} list${converted ? ` (${first.currency}→${currency})` : ` (${currency})`}${kind}`,
      ref: `${first.provider}/${first.model}`,
      region: first.region,
      listedIn: first.currency,
      converted,
      input,
      output,
    });
  }
  return {
    currency,
    models: refs,
    series,
    records: records.map(priceRow),
    unknown: found.filter((f) => f.records.length === 0).map((f) => f.ref),
  };
}

function priceRow(r: PriceRecord): PriceRow {
  const offPeak = r.offPeak.length
    ? r.offPeak
        .map(
          (w) =>
            `${w.fromUTC}–${w.toUTC} UTC: ${w.multiplier !== null ? `× ${w.multiplier}` : `in ${w.prices?.input ?? "-"}, cached ${w.prices?.cachedInput ?? "-"}, out ${w.prices?.output ?? "-"}`}`,
        )
        .join("; ")
    : null;
  return {
    id: r.id,
    ref: `${r.provider}/${r.model}`,
    displayName: r.displayName,
    region: r.region,
    currency: r.currency,
    kind: r.priceKind,
    from: r.effectiveFrom,
    to: r.effectiveTo,
    input: r.input,
    cachedInput: r.cachedInput,
    output: r.output,
    offPeak,
    verified: r.verified,
    sourceUrl: safeHttpUrl(r.source_url),
    sourceQuote: r.source_quote,
    notes: r.notes,
  };
}
