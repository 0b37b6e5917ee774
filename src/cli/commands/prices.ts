import { type Catalog, findPrice, loadCatalog, priceHistory } from "../../pricing/catalog.js";
import type { Currency, PriceRecord } from "../../pricing/schema.js";
import { parseDate } from "../dates.js";
import { UsageError } from "../errors.js";
import { reportingCurrency } from "../report.js";

export interface PricesFlags {
  at?: string;
  currency?: string;
  history?: boolean;
  json?: boolean;
}

/**
 * `arbiter prices [MODEL]`: the prices in force at a date (now by default), or a model's whole history — the
 * price war as a timeline, each row with its source.
 */
export async function pricesCommand(model: string | undefined, flags: PricesFlags): Promise<void> {
  const catalog = await loadCatalog();
  const at = flags.at ? parseDate(flags.at, "--at") : new Date();
  const currency = flags.currency ? reportingCurrency(flags.currency) : undefined;
  let records: PriceRecord[];
  if (flags.history) {
    if (!model) throw new UsageError("--history needs a model, e.g. arbiter prices deepseek-chat --history");
    records = priceHistory(catalog, model, currency ? { currency } : {});
  } else {
    records = inForce(catalog, model, at, currency);
  }
  if (records.length === 0) {
    const scope = model ? `for "${model}"` : "";
    throw new UsageError(`no prices ${scope} ${flags.history ? "in the catalog" : `in force at ${at.toISOString()}`}`);
  }
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ at: flags.history ? null : at.toISOString(), prices: records }, null, 2)}\n`,
    );
    return;
  }
  process.stdout.write(
    `${flags.history ? `price history of ${model}` : `prices in force at ${at.toISOString()}`} (per million tokens)\n\n`,
  );
  for (const r of records) process.stdout.write(`${formatRecord(r, flags.history === true)}\n`);
}

function inForce(catalog: Catalog, model: string | undefined, at: Date, currency: Currency | undefined): PriceRecord[] {
  const models = model ? [model] : [...new Set(catalog.prices.map((r) => `${r.provider}\u0000${r.model}`))];
  const found = new Map<string, PriceRecord>();
  for (const m of models) {
    const [provider, id] = m.includes("\u0000") ? (m.split("\u0000") as [string, string]) : [undefined, m];
    const query = { model: id, at, ...(provider ? { provider } : {}), ...(currency ? { currency } : {}) };
    const record = findPrice(catalog, query);
    if (record) found.set(record.id, record);
  }
  return [...found.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
}

function price(value: number | null): string {
  return value === null ? "-" : String(value);
}

function formatRecord(r: PriceRecord, withSource: boolean): string {
  const symbol = r.currency === "CNY" ? "¥" : "$";
  const from = r.effectiveFrom ? r.effectiveFrom.slice(0, 16).replace("T", " ") : "?";
  const to = r.effectiveTo ? r.effectiveTo.slice(0, 16).replace("T", " ") : "now";
  const parts = [
    `${r.provider}/${r.model}`.padEnd(34),
    `${from} → ${to}`.padEnd(36),
    `${symbol} in ${price(r.input)}  cached ${price(r.cachedInput)}  out ${price(r.output)}`.padEnd(44),
  ];
  if (r.offPeak.length > 0) {
    parts.push(`off-peak ${r.offPeak.map((w) => `${w.fromUTC}–${w.toUTC} UTC`).join(", ")}`);
  }
  if (r.contextTiers.length > 0) parts.push(`${r.contextTiers.length} context tier(s)`);
  if (!r.verified) parts.push("(unverified)");
  let line = parts.join("  ").trimEnd();
  if (withSource) line += `\n    ${r.displayName}: "${r.source_quote.slice(0, 140)}"\n    ${r.source_url}`;
  return line;
}
