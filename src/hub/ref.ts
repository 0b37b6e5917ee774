import { HubError } from "./errors.js";

export type RepoType = "model" | "dataset";

/** One file of a hub repository, at a revision (branch, tag or commit; default "main"). */
export interface HubFileRef {
  type: RepoType;
  /** `owner/name`. */
  repo: string;
  revision?: string;
  /** Path inside the repository, `/`-separated. */
  path: string;
}

export const DEFAULT_REVISION = "main";
export const HUB_PREFIX = "hf:";
const COMMIT = /^[0-9a-f]{40}$/;

export function isHubRef(text: string): boolean {
  return text.startsWith(HUB_PREFIX);
}

export function isCommitHash(revision: string): boolean {
  return COMMIT.test(revision);
}

/**
 * Parses `hf:[datasets/|models/]owner/name[@revision]/path/in/repo`. The repository type defaults to the caller's
 * (a dataset for data files, a model for `llamacpp/hf:…`). A revision with a slash is percent-encoded, as in the
 * hub's own `hf://` URLs: `@refs%2Fconvert%2Fparquet`.
 */
export function parseHubRef(text: string, defaultType: RepoType): HubFileRef {
  const expected = "expected hf:owner/repo/path/in/repo or hf:owner/repo@revision/path/in/repo";
  if (!isHubRef(text)) throw new HubError(`"${text}" is not a hub reference: ${expected}`, "reference");
  let rest = text.slice(HUB_PREFIX.length).replace(/^\/+/, "");
  let type = defaultType;
  const typed = /^(datasets|models)\//.exec(rest);
  if (typed) {
    type = typed[1] === "datasets" ? "dataset" : "model";
    rest = rest.slice(typed[0].length);
  }
  const parts = rest.split("/");
  if (parts.length < 3) throw new HubError(`"${text}" names no file: ${expected}`, "reference");
  const { repo, revision } = splitRevision(parts[0] as string, parts[1] as string, text, expected);
  const ref: HubFileRef = { type, repo, path: parts.slice(2).join("/") };
  if (revision !== undefined) ref.revision = revision;
  checkFileRef(ref, text);
  return ref;
}

/** `owner` and `name[@revision]` as a repo id and its revision (percent-decoded, so it may hold slashes). */
function splitRevision(
  owner: string,
  nameAt: string,
  text: string,
  expected: string,
): { repo: string; revision?: string } {
  const at = nameAt.indexOf("@");
  if (at < 0) return { repo: `${owner}/${nameAt}` };
  let revision: string;
  try {
    revision = decodeURIComponent(nameAt.slice(at + 1));
  } catch {
    throw new HubError(`"${text}": the revision is not valid percent-encoding`, "reference");
  }
  if (revision === "") throw new HubError(`"${text}": empty revision after "@": ${expected}`, "reference");
  return { repo: `${owner}/${nameAt.slice(0, at)}`, revision };
}

export function formatHubRef(ref: HubFileRef): string {
  const rev = ref.revision === undefined ? "" : `@${encodeURIComponent(ref.revision)}`;
  return `${HUB_PREFIX}${ref.type === "dataset" ? "datasets/" : ""}${ref.repo}${rev}/${ref.path}`;
}

/** Checks that a repo id and a path are safe to use as cache folders and URL parts; `where` names the input. */
export function checkFileRef(ref: HubFileRef, where = formatHubRef(ref)): void {
  checkRepoId(ref.repo, where);
  checkRepoPath(ref.path, where);
  if (ref.revision !== undefined) checkRevision(ref.revision, where);
}

// The hub's own rule for each part of a repo id: letters, digits, "-", "_", "."; no "--" or ".." (96 chars max).
const REPO_PART = /^(?!.*(?:--|\.\.))[A-Za-z0-9][\w.-]{0,95}$/;

export function checkRepoId(repo: string, where = repo): void {
  const parts = repo.split("/");
  if (parts.length !== 2 || !parts.every((p) => REPO_PART.test(p))) {
    throw new HubError(
      `${where}: "${repo}" is not a repository id: expected owner/name (letters, digits, "-", "_", ".")`,
      "reference",
    );
  }
}

export function checkRepoPath(path: string, where = path): void {
  const bad = path.split("/").find((s) => s === "" || s === "." || s === ".." || /[\\\0]/.test(s));
  if (bad !== undefined || path.length === 0) {
    throw new HubError(
      `${where}: "${path}" is not a file path inside a repository: expected a/b/file.ext without empty, "." or ".." parts`,
      "reference",
    );
  }
}

export function checkRevision(revision: string, where = revision): void {
  if (
    revision === "" ||
    revision.split("/").some((s) => s === "" || s === "." || s === "..") ||
    /[\0\\]/.test(revision)
  ) {
    throw new HubError(`${where}: "${revision}" is not a revision: expected a branch, tag or commit hash`, "reference");
  }
}

/** A dataset repository (not one file): `hf:[datasets/]owner/name[@revision][/folder/in/repo]`. */
export interface HubRepoRef {
  repo: string;
  revision?: string;
  /** A folder inside the repository, when given. */
  folder?: string;
}

export function parseHubRepoRef(text: string): HubRepoRef {
  const expected = "expected hf:owner/name, hf:owner/name@revision or hf:owner/name/folder";
  if (!isHubRef(text)) throw new HubError(`"${text}" is not a hub reference: ${expected}`, "reference");
  const rest = text
    .slice(HUB_PREFIX.length)
    .replace(/^\/+/, "")
    .replace(/^datasets\//, "");
  const [owner, nameAt, ...folder] = rest.split("/");
  if (!owner || !nameAt) throw new HubError(`"${text}": ${expected}`, "reference");
  const ref: HubRepoRef = splitRevision(owner, nameAt, text, expected);
  checkRepoId(ref.repo, text);
  if (ref.revision !== undefined) checkRevision(ref.revision, text);
  const path = folder.filter((f) => f !== "").join("/");
  if (path !== "") {
    checkRepoPath(path, text);
    ref.folder = path;
  }
  return ref;
}
