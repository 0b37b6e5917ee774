/**
 * The dashboard's HTTP app: a JSON API over the store under /api, and the built single-page app for every other
 * path. Every response carries a Content-Security-Policy that allows only this origin's own scripts and styles,
 * so that model output, even if it were ever put into the page as markup, could not run a script or load anything.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { headToHead } from "../report/head-to-head.js";
import { intervalNotes, leaderboardRows } from "../report/leaderboard.js";
import { paretoView, poolable } from "../report/pareto.js";
import { PAIR_FILTERS, type PairFilter } from "../report/run-data.js";
import type { RunSpec } from "../runner/spec.js";
import { taskName } from "../runner/spec.js";
import type { RunInfo } from "../store/records.js";
import type { CompareResponse, LeaderboardResponse, ParetoResponse, RunListItem, RunOverview } from "./api-types.js";
import type { Assets } from "./assets.js";
import { BadRequest, NotFound, type WebContext } from "./context.js";
import { checkClaims, claimsView, MAX_CLAIMS_TEXT } from "./queries/claims.js";
import { CursorError } from "./queries/cursor.js";
import { diffPage } from "./queries/diff.js";
import { priceModels, pricesView } from "./queries/prices.js";
import { type SampleFilters, SCORE_FILTERS, type ScoreFilter, sampleDetail, samplesPage } from "./queries/samples.js";
import { speedView } from "./queries/speed.js";

const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

export interface AppOptions {
  /** Host names (without port) a request may be addressed to; null accepts any (see server.ts). */
  allowedHosts: Set<string> | null;
}

const MAX_PAGE = 200;

export function createApp(ctx: WebContext, assets: Assets, options: AppOptions): Hono {
  const app = new Hono();

  app.use("*", async (c, next) => {
    // A page on another site can make the browser ask a name that resolves to 127.0.0.1 (DNS rebinding): only
    // requests addressed to this server by its own names are answered.
    if (options.allowedHosts && !options.allowedHosts.has(hostOf(c.req.header("host")))) {
      return c.text("unknown host", 403);
    }
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
  });

  app.onError((error, c) => {
    if (error instanceof BadRequest || error instanceof CursorError) return c.json({ error: error.message }, 400);
    if (error instanceof NotFound) return c.json({ error: error.message }, 404);
    process.stderr.write(`arbiter view: ${c.req.method} ${c.req.path}: ${(error as Error).stack ?? error}\n`);
    return c.json({ error: `internal error: ${(error as Error).message}` }, 500);
  });

  app.get("/api/runs", async (c) => {
    const limit = intParam(c, "limit", 1, 1000) ?? 200;
    const runs = await ctx.store.listRuns(limit);
    return c.json(runs.map(runItem) satisfies RunListItem[]);
  });

  app.get("/api/runs/:id", async (c) => {
    const run = await ctx.run(c.req.param("id"));
    return c.json({ run: runItem(run), currency: ctx.currency(run, undefined) } satisfies RunOverview);
  });

  app.get("/api/runs/:id/leaderboard", async (c) => {
    const run = await ctx.run(c.req.param("id"));
    const currency = ctx.currency(run, c.req.query("currency"));
    const body = await ctx.cached(run, `leaderboard\u0000${currency}`, async () => {
      const rows = leaderboardRows(await ctx.report(run, currency));
      return {
        currency,
        rows,
        intervalNotes: intervalNotes(rows),
        unpricedModels: [...new Set(rows.flatMap((r) => r.unpricedModels))],
      } satisfies LeaderboardResponse;
    });
    return c.json(body);
  });

  app.get("/api/runs/:id/pareto", async (c) => {
    const run = await ctx.run(c.req.param("id"));
    const currency = ctx.currency(run, c.req.query("currency"));
    const report = await ctx.report(run, currency);
    const tasks = [...new Set(report.summary.groups.map((g) => g.task))];
    const canPool = tasks.length > 1 && poolable(report);
    const asked = c.req.query("task") || undefined;
    if (asked === "*" && !canPool) {
      throw new BadRequest("task=*: the tasks' scores are not all on a 0–1 scale, so they cannot be pooled");
    }
    if (asked !== undefined && asked !== "*" && !tasks.includes(asked)) {
      throw new BadRequest(`task "${asked}": this run's tasks are ${tasks.join(", ") || "none"}`);
    }
    const task = asked === "*" ? null : (asked ?? tasks[0] ?? null);
    const view = await ctx.cached(run, `pareto\u0000${currency}\u0000${task ?? "*"}`, async () =>
      paretoView(report, ctx.data, ctx.catalogFor(run), await ctx.headlines(run), task),
    );
    return c.json({ view, tasks, poolable: canPool } satisfies ParetoResponse);
  });

  app.get("/api/runs/:id/compare", async (c) => {
    const run = await ctx.run(c.req.param("id"));
    const [a, b] = modelPair(c, run);
    const marginText = c.req.query("margin");
    const margin = marginText ? Number(marginText) : undefined;
    if (margin !== undefined && !(Number.isFinite(margin) && margin > 0 && margin < 1)) {
      throw new BadRequest(`margin "${marginText}": expected a difference in score between 0 and 1, e.g. 0.02`);
    }
    const body = await ctx.cached(run, `compare\u0000${a}\u0000${b}\u0000${margin ?? ""}`, async () => {
      const headlines = await ctx.headlines(run);
      return headToHead(
        ctx.data,
        run.id,
        a,
        b,
        headlines,
        margin === undefined ? {} : { margin },
      ) satisfies CompareResponse;
    });
    return c.json(body);
  });

  app.get("/api/runs/:id/compare/samples", async (c) => {
    const run = await ctx.run(c.req.param("id"));
    const [a, b] = modelPair(c, run);
    const filter = enumParam(c, "filter", PAIR_FILTERS) ?? "all";
    const task = c.req.query("task") || undefined;
    const currency = ctx.currency(run, c.req.query("currency"));
    const page = diffPage(
      ctx.data,
      run.id,
      a,
      b,
      await ctx.headlines(run),
      { catalog: ctx.catalogFor(run), currency },
      {
        filter: filter as PairFilter,
        limit: intParam(c, "limit", 1, MAX_PAGE) ?? 20,
        ...(task === undefined ? {} : { task }),
        ...cursorParams(c),
      },
    );
    return c.json(page);
  });

  app.get("/api/runs/:id/samples", async (c) => {
    const run = await ctx.run(c.req.param("id"));
    const filters: SampleFilters = {};
    const model = c.req.query("model") || undefined;
    const task = c.req.query("task") || undefined;
    const status = enumParam(c, "status", ["ok", "error"] as const);
    const score = enumParam(c, "score", SCORE_FILTERS);
    const q = c.req.query("q")?.trim();
    if (model !== undefined) filters.model = model;
    if (task !== undefined) filters.task = task;
    if (status !== undefined) filters.status = status;
    if (score !== undefined) filters.score = score as ScoreFilter;
    if (q) {
      if (q.length > 200) throw new BadRequest("q: search text of at most 200 characters");
      filters.q = q;
    }
    const page = samplesPage(ctx.data, run.id, await ctx.headlines(run), filters, {
      limit: intParam(c, "limit", 1, MAX_PAGE) ?? 50,
      ...cursorParams(c),
    });
    return c.json(page);
  });

  app.get("/api/runs/:id/sample", async (c) => {
    const run = await ctx.run(c.req.param("id"));
    const key = c.req.query("key");
    if (!key) throw new BadRequest("key: the sample's item key is required");
    const currency = ctx.currency(run, c.req.query("currency"));
    const detail = sampleDetail(ctx.data, run.id, key, ctx.catalogFor(run), currency);
    if (!detail) throw new NotFound(`run ${run.id} has no sample ${key}`);
    return c.json(detail);
  });

  app.get("/api/runs/:id/speed", async (c) => {
    const run = await ctx.run(c.req.param("id"));
    const body = await ctx.cached(run, "speed", () => speedView(ctx.data, run.id, runItem(run).models));
    return c.json(body);
  });

  app.get("/api/claims", async (c) => {
    const runId = c.req.query("run") || undefined;
    const run = runId ? await ctx.run(runId) : null;
    const headlines = run ? await ctx.headlines(run) : new Map<string, string>();
    const claims = await ctx.vendorClaims();
    const compute = () => claimsView(ctx.store, claims, ctx.catalog, run, headlines);
    return c.json(run ? await ctx.cached(run, "claims", compute) : await compute());
  });

  const claimsBodyLimit = bodyLimit({
    // A claims text of the longest accepted length, each character escaped in JSON at most 6 bytes long.
    maxSize: MAX_CLAIMS_TEXT * 6 + 64,
    onError: (c) => c.json({ error: `claims: at most ${MAX_CLAIMS_TEXT} characters of text` }, 413),
  });

  app.post("/api/runs/:id/claims/check", claimsBodyLimit, async (c) => {
    const run = await ctx.run(c.req.param("id"));
    // JSON only: a form on another site cannot send it without a CORS preflight, which this server never grants.
    if (!(c.req.header("content-type") ?? "").startsWith("application/json")) {
      throw new BadRequest('send {"text": "…claims…"} as application/json');
    }
    const raw = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new BadRequest('send {"text": "…claims…"}: the body is not JSON');
    }
    const text = (body as { text?: unknown } | null)?.text;
    if (typeof text !== "string") throw new BadRequest('send {"text": "…claims…"}: text must be a string');
    const currency = ctx.currency(run, c.req.query("currency"));
    return c.json(await checkClaims(ctx.store, run, text, { catalog: ctx.catalogFor(run), currency }));
  });

  app.get("/api/prices/models", (c) => c.json(priceModels(ctx.catalog)));

  app.get("/api/prices", (c) => {
    const models = c.req.queries("model") ?? [];
    if (models.length > 20) throw new BadRequest("model: at most 20 models at once");
    const currency = (c.req.query("currency") ?? "USD").toUpperCase();
    if (currency !== "USD" && currency !== "CNY") throw new BadRequest(`currency "${currency}": expected USD or CNY`);
    return c.json(pricesView(ctx.catalog, models, currency));
  });

  app.all("/api/*", (c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));

  app.get("*", async (c) => {
    const asset = await assets.get(c.req.path);
    if (!asset) return c.text("not found", 404);
    c.header("Content-Type", asset.type);
    c.header("Cache-Control", asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
    return c.body(new Uint8Array(asset.body));
  });

  return app;
}

function hostOf(header: string | undefined): string {
  if (!header) return "";
  const h = header.toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.lastIndexOf(":");
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** A run as the runs list shows it: models and tasks from its stored spec. */
function runItem(run: RunInfo): RunListItem {
  const spec = (run.spec ?? {}) as Partial<RunSpec>;
  return {
    id: run.id,
    createdAt: run.createdAt,
    endedAt: run.endedAt,
    status: run.status,
    done: run.done,
    totalItems: run.totalItems,
    models: (spec.models ?? []).map((m) => m.label),
    tasks: (spec.tasks ?? []).map(taskName),
    epochs: typeof spec.epochs === "number" && spec.epochs > 0 ? spec.epochs : 1,
  };
}

function intParam(c: Context, name: string, min: number, max: number): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new BadRequest(`${name} "${raw}": expected an integer from ${min} to ${max}`);
  }
  return n;
}

function enumParam<T extends string>(c: Context, name: string, allowed: readonly T[]): T | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new BadRequest(`${name} "${raw}": expected one of ${allowed.join(", ")}`);
  }
  return raw as T;
}

function cursorParams(c: Context): { after?: string; before?: string } {
  const after = c.req.query("after") || undefined;
  const before = c.req.query("before") || undefined;
  if (after && before) throw new BadRequest("give after or before, not both");
  return { ...(after ? { after } : {}), ...(before ? { before } : {}) };
}

function modelPair(c: Context, run: RunInfo): [string, string] {
  const a = c.req.query("a");
  const b = c.req.query("b");
  const models = runItem(run).models;
  for (const [name, value] of [
    ["a", a],
    ["b", b],
  ] as const) {
    if (!value) throw new BadRequest(`${name}: a model of the run is required (${models.join(", ")})`);
    if (models.length > 0 && !models.includes(value)) {
      throw new BadRequest(`${name} "${value}": not a model of run ${run.id} (its models: ${models.join(", ")})`);
    }
  }
  if (a === b) throw new BadRequest("a and b: pick two different models");
  return [a as string, b as string];
}
