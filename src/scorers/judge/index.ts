/** Judge-based scoring: MT-Bench single-answer grading, pairwise comparison with a baseline, and llm-rubric. */
export * from "./format.js";
export * from "./json-objects.js";
export * from "./mt-bench.js";
export * from "./pairwise.js";
export * from "./prompt-file.js";
export * from "./prompts.js";
export * from "./rubric.js";
export * from "./verdicts.js";
