/** Sandboxed execution of untrusted (model-generated) Python. */
export { BoundedCapture } from "./capture.js";
export { CHECK_HARNESS, type CheckOutcome, type CheckProgramOptions, runCheckProgram } from "./check-harness.js";
export { classify, looksOutOfMemory } from "./classify.js";
export { buildCommand } from "./command.js";
export { detectEnvironment, type SandboxEnvironment } from "./environment.js";
export { defaultSandbox, resolveLimits, Sandbox, type SandboxOptions } from "./sandbox.js";
export * from "./types.js";
