import { ClaimsFileError, ClaimsRunError } from "../claims/index.js";
import { ConfigError } from "../config/errors.js";
import { HubError } from "../hub/errors.js";
import { BudgetError } from "../pricing/budget.js";
import { EnvironmentError } from "../providers/registry.js";
import { SandboxUnavailableError } from "../sandbox/types.js";
import { ScorerConfigError } from "../scorers/index.js";
import { BuiltinTaskError } from "../tasks/builtin/definition.js";
import { CustomTaskError } from "../tasks/custom.js";
import { DataFileError } from "../tasks/data-files.js";
import { TemplateError } from "../tasks/template.js";

/** Errors a user can fix (bad config, data, arguments or environment): a message and exit code 2, no stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function isUserError(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof DataFileError ||
    error instanceof CustomTaskError ||
    error instanceof ScorerConfigError ||
    error instanceof TemplateError ||
    error instanceof BudgetError ||
    error instanceof EnvironmentError ||
    error instanceof BuiltinTaskError ||
    error instanceof HubError ||
    error instanceof SandboxUnavailableError ||
    // A claims file that does not parse, or names a model or task its run lacks.
    error instanceof ClaimsFileError ||
    error instanceof ClaimsRunError
  );
}

export function exitCodeFor(error: unknown): number {
  return isUserError(error) ? 2 : 1;
}

export function reportError(error: unknown): void {
  if (isUserError(error)) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`arbiter failed: ${message}\n`);
  if (process.env.ARBITER_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write("(set ARBITER_DEBUG=1 for details)\n");
}
