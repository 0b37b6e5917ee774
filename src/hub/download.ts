import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { TOOL_VERSION } from "../core/version.js";
import { HubCache, isFile } from "./cache.js";
import { HubError, scrub } from "./errors.js";
import { describeNetworkError, discard, type HubResponse, header, origin, send } from "./http.js";
import { type DownloadProgress, downloadProgress, formatBytes } from "./progress.js";
import { checkFileRef, DEFAULT_REVISION, type HubFileRef, isCommitHash, type RepoType } from "./ref.js";
import { type HubOptions, type HubSettings, hubSettings } from "./settings.js";
import { describeTarget, hubStatusError, type RequestContext } from "./status.js";

/**
 * Downloads one file of a hub repository into the cache, or finds it there without any network request.
 *
 * The hub's protocol, as huggingface_hub uses it: `GET {endpoint}/[datasets/]{repo}/resolve/{revision}/{path}`.
 * A file kept in git is served directly (200, `ETag` = its git blob id). A large (LFS/Xet) file is answered with a
 * 302 to a CDN, and that redirect carries the file's identity: `X-Repo-Commit` (the commit the revision resolves
 * to), `X-Linked-Etag` (the sha256 of the content) and `X-Linked-Size`. A relative redirect (a renamed repository)
 * stays on the hub. The token goes to the hub only: a CDN URL is already signed, and S3-style servers reject a
 * request that carries both a signature and an Authorization header.
 *
 * Bytes go to `<file>.part`, renamed into place once the size and (for LFS files) the sha256 match, so the cache
 * never holds a partial or corrupt file. An interrupted transfer is resumed with `Range: bytes=N-` (within the call,
 * up to `retries` times, and by a later call from the `.part` left on disk); a server that ignores Range sends the
 * whole file again, which is written from the start.
 */
export interface HubFileResult {
  /** The file in the cache. */
  path: string;
  /** The commit the file was downloaded at, when the hub said (it always does). */
  commit: string | null;
  size: number;
  /** Found in the cache: no byte was downloaded. */
  cached: boolean;
}

const MAX_REDIRECTS = 10;
const SHA256 = /^[0-9a-f]{64}$/;

// Two callers asking for the same file at once (concurrent model calls) share one download.
const inflight = new Map<string, Promise<HubFileResult>>();

export function hubFile(ref: HubFileRef, options: HubOptions = {}): Promise<HubFileResult> {
  checkFileRef(ref);
  const settings = hubSettings(options);
  const key = JSON.stringify([settings.cacheDir, ref.type, ref.repo, ref.revision ?? DEFAULT_REVISION, ref.path]);
  let pending = inflight.get(key);
  if (!pending) {
    pending = fetchFile(ref, settings, options).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}

/** The download URL of a file (without following anything). */
export function resolveUrl(endpoint: string, type: RepoType, repo: string, revision: string, path: string): string {
  const encodedPath = path.split("/").map(encodeURIComponent).join("/");
  return `${endpoint}/${type === "dataset" ? "datasets/" : ""}${repo}/resolve/${encodeURIComponent(revision)}/${encodedPath}`;
}

/** A failure worth another try (a cut transfer, a 5xx): `error` is what the user sees if the tries run out. */
class Retryable extends Error {
  constructor(
    readonly error: HubError,
    readonly reason: string,
  ) {
    super(error.message);
  }
}

async function fetchFile(ref: HubFileRef, settings: HubSettings, options: HubOptions): Promise<HubFileResult> {
  const cache = new HubCache(settings.cacheDir);
  const found = await cache.lookup(ref);
  if (found) return { path: found.path, commit: found.commit, size: (await stat(found.path)).size, cached: true };

  const ctx: RequestContext = {
    type: ref.type,
    repo: ref.repo,
    revision: ref.revision ?? DEFAULT_REVISION,
    path: ref.path,
    endpoint: settings.endpoint,
    token: settings.token,
  };
  if (settings.offline) {
    throw new HubError(
      `${describeTarget(ctx)}: not in the cache (${settings.cacheDir}) and HF_HUB_OFFLINE is set: unset it to download`,
      "offline",
    );
  }
  const mode = options.quiet ? "none" : (options.progress ?? "auto");
  const progress = downloadProgress(`${ref.repo}/${ref.path}`, mode, options.stream ?? process.stderr);
  const retries = options.retries ?? 3;
  let delay = options.retryDelayMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await attemptDownload(ctx, cache, settings, options, progress);
      if (!result.cached) progress.done();
      return result;
    } catch (error) {
      if (error instanceof Retryable && attempt < retries) {
        progress.interrupted(error.reason);
        await sleep(delay);
        delay *= 2;
        continue;
      }
      progress.failed();
      if (error instanceof Retryable) throw error.error;
      const code = (error as { code?: unknown }).code;
      if (!(error instanceof HubError) && typeof code === "string" && /^E[A-Z]+$/.test(code)) {
        // A file-system failure (no space, no permission): say which cache it was.
        throw new HubError(
          scrub(`${describeTarget(ctx)}: cannot write to the cache ${settings.cacheDir}: ${(error as Error).message}`, [
            settings.token,
          ]),
          "cache",
        );
      }
      throw error;
    }
  }
}

interface FileMeta {
  commit?: string;
  linkedEtag?: string;
  etag?: string;
  linkedSize?: number;
}

async function attemptDownload(
  ctx: RequestContext,
  cache: HubCache,
  settings: HubSettings,
  options: HubOptions,
  progress: DownloadProgress,
): Promise<HubFileResult> {
  const path = ctx.path as string;
  const label = describeTarget(ctx);
  const hubOrigin = origin(settings.endpoint);
  const secrets = [settings.token];
  const timeoutMs = options.timeoutMs ?? 60_000;
  const meta: FileMeta = {};
  let current = resolveUrl(settings.endpoint, ctx.type, ctx.repo, ctx.revision, path);
  let target: { finalPath: string; partFile: string } | null = null;
  let range = 0;
  // Whether the cache and the .part were looked at for the file about to be received.
  let checked = false;

  // Where the file goes is known once the hub has named the commit (on its redirect, or on its direct answer).
  const settle = async () => {
    if (!target) {
      const finalPath = cache.filePath(ctx.type, ctx.repo, meta.commit ?? ctx.revision, path);
      target = { finalPath, partFile: `${finalPath}.part` };
    }
    return target;
  };
  const alreadyCached = async (): Promise<HubFileResult | null> => {
    const { finalPath } = await settle();
    if (!(await isFile(finalPath))) return null;
    await rememberRef(cache, ctx, meta.commit);
    return { path: finalPath, commit: meta.commit ?? null, size: (await stat(finalPath)).size, cached: true };
  };

  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const fromHub = origin(current) === hubOrigin;
    const where = fromHub
      ? `the Hugging Face hub at ${settings.endpoint}`
      : `the download server ${origin(current)} (redirected from ${settings.endpoint})`;
    const headers: Record<string, string> = { "user-agent": `arbiter/${TOOL_VERSION}`, "accept-encoding": "identity" };
    if (fromHub && settings.token) headers.authorization = `Bearer ${settings.token}`;
    if (range > 0) headers.range = `bytes=${range}-`;
    const response = await send(current, { headers, timeoutMs, secrets, target: where }).catch((error) => {
      throw error instanceof HubError ? new HubError(`${label}: ${error.message}`, error.kind) : error;
    });
    if (fromHub) readMeta(meta, response);
    const status = response.statusCode;

    if (status >= 300 && status < 400 && header(response, "location")) {
      await discard(response);
      const next = new URL(header(response, "location") as string, current).toString();
      if (origin(next) !== hubOrigin) {
        const cached = await alreadyCached();
        if (cached) return cached;
        range = await sizeOf((await settle()).partFile);
        checked = true;
      }
      current = next;
      continue;
    }

    if (status === 200 || status === 206) {
      // Before a CDN request everything was checked already; a direct answer of the hub is checked now (its body
      // waits meanwhile, paused).
      if (!checked) {
        const cached = await alreadyCached();
        if (cached) {
          await discard(response);
          return cached;
        }
        const onDisk = await sizeOf((await settle()).partFile);
        if (range === 0 && onDisk > 0) {
          // Part of the file is already here: ask again for the rest only.
          await discard(response);
          range = onDisk;
          checked = true;
          hop--;
          continue;
        }
      }
      const { finalPath, partFile } = await settle();
      let append = false;
      let expected: number | null = meta.linkedSize ?? null;
      if (status === 206) {
        const contentRange = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header(response, "content-range") ?? "");
        if (!contentRange || Number(contentRange[1]) !== range) {
          // Not the part we asked for: start over rather than splice mismatched bytes.
          await discard(response);
          await rm(partFile, { force: true });
          range = 0;
          checked = true;
          continue;
        }
        append = true;
        if (contentRange[2] !== "*") expected ??= Number(contentRange[2]);
      } else {
        const length = header(response, "content-length");
        if (length !== undefined && /^\d+$/.test(length)) expected ??= Number(length);
      }
      return await receive(response, {
        ctx,
        cache,
        meta,
        finalPath,
        partFile,
        append,
        from: append ? range : 0,
        expected,
        label,
        where,
        secrets,
        progress,
      });
    }

    if (status === 416) {
      // The range starts past the end: whatever is in the .part is not a prefix of this file.
      await discard(response);
      await rm((await settle()).partFile, { force: true });
      range = 0;
      checked = true;
      continue;
    }

    const transient = status === 429 || status >= 500;
    const error = fromHub
      ? await hubStatusError(response, ctx)
      : new HubError(
          scrub(`${label}: the download server ${origin(current)} answered HTTP ${status}`, secrets),
          status === 404 ? "not_found" : "http",
        );
    if (!fromHub) await discard(response);
    // A CDN's 403 is most often an expired signed URL: asking the hub again gets a fresh one.
    throw transient || (!fromHub && status === 403) ? new Retryable(error, `HTTP ${status}`) : error;
  }
  throw new HubError(`${label}: more than ${MAX_REDIRECTS} redirects`, "http");
}

interface ReceiveJob {
  ctx: RequestContext;
  cache: HubCache;
  meta: FileMeta;
  finalPath: string;
  partFile: string;
  /** Append to the .part (a 206 answer to our Range) rather than write it anew. */
  append: boolean;
  /** Bytes already on disk before this answer. */
  from: number;
  expected: number | null;
  label: string;
  /** The server the bytes come from, as named in messages. */
  where: string;
  secrets: readonly (string | undefined)[];
  progress: DownloadProgress;
}

/** Streams an answer's body into the .part file, checks it against the hub's size and sha256, moves it in place. */
async function receive(response: HubResponse, job: ReceiveJob): Promise<HubFileResult> {
  const { label, where, expected, progress } = job;
  progress.start(expected, job.from);
  // The body is listened to at once: nothing awaited in between, so no byte can be dropped before it is written.
  const out = (async () => {
    await mkdir(dirname(job.partFile), { recursive: true });
    return open(job.partFile, job.append ? "a" : "w");
  })();
  try {
    await writeBody(response.body, out, (n) => progress.advance(n));
  } catch (error) {
    if (!(error instanceof TransferError)) throw error; // the disk's failure, not the network's
    const kept = await sizeOf(job.partFile);
    const reason = describeNetworkError(error.cause);
    const message = `${label}: the download from ${where} was interrupted (${reason}); ${formatBytes(kept)} are kept in ${job.partFile} and the next attempt resumes from there`;
    throw new Retryable(new HubError(scrub(message, job.secrets), "network"), reason);
  } finally {
    await (await out.catch(() => null))?.close();
  }
  const size = await sizeOf(job.partFile);
  if (expected !== null && size < expected) {
    const reason = `the server sent ${formatBytes(size)} of ${formatBytes(expected)}`;
    throw new Retryable(
      new HubError(`${label}: the download from ${where} ended early: ${reason}; run again to resume`, "network"),
      reason,
    );
  }
  if (expected !== null && size > expected) {
    await rm(job.partFile, { force: true });
    throw new HubError(
      `${label}: size mismatch: the hub announced ${expected} bytes and ${size} arrived; the corrupt download was removed`,
      "integrity",
    );
  }
  const sha256 = normalizeEtag(job.meta.linkedEtag ?? job.meta.etag);
  if (sha256 !== null && SHA256.test(sha256)) {
    const digest = await sha256File(job.partFile);
    if (digest !== sha256) {
      await rm(job.partFile, { force: true });
      throw new HubError(
        `${label}: sha256 mismatch: the hub announced ${sha256}, the downloaded bytes hash to ${digest}; the corrupt download was removed`,
        "integrity",
      );
    }
  }
  await rename(job.partFile, job.finalPath);
  await rememberRef(job.cache, job.ctx, job.meta.commit);
  return { path: job.finalPath, commit: job.meta.commit ?? null, size, cached: false };
}

class TransferError extends Error {}

const HIGH_WATER = 16 * 1024 * 1024;

/**
 * Writes a body to a file as it arrives. The body flows (it is paused only when 16 MB wait for the disk), because a
 * stream that errors drops what it had buffered: flowing, every byte received before a cut is handed over and
 * written, and the resume starts after it. A network failure rejects with a TransferError once the writes are done.
 */
function writeBody(body: Readable, file: Promise<FileHandle>, onBytes: (n: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let out: FileHandle | null = null;
    let diskError: unknown = null;
    let queue: Promise<void> = file.then(
      (handle) => {
        out = handle;
      },
      (error) => {
        diskError = error;
        body.destroy();
      },
    );
    let queued = 0;
    body.on("data", (chunk: Buffer) => {
      queued += chunk.length;
      if (queued > HIGH_WATER) body.pause();
      queue = queue.then(async () => {
        if (diskError) return;
        try {
          const handle = out as FileHandle;
          for (let offset = 0; offset < chunk.length; ) offset += (await handle.write(chunk, offset)).bytesWritten;
        } catch (error) {
          diskError = error;
          body.destroy();
          return;
        }
        queued -= chunk.length;
        onBytes(chunk.length);
        if (queued <= HIGH_WATER && body.isPaused()) body.resume();
      });
    });
    const finish = (networkError: unknown) =>
      queue.then(() => {
        if (diskError) reject(diskError);
        else if (networkError) reject(new TransferError("transfer failed", { cause: networkError }));
        else resolve();
      });
    body.on("end", () => finish(null));
    body.on("error", (error) => finish(error));
    body.on("close", () => {
      if (!body.readableEnded) finish(new Error("connection closed"));
    });
    // A body that failed while its answer was being checked emits nothing more.
    if (body.destroyed && !body.readableEnded) finish(body.errored ?? new Error("connection closed"));
  });
}

function readMeta(meta: FileMeta, response: HubResponse): void {
  const commit = header(response, "x-repo-commit");
  if (commit && isCommitHash(commit)) meta.commit = commit;
  const linkedEtag = header(response, "x-linked-etag");
  if (linkedEtag) meta.linkedEtag = linkedEtag;
  const etag = header(response, "etag");
  if (etag) meta.etag = etag;
  const linkedSize = header(response, "x-linked-size");
  if (linkedSize && /^\d+$/.test(linkedSize)) meta.linkedSize = Number(linkedSize);
}

async function rememberRef(cache: HubCache, ctx: RequestContext, commit: string | undefined): Promise<void> {
  if (commit) await cache.writeRef(ctx.type, ctx.repo, ctx.revision, commit);
}

/** `"abc"` and `W/"abc"` → `abc`. */
function normalizeEtag(etag: string | undefined): string | null {
  if (!etag) return null;
  return etag.replace(/^W\//, "").replace(/^"|"$/g, "").toLowerCase();
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}
