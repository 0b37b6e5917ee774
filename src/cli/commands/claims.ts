import { readFile } from "node:fs/promises";
import {
  apiModelsById,
  evaluateClaims,
  formatClaimsReport,
  formatVendorClaims,
  gatherEvidence,
  loadVendorClaims,
  parseClaimsFile,
  type RunGroupScores,
  selectVendorClaims,
  vendorModelNames,
  withMeasured,
} from "../../claims/index.js";
import { DEFAULT_CATALOG_DIR, loadCatalog } from "../../pricing/catalog.js";
import type { RunSpec } from "../../runner/spec.js";
import type { RunInfo } from "../../store/records.js";
import type { Store } from "../../store/store.js";
import { UsageError } from "../errors.js";
import { catalogFor, reportingCurrency } from "../report.js";
import { openStore } from "../store-path.js";

export interface ClaimsFlags {
  run?: string;
  vendor?: string | boolean;
  json?: boolean;
  db?: string;
  currency?: string;
}

export async function claimsAction(file: string | undefined, flags: ClaimsFlags): Promise<void> {
  if (flags.vendor !== undefined) {
    if (file !== undefined) {
      throw new UsageError(
        `give a claims file or --vendor, not both (got "${file}"; for one model's published claims: arbiter claims --vendor MODEL)`,
      );
    }
    await vendorClaims(typeof flags.vendor === "string" ? flags.vendor : undefined, flags);
    return;
  }
  if (file === undefined) {
    throw new UsageError(
      "give a claims file (e.g. arbiter claims examples/claims.yaml --run RUN) or --vendor [MODEL] for published claims",
    );
  }
  await checkClaims(file, flags);
}

async function checkClaims(path: string, flags: ClaimsFlags): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === "ENOENT" ? "file not found" : (error as Error).message}`);
  }
  const claims = parseClaimsFile(text, path);
  const store = await openStore(flags.db);
  try {
    const runId = flags.run ?? (await store.listRuns(1))[0]?.id;
    if (!runId) throw new UsageError("no runs in the store yet (see: arbiter run)");
    const run = await store.getRun(runId);
    if (!run) throw new UsageError(`no run "${runId}" in the store (see: arbiter runs)`);
    const spec = run.spec as RunSpec;
    const pricing = { catalog: await catalogFor(spec), currency: reportingCurrency(flags.currency ?? spec.currency) };
    const evidence = await gatherEvidence(store, runId, claims, pricing);
    const report = evaluateClaims(claims, evidence);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ runId, ...report }, null, 2)}\n`);
      return;
    }
    process.stdout.write(formatClaimsReport(report, runId));
  } finally {
    await store.close();
  }
}

async function vendorClaims(model: string | undefined, flags: ClaimsFlags): Promise<void> {
  const all = await loadVendorClaims(DEFAULT_CATALOG_DIR);
  const selected = selectVendorClaims(all, model);
  if (!selected) {
    throw new UsageError(
      `no published claims about "${model}"; models with claims: ${vendorModelNames(all).join(", ")} (an API id such as deepseek/deepseek-chat works too)`,
    );
  }
  let run: { id: string; createdAt: string } | null = null;
  let groups: RunGroupScores[] = [];
  if (flags.run !== undefined) {
    const store = await openStore(flags.db);
    try {
      const info = await store.getRun(flags.run);
      if (!info) throw new UsageError(`no run "${flags.run}" in the store (see: arbiter runs)`);
      run = { id: info.id, createdAt: info.createdAt };
      groups = await runGroups(store, info, new Set(selected.flatMap((c) => (c.task ? [c.task] : []))));
    } finally {
      await store.close();
    }
  }
  const catalog = await loadCatalog();
  const rows = withMeasured(selected, groups, apiModelsById(catalog));
  if (flags.json) {
    const claims = rows.map(({ claim, measured, competitors }) =>
      run === null ? claim : { ...claim, measured, competitorsMeasured: competitors },
    );
    const doc = { runId: run?.id ?? null, runCreatedAt: run?.createdAt ?? null, model: model ?? null, claims };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatVendorClaims(rows, run));
}

/** The run's model × task groups on the given tasks, with per-sample headline scores. */
async function runGroups(store: Store, run: RunInfo, tasks: Set<string>): Promise<RunGroupScores[]> {
  const runId = run.id;
  const summary = await store.summary(runId);
  const spec = run.spec as Partial<RunSpec>;
  const refOf = new Map((spec.models ?? []).map((m) => [m.label, m.ref]));
  const groups: RunGroupScores[] = [];
  for (const g of summary?.groups ?? []) {
    if (!tasks.has(g.task)) continue;
    // Pairing a model with itself yields its own scores on the headline metric, sample by sample.
    const own = (await store.pairedScores(runId, g.model, g.model, g.task))[0];
    groups.push({
      label: g.model,
      ref: refOf.get(g.model) ?? g.model,
      task: g.task,
      metric: g.metric,
      scores: own?.a ?? [],
    });
  }
  return groups;
}
