/** Adjusted p-values for many comparisons at once. */

export type AdjustMethod = "holm" | "bh";

export interface AdjustedPValues {
  method: AdjustMethod;
  /** Human-readable name for reports. */
  methodName: string;
  /** What the adjusted values control. */
  controls: "family-wise error rate" | "false discovery rate";
  /** Adjusted p-values, in the order given. */
  adjusted: number[];
}

const NAMES: Record<AdjustMethod, { methodName: string; controls: AdjustedPValues["controls"] }> = {
  holm: { methodName: "Holm (1979) step-down", controls: "family-wise error rate" },
  bh: { methodName: "Benjamini–Hochberg (1995) step-up", controls: "false discovery rate" },
};

function checkP(p: ReadonlyArray<number>): void {
  p.forEach((v, i) => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`p[${i}] must be in [0, 1], got ${v}`);
  });
}

/**
 * Holm's step-down adjustment (Holm 1979, Scand. J. Statist. 6:65): with p₍₁₎ ≤ … ≤ p₍ₘ₎,
 * p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎). Controls the family-wise error rate under any dependence. Same as R's
 * `p.adjust(p, "holm")`.
 */
export function holm(p: ReadonlyArray<number>): number[] {
  checkP(p);
  const m = p.length;
  const order = p.map((_, i) => i).sort((i, j) => (p[i] as number) - (p[j] as number) || i - j);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (p[idx] as number)));
    out[idx] = running;
  });
  return out;
}

/**
 * Benjamini–Hochberg step-up adjustment (Benjamini & Hochberg 1995, JRSS B 57:289): p̃₍ᵢ₎ = min_{j ≥ i}
 * min(1, m·p₍ⱼ₎/j). Controls the false discovery rate for independent or positively dependent tests. Same as R's
 * `p.adjust(p, "BH")` and scipy.stats.false_discovery_control(p, method="bh").
 */
export function benjaminiHochberg(p: ReadonlyArray<number>): number[] {
  checkP(p);
  const m = p.length;
  const order = p.map((_, i) => i).sort((i, j) => (p[i] as number) - (p[j] as number) || i - j);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const idx = order[rank] as number;
    running = Math.min(running, (m * (p[idx] as number)) / (rank + 1));
    out[idx] = Math.min(1, running);
  }
  return out;
}

/** Adjusted p-values by the named method, with the method's name for output. */
export function adjustPValues(p: ReadonlyArray<number>, method: AdjustMethod): AdjustedPValues {
  if (method !== "holm" && method !== "bh") throw new RangeError(`unknown adjustment method: ${String(method)}`);
  const adjusted = method === "holm" ? holm(p) : benjaminiHochberg(p);
  return { method, ...NAMES[method], adjusted };
}
