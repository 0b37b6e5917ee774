import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArbiterConfig } from "../src/config/schema.js";
import { selectFiles } from "../src/hub/dataset.js";
import {
  HubError,
  type HubOptions,
  hubDataFile,
  hubDataset,
  hubFile,
  hubSettings,
  listHubFiles,
  PARQUET_REVISION,
  parseHubRef,
  readParquetRecords,
} from "../src/hub/index.js";
import { createLlamaCppAdapter } from "../src/providers/llamacpp.js";
import { specFromConfig } from "../src/runner/prepare.js";
import { DataFileError } from "../src/tasks/data-files.js";
import { type FakeRepo, type HubServer, startHubServer } from "./support/hub-server.js";

const MODEL_FILE = fileURLToPath(new URL("../../shared/models/stories260K/stories260K.gguf", import.meta.url));
const MODEL = readFileSync(MODEL_FILE);
// A sentinel that must never show up in a message or in progress output.
const TOKEN = `hf_SENTINEL_${randomBytes(12).toString("hex")}`;
const OTHER_TOKEN = `hf_OTHER_${randomBytes(12).toString("hex")}`;

/** Rows of a small GSM8K-like table: strings, 32- and 64-bit integers (one past 2^53), doubles, booleans, nulls. */
const ROWS = [
  { question: "What is 2+2?", answer: "#### 4", id: 1, big: 9007199254740993n, score: 0.5, ok: true, note: null },
  { question: "Halve 10.", answer: "#### 5", id: 2, big: 2n, score: 1.25, ok: false, note: "easy" },
  { question: "Größe: 3×3?", answer: "#### 9", id: 3, big: -7n, score: -3, ok: true, note: null },
];

const gzipBytes = (input: Uint8Array) => new Uint8Array(gzipSync(input));

function parquetOf(rows: typeof ROWS, options: { gzip?: boolean; rowGroupSize?: number } = {}): Buffer {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "question", data: rows.map((r) => r.question), type: "STRING" },
      { name: "answer", data: rows.map((r) => r.answer), type: "STRING" },
      { name: "id", data: rows.map((r) => r.id), type: "INT32" },
      { name: "big", data: rows.map((r) => r.big), type: "INT64" },
      { name: "score", data: rows.map((r) => r.score), type: "DOUBLE" },
      { name: "ok", data: rows.map((r) => r.ok), type: "BOOLEAN" },
      { name: "note", data: rows.map((r) => r.note), type: "STRING" },
    ],
    rowGroupSize: options.rowGroupSize ?? 2,
    ...(options.gzip ? { codec: "GZIP" as const, compressors: { GZIP: gzipBytes } } : {}),
  });
  return Buffer.from(buffer);
}

/** The rows as readParquetRecords gives them: INT64 as a number, or as a decimal string past 2^53. */
const EXPECTED_RECORDS = ROWS.map((r) => ({
  ...r,
  big: r.big > BigInt(Number.MAX_SAFE_INTEGER) ? r.big.toString() : Number(r.big),
}));

const BLOBS = {
  resume: randomBytes(300_000),
  leftover: randomBytes(200_000),
  flipped: randomBytes(50_000),
  oversized: randomBytes(40_000),
};
const TEST_PARQUET = parquetOf(ROWS);
const README = Buffer.from("---\nlicense: mit\n---\n# Tiny stories\n");

const REPOS: FakeRepo[] = [
  {
    type: "model",
    id: "tiny/stories",
    revisions: { main: { "stories260K.gguf": MODEL, "README.md": README, "nested/dir/notes.txt": Buffer.from("hi") } },
  },
  {
    type: "model",
    id: "tiny/blobs",
    revisions: { main: Object.fromEntries(Object.entries(BLOBS).map(([k, v]) => [`${k}.bin`, v])) },
  },
  { type: "model", id: "secret/model", privateTo: [TOKEN], revisions: { main: { "w.gguf": Buffer.from("GGUF-w") } } },
  { type: "model", id: "gated/model", gatedFor: [TOKEN], revisions: { main: { "w.gguf": Buffer.from("GGUF-g") } } },
  { type: "model", id: "new/name", formerIds: ["old/name"], revisions: { main: { "a.gguf": Buffer.from("GGUF-a") } } },
  {
    type: "dataset",
    id: "acme/mini-gsm",
    revisions: {
      main: {
        "README.md": README,
        ".gitattributes": Buffer.from("*.parquet filter=lfs diff=lfs merge=lfs -text\n"),
        "main/test-00000-of-00001.parquet": TEST_PARQUET,
        "main/train-00000-of-00001.parquet": parquetOf(ROWS.slice(0, 1)),
        "socratic/test-00000-of-00001.parquet": parquetOf(ROWS.slice(1)),
      },
      [PARQUET_REVISION]: {
        "main/test/0000.parquet": TEST_PARQUET,
        "main/train/0000.parquet": parquetOf(ROWS.slice(0, 1)),
      },
    },
  },
];

let server: HubServer;

beforeAll(async () => {
  // Pages of 3 entries: every listing follows the hub's Link header.
  server = await startHubServer(REPOS, { pageSize: 3 });
});
afterAll(async () => {
  await server?.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A writable that keeps what is written, optionally posing as a terminal. */
function capture(isTTY = false): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY: boolean; text: () => string };
  stream.isTTY = isTTY;
  stream.text = () => chunks.join("");
  return stream;
}

const tempDirs: string[] = [];

function freshCache(): string {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-hub-"));
  tempDirs.push(dir);
  return dir;
}

function options(extra: HubOptions = {}): HubOptions & { stream: ReturnType<typeof capture> } {
  return {
    endpoint: server.url,
    cacheDir: freshCache(),
    env: {},
    stream: capture(),
    retryDelayMs: 5,
    ...extra,
  } as HubOptions & { stream: ReturnType<typeof capture> };
}

async function failure(promise: Promise<unknown>): Promise<HubError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    const e = error as HubError;
    expect(e.message).not.toContain(TOKEN);
    expect(e.message).not.toMatch(/\n\s+at /); // a message for people, no stack frames
    return e;
  }
  throw new Error("expected the call to fail");
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("hub file downloads", () => {
  it("downloads an LFS file through the CDN redirect with progress, then serves it from the cache with no request", async () => {
    const opts = options({ token: TOKEN });
    const before = server.requests.length;
    const first = await hubFile({ type: "model", repo: "tiny/stories", path: "stories260K.gguf" }, opts);
    const commit = server.commitOf("model", "tiny/stories", "main");
    expect(first).toMatchObject({ commit, size: MODEL.length, cached: false });
    expect(first.path).toBe(join(opts.cacheDir as string, "models", "tiny", "stories", commit, "stories260K.gguf"));
    expect(sha256(readFileSync(first.path))).toBe(sha256(MODEL));

    const made = server.requests.slice(before);
    expect(made.map((r) => r.server)).toEqual(["hub", "cdn"]);
    expect(made[0]?.url).toBe("/tiny/stories/resolve/main/stories260K.gguf");
    expect(made[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    // The token stays on the hub: the CDN URL is signed, and S3 refuses a second auth mechanism.
    expect(made[1]?.authorization).toBeUndefined();

    const log = opts.stream.text();
    expect(log).toContain("downloading tiny/stories/stories260K.gguf");
    expect(log).toMatch(/^downloading tiny\/stories\/stories260K\.gguf \(1\.13 MiB\)\n/);
    expect(log).toMatch(/\ndownloaded tiny\/stories\/stories260K\.gguf: 1\.13 MiB in [\d.]+s\n$/);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain("X-Amz-Signature");
    expect(log.split("\n").filter(Boolean).length).toBeLessThanOrEqual(3);

    const count = server.requests.length;
    const second = await hubFile({ type: "model", repo: "tiny/stories", path: "stories260K.gguf" }, { ...opts });
    expect(server.requests.length).toBe(count);
    expect(second).toEqual({ path: first.path, commit, size: MODEL.length, cached: true });
    // Also from a fresh process' point of view: the pinned ref alone finds it, offline.
    const offline = await hubFile(
      { type: "model", repo: "tiny/stories", path: "stories260K.gguf" },
      { ...opts, env: { HF_HUB_OFFLINE: "1" } },
    );
    expect(offline.path).toBe(first.path);
    expect(server.requests.length).toBe(count);
  });

  it("draws a bar with %, bytes, rate and ETA on a terminal, and nothing when quiet", async () => {
    const tty = options({ token: TOKEN, stream: capture(true) });
    await hubFile({ type: "model", repo: "tiny/stories", path: "stories260K.gguf" }, tty);
    const bar = tty.stream.text();
    expect(bar).toContain("\r");
    expect(bar).toContain("█");
    // Redrawn in place: each state starts with \r and clears the rest of the line.
    const states = bar.split("\r").filter(Boolean);
    expect(states[0]).toMatch(/^tiny\/stories\/stories260K\.gguf ░{24} 0% 0 B\/1\.13 MiB /);
    expect(states.at(-1)?.replaceAll("\u001b[K", "")).toMatch(
      /^tiny\/stories\/stories260K\.gguf █{24} 100% 1\.13 MiB\/1\.13 MiB [\d.]+ (B|KiB|MiB|GiB)\/s ETA 0\.0s in [\d.]+s\n$/,
    );
    expect(bar).not.toContain(TOKEN);

    const quiet = options({ quiet: true });
    const result = await hubFile({ type: "model", repo: "tiny/stories", path: "stories260K.gguf" }, quiet);
    expect(result.cached).toBe(false);
    expect(quiet.stream.text()).toBe("");
  });

  it("takes a git-stored file straight from the hub and pins the branch to its commit", async () => {
    const opts = options();
    const before = server.requests.length;
    const result = await hubFile({ type: "model", repo: "tiny/stories", path: "nested/dir/notes.txt" }, opts);
    expect(readFileSync(result.path, "utf8")).toBe("hi");
    expect(server.requests.slice(before).map((r) => r.server)).toEqual(["hub"]);
    const commit = server.commitOf("model", "tiny/stories", "main");
    const ref = join(opts.cacheDir as string, "models", "tiny", "stories", "refs", "main");
    expect(readFileSync(ref, "utf8").trim()).toBe(commit);
    // Asked for by commit, the same cached file answers without a request.
    const byCommit = await hubFile(
      { type: "model", repo: "tiny/stories", revision: commit, path: "nested/dir/notes.txt" },
      opts,
    );
    expect(byCommit.path).toBe(result.path);
    expect(server.requests.length).toBe(before + 1);
  });

  it("resumes a git-stored file's .part with a Range request to the hub itself", async () => {
    const opts = options();
    const commit = server.commitOf("model", "tiny/stories", "main");
    const dir = join(opts.cacheDir as string, "models", "tiny", "stories", commit);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "README.md.part"), README.subarray(0, 10));
    const before = server.requests.length;
    const result = await hubFile({ type: "model", repo: "tiny/stories", path: "README.md" }, opts);
    expect(readFileSync(result.path)).toEqual(README);
    expect(server.requests.slice(before).map((r) => [r.server, r.range])).toEqual([
      ["hub", undefined],
      ["hub", "bytes=10-"],
    ]);
  });

  it("follows a renamed repository's relative redirect, token included", async () => {
    const opts = options({ token: TOKEN });
    const before = server.requests.length;
    const result = await hubFile({ type: "model", repo: "old/name", path: "a.gguf" }, opts);
    expect(readFileSync(result.path, "utf8")).toBe("GGUF-a");
    const made = server.requests.slice(before);
    expect(made.map((r) => [r.server, r.url.split("?")[0]])).toEqual([
      ["hub", "/old/name/resolve/main/a.gguf"],
      ["hub", "/new/name/resolve/main/a.gguf"],
      ["cdn", expect.stringMatching(/^\/repos\//)],
    ]);
    expect(made[1]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(made[2]?.authorization).toBeUndefined();
  });

  it("resumes with a Range request after the connection is cut mid-file", async () => {
    const blob = BLOBS.resume;
    server.faultFor(blob, { cutAfter: 100_000 });
    const opts = options({ token: TOKEN });
    const before = server.requests.length;
    const sentBefore = server.cdnBytesSent();
    const result = await hubFile({ type: "model", repo: "tiny/blobs", path: "resume.bin" }, opts);
    expect(sha256(readFileSync(result.path))).toBe(sha256(blob));
    const cdn = server.requests.slice(before).filter((r) => r.server === "cdn");
    expect(cdn).toHaveLength(2);
    expect(cdn[0]?.range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(cdn[1]?.range ?? "")?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(100_000);
    // Only the missing tail was sent again.
    expect(server.cdnBytesSent() - sentBefore).toBe(100_000 + blob.length - resumedAt);
    expect(opts.stream.text()).toMatch(/interrupted at [\d.]+ KiB \(connection closed by the server\)/);
    expect(opts.stream.text()).toContain("resuming tiny/blobs/resume.bin");
    expect(existsSync(`${result.path}.part`)).toBe(false);
  });

  it("keeps the .part of a failed call, and the next call resumes it (or starts over if Range is ignored)", async () => {
    const blob = BLOBS.leftover;
    server.faultFor(blob, { cutAfter: 60_000 });
    const opts = options({ token: TOKEN, retries: 0 });
    const ref = { type: "model" as const, repo: "tiny/blobs", path: "leftover.bin" };
    const error = await failure(hubFile(ref, opts));
    expect(error.kind).toBe("network");
    expect(error.message).toContain("hf:tiny/blobs@main/leftover.bin");
    expect(error.message).toContain(`the download server ${server.cdnUrl} (redirected from ${server.url})`);
    expect(error.message).toContain("interrupted");
    const parts = filesUnder(opts.cacheDir as string).filter((f) => f.endsWith(".part"));
    expect(parts).toHaveLength(1);
    const kept = statSync(parts[0] as string).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(60_000);

    const before = server.requests.length;
    const result = await hubFile(ref, opts);
    expect(sha256(readFileSync(result.path))).toBe(sha256(blob));
    const cdn = server.requests.slice(before).filter((r) => r.server === "cdn");
    expect(cdn.map((r) => r.range)).toEqual([`bytes=${kept}-`]);

    // A server that ignores Range answers 200 with the whole file: it is written from the start, not appended.
    const again = options({ retries: 0 });
    server.faultFor(blob, { cutAfter: 30_000 });
    await failure(hubFile(ref, again));
    server.faultFor(blob, { ignoreRange: true });
    const whole = await hubFile(ref, again);
    expect(sha256(readFileSync(whole.path))).toBe(sha256(blob));
  });

  it("detects a sha256 mismatch and a size mismatch, and keeps no corrupt file", async () => {
    server.faultFor(BLOBS.flipped, { flip: true });
    const opts = options({ token: TOKEN });
    const flipped = await failure(hubFile({ type: "model", repo: "tiny/blobs", path: "flipped.bin" }, opts));
    expect(flipped.kind).toBe("integrity");
    expect(flipped.message).toContain(`sha256 mismatch: the hub announced ${sha256(BLOBS.flipped)}`);
    expect(flipped.message).toContain("the corrupt download was removed");
    expect(filesUnder(opts.cacheDir as string).filter((f) => !f.includes(`${join("refs", "")}`))).toEqual([]);

    server.faultFor(BLOBS.oversized, { extraBytes: 16 });
    const oversized = await failure(hubFile({ type: "model", repo: "tiny/blobs", path: "oversized.bin" }, opts));
    expect(oversized.kind).toBe("integrity");
    expect(oversized.message).toContain(`size mismatch: the hub announced ${BLOBS.oversized.length} bytes`);
    expect(filesUnder(opts.cacheDir as string).filter((f) => f.endsWith(".bin") || f.endsWith(".part"))).toEqual([]);

    // Once the CDN serves the right bytes, the same call succeeds.
    const good = await hubFile({ type: "model", repo: "tiny/blobs", path: "flipped.bin" }, opts);
    expect(sha256(readFileSync(good.path))).toBe(sha256(BLOBS.flipped));
  });
});

describe("hub errors", () => {
  it("404s name the repo, the revision and the file", async () => {
    const opts = options({ token: TOKEN });
    const file = await failure(hubFile({ type: "model", repo: "tiny/stories", path: "nope.gguf" }, opts));
    expect(file.kind).toBe("not_found");
    expect(file.message).toBe(
      `hf:tiny/stories@main/nope.gguf: file "nope.gguf" not found in model tiny/stories at revision "main"`,
    );
    const rev = await failure(
      hubFile({ type: "dataset", repo: "acme/mini-gsm", revision: "v9", path: "README.md" }, opts),
    );
    expect(rev.message).toBe(
      `hf:datasets/acme/mini-gsm@v9/README.md: revision "v9" not found in dataset acme/mini-gsm`,
    );
    const repo = await failure(hubFile({ type: "model", repo: "nobody/none", path: "x.gguf" }, opts));
    expect(repo.message).toBe(`hf:nobody/none@main/x.gguf: no model repository nobody/none at ${server.url}`);
  });

  it("401/403 say to set HF_TOKEN, and the token is sent but never shown", async () => {
    const anonymous = options();
    const privateRepo = await failure(hubFile({ type: "model", repo: "secret/model", path: "w.gguf" }, anonymous));
    expect(privateRepo.kind).toBe("auth");
    expect(privateRepo.message).toContain("model secret/model is private or does not exist (HTTP 401)");
    expect(privateRepo.message).toContain("set HF_TOKEN");

    const gated = await failure(hubFile({ type: "model", repo: "gated/model", path: "w.gguf" }, anonymous));
    expect(gated.message).toContain(`model gated/model is gated: accept its conditions at ${server.url}/gated/model`);
    expect(gated.message).toContain("set HF_TOKEN");

    const wrong = options({ env: { HF_TOKEN: OTHER_TOKEN } });
    const gatedWrong = await failure(hubFile({ type: "model", repo: "gated/model", path: "w.gguf" }, wrong));
    expect(gatedWrong.message).toContain("the token in HF_TOKEN has no access to it (HTTP 403)");
    expect(gatedWrong.message).not.toContain(OTHER_TOKEN);

    // With the right token (from the environment, as users set it) both download.
    const allowed = options({ env: { HF_TOKEN: TOKEN } });
    const before = server.requests.length;
    for (const repo of ["secret/model", "gated/model"]) {
      const result = await hubFile({ type: "model", repo, path: "w.gguf" }, allowed);
      expect(readFileSync(result.path, "utf8")).toMatch(/^GGUF-/);
    }
    const hub = server.requests.slice(before).filter((r) => r.server === "hub");
    expect(hub).toHaveLength(2);
    expect(hub.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(allowed.stream.text()).not.toContain(TOKEN);
  });

  it("a network failure names the endpoint", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(
      hubFile({ type: "model", repo: "tiny/stories", path: "README.md" }, options({ endpoint, token: TOKEN })),
    );
    expect(error.kind).toBe("network");
    expect(error.message).toBe(
      `hf:tiny/stories@main/README.md: cannot reach the Hugging Face hub at ${endpoint}: connection refused (ECONNREFUSED)`,
    );
  });

  it("a cache that cannot be written is named", async () => {
    const notADir = join(freshCache(), "file");
    writeFileSync(notADir, "");
    const error = await failure(
      hubFile({ type: "model", repo: "tiny/stories", path: "README.md" }, options({ cacheDir: notADir, token: TOKEN })),
    );
    expect(error.kind).toBe("cache");
    expect(error.message).toMatch(
      new RegExp(`^hf:tiny/stories@main/README\\.md: cannot write to the cache ${notADir}: ENOTDIR`),
    );
  });

  it("offline, a file missing from the cache is an error that says so", async () => {
    const error = await failure(
      hubFile({ type: "model", repo: "tiny/stories", path: "README.md" }, options({ env: { HF_HUB_OFFLINE: "1" } })),
    );
    expect(error.kind).toBe("offline");
    expect(error.message).toContain("HF_HUB_OFFLINE is set");
  });

  it("reads HF_ENDPOINT, HF_TOKEN and ARBITER_CACHE", () => {
    const s = hubSettings({ env: { HF_ENDPOINT: "https://mirror.example/", HF_TOKEN: "t0k3n", ARBITER_CACHE: "/c" } });
    expect(s).toEqual({
      endpoint: "https://mirror.example",
      token: "t0k3n",
      cacheDir: join("/c", "hub"),
      offline: false,
    });
    expect(hubSettings({ env: {} }).endpoint).toBe("https://huggingface.co");
    expect(() => hubSettings({ env: { HF_ENDPOINT: "ftp://x" } })).toThrow(
      /HF_ENDPOINT "ftp:\/\/x" is not an http\(s\) URL/,
    );
  });
});

describe("hf: references", () => {
  it("parses owner/repo, @revision (percent-encoded), a typed prefix and a nested path", () => {
    expect(parseHubRef("hf:openai/gsm8k/main/test-00000-of-00001.parquet", "dataset")).toEqual({
      type: "dataset",
      repo: "openai/gsm8k",
      path: "main/test-00000-of-00001.parquet",
    });
    expect(parseHubRef("hf:openai/gsm8k@refs%2Fconvert%2Fparquet/main/test/0000.parquet", "dataset")).toEqual({
      type: "dataset",
      repo: "openai/gsm8k",
      revision: "refs/convert/parquet",
      path: "main/test/0000.parquet",
    });
    expect(parseHubRef("hf:datasets/a/b@v1.0/x.csv", "model")).toMatchObject({ type: "dataset", revision: "v1.0" });
    expect(parseHubRef("hf:tiny/stories/stories260K.gguf", "model")).toMatchObject({ type: "model" });
  });

  it("rejects references that name no file or escape the repository", () => {
    expect(() => parseHubRef("hf:openai/gsm8k", "dataset")).toThrow(/"hf:openai\/gsm8k" names no file: expected/);
    expect(() => parseHubRef("hf:openai/gsm8k/../../etc/passwd", "dataset")).toThrow(/is not a file path inside/);
    expect(() => parseHubRef("hf:../x/y", "dataset")).toThrow(/is not a repository id/);
    expect(() => parseHubRef("hf:a/b@/x", "dataset")).toThrow(/empty revision/);
  });
});

describe("hub datasets", () => {
  it("picks a split's files by the hub's naming rules", () => {
    const listed = [
      "README.md",
      "contest.csv",
      "data/my_test_file.csv",
      "data/test.jsonl",
      "data/train-00000-of-00002.parquet",
      "data/train-00001-of-00002.parquet",
      "latest.json",
    ];
    expect(selectFiles(listed, { split: "test" }, "x")).toEqual(["data/my_test_file.csv", "data/test.jsonl"]);
    expect(selectFiles(listed, { split: "train" }, "x")).toEqual([
      "data/train-00000-of-00002.parquet",
      "data/train-00001-of-00002.parquet",
    ]);
    expect(
      selectFiles(["default/test/0000.parquet", "default/partial-test/0001.parquet"], { split: "test" }, "x"),
    ).toHaveLength(2);
    expect(selectFiles(listed, {}, "x")).toEqual(listed.filter((p) => p !== "README.md"));
    expect(selectFiles(listed, { files: ["data/*.parquet"] }, "x")).toHaveLength(2);
    expect(() => selectFiles(listed, { split: "validation" }, "x")).toThrow(/no data files for split "validation"/);
  });

  it("lists the repo (following pages), asks for a config when a split spans several, then works offline", async () => {
    const opts = options({ token: TOKEN });
    const before = server.requests.length;
    const listing = await listHubFiles("dataset", "acme/mini-gsm", "main", opts);
    expect(listing.map((f) => f.path)).toEqual([
      ".gitattributes",
      "README.md",
      "main/test-00000-of-00001.parquet",
      "main/train-00000-of-00001.parquet",
      "socratic/test-00000-of-00001.parquet",
    ]);
    expect(listing[2]?.lfs).toEqual({ oid: sha256(TEST_PARQUET), size: TEST_PARQUET.length });
    const pages = server.requests.slice(before);
    expect(pages.length).toBeGreaterThan(1); // 8 entries (files and folders) in pages of 3
    expect(pages[0]?.url).toBe("/api/datasets/acme/mini-gsm/tree/main?recursive=true");

    const ambiguous = await failure(hubDataset("acme/mini-gsm", { split: "test" }, opts));
    expect(ambiguous.message).toContain('split "test" has files in several folders (main, socratic): choose one');

    const paths = await hubDataset("acme/mini-gsm", { split: "test", config: "main" }, opts);
    expect(paths).toHaveLength(1);
    expect(sha256(readFileSync(paths[0] as string))).toBe(sha256(TEST_PARQUET));
    const records = [];
    for await (const r of readParquetRecords(paths[0] as string)) records.push(r);
    expect(records).toEqual(EXPECTED_RECORDS);

    const count = server.requests.length;
    expect(await hubDataset("acme/mini-gsm", { split: "test", config: "main" }, opts)).toEqual(paths);
    expect(await hubDataFile("hf:acme/mini-gsm/main/test-00000-of-00001.parquet", opts)).toBe(paths[0]);
    expect(server.requests.length).toBe(count);
  });

  it("fetches the hub's Parquet conversion from refs/convert/parquet", async () => {
    const opts = options();
    const before = server.requests.length;
    const paths = await hubDataset(
      "acme/mini-gsm",
      { revision: PARQUET_REVISION, config: "main", split: "train" },
      opts,
    );
    const commit = server.commitOf("dataset", "acme/mini-gsm", PARQUET_REVISION);
    expect(paths).toEqual([
      join(opts.cacheDir as string, "datasets", "acme", "mini-gsm", commit, "main/train/0000.parquet"),
    ]);
    const urls = server.requests.slice(before).map((r) => r.url);
    expect(urls).toContain("/datasets/acme/mini-gsm/resolve/refs%2Fconvert%2Fparquet/main/train/0000.parquet");
    const records = [];
    for await (const r of readParquetRecords(paths[0] as string)) records.push(r);
    expect(records).toEqual(EXPECTED_RECORDS.slice(0, 1));
  });

  it("gets exact files without a listing", async () => {
    const opts = options();
    const before = server.requests.length;
    const [readme] = await hubDataset("acme/mini-gsm", { files: ["README.md"] }, opts);
    expect(readFileSync(readme as string)).toEqual(README);
    expect(server.requests.slice(before).some((r) => r.url.startsWith("/api/"))).toBe(false);
  });
});

describe("readParquetRecords", () => {
  it("reads GZIP-compressed row groups, and names the file when it is not Parquet", async () => {
    const dir = freshCache();
    const gz = join(dir, "gz.parquet");
    writeFileSync(gz, parquetOf(ROWS, { gzip: true, rowGroupSize: 1 }));
    const records = [];
    for await (const r of readParquetRecords(gz)) records.push(r);
    expect(records).toEqual(EXPECTED_RECORDS);

    const bad = join(dir, "bad.parquet");
    writeFileSync(bad, "question,answer\n1,2\n");
    const read = async () => {
      for await (const _ of readParquetRecords(bad, { label: "data/bad.parquet" })) {
        // reading is the test
      }
    };
    await expect(read()).rejects.toBeInstanceOf(DataFileError);
    await expect(read()).rejects.toThrow(/^data\/bad\.parquet: cannot read as Parquet: /);
  });
});

describe("llamacpp/hf: models", () => {
  it("keeps an hf: model reference as it is (it is not a path to make absolute)", () => {
    const config = {
      models: ["llamacpp/hf:tiny/stories/stories260K.gguf", "llamacpp/models/local.gguf"],
      tasks: [{ name: "t", data: "t.jsonl", prompt: "{{q}}" }],
    } as unknown as ArbiterConfig;
    const spec = specFromConfig({ config, file: "arbiter.yaml", baseDir: "/work/project" }, {});
    expect(spec.models.map((m) => m.ref)).toEqual([
      "llamacpp/hf:tiny/stories/stories260K.gguf",
      `llamacpp/${join("/work/project", "models/local.gguf")}`,
    ]);
  });

  it("downloads the GGUF once from the hub, then loads and runs it", async () => {
    const cache = freshCache();
    const saved = { ...process.env };
    process.env.HF_ENDPOINT = server.url;
    process.env.ARBITER_CACHE = cache;
    process.env.HF_TOKEN = TOKEN;
    const adapter = createLlamaCppAdapter({ threads: 1, contextSize: 128, sequences: 2 });
    try {
      const before = server.requests.length;
      const ask = () =>
        adapter.generate(
          "hf:tiny/stories/stories260K.gguf",
          { messages: [{ role: "user", content: "Once upon a time" }], settings: { temperature: 0, maxTokens: 8 } },
          { timeoutMs: 60_000 },
        );
      const [a, b] = await Promise.all([ask(), ask()]);
      expect(a.ok && b.ok).toBe(true);
      if (!(a.ok && b.ok)) return;
      expect(a.response.text).toBe(b.response.text);
      expect(a.response.reportedModel).toBe("stories260K.gguf");
      expect(a.response.usage?.outputTokens).toBe(8);
      // One download for two concurrent calls: one hub request and one CDN transfer.
      expect(server.requests.slice(before).map((r) => r.server)).toEqual(["hub", "cdn"]);
      const commit = server.commitOf("model", "tiny/stories", "main");
      const cached = join(cache, "hub", "models", "tiny", "stories", commit, "stories260K.gguf");
      expect(sha256(readFileSync(cached))).toBe(sha256(MODEL));

      const missing = await adapter.generate(
        "hf:tiny/stories/missing.gguf",
        { messages: [{ role: "user", content: "x" }], settings: { maxTokens: 1 } },
        { timeoutMs: 10_000 },
      );
      expect(missing.ok).toBe(false);
      if (!missing.ok) {
        expect(missing.error.message).toContain('file "missing.gguf" not found in model tiny/stories');
        expect(missing.error.message).not.toContain(TOKEN);
      }
    } finally {
      await adapter.close?.();
      process.env = saved;
    }
  });
});
