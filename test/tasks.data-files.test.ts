import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataFileError, type DataRecord, formatFromExtension, readRecords } from "../src/tasks/data-files.js";

const FIX = "test/fixtures/tasks";
const fx = (name: string): string => join(FIX, name);

async function collect(iter: AsyncIterable<DataRecord>): Promise<DataRecord[]> {
  const out: DataRecord[] = [];
  for await (const r of iter) out.push(r);
  return out;
}

/** Reads until it throws; returns the records read before the error and the error. */
async function failure(iter: AsyncIterable<DataRecord>): Promise<{ before: DataRecord[]; error: DataFileError }> {
  const before: DataRecord[] = [];
  try {
    for await (const r of iter) before.push(r);
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    const error = err as DataFileError;
    // A message for people: no stack frames, no "Error:" prefixes from inner layers.
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(error.message).not.toMatch(/^Error:/);
    return { before, error };
  }
  throw new Error("expected the read to fail");
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "arbiter-data-"));
}

describe("format inference", () => {
  it("maps extensions case-insensitively and returns null for others", () => {
    expect(formatFromExtension("a/b.jsonl")).toBe("jsonl");
    expect(formatFromExtension("b.NDJSON")).toBe("jsonl");
    expect(formatFromExtension("b.json")).toBe("json");
    expect(formatFromExtension("B.CSV")).toBe("csv");
    expect(formatFromExtension("b.txt")).toBeNull();
    expect(formatFromExtension("Makefile")).toBeNull();
  });

  it("refuses an unknown extension without an explicit format, and honours an explicit one", async () => {
    const { error } = await failure(readRecords(fx("data.txt")));
    expect(error.message).toBe(
      `${fx("data.txt")}: cannot tell the format from the extension ".txt": expected .jsonl, .ndjson, .json, .csv or .parquet, or set the format explicitly`,
    );
    const records = await collect(readRecords(fx("data.txt"), "jsonl"));
    expect(records).toEqual([{ record: { q: "x" }, line: 1 }]);
  });
});

describe("JSONL", () => {
  it("yields each object with its line, skipping blank lines", async () => {
    const records = await collect(readRecords(fx("capitals.jsonl")));
    expect(records.map((r) => [r.record.id, r.line])).toEqual([
      ["fr", 1],
      ["jp", 2],
      ["eg", 4],
    ]);
    expect(records[0]?.record.meta).toEqual({ continent: "Europe" });
    expect(records[2]?.record.country).toBe("Egypt <b>&</b>");
  });

  it("handles a BOM, CRLF line endings and a last line without a newline", async () => {
    const file = join(tmp(), "crlf.jsonl");
    writeFileSync(file, '\uFEFF{"a": 1}\r\n\r\n{"a": 2}\r\n{"a": 3}');
    const records = await collect(readRecords(file));
    expect(records).toEqual([
      { record: { a: 1 }, line: 1 },
      { record: { a: 2 }, line: 3 },
      { record: { a: 3 }, line: 4 },
    ]);
  });

  it("reports invalid JSON with file and line, after yielding the good lines before it", async () => {
    const { before, error } = await failure(readRecords(fx("broken-line.jsonl")));
    expect(before.map((r) => r.record.id)).toEqual([1, 2]);
    expect(error.message).toMatch(
      /^test\/fixtures\/tasks\/broken-line\.jsonl:4: not valid JSON \(.+\): each line must be one JSON object$/,
    );
    expect(error.file).toBe(fx("broken-line.jsonl"));
    expect(error.line).toBe(4);
  });

  it("reports a line that is JSON but not an object", async () => {
    const { error } = await failure(readRecords(fx("not-object.jsonl")));
    expect(error.message).toBe(
      `${fx("not-object.jsonl")}:2: expected a JSON object, found an array: each line must be one JSON object`,
    );
  });

  it("names the file as the label option says", async () => {
    const { error } = await failure(readRecords(fx("not-object.jsonl"), undefined, { label: "data/q.jsonl" }));
    expect(error.message).toMatch(/^data\/q\.jsonl:2: expected a JSON object, found an array/);
  });

  it("yields nothing for an empty file", async () => {
    expect(await collect(readRecords(fx("empty.jsonl")))).toEqual([]);
  });
});

describe("JSON array", () => {
  it("yields each element with the line it starts on", async () => {
    const records = await collect(readRecords(fx("capitals.json")));
    expect(records.map((r) => [r.record.capital, r.line])).toEqual([
      ["Paris", 2],
      ["Tokyo", 6],
      ["Lima", 8],
    ]);
    expect(records[2]?.record.country).toBe('Peru, "the land of the Incas" [sic]');
  });

  it("rejects a top-level object", async () => {
    const { error } = await failure(readRecords(fx("top-object.json")));
    expect(error.message).toBe(`${fx("top-object.json")}: expected a JSON array of objects, found an object`);
  });

  it("rejects an element that is not an object, naming its line", async () => {
    const { error } = await failure(readRecords(fx("bad-item.json")));
    expect(error.message).toBe(
      `${fx("bad-item.json")}:5: item 2 of the array is a string: expected a JSON array of objects`,
    );
  });

  it("reports a syntax error with the line of the position the parser gives", async () => {
    const { error } = await failure(readRecords(fx("syntax-error.json.txt"), "json"));
    expect(error.message).toMatch(
      /^test\/fixtures\/tasks\/syntax-error\.json\.txt:3: not valid JSON \(.+\): expected a JSON array of objects$/,
    );
  });

  it("rejects an empty file", async () => {
    const file = join(tmp(), "empty.json");
    writeFileSync(file, "  \n");
    const { error } = await failure(readRecords(file));
    expect(error.message).toBe(`${file}: the file is empty: expected a JSON array of objects`);
  });
});

describe("CSV", () => {
  it("strips the BOM, keeps quoted commas and multi-line fields, and reports start lines", async () => {
    const records = await collect(readRecords(fx("mcq.csv")));
    expect(Object.keys(records[0]?.record ?? {})).toEqual(["id", "question", "answer", "choices"]);
    expect(records.map((r) => [r.record.id, r.line])).toEqual([
      ["q1", 2],
      ["q2", 3],
      ["q3", 6],
    ]);
    expect(records[0]?.record.question).toBe("Which city is the capital of France, the country?");
    expect(records[1]?.record.question).toBe("A two-line\nquestion: which is largest?");
    expect(records[0]?.record.choices).toBe('["Paris", "Lyon", "Nice"]');
  });

  it("numbers lines correctly in a CRLF file with multi-line quoted fields", async () => {
    const file = join(tmp(), "crlf.csv");
    writeFileSync(file, 'id,text\r\n1,"a\r\nb\r\nc"\r\n\r\n2,plain\r\n3,"x, y"');
    const records = await collect(readRecords(file));
    expect(records).toEqual([
      { record: { id: "1", text: "a\r\nb\r\nc" }, line: 2 },
      { record: { id: "2", text: "plain" }, line: 6 },
      { record: { id: "3", text: "x, y" }, line: 7 },
    ]);
  });

  it("trims header names and skips unnamed columns", async () => {
    const file = join(tmp(), "header.csv");
    writeFileSync(file, "id , answer,\n1,yes,\n");
    expect(await collect(readRecords(file))).toEqual([{ record: { id: "1", answer: "yes" }, line: 2 }]);
  });

  it("yields nothing for a header-only file", async () => {
    expect(await collect(readRecords(fx("header-only.csv")))).toEqual([]);
  });

  it("reports a record with too many fields, after the good ones", async () => {
    const { before, error } = await failure(readRecords(fx("ragged.csv")));
    expect(before.map((r) => r.record.question)).toEqual(["What, exactly?"]);
    expect(error.message).toBe(
      `${fx("ragged.csv")}:3: not valid CSV (the record has 4 fields but the header has 3 columns; quote a field that contains a comma)`,
    );
    expect(error.line).toBe(3);
  });

  it("reports an unclosed quote at the line where the record starts", async () => {
    const { before, error } = await failure(readRecords(fx("unclosed-quote.csv")));
    expect(before).toHaveLength(1);
    expect(error.message).toBe(
      `${fx("unclosed-quote.csv")}:4: not valid CSV (a quoted field starting on this line is never closed)`,
    );
  });

  it("reports a stray quote inside a field", async () => {
    const file = join(tmp(), "quote.csv");
    writeFileSync(file, 'id,q\n1,ok\n2,"say "hi" now"\n');
    const { before, error } = await failure(readRecords(file));
    expect(before.map((r) => r.record)).toEqual([{ id: "1", q: "ok" }]);
    expect(error.message).toBe(
      `${file}:3: not valid CSV (a closing quote is followed by more text; inside a quoted field write a quote as "")`,
    );
  });

  it("reports a duplicate column in the header", async () => {
    const { error } = await failure(readRecords(fx("duplicate-header.csv")));
    expect(error.message).toBe(`${fx("duplicate-header.csv")}:1: duplicate column "answer" in the header row`);
  });
});

describe("file errors", () => {
  it("reports a missing file in one line, for every format", async () => {
    for (const name of ["nope.jsonl", "nope.json", "nope.csv"]) {
      const { error } = await failure(readRecords(fx(name)));
      expect(error.message).toBe(`${fx(name)}: file not found`);
    }
  });

  it("reports a directory", async () => {
    const dir = join(tmp(), "dir.jsonl");
    mkdirSync(dir);
    const { error } = await failure(readRecords(dir));
    expect(error.message).toBe(`${dir}: is a directory, expected a data file`);
  });
});

describe("streaming", () => {
  async function bigFile(name: string, header: string | null, line: (i: number) => string, n: number) {
    const file = join(tmp(), name);
    const out = createWriteStream(file);
    if (header !== null) out.write(`${header}\n`);
    for (let i = 1; i <= n; i++) out.write(`${line(i)}\n`);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return file;
  }

  it("iterates a 50,000-line JSONL file with correct count and lines", async () => {
    const file = await bigFile("big.jsonl", null, (i) => JSON.stringify({ id: i, text: `item ${i}` }), 50_000);
    let count = 0;
    let last: DataRecord | undefined;
    for await (const r of readRecords(file)) {
      count++;
      expect(r.line).toBe(count);
      last = r;
    }
    expect(count).toBe(50_000);
    expect(last).toEqual({ record: { id: 50_000, text: "item 50000" }, line: 50_000 });
  });

  it("yields the first JSONL record before the end of the file is read (a broken last line fails only at the end)", async () => {
    const file = await bigFile("late-error.jsonl", null, (i) => (i === 50_000 ? "{oops" : `{"id": ${i}}`), 50_000);
    const iter = readRecords(file)[Symbol.asyncIterator]();
    const first = await iter.next();
    expect(first).toEqual({ done: false, value: { record: { id: 1 }, line: 1 } });
    await iter.return?.(undefined);
    const { before, error } = await failure(readRecords(file));
    expect(before).toHaveLength(49_999);
    expect(error.message).toMatch(/late-error\.jsonl:50000: not valid JSON/);
  });

  it("streams CSV the same way", async () => {
    const file = await bigFile(
      "big.csv",
      "id,text",
      (i) => (i === 50_000 ? `${i},"unclosed` : `${i},"a, ${i}"`),
      50_000,
    );
    const iter = readRecords(file)[Symbol.asyncIterator]();
    expect(await iter.next()).toEqual({ done: false, value: { record: { id: "1", text: "a, 1" }, line: 2 } });
    await iter.return?.(undefined);
    const { before, error } = await failure(readRecords(file));
    expect(before).toHaveLength(49_999);
    expect(before[49_998]?.line).toBe(50_000);
    expect(error.message).toMatch(
      /big\.csv:50001: not valid CSV \(a quoted field starting on this line is never closed\)$/,
    );
  });
});
