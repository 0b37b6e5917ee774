import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DEFAULT_REVISION, type HubFileRef, isCommitHash, type RepoType } from "./ref.js";

/**
 * The download cache, one folder per repository and commit, so that a file's path says exactly which version it is:
 *
 * ```
 * <root>/datasets/openai/gsm8k/<commit>/main/test-00000-of-00001.parquet
 * <root>/datasets/openai/gsm8k/refs/main          ← the commit "main" pointed to when first downloaded
 * <root>/datasets/openai/gsm8k/trees/main.json    ← the file listing of "main", for split look-ups
 * <root>/models/owner/name/<commit>/model.gguf
 * ```
 *
 * A branch or tag is pinned to the commit it had at the first download: later runs use the same bytes without
 * asking the hub, which keeps evaluations reproducible (delete `refs/<branch>` to follow the branch again).
 * Revisions with a slash (`refs/convert/parquet`) are percent-encoded in file names.
 */
export class HubCache {
  constructor(readonly root: string) {}

  repoDir(type: RepoType, repo: string): string {
    return join(this.root, type === "dataset" ? "datasets" : "models", ...repo.split("/"));
  }

  /** Where a file of a snapshot lives; a snapshot is a commit, or the revision itself when the hub named no commit. */
  filePath(type: RepoType, repo: string, snapshot: string, path: string): string {
    return join(this.repoDir(type, repo), snapshotDir(snapshot), ...path.split("/"));
  }

  /** The cached file for a reference (and its commit, when known), found without any network request, or null. */
  async lookup(ref: HubFileRef): Promise<{ path: string; commit: string | null } | null> {
    const revision = ref.revision ?? DEFAULT_REVISION;
    const snapshot = isCommitHash(revision) ? revision : await this.readRef(ref.type, ref.repo, revision);
    for (const candidate of new Set(snapshot ? [snapshot, revision] : [revision])) {
      const file = this.filePath(ref.type, ref.repo, candidate, ref.path);
      if (await isFile(file)) return { path: file, commit: isCommitHash(candidate) ? candidate : null };
    }
    return null;
  }

  async readRef(type: RepoType, repo: string, revision: string): Promise<string | null> {
    const text = await readFile(this.refFile(type, repo, revision), "utf8").catch(() => null);
    const commit = text?.trim() ?? "";
    return isCommitHash(commit) ? commit : null;
  }

  async writeRef(type: RepoType, repo: string, revision: string, commit: string): Promise<void> {
    if (revision === commit) return;
    await writeAtomic(this.refFile(type, repo, revision), `${commit}\n`);
  }

  async readTree(type: RepoType, repo: string, revision: string): Promise<unknown | null> {
    const text = await readFile(this.treeFile(type, repo, revision), "utf8").catch(() => null);
    if (text === null) return null;
    try {
      return JSON.parse(text);
    } catch {
      return null; // a damaged listing is fetched again
    }
  }

  async writeTree(type: RepoType, repo: string, revision: string, tree: unknown): Promise<void> {
    await writeAtomic(this.treeFile(type, repo, revision), JSON.stringify(tree));
  }

  private refFile(type: RepoType, repo: string, revision: string): string {
    return join(this.repoDir(type, repo), "refs", encodeURIComponent(revision));
  }

  private treeFile(type: RepoType, repo: string, revision: string): string {
    return join(this.repoDir(type, repo), "trees", `${encodeURIComponent(revision)}.json`);
  }
}

function snapshotDir(snapshot: string): string {
  // A commit is 40 hex digits; any other revision gets a prefix so it can never be taken for "refs" or "trees".
  return isCommitHash(snapshot) ? snapshot : `rev-${encodeURIComponent(snapshot)}`;
}

export async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** Writes a small file through a temporary name and a rename, so a reader never sees half of it. */
export async function writeAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
