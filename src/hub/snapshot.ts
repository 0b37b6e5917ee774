import { hubDataset } from "./dataset.js";
import { HubError } from "./errors.js";
import { listHubFiles } from "./list.js";
import { DEFAULT_REVISION, parseHubRepoRef } from "./ref.js";
import type { HubOptions } from "./settings.js";

/**
 * A dataset repository (or one folder of it) at a revision, every file downloaded into the cache: the local folder
 * holding it. For built-in benchmarks whose loaders read the upstream files, `{builtin: cmmlu, path:
 * hf:owner/cmmlu}` gets the same layout from the hub that `path: /data/cmmlu` gets from a disk. All files come from
 * one commit; a second call reads the cache (offline too).
 */
export async function hubSnapshot(reference: string, options: HubOptions = {}): Promise<string> {
  const ref = parseHubRepoRef(reference);
  const revision = ref.revision ?? DEFAULT_REVISION;
  const prefix = ref.folder === undefined ? "" : `${ref.folder}/`;
  const listed = (await listHubFiles("dataset", ref.repo, revision, options))
    .map((f) => f.path)
    .filter((p) => p.startsWith(prefix) && !p.endsWith(".gitattributes"))
    .sort();
  if (listed.length === 0) {
    throw new HubError(
      `${reference}: no files${ref.folder ? ` under ${ref.folder}/` : ""} in the repository`,
      "not_found",
    );
  }
  const local = await hubDataset(ref.repo, { files: listed, revision }, options);
  // Files keep their repository paths under one snapshot folder: strip the first file's path to find it.
  const first = local[0] as string;
  const repoPath = listed[0] as string;
  const root = first.slice(0, first.length - repoPath.length);
  return `${root}${ref.folder ?? ""}`.replace(/\/+$/, "");
}
