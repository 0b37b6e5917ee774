/**
 * Claim checking: a YAML file of statements about models in a run ("A > B on T", "A non-inferior to B on T by 2
 * points", "A ≈ B on T within δ", "cost(A, T) < K × cost(B, T)") read into claims (grammar.ts, file.ts), tested on the
 * run's paired data (evidence.ts reads it; score-test.ts, cost-test.ts test it) and given verdicts with Holm's
 * adjustment across the file (evaluate.ts, which documents the rules). vendor.ts holds vendors' published numbers
 * (data/catalog/claims.json) and puts a run's measurements beside them.
 */
export * from "./cost-test.js";
export * from "./evaluate.js";
export * from "./evidence.js";
export * from "./file.js";
export * from "./format.js";
export * from "./grammar.js";
export * from "./outcome.js";
export * from "./score-test.js";
export * from "./vendor.js";
