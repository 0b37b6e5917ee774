/**
 * Reading dataset files: JSON Lines, a JSON array, CSV with a header row, or Parquet (the hub's usual format; its
 * records are numbered by row rather than line).
 *
 * JSONL and CSV are streamed (a record at a time), so a dataset of any size costs the memory of one record. Every
 * record comes with the line of the file where it starts, so later errors ("template field missing") can point at
 * it. Every failure is a {@link DataFileError} whose message names the file, the line and what was expected.
 */

import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { pipeline, Transform, type TransformCallback } from "node:stream";
import { type CsvError, type Options, parse } from "csv-parse";
import { UserError } from "../core/errors.js";

export type DataFormat = "jsonl" | "json" | "csv" | "parquet";

export const DATA_FORMATS: readonly DataFormat[] = ["jsonl", "json", "csv", "parquet"];

export interface DataRecord {
  record: Record<string, unknown>;
  /** 1-based line of the file where the record starts (for a JSON array: where the element starts). */
  line: number;
}

export interface ReadRecordsOptions {
  /** How the file is named in error messages; defaults to the path as given. */
  label?: string;
}

/** A problem with a data file, already phrased for the user: `file:line: what is wrong: what was expected`. */
export class DataFileError extends UserError {
  override name = "DataFileError";
  constructor(
    message: string,
    /** The file as named in the message. */
    readonly file: string,
    /** 1-based line, when the problem is on one line. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** `file:line: message`, or `file: message` when there is no line. */
export function dataFileError(file: string, line: number | undefined, message: string): DataFileError {
  return new DataFileError(`${line === undefined ? file : `${file}:${line}`}: ${message}`, file, line);
}

/** The format a file's extension implies, or null (`.jsonl`/`.ndjson`, `.json`, `.csv`; case-insensitive). */
export function formatFromExtension(path: string): DataFormat | null {
  switch (extname(path).toLowerCase()) {
    case ".jsonl":
    case ".ndjson":
      return "jsonl";
    case ".json":
      return "json";
    case ".csv":
      return "csv";
    case ".parquet":
      return "parquet";
    default:
      return null;
  }
}

/**
 * Streams the records of a data file with the line each starts on. The format is inferred from the extension when
 * not given. Blank JSONL lines and blank CSV lines are skipped. Throws {@link DataFileError} (while iterating).
 */
export async function* readRecords(
  path: string,
  format?: DataFormat,
  options: ReadRecordsOptions = {},
): AsyncGenerator<DataRecord, void, undefined> {
  const label = options.label ?? path;
  const fmt = format ?? formatFromExtension(path);
  if (fmt === null) {
    const ext = extname(path);
    throw dataFileError(
      label,
      undefined,
      `cannot tell the format from the ${ext ? `extension "${ext}"` : "file name (no extension)"}: expected .jsonl, .ndjson, .json, .csv or .parquet, or set the format explicitly`,
    );
  }
  const handle = await openForReading(path, label);
  if (fmt === "parquet") {
    // Parquet is read by row group through its own file access; a record's "line" is its row number.
    await handle.close();
    const { readParquetRecords } = await import("../hub/parquet.js");
    let row = 0;
    for await (const record of readParquetRecords(path, { label })) yield { record, line: ++row };
    return;
  }
  switch (fmt) {
    case "jsonl":
      yield* readJsonl(handle, label);
      return;
    case "json":
      yield* readJsonArray(handle, label);
      return;
    case "csv":
      yield* readCsv(handle, label);
      return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Opening

async function openForReading(path: string, label: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    throw ioError(err, label);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw dataFileError(label, undefined, "is a directory, expected a data file");
  } catch (err) {
    await handle.close().catch(() => {});
    throw err instanceof DataFileError ? err : ioError(err, label);
  }
  return handle;
}

function ioError(err: unknown, label: string, line?: number): DataFileError {
  if (err instanceof DataFileError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case "ENOENT":
      return dataFileError(label, undefined, "file not found");
    case "EACCES":
    case "EPERM":
      return dataFileError(label, undefined, "permission denied: cannot read the file");
    case "EISDIR":
      return dataFileError(label, undefined, "is a directory, expected a data file");
    default:
      return dataFileError(label, line, `cannot read the file (${errorText(err)})`);
  }
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** "an object", "an array", "a string", "null"… for "expected X, found Y" messages. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "object":
      return "an object";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    default:
      return typeof value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON Lines

async function* readJsonl(handle: FileHandle, label: string): AsyncGenerator<DataRecord, void, undefined> {
  const input = handle.createReadStream({ encoding: "utf8" });
  let streamError: unknown = null;
  input.on("error", (err) => {
    streamError = err;
  });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw dataFileError(label, line, `not valid JSON (${errorText(err)}): each line must be one JSON object`);
      }
      if (!isPlainObject(value)) {
        throw dataFileError(
          label,
          line,
          `expected a JSON object, found ${describeJsonValue(value)}: each line must be one JSON object`,
        );
      }
      yield { record: value, line };
    }
    if (streamError) throw ioError(streamError, label, line + 1);
  } catch (err) {
    throw err instanceof DataFileError ? err : ioError(streamError ?? err, label, line + 1);
  } finally {
    lines.close();
    input.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON array (read whole)

async function* readJsonArray(handle: FileHandle, label: string): AsyncGenerator<DataRecord, void, undefined> {
  let text: string;
  try {
    text = await handle.readFile({ encoding: "utf8" });
  } catch (err) {
    throw ioError(err, label);
  } finally {
    await handle.close().catch(() => {});
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw dataFileError(label, undefined, "the file is empty: expected a JSON array of objects");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = errorText(err);
    const position = /at position (\d+)/.exec(message);
    const line = position ? lineAtOffset(text, Number(position[1])) : undefined;
    throw dataFileError(label, line, `not valid JSON (${message}): expected a JSON array of objects`);
  }
  if (!Array.isArray(value)) {
    throw dataFileError(label, undefined, `expected a JSON array of objects, found ${describeJsonValue(value)}`);
  }
  const lines = elementLines(text);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const line = lines[i] ?? 1;
    if (!isPlainObject(item)) {
      throw dataFileError(
        label,
        line,
        `item ${i + 1} of the array is ${describeJsonValue(item)}: expected a JSON array of objects`,
      );
    }
    yield { record: item, line };
  }
}

function lineAtOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The line each element of a top-level JSON array starts on. `text` must be valid JSON holding an array. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expecting = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") {
      line++;
      continue;
    }
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") continue;
    if (depth === 1 && c === ",") {
      expecting = true;
      continue;
    }
    if (depth === 1 && expecting && c !== "]") {
      lines.push(line);
      expecting = false;
    }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      depth++;
      if (depth === 1) expecting = true;
    } else if (c === "]" || c === "}") depth--;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

/**
 * Passes bytes through unchanged and keeps those not yet counted, so the line where each record starts can be found
 * from csv-parse's byte offsets. (csv-parse's own `info.lines` is where a record ends and counts a CRLF inside a
 * quoted field as two lines.) Lines are counted by "\n", so LF and CRLF files number alike.
 */
class LineTracker extends Transform {
  private readonly chunks: Buffer[] = [];
  /** Byte offset of chunks[0]. */
  private base = 0;
  /** Byte offset up to which newlines have been counted. */
  private pos = 0;
  /** 1-based line at `pos`. */
  line = 1;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.chunks.push(chunk);
    callback(null, chunk);
  }

  /** Counts newlines up to byte `to`. */
  advance(to: number): void {
    while (this.pos < to) {
      const chunk = this.chunks[0];
      if (!chunk) return;
      const from = this.pos - this.base;
      const end = Math.min(chunk.length, to - this.base);
      for (let i = chunk.indexOf(10, from); i !== -1 && i < end; i = chunk.indexOf(10, i + 1)) this.line++;
      this.pos = this.base + end;
      if (end === chunk.length) {
        this.chunks.shift();
        this.base += chunk.length;
      }
    }
  }

  /** Moves past blank lines (and a leading byte-order mark) without passing byte `limit`; returns the line reached. */
  skipBlank(limit = Number.POSITIVE_INFINITY): number {
    while (this.pos < limit) {
      const chunk = this.chunks[0];
      if (!chunk) break;
      const byte = chunk[this.pos - this.base];
      const bom = this.pos === 0 && byte === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      if (!bom && byte !== 10 && byte !== 13) break;
      this.advance(this.pos + (bom ? 3 : 1));
    }
    return this.line;
  }
}

async function* readCsv(handle: FileHandle, label: string): AsyncGenerator<DataRecord, void, undefined> {
  const tracker = new LineTracker();
  let headerCount = 0;
  // Records as the parser makes them, with their start line worked out at that moment (the tracker has then seen
  // exactly the bytes up to the record's end). The stream drops records it has buffered when it fails, so those
  // parsed before an error are taken from here and still yielded, in order, before the error.
  const produced: DataRecord[] = [];
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    columns: (header: string[]) => {
      const line = tracker.skipBlank();
      tracker.advance(parser.info.bytes);
      const seen = new Set<string>();
      const names = header.map((raw) => {
        const name = String(raw).trim();
        if (name === "") return undefined; // an unnamed column (e.g. after a trailing comma) is skipped
        if (seen.has(name)) throw dataFileError(label, line, `duplicate column "${name}" in the header row`);
        seen.add(name);
        return name;
      });
      headerCount = header.length;
      return names as string[];
    },
    // With `info: true` the parser hands on_record `{record, info}`; its typings assume a bare record.
    on_record: ((row: { record: Record<string, unknown>; info: { bytes: number } }) => {
      const line = tracker.skipBlank(row.info.bytes);
      tracker.advance(row.info.bytes);
      const item: DataRecord = { record: { ...row.record }, line };
      produced.push(item);
      return item;
    }) as unknown as Options["on_record"],
  });
  const input = handle.createReadStream();
  pipeline(input, tracker, parser, () => {
    // Errors surface through the parser's iterator; nothing to do here.
  });
  try {
    try {
      for await (const _ of parser) {
        const item = produced.shift();
        if (item) yield item;
      }
    } catch (err) {
      for (let item = produced.shift(); item; item = produced.shift()) yield item;
      if (err instanceof DataFileError) throw err;
      const code = (err as Partial<CsvError> | null)?.code;
      if (typeof code === "string" && (code.startsWith("CSV_") || code === "INVALID_OPENING_QUOTE")) {
        throw dataFileError(label, tracker.skipBlank(), `not valid CSV (${csvProblem(err as CsvError, headerCount)})`);
      }
      throw ioError(err, label);
    }
  } finally {
    parser.destroy();
    input.destroy();
  }
}

function csvProblem(err: CsvError, headerCount: number): string {
  switch (err.code) {
    case "CSV_RECORD_INCONSISTENT_COLUMNS":
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH": {
      const got = Array.isArray(err.record) ? err.record.length : undefined;
      return got === undefined
        ? `the record does not have as many fields as the header has columns (${headerCount})`
        : `the record has ${got} field${got === 1 ? "" : "s"} but the header has ${headerCount} columns; quote a field that contains a comma`;
    }
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field starting on this line is never closed";
    case "CSV_INVALID_CLOSING_QUOTE":
      return 'a closing quote is followed by more text; inside a quoted field write a quote as ""';
    case "INVALID_OPENING_QUOTE":
      return 'a quote inside an unquoted field; quote the whole field and write the quote as ""';
    default:
      return errorText(err);
  }
}
