/**
 * The Hugging Face hub client: files of model and dataset repositories downloaded into a local cache (with resume,
 * size and sha256 checks, and a progress display), `hf:` references, dataset splits, and Parquet reading.
 */
export { HubCache } from "./cache.js";
export { DATA_EXTENSIONS, type HubDatasetRequest, hubDataFile, hubDataset, PARQUET_REVISION } from "./dataset.js";
export { type HubFileResult, hubFile, resolveUrl } from "./download.js";
export { HubError, type HubErrorKind } from "./errors.js";
export { type HubTreeFile, listHubFiles } from "./list.js";
export { hubModelFile } from "./model.js";
export { readParquetRecords } from "./parquet.js";
export type { ProgressMode } from "./progress.js";
export { type HubFileRef, isHubRef, parseHubRef, type RepoType } from "./ref.js";
export { DEFAULT_ENDPOINT, type HubOptions, hubSettings } from "./settings.js";
