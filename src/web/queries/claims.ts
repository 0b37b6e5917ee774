/**
 * The Claims page's data, all in this one module: vendors' published benchmark numbers (data/catalog/claims.json,
 * read and matched by src/claims/vendor.ts) with, beside each, what the chosen run measured for the same model ×
 * task (without a claims file the page says so instead of failing); and verdicts on claims the user writes about the
 * run ("A > B on T", non-inferiority, equivalence, cost ratios), tested exactly as `arbiter claims FILE` tests them.
 */
import { evaluateClaims } from "../../claims/evaluate.js";
import { ClaimsRunError, gatherEvidence } from "../../claims/evidence.js";
import { ClaimsFileError, parseClaimsFile } from "../../claims/file.js";
import { apiModelsById, type RunGroupScores, type VendorClaim, withMeasured } from "../../claims/vendor.js";
import type { Catalog } from "../../pricing/catalog.js";
import type { Currency } from "../../pricing/schema.js";
import { safeHttpUrl } from "../../report/formatting.js";
import type { RunSpec } from "../../runner/spec.js";
import type { RunInfo } from "../../store/records.js";
import type { Store } from "../../store/store.js";
import type { ClaimRow, ClaimsCheckResponse, ClaimsResponse } from "../api-types.js";
import { BadRequest } from "../context.js";

/** Longest claims text accepted: a claims file is a few dozen lines. */
export const MAX_CLAIMS_TEXT = 20_000;
/** Claims in one check: each may run a 10,000-resample bootstrap. */
const MAX_CLAIMS = 50;

/**
 * Verdicts on a claims file's text (what `arbiter claims FILE --run RUN` prints, as data). A mistake in the text or a
 * model or task the run lacks is the user's to fix: BadRequest with the line it is on.
 */
export async function checkClaims(
  store: Store,
  run: RunInfo,
  text: string,
  pricing: { catalog: Catalog; currency: Currency },
): Promise<ClaimsCheckResponse> {
  if (text.length > MAX_CLAIMS_TEXT) {
    throw new BadRequest(`claims: at most ${MAX_CLAIMS_TEXT.toLocaleString("en-US")} characters of text`);
  }
  try {
    const file = parseClaimsFile(text, "claims");
    if (file.claims.length === 0) throw new BadRequest("claims: no claim to check (write one per line under claims:)");
    if (file.claims.length > MAX_CLAIMS) throw new BadRequest(`claims: at most ${MAX_CLAIMS} claims at once`);
    const evidence = await gatherEvidence(store, run.id, file, pricing);
    return { runId: run.id, report: evaluateClaims(file, evidence) };
  } catch (error) {
    if (error instanceof ClaimsFileError || error instanceof ClaimsRunError) throw new BadRequest(error.message);
    throw error;
  }
}

/** `claims`: the catalog's vendor claims, null when the catalog has none. */
export function claimsView(
  store: Store,
  claims: VendorClaim[] | null,
  catalog: Catalog,
  run: RunInfo | null,
  headlines: Map<string, string>,
): ClaimsResponse {
  if (claims === null) return { available: false, runId: run?.id ?? null, rows: [] };
  const tasks = new Set(claims.flatMap((c) => (c.task ? [c.task] : [])));
  const groups = run ? runGroups(store, run, headlines, tasks) : [];
  const rows: ClaimRow[] = withMeasured(claims, groups, apiModelsById(catalog)).map(({ claim, measured }) => ({
    id: claim.id,
    claimant: claim.claimant,
    model: claim.model,
    benchmark: claim.benchmark,
    task: claim.task,
    metric: claim.metric,
    setting: claim.setting,
    scale: claim.scale,
    published: claim.score,
    date: claim.date,
    verified: claim.verified,
    sourceUrl: safeHttpUrl(claim.source_url),
    sourceQuote: claim.source_quote,
    measured: measured.map((m) => ({
      label: m.label,
      task: m.task,
      n: m.n,
      value: m.onPublishedScale?.value ?? null,
      lower: m.onPublishedScale?.ci?.lower ?? null,
      upper: m.onPublishedScale?.ci?.upper ?? null,
      published: m.published,
    })),
  }));
  return { available: true, runId: run?.id ?? null, rows };
}

/** The run's model × task groups on the claims' tasks, with each sample's headline score. */
function runGroups(store: Store, run: RunInfo, headlines: Map<string, string>, tasks: Set<string>): RunGroupScores[] {
  const spec = run.spec as Partial<RunSpec>;
  const refOf = new Map((spec.models ?? []).map((m) => [m.label, m.ref]));
  const groups: RunGroupScores[] = [];
  for (const [task, metric] of headlines) {
    if (!tasks.has(task)) continue;
    for (const label of refOf.keys()) {
      const scores = [...store.metricValues(run.id, label, task, metric)].map((v) => v.value);
      if (scores.length > 0) groups.push({ label, ref: refOf.get(label) ?? label, task, metric, scores });
    }
  }
  return groups;
}
