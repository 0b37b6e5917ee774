/**
 * Vendors' published benchmark claims (data/catalog/claims.json, built by scripts/build-catalog.mjs from the shared
 * research catalog; every record keeps its source URL and the quoted table row) and, beside each, what a run
 * measured for the same model × benchmark.
 *
 * A run's model matches a claim when its ref (provider/model, as configured) or its label is one of the claim's
 * `apiModels`; its task matches when it has the claim's `task` name. Published percentages are compared with the
 * run's 0–1 mean × 100. The settings rarely agree (shots, chain of thought, sampling, prompt, grader), so the two
 * numbers are shown side by side, not tested against each other.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Catalog } from "../pricing/catalog.js";
import { CatalogError, parseWith } from "../pricing/schema.js";
import { bootstrapMean } from "../stats/bootstrap.js";
import { wilsonInterval } from "../stats/proportion.js";
import type { Interval } from "../stats/util.js";

const Text = z.string();

const ComparedSchema = z.strictObject({
  model: Text.min(1),
  modelId: Text.min(1).nullable(),
  score: z.number().nullable(),
  markedBest: z.boolean().nullable(),
});

export const VendorClaimSchema = z.strictObject({
  id: Text.min(1),
  claimant: Text.min(1),
  model: Text.min(1),
  modelId: Text.min(1).nullable(),
  modelKind: Text.min(1),
  apiModels: z.array(Text.min(1)),
  benchmark: Text.min(1),
  task: Text.min(1).nullable(),
  metric: Text.nullable(),
  scale: z.enum(["percent", "rating", "percentile", "bits-per-byte"]).nullable(),
  setting: Text.nullable(),
  category: Text,
  score: z.number().nullable(),
  markedBest: z.boolean().nullable(),
  relation: Text.nullable(),
  numericValuesAvailable: z.boolean(),
  comparedAgainst: z.array(ComparedSchema),
  date: Text.regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD"),
  verified: z.boolean(),
  source_url: Text.min(1),
  source_quote: Text.min(1),
  notes: Text,
  derivedFrom: z.array(Text.min(1)).min(1),
  normalization: z.array(Text),
});

export type VendorClaim = z.infer<typeof VendorClaimSchema>;

const ClaimsFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  provenance: z.record(Text, Text),
  scales: z.record(Text, Text),
  claims: z.array(VendorClaimSchema),
});

/** Reads and validates claims.json from a catalog directory. */
export async function loadVendorClaims(dir: string): Promise<VendorClaim[]> {
  const path = join(dir, "claims.json");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CatalogError(
      `${path}: ${code === "ENOENT" ? "file not found" : `not valid JSON: ${(error as Error).message}`}`,
      { file: path },
    );
  }
  const parsed = parseWith(ClaimsFileSchema, raw, path, "claims");
  const ids = new Set<string>();
  for (const c of parsed.claims) {
    if (ids.has(c.id)) throw new CatalogError(`${path}: record "${c.id}": id appears twice`, { file: path });
    ids.add(c.id);
  }
  return parsed.claims;
}

const norm = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");

/** The names a claim answers to: catalog id, published name, API refs (provider/model) and bare API ids. */
function namesOf(c: VendorClaim): Set<string> {
  const names = new Set([norm(c.model)]);
  if (c.modelId) names.add(norm(c.modelId));
  for (const ref of c.apiModels) {
    names.add(norm(ref));
    names.add(norm(ref.slice(ref.indexOf("/") + 1)));
  }
  return names;
}

/**
 * The claims about `model` (a catalog model id such as deepseek-v3, a published name such as "DeepSeek-V3-Base", or
 * an API id such as deepseek/deepseek-chat or deepseek-chat; case and spaces vs hyphens do not matter), or all.
 * Null when nothing matches.
 */
export function selectVendorClaims(claims: VendorClaim[], model?: string): VendorClaim[] | null {
  if (model === undefined) return claims;
  const q = norm(model);
  const found = claims.filter((c) => namesOf(c).has(q));
  return found.length > 0 ? found : null;
}

/** Every model the claims are about, for a "did you mean" list: catalog id where there is one, else the name. */
export function vendorModelNames(claims: VendorClaim[]): string[] {
  return [...new Set(claims.map((c) => c.modelId ?? c.model))].sort();
}

/** One model × task of a run with its per-sample headline scores. */
export interface RunGroupScores {
  /** The model's label in the run. */
  label: string;
  /** provider/model as configured. */
  ref: string;
  task: string;
  metric: string | null;
  scores: number[];
}

export interface Measured {
  label: string;
  task: string;
  metric: string | null;
  n: number;
  mean: number;
  /** 95% interval of the mean: Wilson for 0/1 scores, percentile bootstrap otherwise; null with one sample. */
  ci: Interval | null;
  /** The mean (and interval) on the published number's scale (× 100 for percentages); null when not comparable. */
  onPublishedScale: { value: number; ci: Interval | null } | null;
  /** Where the published number falls against the measured interval, when comparable. */
  published: "inside" | "above" | "below" | null;
}

export interface CompetitorMeasured {
  model: string;
  modelId: string | null;
  publishedScore: number | null;
  measured: Measured[];
}

export interface VendorClaimWithMeasured {
  claim: VendorClaim;
  measured: Measured[];
  competitors: CompetitorMeasured[];
}

function measure(group: RunGroupScores, claim: VendorClaim, published: number | null): Measured {
  const n = group.scores.length;
  const mean = group.scores.reduce((s, v) => s + v, 0) / n;
  const binary = group.scores.every((v) => v === 0 || v === 1);
  const unit = group.scores.every((v) => v >= 0 && v <= 1);
  let ci: Interval | null = null;
  if (binary) ci = wilsonInterval(Math.round(mean * n), n, { level: 0.95 });
  else if (n >= 2) ci = bootstrapMean(group.scores, { level: 0.95, seed: 1 }).ci;
  const comparable = claim.scale === "percent" && unit;
  const onPublishedScale = comparable
    ? {
        value: mean * 100,
        ci: ci ? { lower: ci.lower * 100, upper: ci.upper * 100, level: ci.level } : null,
      }
    : null;
  let where: Measured["published"] = null;
  if (onPublishedScale?.ci && published !== null) {
    where =
      published < onPublishedScale.ci.lower ? "below" : published > onPublishedScale.ci.upper ? "above" : "inside";
  }
  return {
    label: group.label,
    task: group.task,
    metric: group.metric,
    n,
    mean,
    ci,
    onPublishedScale,
    published: where,
  };
}

function groupsFor(apiModels: string[], task: string, groups: RunGroupScores[]): RunGroupScores[] {
  const refs = new Set(apiModels.map((r) => r.toLowerCase()));
  return groups.filter(
    (g) => g.task === task && g.scores.length > 0 && (refs.has(g.ref.toLowerCase()) || refs.has(g.label.toLowerCase())),
  );
}

/** Catalog model id → the provider/model refs it is served under, as {@link withMeasured} takes them. */
export function apiModelsById(catalog: Catalog): Map<string, string[]> {
  return new Map(
    catalog.models.map((m) => [m.id, m.apiModelIds.map((a) => (a.provider ? `${a.provider}/${a.model}` : a.model))]),
  );
}

/**
 * Puts a run's measurements beside each claim: the claimed model's, and each compared model's that the catalog
 * knows (`apiModelsById`: catalog model id → its provider/model refs) under an API id of its own.
 */
export function withMeasured(
  claims: VendorClaim[],
  groups: RunGroupScores[],
  apiModelsById: Map<string, string[]>,
): VendorClaimWithMeasured[] {
  return claims.map((claim) => {
    if (claim.task === null) return { claim, measured: [], competitors: [] };
    const task = claim.task;
    const measured = groupsFor(claim.apiModels, task, groups).map((g) => measure(g, claim, claim.score));
    const own = new Set(claim.apiModels.map((r) => r.toLowerCase()));
    const competitors = claim.comparedAgainst.flatMap((c) => {
      if (c.modelId === null) return [];
      // An API id that served the claimed model too (deepseek-chat served V2, then V3) cannot tell the two apart.
      const refs = (apiModelsById.get(c.modelId) ?? []).filter((r) => !own.has(r.toLowerCase()));
      const found = groupsFor(refs, task, groups);
      if (found.length === 0) return [];
      return [
        {
          model: c.model,
          modelId: c.modelId,
          publishedScore: c.score,
          measured: found.map((g) => measure(g, claim, c.score)),
        },
      ];
    });
    return { claim, measured, competitors };
  });
}
