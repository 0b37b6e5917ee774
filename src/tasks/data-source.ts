/**
 * Where a custom task's records come from: a local file (relative to the task's folder), one file of a Hugging Face
 * dataset (`hf:owner/name[@revision]/path/file.parquet`), or a whole split of one (`hf:owner/name` with `split:`
 * and, when the dataset has several configs, `subset:`). Hub files are downloaded once into the cache
 * ($ARBITER_CACHE/hub) with a progress display and read from there afterwards, offline included.
 */
import { basename, extname, isAbsolute, relative, resolve } from "node:path";
import { DATA_EXTENSIONS, hubDataFile, hubDataset } from "../hub/dataset.js";
import { HubError } from "../hub/errors.js";
import { isHubRef, parseHubRepoRef } from "../hub/ref.js";

export interface DataSource {
  /** How the source is named in messages: a path relative to the working directory, or the hf: reference. */
  label: string;
  /** Local files holding the records, in order (downloaded on first use for hub sources), each with its label. */
  files(): Promise<DataSourceFile[]>;
}

export interface DataSourceFile {
  path: string;
  /** How this file is named in messages. */
  label: string;
}

export interface HubSplit {
  split?: string;
  subset?: string;
}

/** How a file is named in messages: relative to the working directory when inside it, else absolute. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

function namesFile(reference: string): boolean {
  const ext = extname(reference).toLowerCase();
  return (DATA_EXTENSIONS as readonly string[]).includes(ext);
}

/** `hf:[datasets/]owner/name[@revision]` → repo and revision (a whole dataset read by split). */
function datasetRepo(reference: string): { repo: string; revision?: string } {
  const ref = parseHubRepoRef(reference);
  if (ref.folder !== undefined) {
    throw new HubError(
      `"${reference}": expected hf:owner/name (a dataset, with split:) or hf:owner/name/path/to/file.parquet (one file)`,
      "reference",
    );
  }
  return ref;
}

export function dataSource(data: string, baseDir: string, hub: HubSplit = {}): DataSource {
  if (!isHubRef(data)) {
    const file = resolve(baseDir, data);
    const label = displayPath(file);
    return { label, files: async () => [{ path: file, label }] };
  }
  if (namesFile(data)) {
    let local: Promise<DataSourceFile[]> | undefined;
    return { label: data, files: () => (local ??= hubDataFile(data).then((path) => [{ path, label: data }])) };
  }
  const { repo, revision } = datasetRepo(data);
  const request = {
    split: hub.split ?? "test",
    ...(hub.subset !== undefined ? { config: hub.subset } : {}),
    ...(revision !== undefined ? { revision } : {}),
  };
  const label = `${data} (${hub.subset ? `${hub.subset}/` : ""}${request.split})`;
  let local: Promise<DataSourceFile[]> | undefined;
  const files = () =>
    (local ??= hubDataset(repo, request).then((paths) =>
      paths.map((path) => ({ path, label: paths.length === 1 ? label : `${label} ${basename(path)}` })),
    ));
  return { label, files };
}
