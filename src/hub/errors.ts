/**
 * Errors of the hub client, phrased for the user: what was asked (`hf:owner/repo@revision/path`), what went wrong
 * and what to do about it. The CLI prints the message alone, without a stack trace.
 */
import { UserError } from "../core/errors.js";

export type HubErrorKind =
  /** 401/403: a private or gated repository, or a token without access. */
  | "auth"
  /** 404: the repository, the revision or the file does not exist. */
  | "not_found"
  /** The hub (or its CDN) could not be reached, or the transfer kept failing. */
  | "network"
  /** The downloaded bytes do not match the size or sha256 the hub announced. */
  | "integrity"
  /** A malformed `hf:` reference or option. */
  | "reference"
  /** The cache folder cannot be written (no space, no permission). */
  | "cache"
  /** Offline (HF_HUB_OFFLINE) and the file is not in the cache. */
  | "offline"
  /** Any other unexpected answer. */
  | "http";

export class HubError extends UserError {
  override name = "HubError";
  constructor(
    message: string,
    readonly kind: HubErrorKind,
  ) {
    super(message);
  }
}

/**
 * Replaces every occurrence of a secret in text that may reach a message (a server's error text, a library's error
 * message). The token is only ever put in a request header, so this is a second line of defence.
 */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("***");
  }
  return out;
}
