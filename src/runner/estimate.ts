import { buildRequest } from "../core/task.js";
import { parseModelRef } from "../core/types.js";
import { type Catalog, findPrice } from "../pricing/catalog.js";
import { priceCall } from "../pricing/run-costs.js";
import type { Currency } from "../pricing/schema.js";
import { tokenCounterFor } from "../pricing/tokenizers.js";
import { tasksFromSpec } from "./prepare.js";
import { selectSamples } from "./sampling.js";
import type { RunSpec } from "./spec.js";

/** What a run is expected to cost before any call is made, per model × task. */
export interface GroupEstimate {
  model: string;
  task: string;
  items: number;
  inputTokens: number;
  tokenizer: string;
  /** Expected: the mean output length of this model on this task in earlier runs (null: no earlier run). */
  outputTokensExpected: number | null;
  /** The ceiling: max_tokens for every item (null: no max_tokens set, so unbounded). */
  outputTokensMax: number | null;
  currency: Currency;
  /** Cost at today's prices with the expected output; null when unknown (no price, or no earlier run). */
  costExpected: number | null;
  /** Cost at today's prices with max_tokens of output for every item; null when unbounded or unpriced. */
  costMax: number | null;
  /** Cost with no output at all: the floor. */
  costMin: number | null;
  priceId: string | null;
}

/**
 * Counts every request's input tokens with the model family's tokenizer (streaming the datasets once), and prices
 * the range of possible outputs at the prices in force now. Cache hits are assumed to be none (the dearest case).
 */
export async function estimateRun(
  spec: RunSpec,
  catalog: Catalog,
  currency: Currency,
  observedOutput: (model: string, task: string) => Promise<number | null>,
  now = new Date(),
): Promise<GroupEstimate[]> {
  const tasks = await tasksFromSpec(spec);
  const out: GroupEstimate[] = [];
  for (const task of tasks) {
    const rows = spec.models.map((m) => {
      const ref = parseModelRef(m.ref) ?? { provider: "", model: m.ref };
      return {
        spec: m,
        ref,
        counter: tokenCounterFor(ref.provider, ref.model),
        items: 0,
        input: 0,
        maxOut: 0 as number | null,
      };
    });
    for await (const sample of selectSamples(task.dataset(), spec.limit, spec.sampleSeed)) {
      for (const row of rows) {
        const request = buildRequest(task, sample, spec.defaults, row.spec.settings);
        // Each later turn of a conversation resends what came before it; the earlier answers' lengths are unknown
        // before the run, so only the prompts are counted for them (a lower bound on the input).
        const turns = 1 + request.followUps.length;
        let input = 0;
        let context = row.counter.countMessages(request.messages);
        for (let t = 0; t < turns; t++) {
          input += context;
          const next = request.followUps[t];
          if (next !== undefined) context += row.counter.countMessages([{ role: "user", content: next }]);
        }
        row.items += spec.epochs;
        row.input += input * spec.epochs;
        const max = request.settings.maxTokens;
        row.maxOut = max === undefined || row.maxOut === null ? null : row.maxOut + max * turns * spec.epochs;
      }
    }
    for (const row of rows) {
      const observed = await observedOutput(row.spec.label, task.name);
      const expectedOut = observed === null ? null : Math.round(observed * row.items);
      // A local model's price, when it has one, is per hour of wall time: its cost is unknown before the run.
      const price = findPrice(catalog, { ...row.ref, at: now, currency });
      const priced = (output: number | null): number | null => {
        if (output === null) return null;
        const usage = {
          inputTokens: row.input,
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: output,
          reasoningTokens: 0,
        };
        return priceCall(catalog, currency, row.ref.provider, row.ref.model, usage, now)?.total ?? null;
      };
      out.push({
        model: row.spec.label,
        task: task.name,
        items: row.items,
        inputTokens: row.input,
        tokenizer: row.counter.family,
        outputTokensExpected: expectedOut,
        outputTokensMax: row.maxOut,
        currency,
        costExpected: priced(expectedOut),
        costMax: priced(row.maxOut),
        costMin: priced(0),
        priceId: price?.id ?? null,
      });
    }
  }
  return out;
}
