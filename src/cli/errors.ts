import { UserError } from "../core/errors.js";

/** Errors a user can fix (bad config, data, arguments or environment): a message and exit code 2, no stack trace. */
export class UsageError extends UserError {
  override name = "UsageError";
}

export function isUserError(error: unknown): boolean {
  return error instanceof UserError;
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
