/**
 * Arbiter's statistics core: pure, dependency-free, deterministic given a seed. See each module for the algorithm
 * and its citation.
 */
export * from "./bootstrap.js";
export * from "./bradley-terry.js";
export * from "./cost.js";
export * from "./distributions.js";
export * from "./epochs.js";
export * from "./hypotheses.js";
export * from "./mean.js";
export * from "./multiple.js";
export * from "./paired.js";
export * from "./power.js";
export * from "./proportion.js";
export * from "./random.js";
export {
  logBeta,
  logChoose,
  logGamma,
  regularizedBeta,
  regularizedGamma,
} from "./special.js";
export { compensatedSum, type Interval, quantileSorted } from "./util.js";
