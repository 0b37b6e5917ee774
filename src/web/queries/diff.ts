/**
 * The head-to-head's per-sample diff: both models' answers to the same sample side by side, with scores, extracted
 * answers and costs, filtered by who did better, in keyset pages of (task, sample, epoch).
 */
import type { Catalog } from "../../pricing/catalog.js";
import type { Currency } from "../../pricing/schema.js";
import { promptText, targetText } from "../../report/formatting.js";
import type { PairCursor, PairFilter, PairSide, RunData } from "../../report/run-data.js";
import type { DiffPage, DiffSide } from "../api-types.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { itemCost } from "./item-cost.js";

type Key = [string, string, number];

const isKey = (v: unknown): v is Key =>
  Array.isArray(v) && v.length === 3 && typeof v[0] === "string" && typeof v[1] === "string" && Number.isInteger(v[2]);

const toCursor = (k: Key | null): PairCursor | undefined =>
  k ? { task: k[0], sampleId: k[1], epoch: k[2] } : undefined;

export function diffPage(
  data: RunData,
  runId: string,
  modelA: string,
  modelB: string,
  headlines: Map<string, string>,
  pricing: { catalog: Catalog; currency: Currency },
  request: { task?: string; filter: PairFilter; after?: string; before?: string; limit: number },
): DiffPage {
  const backward = request.before !== undefined;
  const cursor = decodeCursor<Key>(request.before ?? request.after, isKey);
  const rows = data.pairedSamples(runId, modelA, modelB, headlines, {
    filter: request.filter,
    limit: request.limit,
    ...(request.task === undefined ? {} : { task: request.task }),
    ...(backward ? { before: toCursor(cursor) } : cursor ? { after: toCursor(cursor) } : {}),
  });
  const more = rows.length > request.limit;
  // Backward pages come back in ascending order with the extra row first.
  const shown = backward ? rows.slice(more ? 1 : 0) : rows.slice(0, request.limit);
  const side = (s: PairSide): DiffSide => ({
    ...s,
    cost: itemCost(data, runId, s.itemKey, pricing.catalog, pricing.currency),
  });
  const out = shown.map((r) => ({
    task: r.task,
    sampleId: r.sampleId,
    epoch: r.epoch,
    prompt: promptText(r.inputJson),
    target: targetText(r.targetJson),
    a: side(r.a),
    b: side(r.b),
  }));
  const first = out[0];
  const last = out.at(-1);
  const hasNext = backward ? cursor !== null : more;
  const hasPrev = backward ? more : cursor !== null;
  return {
    rows: out,
    total: data.pairTotal(runId, modelA, modelB, headlines, request.task, request.filter),
    next: hasNext && last ? encodeCursor([last.task, last.sampleId, last.epoch]) : null,
    prev: hasPrev && first ? encodeCursor([first.task, first.sampleId, first.epoch]) : null,
    currency: pricing.currency,
  };
}
