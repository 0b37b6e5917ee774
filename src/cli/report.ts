import { type Catalog, loadCatalog, withRunPrices } from "../pricing/catalog.js";
import { CURRENCIES, type Currency } from "../pricing/schema.js";
import { buildRunReport, type RunReport } from "../report/run-report.js";
import type { RunSpec } from "../runner/spec.js";
import type { Store } from "../store/store.js";
import { UsageError } from "./errors.js";
import { formatSummary } from "./format.js";
import { costWarnings, summaryJSON } from "./json.js";

/** A run's report in the currency asked for, else the run's own (config `currency:`), else USD. */
export async function reportFor(store: Store, runId: string, currencyFlag?: string): Promise<RunReport | null> {
  const run = await store.getRun(runId);
  if (!run) return null;
  const spec = run.spec as RunSpec;
  const currency = reportingCurrency(currencyFlag ?? spec.currency);
  return buildRunReport(store, runId, await catalogFor(spec), currency);
}

let bundledCatalog: Promise<Catalog> | undefined;

/**
 * The catalog with the run's own prices (config `prices:`) merged over it. The bundled catalog is read once per
 * process: a report needs it for the summary and again for its charts.
 */
export async function catalogFor(spec: Pick<RunSpec, "prices"> | null): Promise<Catalog> {
  bundledCatalog ??= loadCatalog();
  return withRunPrices(await bundledCatalog, spec);
}

export function reportingCurrency(code: string | undefined): Currency {
  const upper = (code ?? "USD").toUpperCase();
  if (!(CURRENCIES as readonly string[]).includes(upper)) {
    throw new UsageError(`currency "${code}": the catalog has rates for ${CURRENCIES.join(" and ")}`);
  }
  return upper as Currency;
}

export function printReport(report: RunReport, json: boolean | undefined): void {
  for (const warning of costWarnings(report)) process.stderr.write(`${warning}\n`);
  process.stdout.write(json ? `${JSON.stringify(summaryJSON(report), null, 2)}\n` : `${formatSummary(report)}\n`);
}
