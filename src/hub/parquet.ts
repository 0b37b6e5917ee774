import * as zlib from "node:zlib";
import { asyncBufferFromFile, type Compressors, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { DataFileError } from "../tasks/data-files.js";

/**
 * Reads a Parquet file (a hub dataset's usual format) as plain records, one row group at a time, so memory holds one
 * row group rather than the file. Values are made JSON-friendly: INT64 becomes a number (a decimal string past
 * 2^53, where a number would round), a timestamp an ISO 8601 string; nested lists and structs stay arrays and
 * objects; binary columns stay Uint8Array.
 *
 * Codecs: uncompressed and Snappy (hyparquet's own), GZIP and Brotli (node:zlib), and ZSTD where node:zlib has it
 * (Node ≥ 22.15). Any other codec is a DataFileError naming it.
 */
export async function* readParquetRecords(
  path: string,
  options: { label?: string } = {},
): AsyncGenerator<Record<string, unknown>> {
  const label = options.label ?? path;
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new DataFileError(`${label}: cannot read as Parquet: ${(error as Error).message}`, label);
  }
  let rowStart = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors: COMPRESSORS });
    } catch (error) {
      throw new DataFileError(
        `${label}: row group ${index + 1} (rows ${rowStart + 1}–${rowEnd}): ${explain((error as Error).message)}`,
        label,
      );
    }
    for (const row of rows) yield plain(row) as Record<string, unknown>;
    rowStart = rowEnd;
  }
}

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array;
const zstd = (zlib as unknown as { zstdDecompressSync?: (input: Uint8Array) => Buffer }).zstdDecompressSync;

const COMPRESSORS: Compressors = {
  GZIP: (input) => toBytes(zlib.gunzipSync(input)),
  BROTLI: (input) => toBytes(zlib.brotliDecompressSync(input)),
  ...(zstd ? { ZSTD: ((input) => toBytes(zstd(input))) as Decompress } : {}),
};

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function explain(message: string): string {
  const codec = /unsupported compression codec: (\w+)/.exec(message)?.[1];
  if (!codec) return message;
  const hint = codec === "ZSTD" ? " (Node ≥ 22.15 reads it; or convert the file to Snappy)" : "";
  return `compressed with ${codec}, which this reader does not decompress${hint}`;
}

function plain(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Uint8Array) return value;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = plain(v);
    return out;
  }
  return value;
}
