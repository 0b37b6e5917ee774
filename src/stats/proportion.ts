/** Confidence intervals for a binomial proportion (e.g. accuracy = correct / n). */
import { betaQuantile, normalQuantile } from "./distributions.js";
import { checkLevel, type Interval } from "./util.js";

export interface ProportionOptions {
  /** Confidence level, default 0.95. */
  level?: number;
}

function checkCounts(successes: number, n: number): void {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!(Number.isInteger(successes) && successes >= 0 && successes <= n)) {
    throw new RangeError(`successes must be an integer in [0, n], got ${successes} with n = ${n}`);
  }
}

/**
 * Wilson score interval (Wilson 1927, JASA 22:209): the p with |p̂ − p| ≤ z·√(p(1 − p)/n), i.e.
 * (x + z²/2)/(n + z²) ± z·√(x(n − x)/n + z²/4)/(n + z²), z = Φ⁻¹(1 − α/2). Equals R's
 * `prop.test(x, n, correct = FALSE)$conf.int`. Recommended over the Wald interval by Agresti & Coull (1998) and
 * Brown, Cai & DasGupta (2001); close to nominal coverage for n·p ≳ 5.
 */
export function wilsonInterval(successes: number, n: number, options: ProportionOptions = {}): Interval {
  const level = options.level ?? 0.95;
  checkLevel(level);
  checkCounts(successes, n);
  const [lower, upper] = wilsonBounds(successes, n, normalQuantile(0.5 + level / 2));
  return { lower, upper, level };
}

/** Wilson bounds at an explicit critical value z (exactly 0 at x = 0 and 1 at x = n). */
export function wilsonBounds(successes: number, n: number, z: number): [number, number] {
  const z2 = z * z;
  const denom = n + z2;
  const center = (successes + z2 / 2) / denom;
  const half = (z * Math.sqrt((successes * (n - successes)) / n + z2 / 4)) / denom;
  return [successes === 0 ? 0 : Math.max(0, center - half), successes === n ? 1 : Math.min(1, center + half)];
}

/**
 * Clopper–Pearson "exact" interval (Clopper & Pearson 1934, Biometrika 26:404): inverts two one-sided binomial tests,
 * lower = Beta⁻¹(α/2; x, n − x + 1), upper = Beta⁻¹(1 − α/2; x + 1, n − x), with lower = 0 at x = 0 and upper = 1 at
 * x = n. Equals R's `binom.test(x, n)$conf.int`. Guaranteed coverage ≥ level (conservative).
 */
export function clopperPearsonInterval(successes: number, n: number, options: ProportionOptions = {}): Interval {
  const level = options.level ?? 0.95;
  checkLevel(level);
  checkCounts(successes, n);
  const alpha = 1 - level;
  const lower = successes === 0 ? 0 : betaQuantile(alpha / 2, successes, n - successes + 1);
  const upper = successes === n ? 1 : betaQuantile(1 - alpha / 2, successes + 1, n - successes);
  return { lower, upper, level };
}

export interface ProportionEstimate {
  estimate: number;
  successes: number;
  n: number;
  ci: Interval;
  method: "wilson" | "clopper-pearson";
}

/** A proportion with its interval (Wilson by default). */
export function proportion(
  successes: number,
  n: number,
  options: ProportionOptions & { method?: "wilson" | "clopper-pearson" } = {},
): ProportionEstimate {
  const method = options.method ?? "wilson";
  const ci =
    method === "wilson" ? wilsonInterval(successes, n, options) : clopperPearsonInterval(successes, n, options);
  return { estimate: successes / n, successes, n, ci, method };
}
