/**
 * IFEval's strict and loose evaluation (`evaluation_lib.test_instruction_following_strict` / `_loose`).
 *
 * Strict: an instruction is followed when the response is not blank and the instruction's check passes on it.
 * Loose (an upper bound): the check may pass on any of eight variants of the response — as is, without its first
 * line, without its last line, without both, and each of those four with every "*" removed (variants are trimmed,
 * blank ones are skipped). This forgives a model a preamble such as "Sure, here it is:" or a closing remark, and
 * markdown emphasis that breaks an exact-text check.
 */

import { pyStrip } from "./python-text.js";
import { buildInstruction, IfevalInstructionError, type InstructionCheck } from "./registry.js";

export interface InstructionResults {
  /** Per instruction, in order: followed under strict evaluation. */
  strict: boolean[];
  /** Per instruction, in order: followed under loose evaluation. */
  loose: boolean[];
}

/** The eight responses loose evaluation tries, in the official order. */
export function looseVariants(response: string): string[] {
  const lines = response.split("\n");
  const removeFirst = pyStrip(lines.slice(1).join("\n"));
  const removeLast = pyStrip(lines.slice(0, -1).join("\n"));
  const removeBoth = pyStrip(lines.slice(1, -1).join("\n"));
  const unstar = (s: string): string => s.replaceAll("*", "");
  return [
    response,
    unstar(response),
    removeFirst,
    removeLast,
    removeBoth,
    unstar(removeFirst),
    unstar(removeLast),
    unstar(removeBoth),
  ];
}

/**
 * Checks a response against a prompt's instructions, strictly and loosely.
 *
 * `kwargs[i]` holds the arguments of `instructionIds[i]` (IFEval's `kwargs` list). `prompt` is accepted for parity
 * with the official evaluation, which passes it to instructions that take a `prompt` argument; none of the 25
 * registered instructions does, so it does not affect the result. Throws {@link IfevalInstructionError} for an
 * unknown instruction id, mismatched lists or invalid arguments.
 */
export function checkInstructions(
  response: string,
  instructionIds: readonly string[],
  kwargs: readonly (Readonly<Record<string, unknown>> | null | undefined)[],
  _prompt?: string,
): InstructionResults {
  const checks = buildInstructions(instructionIds, kwargs);
  return evaluateChecks(response, checks);
}

/** Builds the checkers of a prompt's instructions (validating ids and arguments once, e.g. when a dataset loads). */
export function buildInstructions(
  instructionIds: readonly string[],
  kwargs: readonly (Readonly<Record<string, unknown>> | null | undefined)[],
  where = "IFEval",
): InstructionCheck[] {
  if (instructionIds.length !== kwargs.length) {
    throw new IfevalInstructionError(
      `${where}: ${instructionIds.length} instruction ids but ${kwargs.length} kwargs entries; expected one kwargs object per instruction`,
    );
  }
  return instructionIds.map((id, i) =>
    buildInstruction(id, kwargs[i], `${where}, instruction ${i + 1} (${JSON.stringify(id)})`),
  );
}

/** Strict and loose results of already-built checkers. */
export function evaluateChecks(response: string, checks: readonly InstructionCheck[]): InstructionResults {
  const strictOk = pyStrip(response) !== "";
  const variants = looseVariants(response).filter((v) => pyStrip(v) !== "");
  return {
    strict: checks.map((check) => strictOk && check(response)),
    loose: checks.map((check) => variants.some((v) => check(v))),
  };
}
