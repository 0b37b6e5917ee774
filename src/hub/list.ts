import { TOOL_VERSION } from "../core/version.js";
import { HubCache } from "./cache.js";
import { HubError } from "./errors.js";
import { header, origin, send } from "./http.js";
import { checkRepoId, checkRevision, DEFAULT_REVISION, type RepoType } from "./ref.js";
import { type HubOptions, hubSettings } from "./settings.js";
import { describeTarget, hubStatusError, type RequestContext } from "./status.js";

/** A file of a repository as the hub lists it; `lfs` (with the sha256 as `oid`) for large files. */
export interface HubTreeFile {
  path: string;
  size: number;
  /** The git blob id. */
  oid: string;
  lfs?: { oid: string; size: number };
}

/**
 * Lists every file of a repository at a revision: `GET {endpoint}/api/{models|datasets}/{repo}/tree/{revision}
 * ?recursive=true`, following the `Link: <…>; rel="next"` pages the hub sends for large repositories. The listing
 * is cached per revision name, so a second run needs no network (like the files themselves).
 */
export async function listHubFiles(
  type: RepoType,
  repo: string,
  revision: string = DEFAULT_REVISION,
  options: HubOptions = {},
): Promise<HubTreeFile[]> {
  checkRepoId(repo);
  checkRevision(revision);
  const settings = hubSettings(options);
  const cache = new HubCache(settings.cacheDir);
  const cached = await cache.readTree(type, repo, revision);
  if (Array.isArray(cached)) return cached as HubTreeFile[];

  const ctx: RequestContext = { type, repo, revision, endpoint: settings.endpoint, token: settings.token };
  const label = describeTarget(ctx);
  if (settings.offline) {
    throw new HubError(`${label}: the file listing is not in the cache and HF_HUB_OFFLINE is set`, "offline");
  }
  const hubOrigin = origin(settings.endpoint);
  const files: HubTreeFile[] = [];
  let next: string | null =
    `${settings.endpoint}/api/${type === "dataset" ? "datasets" : "models"}/${repo}/tree/${encodeURIComponent(revision)}?recursive=true`;
  for (let page = 0; next !== null; page++) {
    if (page >= 10_000) throw new HubError(`${label}: the file listing did not end after 10,000 pages`, "http");
    const url: string = next;
    const headers: Record<string, string> = { "user-agent": `arbiter/${TOOL_VERSION}`, accept: "application/json" };
    // The next page's link is absolute: the token goes with it only while it stays on the hub.
    if (settings.token && origin(url) === hubOrigin) headers.authorization = `Bearer ${settings.token}`;
    const response = await send(url, {
      headers,
      timeoutMs: options.timeoutMs ?? 60_000,
      secrets: [settings.token],
      target: `the Hugging Face hub at ${settings.endpoint}`,
    }).catch((error) => {
      throw error instanceof HubError ? new HubError(`${label}: ${error.message}`, error.kind) : error;
    });
    if (response.statusCode !== 200) {
      throw await hubStatusError(response, ctx);
    }
    let body: unknown;
    try {
      body = await response.body.json();
    } catch {
      throw new HubError(`${label}: the file listing from ${settings.endpoint} is not JSON`, "http");
    }
    if (!Array.isArray(body)) {
      throw new HubError(`${label}: the file listing from ${settings.endpoint} is not a JSON array`, "http");
    }
    for (const entry of body) files.push(...treeFile(entry, label));
    next = nextLink(header(response, "link"), url);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  await cache.writeTree(type, repo, revision, files);
  return files;
}

function treeFile(entry: unknown, label: string): HubTreeFile[] {
  const e = entry as { type?: unknown; path?: unknown; size?: unknown; oid?: unknown; lfs?: unknown };
  if (typeof e !== "object" || e === null || typeof e.path !== "string" || typeof e.type !== "string") {
    throw new HubError(
      `${label}: unexpected entry in the file listing: ${JSON.stringify(entry)?.slice(0, 200)}`,
      "http",
    );
  }
  if (e.type !== "file") return [];
  const file: HubTreeFile = {
    path: e.path,
    size: typeof e.size === "number" ? e.size : 0,
    oid: typeof e.oid === "string" ? e.oid : "",
  };
  const lfs = e.lfs as { oid?: unknown; size?: unknown } | undefined;
  if (lfs && typeof lfs.oid === "string" && typeof lfs.size === "number") file.lfs = { oid: lfs.oid, size: lfs.size };
  return [file];
}

/** The `rel="next"` target of a Link header, resolved against the page's URL. */
export function nextLink(link: string | undefined, base: string): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (match && /\brel="?next"?/.test(match[2] as string)) return new URL(match[1] as string, base).toString();
  }
  return null;
}
