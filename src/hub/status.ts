import { HubError, scrub } from "./errors.js";
import { errorText, type HubResponse, header } from "./http.js";
import type { RepoType } from "./ref.js";

/** What a request was for, to name it in messages. */
export interface RequestContext {
  type: RepoType;
  repo: string;
  revision: string;
  /** The file, for a download; absent for a listing. */
  path?: string;
  endpoint: string;
  token: string | undefined;
}

export function describeTarget(ctx: RequestContext): string {
  const rev = `@${encodeURIComponent(ctx.revision)}`;
  return `hf:${ctx.type === "dataset" ? "datasets/" : ""}${ctx.repo}${rev}${ctx.path === undefined ? "" : `/${ctx.path}`}`;
}

export function repoPage(ctx: RequestContext): string {
  return `${ctx.endpoint}/${ctx.type === "dataset" ? "datasets/" : ""}${ctx.repo}`;
}

/**
 * Turns an error answer of the hub into a message that says what to do. The hub names the case in X-Error-Code
 * (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo); without a token it answers 401 for a private
 * repository and for one that does not exist alike.
 */
export async function hubStatusError(response: HubResponse, ctx: RequestContext): Promise<HubError> {
  const status = response.statusCode;
  const code = header(response, "x-error-code") ?? "";
  // The body is read in any case, so that the connection is free for the next request.
  const body = (await errorText(response)).trim();
  const serverMessage = header(response, "x-error-message") ?? body;
  const label = describeTarget(ctx);
  const kind = ctx.type;
  const secrets = [ctx.token];
  const make = (message: string, errorKind: HubError["kind"]) => new HubError(scrub(message, secrets), errorKind);

  if (status === 401 || status === 403) {
    if (code === "GatedRepo") {
      return make(
        ctx.token
          ? `${label}: ${kind} ${ctx.repo} is gated and the token in HF_TOKEN has no access to it (HTTP ${status}): accept its conditions at ${repoPage(ctx)} with the token's account`
          : `${label}: ${kind} ${ctx.repo} is gated: accept its conditions at ${repoPage(ctx)}, then set HF_TOKEN to an access token of that account`,
        "auth",
      );
    }
    return make(
      ctx.token
        ? `${label}: the hub refused access to ${kind} ${ctx.repo} with the token in HF_TOKEN (HTTP ${status}): check that the token is valid and can read this repository`
        : `${label}: ${kind} ${ctx.repo} is private or does not exist (HTTP ${status}): if you have access, set HF_TOKEN to a Hugging Face access token`,
      "auth",
    );
  }
  if (status === 404) {
    if (code === "RepoNotFound") {
      return make(
        `${label}: no ${kind} repository ${ctx.repo} at ${ctx.endpoint}${ctx.token ? "" : " (if it is private, set HF_TOKEN)"}`,
        "not_found",
      );
    }
    if (code === "RevisionNotFound") {
      return make(`${label}: revision "${ctx.revision}" not found in ${kind} ${ctx.repo}`, "not_found");
    }
    return make(
      ctx.path === undefined
        ? `${label}: not found at ${ctx.endpoint} (${kind} ${ctx.repo}, revision "${ctx.revision}")`
        : `${label}: file "${ctx.path}" not found in ${kind} ${ctx.repo} at revision "${ctx.revision}"`,
      "not_found",
    );
  }
  const detail = serverMessage ? `: ${serverMessage.split("\n")[0]?.slice(0, 300)}` : "";
  return make(`${label}: the hub at ${ctx.endpoint} answered HTTP ${status}${detail}`, "http");
}
