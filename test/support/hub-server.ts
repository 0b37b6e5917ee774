/**
 * A local imitation of huggingface.co for tests, speaking the hub's HTTP API the way huggingface_hub sees it:
 *
 * - `GET /{owner}/{name}/resolve/{revision}/{path}` (models) and `/datasets/{owner}/{name}/resolve/…`. A file kept
 *   in git is answered directly (200, `ETag` = its git blob id, Range supported). An LFS file is answered with a 302
 *   to a separate "CDN" server (another origin, as cdn-lfs.hf.co is), carrying `X-Repo-Commit`, `X-Linked-Etag`
 *   (the sha256) and `X-Linked-Size`. The revision is one URL segment, percent-encoded (`refs%2Fconvert%2Fparquet`).
 * - `GET /api/{models|datasets}/{owner}/{name}/tree/{revision}?recursive=true`: the file listing (git oid, size,
 *   `lfs: {oid, size, pointerSize}`), in pages linked by `Link: <…>; rel="next"` when `pageSize` is set.
 * - Errors as the hub sends them, with `X-Error-Code`: 401 RepoNotFound without a token (private or missing repo),
 *   404 RepoNotFound with one, 404 RevisionNotFound / EntryNotFound, 401/403 GatedRepo.
 * - A renamed repository answers 307 with a relative Location, as the hub does.
 * - The CDN rejects a request that carries an Authorization header (S3 allows one auth mechanism only), supports
 *   Range, and can be told to cut a transfer after N bytes once, or to serve corrupt bytes.
 *
 * Every request is logged (server, method, path, Authorization, Range) so tests can count and inspect them.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RepoType = "model" | "dataset";

export interface RepoFile {
  content: Buffer;
  /** Stored with LFS (served through the CDN). Default: .gguf, .parquet and files over 10 KB. */
  lfs?: boolean;
}

export interface FakeRepo {
  type: RepoType;
  /** owner/name */
  id: string;
  /** revision name (branch, tag, "refs/convert/parquet") → its files. */
  revisions: Record<string, Record<string, Buffer | RepoFile>>;
  /** Only these tokens may read it; anyone else is told it does not exist. */
  privateTo?: string[];
  /** Gated: only these tokens have accepted the conditions. */
  gatedFor?: string[];
  /** Old ids that redirect (307, relative) to this one. */
  formerIds?: string[];
}

export interface CdnFault {
  /** Send this many bytes of the body, then destroy the socket (once per fault). */
  cutAfter?: number;
  /** Serve the bytes with one byte flipped (same size: the sha256 no longer matches). */
  flip?: boolean;
  /** Serve this many extra bytes after the content (with a matching Content-Length). */
  extraBytes?: number;
  /** Ignore Range headers (answer 200 with the whole file). */
  ignoreRange?: boolean;
  /** How many requests the fault applies to (default 1). */
  times?: number;
}

export interface LoggedRequest {
  server: "hub" | "cdn";
  method: string;
  /** Path and query, as received. */
  url: string;
  authorization: string | undefined;
  range: string | undefined;
}

export interface HubServer {
  /** The hub's endpoint (HF_ENDPOINT). */
  url: string;
  /** The CDN's origin. */
  cdnUrl: string;
  requests: LoggedRequest[];
  /** The commit hash a revision of a repo resolves to. */
  commitOf(type: RepoType, id: string, revision: string): string;
  /** Applies a fault to the CDN transfers of the LFS file with this content. */
  faultFor(content: Buffer, fault: CdnFault): void;
  /** Bytes the CDN has sent in bodies so far. */
  cdnBytesSent(): number;
  close(): Promise<void>;
}

interface StoredFile {
  path: string;
  content: Buffer;
  lfs: boolean;
  sha256: string;
  gitOid: string;
  pointer: string;
}

function gitBlobOid(content: Buffer | string): string {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function lfsPointer(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}

function store(path: string, file: Buffer | RepoFile): StoredFile {
  const spec: RepoFile = Buffer.isBuffer(file) ? { content: file } : file;
  const lfs = spec.lfs ?? (/\.(gguf|parquet)$/.test(path) || spec.content.length > 10_000);
  const sha256 = createHash("sha256").update(spec.content).digest("hex");
  const pointer = lfsPointer(sha256, spec.content.length);
  return { path, content: spec.content, lfs, sha256, gitOid: gitBlobOid(lfs ? pointer : spec.content), pointer };
}

export async function startHubServer(repos: FakeRepo[], options: { pageSize?: number } = {}): Promise<HubServer> {
  const requests: LoggedRequest[] = [];
  const commits = new Map<string, string>(); // `${type}:${id}:${revision}` → commit
  const files = new Map<string, Map<string, StoredFile>>(); // `${type}:${id}:${commit}` → path → file
  const blobs = new Map<string, StoredFile>(); // sha256 → file
  const faults = new Map<string, CdnFault & { used: number }>();
  let cdnBytes = 0;

  for (const repo of repos) {
    for (const [revision, content] of Object.entries(repo.revisions)) {
      const commit = createHash("sha1").update(`${repo.type}:${repo.id}:${revision}`).digest("hex");
      commits.set(`${repo.type}:${repo.id}:${revision}`, commit);
      const map = new Map<string, StoredFile>();
      for (const [path, file] of Object.entries(content)) {
        const stored = store(path, file);
        map.set(path, stored);
        if (stored.lfs) blobs.set(stored.sha256, stored);
      }
      files.set(`${repo.type}:${repo.id}:${commit}`, map);
    }
  }

  const hub = createServer((req, res) => {
    log("hub", req);
    handleHub(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  const cdn = createServer((req, res) => {
    log("cdn", req);
    handleCdn(req, res);
  });
  const hubUrl = await listen(hub);
  const cdnUrl = await listen(cdn);

  function log(server: "hub" | "cdn", req: IncomingMessage) {
    requests.push({
      server,
      method: req.method ?? "GET",
      url: req.url ?? "/",
      authorization: req.headers.authorization,
      range: req.headers.range,
    });
  }

  function error(res: ServerResponse, status: number, code: string | null, message: string) {
    res.statusCode = status;
    if (code) res.setHeader("X-Error-Code", code);
    res.setHeader("X-Error-Message", message);
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ error: message }));
  }

  /** The hub's access rules: answers the error and returns true when this Authorization may not read the repo. */
  function denied(repo: FakeRepo | undefined, auth: string | undefined, res: ServerResponse, what: string): boolean {
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
    if (!repo || (repo.privateTo && !(token && repo.privateTo.includes(token)))) {
      if (token) error(res, 404, "RepoNotFound", `Repository not found for url: ${what}.`);
      else error(res, 401, "RepoNotFound", "Invalid username or password.");
      return true;
    }
    if (repo.gatedFor && !(token && repo.gatedFor.includes(token))) {
      const kind = repo.type === "dataset" ? "dataset" : "model";
      error(
        res,
        token ? 403 : 401,
        "GatedRepo",
        token
          ? `Access to ${kind} ${repo.id} is restricted and you are not in the authorized list.`
          : `Access to ${kind} ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
      );
      return true;
    }
    return false;
  }

  function findRepo(type: RepoType, id: string): FakeRepo | undefined {
    return repos.find((r) => r.type === type && r.id === id);
  }

  function resolveCommit(type: RepoType, id: string, revision: string): string | undefined {
    const named = commits.get(`${type}:${id}:${revision}`);
    if (named) return named;
    return [...commits.entries()].find(([key, c]) => key.startsWith(`${type}:${id}:`) && c === revision)?.[1];
  }

  async function handleHub(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", hubUrl);
    const raw = url.pathname.split("/").slice(1);
    const segments = raw.map((s) => decodeURIComponent(s));
    if (segments[0] === "api") return listTree(req, res, url, segments.slice(1));
    const type: RepoType = segments[0] === "datasets" ? "dataset" : "model";
    const rest = type === "dataset" ? segments.slice(1) : segments;
    const [owner, name, verb, revision, ...pathParts] = rest;
    if (verb !== "resolve" || !owner || !name || revision === undefined || pathParts.length === 0) {
      return error(res, 404, null, "Not Found");
    }
    const id = `${owner}/${name}`;
    const renamed = repos.find((r) => r.type === type && r.formerIds?.includes(id));
    if (renamed) {
      // Keep the revision and path exactly as sent (still percent-encoded).
      const offset = type === "dataset" ? 1 : 0;
      const prefix = type === "dataset" ? "/datasets/" : "/";
      res.statusCode = 307;
      res.setHeader("Location", `${prefix}${renamed.id}/${raw.slice(offset + 2).join("/")}`);
      res.end();
      return;
    }
    const repo = findRepo(type, id);
    if (denied(repo, req.headers.authorization, res, url.pathname)) return;
    const commit = resolveCommit(type, id, revision);
    if (!commit) return error(res, 404, "RevisionNotFound", `Invalid rev id: ${revision}`);
    const path = pathParts.join("/");
    const file = files.get(`${type}:${id}:${commit}`)?.get(path);
    if (!file) return error(res, 404, "EntryNotFound", `${path} does not exist on "${revision}"`);
    res.setHeader("X-Repo-Commit", commit);
    if (file.lfs) {
      const signature = randomBytes(12).toString("hex");
      res.statusCode = 302;
      res.setHeader("ETag", `"${file.gitOid}"`);
      res.setHeader("X-Linked-Etag", `"${file.sha256}"`);
      res.setHeader("X-Linked-Size", String(file.content.length));
      res.setHeader(
        "Location",
        `${cdnUrl}/repos/${file.sha256.slice(0, 2)}/${file.sha256}?X-Amz-Signature=${signature}&response-content-disposition=attachment`,
      );
      res.end(`Found. Redirecting to ${cdnUrl}`);
      return;
    }
    res.setHeader("ETag", `"${file.gitOid}"`);
    sendBytes(req, res, file.content, {});
  }

  function listTree(req: IncomingMessage, res: ServerResponse, url: URL, segments: string[]) {
    const [kind, owner, name, verb, revision, ...under] = segments;
    const type: RepoType = kind === "datasets" ? "dataset" : "model";
    if ((kind !== "datasets" && kind !== "models") || verb !== "tree" || !owner || !name || revision === undefined) {
      return error(res, 404, null, "Not Found");
    }
    const id = `${owner}/${name}`;
    const repo = findRepo(type, id);
    if (denied(repo, req.headers.authorization, res, url.pathname)) return;
    const commit = resolveCommit(type, id, revision);
    if (!commit) return error(res, 404, "RevisionNotFound", `Invalid rev id: ${revision}`);
    const prefix = under.length ? `${under.join("/")}/` : "";
    const recursive = url.searchParams.get("recursive") === "true";
    const entries: unknown[] = [];
    const dirs = new Set<string>();
    const all = [...(files.get(`${type}:${id}:${commit}`)?.values() ?? [])].sort((a, b) =>
      a.path.localeCompare(b.path),
    );
    for (const f of all) {
      if (!f.path.startsWith(prefix)) continue;
      const relative = f.path.slice(prefix.length).split("/");
      for (let i = 1; i < relative.length; i++) {
        const dir = prefix + relative.slice(0, i).join("/");
        if (!dirs.has(dir) && (recursive || i === 1)) {
          dirs.add(dir);
          entries.push({ type: "directory", oid: gitBlobOid(dir), size: 0, path: dir });
        }
      }
      if (!recursive && relative.length > 1) continue;
      entries.push({
        type: "file",
        oid: f.gitOid,
        size: f.content.length,
        path: f.path,
        ...(f.lfs ? { lfs: { oid: f.sha256, size: f.content.length, pointerSize: f.pointer.length } } : {}),
      });
    }
    const start = Number(url.searchParams.get("cursor") ?? "0");
    const size = options.pageSize ?? entries.length;
    const page = entries.slice(start, start + size);
    if (start + size < entries.length) {
      const next = new URL(url);
      next.searchParams.set("cursor", String(start + size));
      res.setHeader("Link", `<${next.toString()}>; rel="next"`);
    }
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(page));
  }

  function handleCdn(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", cdnUrl);
    if (req.headers.authorization) {
      res.statusCode = 400;
      res.end("<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>");
      return;
    }
    if (!url.searchParams.get("X-Amz-Signature")) {
      res.statusCode = 403;
      res.end("<Error><Code>AccessDenied</Code></Error>");
      return;
    }
    const sha = url.pathname.split("/").pop() ?? "";
    const file = blobs.get(sha);
    if (!file) {
      res.statusCode = 404;
      res.end("<Error><Code>NoSuchKey</Code></Error>");
      return;
    }
    const fault = faults.get(sha);
    const active = fault && fault.used < (fault.times ?? 1) ? fault : undefined;
    if (active) active.used++;
    let content = file.content;
    if (active?.flip) {
      content = Buffer.from(content);
      content[content.length >> 1] = (content[content.length >> 1] as number) ^ 0xff;
    }
    if (active?.extraBytes) content = Buffer.concat([content, Buffer.alloc(active.extraBytes, 0x2a)]);
    res.setHeader("ETag", `"${createHash("md5").update(content).digest("hex")}"`);
    sendBytes(req, res, content, { cutAfter: active?.cutAfter, ignoreRange: active?.ignoreRange, countCdn: true });
  }

  function sendBytes(
    req: IncomingMessage,
    res: ServerResponse,
    content: Buffer,
    how: { cutAfter?: number | undefined; ignoreRange?: boolean | undefined; countCdn?: boolean },
  ) {
    res.setHeader("Accept-Ranges", "bytes");
    let body = content;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range && !how.ignoreRange) {
      const start = Number(range[1]);
      if (start >= content.length) {
        res.statusCode = 416;
        res.setHeader("Content-Range", `bytes */${content.length}`);
        res.end();
        return;
      }
      res.statusCode = 206;
      res.setHeader("Content-Range", `bytes ${start}-${content.length - 1}/${content.length}`);
      body = content.subarray(start);
    } else {
      res.statusCode = 200;
    }
    res.setHeader("Content-Length", String(body.length));
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    if (how.cutAfter !== undefined && how.cutAfter < body.length) {
      const head = body.subarray(0, how.cutAfter);
      if (how.countCdn) cdnBytes += head.length;
      res.write(head, () => res.socket?.destroy());
      return;
    }
    if (how.countCdn) cdnBytes += body.length;
    res.end(body);
  }

  return {
    url: hubUrl,
    cdnUrl,
    requests,
    commitOf(type, id, revision) {
      const commit = commits.get(`${type}:${id}:${revision}`);
      if (!commit) throw new Error(`no revision ${revision} of ${type} ${id}`);
      return commit;
    },
    faultFor(content, fault) {
      faults.set(createHash("sha256").update(content).digest("hex"), { ...fault, used: 0 });
    },
    cdnBytesSent: () => cdnBytes,
    async close() {
      await Promise.all([closeServer(hub), closeServer(cdn)]);
    },
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
