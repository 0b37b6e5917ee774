import { hubFile } from "./download.js";
import { HubError } from "./errors.js";
import { listHubFiles } from "./list.js";
import { checkRepoId, checkRepoPath, checkRevision, DEFAULT_REVISION, parseHubRef } from "./ref.js";
import type { HubOptions } from "./settings.js";

/** The branch where the hub keeps its Parquet conversion of a dataset: `{config}/{split}/0000.parquet`. */
export const PARQUET_REVISION = "refs/convert/parquet";

/** Extensions of the data files a split is looked for in (README.md, .gitattributes and scripts are not data). */
export const DATA_EXTENSIONS = [".parquet", ".jsonl", ".ndjson", ".json", ".csv"] as const;

export interface HubDatasetRequest {
  /** Branch, tag or commit (default "main"); PARQUET_REVISION for the hub's Parquet conversion. */
  revision?: string;
  /** Paths of files to fetch, exact or with `*` / `**` wildcards. */
  files?: string[];
  /** The split's data files: named after it (`test-00000-of-00001.parquet`, `my_test.csv`) or in a folder of that name. */
  split?: string;
  /** The config (subset): only files under this top folder (`main` in openai/gsm8k). */
  config?: string;
}

/**
 * Downloads a dataset's files (or finds them in the cache) and returns their local paths, sorted by repo path.
 * With neither `files` nor `split`, every data file of the revision. All files come from the same commit: the first
 * one pins the commit the revision points to, the others are fetched at that commit.
 */
export async function hubDataset(
  repo: string,
  request: HubDatasetRequest = {},
  options: HubOptions = {},
): Promise<string[]> {
  checkRepoId(repo);
  const revision = request.revision ?? DEFAULT_REVISION;
  checkRevision(revision);
  const label = `hf:datasets/${repo}@${encodeURIComponent(revision)}`;
  const exact = request.files !== undefined && request.split === undefined && !request.files.some(isPattern);
  let paths: string[];
  if (exact) {
    paths = [...new Set(request.files)].sort();
    for (const p of paths) checkRepoPath(p, label);
  } else {
    const listed = (await listHubFiles("dataset", repo, revision, options)).map((f) => f.path);
    paths = selectFiles(listed, request, label);
  }
  if (paths.length === 0) throw new HubError(`${label}: no files were asked for`, "reference");

  const local: string[] = [];
  let pinned = revision;
  for (const path of paths) {
    const result = await hubFile({ type: "dataset", repo, revision: pinned, path }, options);
    if (result.commit && pinned === revision) pinned = result.commit;
    local.push(result.path);
  }
  return local;
}

/** `hf:owner/repo[@revision]/path` (a data file of a dataset) → the file in the cache, downloaded if need be. */
export async function hubDataFile(reference: string, options: HubOptions = {}): Promise<string> {
  return (await hubFile(parseHubRef(reference, "dataset"), options)).path;
}

/** Which of a listing's files a request asks for; an empty or ambiguous choice is a HubError naming the options. */
export function selectFiles(listed: readonly string[], request: HubDatasetRequest, label: string): string[] {
  let chosen: string[];
  if (request.files !== undefined) {
    const patterns = request.files.map((f) => ({ text: f, re: globToRegExp(f) }));
    chosen = listed.filter((p) => patterns.some((x) => x.re.test(p)));
    const unmatched = patterns.filter((x) => !listed.some((p) => x.re.test(p))).map((x) => x.text);
    if (unmatched.length > 0) {
      throw new HubError(
        `${label}: no file matches ${unmatched.map((u) => `"${u}"`).join(", ")}: the repository has ${summarize(listed)}`,
        "not_found",
      );
    }
  } else {
    chosen = listed.filter(isDataFile);
  }
  const inConfig = request.config === undefined ? chosen : chosen.filter((p) => p.startsWith(`${request.config}/`));
  if (inConfig.length === 0 && request.config !== undefined) {
    const configs = [...new Set(chosen.filter((p) => p.includes("/")).map((p) => p.split("/")[0]))];
    throw new HubError(
      `${label}: no data files in config "${request.config}"${configs.length ? `: the folders with data files are ${configs.join(", ")}` : ""}`,
      "not_found",
    );
  }
  if (request.split === undefined) return inConfig;

  const split = request.split;
  const pattern = new RegExp(`(^|[-._ 0-9/])${escapeRegExp(split)}([-._ 0-9/]|$)`);
  const prefix = request.config === undefined ? "" : `${request.config}/`;
  const inSplit = inConfig.filter((p) => pattern.test(p.slice(prefix.length)));
  if (inSplit.length === 0) {
    throw new HubError(
      `${label}: no data files for split "${split}"${request.config ? ` in config "${request.config}"` : ""}: the repository has ${summarize(inConfig.length ? inConfig : listed)}`,
      "not_found",
    );
  }
  if (request.config === undefined) {
    const tops = [...new Set(inSplit.map((p) => (p.includes("/") ? p.split("/")[0] : "")))];
    if (tops.length > 1 && tops.some((t) => t !== "" && t !== "data")) {
      throw new HubError(
        `${label}: split "${split}" has files in several folders (${tops.map((t) => t || "(top level)").join(", ")}): choose one with config`,
        "reference",
      );
    }
  }
  return inSplit;
}

function isDataFile(path: string): boolean {
  const lower = path.toLowerCase();
  return DATA_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function isPattern(path: string): boolean {
  return /[*?]/.test(path);
}

/** `*` matches within one folder, `**` across folders, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      out += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function summarize(paths: readonly string[]): string {
  if (paths.length === 0) return "no files";
  const shown = paths.slice(0, 8).join(", ");
  return paths.length > 8 ? `${paths.length} files (${shown}, …)` : `${shown}`;
}
