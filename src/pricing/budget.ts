import { UserError } from "../core/errors.js";
import type { ModelRequest, Usage } from "../core/types.js";
import { type Catalog, findPrice } from "./catalog.js";
import { addExact, costOfCall } from "./cost.js";
import { convertCost } from "./fx.js";
import { isLocalProvider, priceCall } from "./run-costs.js";
import type { Currency, PriceRecord } from "./schema.js";

/** A budget that cannot be enforced as asked (no max_tokens, no price): a user error, reported before spending. */
export class BudgetError extends UserError {
  override name = "BudgetError";
}

export interface BudgetTicket {
  /** Replaces the call's reservation with what it really cost (the reservation itself when usage is unknown). */
  settle(usage: Usage | null): void;
}

/** Per-message allowance for chat-template tokens on top of the text's bytes. */
const TEMPLATE_TOKENS_PER_MESSAGE = 16;

/**
 * A hard spending limit that holds at any concurrency: each call reserves its worst-case cost before it is sent, and
 * a call whose worst case does not fit beside what is spent and reserved is never sent. Afterwards the reservation
 * is replaced by the real cost. The worst case is a true upper bound:
 * - input: the request's UTF-8 bytes plus 16 tokens per message (a BPE token covers at least one byte);
 * - output: max_tokens, all of it priced at the dearer of the output and reasoning prices;
 * - no cache hits, the price in force when the call is sent, converted at that day's rate.
 */
export class Budget {
  private spentTotal = 0;
  private spentExact = "0";
  private reservedTotal = 0;
  private readonly exhausted = new AbortController();
  private stopReason: string | null = null;

  constructor(
    readonly limit: number,
    readonly currency: Currency,
    private readonly catalog: Catalog,
  ) {}

  /** Aborted once a call could not be covered: the runner sends nothing more. */
  get signal(): AbortSignal {
    return this.exhausted.signal;
  }

  get spent(): number {
    return this.spentTotal;
  }

  /** The spend as an exact decimal string. */
  get spentExactly(): string {
    return this.spentExact;
  }

  get reserved(): number {
    return this.reservedTotal;
  }

  get reason(): string | null {
    return this.stopReason;
  }

  reserve(provider: string, model: string, request: ModelRequest, at: Date): BudgetTicket | null {
    if (this.exhausted.signal.aborted) return null;
    const worst = this.worstCase(provider, model, request, at);
    if (this.spentTotal + this.reservedTotal + worst > this.limit) {
      this.stopReason = `the next call to ${provider}/${model} could cost up to ${worst.toPrecision(4)} ${this.currency}, more than the ${(this.limit - this.spentTotal - this.reservedTotal).toPrecision(4)} left`;
      this.exhausted.abort();
      return null;
    }
    this.reservedTotal += worst;
    let settled = false;
    return {
      settle: (usage) => {
        if (settled) return;
        settled = true;
        this.reservedTotal -= worst;
        const actual = usage ? this.costOf(provider, model, usage, at) : null;
        // Unknown usage or price: the worst case is what the call may have cost, so that is what is counted.
        const spent = actual === null ? { total: worst, exact: String(worst) } : actual;
        this.spentTotal += spent.total;
        this.spentExact = addExact(this.spentExact, spent.exact);
      },
    };
  }

  private price(provider: string, model: string, at: Date): PriceRecord | null {
    return findPrice(this.catalog, { provider, model, at, currency: this.currency });
  }

  private worstCase(provider: string, model: string, request: ModelRequest, at: Date): number {
    if (isLocalProvider(provider)) return 0;
    const maxTokens = request.settings.maxTokens;
    if (maxTokens === undefined) {
      throw new BudgetError(
        `--max-cost needs a bound on output: set maxTokens (settings: or the task's settings:) for ${provider}/${model}`,
      );
    }
    const price = this.price(provider, model, at);
    if (!price) {
      throw new BudgetError(`--max-cost: no price for ${provider}/${model} at ${at.toISOString()} in the catalog`);
    }
    let input = TEMPLATE_TOKENS_PER_MESSAGE;
    for (const m of request.messages) input += Buffer.byteLength(m.content, "utf8") + TEMPLATE_TOKENS_PER_MESSAGE;
    const variants: Usage[] = [
      { inputTokens: input, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: maxTokens, reasoningTokens: 0 },
      {
        inputTokens: input,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: maxTokens,
        reasoningTokens: maxTokens,
      },
    ];
    let worst = 0;
    for (const usage of variants) {
      for (const reasoning of [false, true]) {
        const cost = costOfCall(usage, price, at, { reasoning });
        const total =
          cost &&
          (cost.currency === this.currency ? cost.total : convertCost(cost, this.currency, at, this.catalog.fx)?.total);
        if (total === null || total === undefined) {
          throw new BudgetError(`--max-cost: cannot price the worst case of ${provider}/${model} (${price.id})`);
        }
        worst = Math.max(worst, total);
      }
    }
    // Exact decimal bills may round up in the last digit after conversion: keep a hair of headroom.
    return worst * (1 + 1e-9);
  }

  private costOf(provider: string, model: string, usage: Usage, at: Date): { total: number; exact: string } | null {
    return priceCall(this.catalog, this.currency, provider, model, usage, at);
  }
}

/** Parses `--max-cost 0.50`, `0.5USD`, `3CNY`, `¥3`, `$0.5`. */
export function parseBudget(text: string, fallback: Currency): { amount: number; currency: Currency } | null {
  const m = /^\s*([$¥])?\s*(\d+(?:\.\d+)?)\s*(USD|CNY|RMB)?\s*$/i.exec(text);
  if (!m) return null;
  const symbol = m[1];
  const code = m[3]?.toUpperCase();
  const currency: Currency =
    code === "CNY" || code === "RMB" || symbol === "¥" ? "CNY" : code === "USD" || symbol === "$" ? "USD" : fallback;
  const amount = Number(m[2]);
  return amount > 0 ? { amount, currency } : null;
}
