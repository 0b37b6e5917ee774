/**
 * What the dashboard's handlers share: the store (for run summaries and reports), a read-only connection for the
 * paged and per-sample queries, the price catalog, and a small cache of the expensive views (a 100k-sample run's
 * report prices every call). A cached view is keyed by the run's state (status, samples done, end time): a
 * finished run's views are computed once, a running run's are recomputed as it progresses.
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import { loadVendorClaims, type VendorClaim } from "../claims/vendor.js";
import { type Catalog, DEFAULT_CATALOG_DIR, loadCatalog, withRunPrices } from "../pricing/catalog.js";
import { CURRENCIES, type Currency } from "../pricing/schema.js";
import { RunData } from "../report/run-data.js";
import { buildRunReport, type RunReport } from "../report/run-report.js";
import type { RunSpec } from "../runner/spec.js";
import type { RunInfo } from "../store/records.js";
import { Store } from "../store/store.js";

/** A request the client got wrong: HTTP 400 with this message. */
export class BadRequest extends Error {
  override name = "BadRequest";
}

/** HTTP 404 with this message. */
export class NotFound extends Error {
  override name = "NotFound";
}

/** Least-recently-used cache of promises: concurrent requests for the same view share one computation. */
class Memo {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly capacity: number) {}

  get<T>(key: string, compute: () => Promise<T> | T): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit as Promise<T>;
    }
    const value = Promise.resolve().then(compute);
    this.entries.set(key, value);
    // A failure is not remembered: the next request tries again.
    value.catch(() => this.entries.delete(key));
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return value;
  }
}

export class WebContext {
  readonly memo = new Memo(64);

  private constructor(
    readonly store: Store,
    readonly data: RunData,
    readonly catalog: Catalog,
    readonly catalogDir: string,
  ) {}

  /** Opens the store (migrating it), a read-only connection beside it, and the catalog. */
  static async open(dbPath: string, catalogDir: string = DEFAULT_CATALOG_DIR): Promise<WebContext> {
    const store = await Store.open(dbPath);
    try {
      const catalog = await loadCatalog(catalogDir);
      return new WebContext(store, RunData.open(dbPath), catalog, catalogDir);
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.data.close();
    await this.store.close();
  }

  async run(runId: string): Promise<RunInfo> {
    const run = await this.store.getRun(runId);
    if (!run) throw new NotFound(`no run "${runId}" in the store`);
    return run;
  }

  /** Changes whenever the run's results can have changed. */
  version(run: RunInfo): string {
    return `${run.id}\u0000${run.status}\u0000${run.done}\u0000${run.endedAt ?? ""}`;
  }

  cached<T>(run: RunInfo, what: string, compute: () => Promise<T> | T): Promise<T> {
    return this.memo.get(`${this.version(run)}\u0000${what}`, compute);
  }

  headlines(run: RunInfo): Promise<Map<string, string>> {
    return this.cached(run, "headlines", () => this.store.headlineMetrics(run.id));
  }

  /** The catalog with the run's own prices (config `prices:`) merged over it, as the CLI prices the run. */
  catalogFor(run: RunInfo): Catalog {
    return withRunPrices(this.catalog, run.spec as Partial<RunSpec> | null);
  }

  /** The reporting currency: the one asked for, else the run's (config `currency:`), else USD. */
  currency(run: RunInfo, asked: string | undefined): Currency {
    const code = (asked || (run.spec as Partial<RunSpec> | null)?.currency || "USD").toUpperCase();
    if (!(CURRENCIES as readonly string[]).includes(code)) {
      throw new BadRequest(`currency "${asked}": expected ${CURRENCIES.join(" or ")}`);
    }
    return code as Currency;
  }

  private vendor: Promise<VendorClaim[] | null> | undefined;

  /** The catalog's vendor claims (claims.json), read once; null when the catalog has none. */
  vendorClaims(): Promise<VendorClaim[] | null> {
    this.vendor ??= access(join(this.catalogDir, "claims.json")).then(
      () => loadVendorClaims(this.catalogDir),
      () => null,
    );
    return this.vendor;
  }

  report(run: RunInfo, currency: Currency): Promise<RunReport> {
    return this.cached(run, `report\u0000${currency}`, async () => {
      const report = await buildRunReport(this.store, run.id, this.catalogFor(run), currency);
      if (!report) throw new NotFound(`no run "${run.id}" in the store`);
      return report;
    });
  }
}
