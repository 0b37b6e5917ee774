import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { RunData } from "../../report/run-data.js";
import type { RunSpec } from "../../runner/spec.js";
import { Store } from "../../store/store.js";
import { UsageError } from "../errors.js";
import { catalogFor, reportFor } from "../report.js";
import { storePath } from "../store-path.js";

export interface ReportFlags {
  html?: string;
  md?: string;
  junit?: string;
  currency?: string;
  db?: string;
}

/**
 * `arbiter report RUN --html FILE | --md FILE | --junit FILE` (any of them at once; "-" writes to stdout): a
 * self-contained HTML page, Markdown for a pull-request comment, JUnit XML for CI.
 */
export async function reportCommand(runId: string, flags: ReportFlags): Promise<void> {
  if (!flags.html && !flags.md && !flags.junit) {
    throw new UsageError("say what to write: --html FILE, --md FILE and/or --junit FILE (- for stdout)");
  }
  const targets = [flags.html, flags.md, flags.junit].filter((t) => t !== undefined);
  if (targets.filter((t) => t === "-").length > 1) throw new UsageError("only one of the reports can go to stdout (-)");
  const path = storePath(flags.db);
  const store = await Store.open(path);
  let data: RunData | null = null;
  try {
    const report = await reportFor(store, runId, flags.currency);
    if (!report) throw new UsageError(`no run "${runId}" in the store (see: arbiter runs)`);
    data = RunData.open(path);
    if (flags.html || flags.md) {
      const { gatherReport } = await import("../../report/report-data.js");
      const catalog = await catalogFor((report.summary.run.spec ?? null) as RunSpec | null);
      const bundle = await gatherReport(store, data, report, catalog);
      if (flags.html) {
        const { renderHtmlReport } = await import("../../report/html.js");
        await output(flags.html, await renderHtmlReport(bundle));
      }
      if (flags.md) {
        const { renderMarkdownReport } = await import("../../report/markdown.js");
        await output(flags.md, renderMarkdownReport(bundle));
      }
    }
    if (flags.junit) {
      const { junitXml } = await import("../../report/junit.js");
      const chunks = junitXml(data, report.summary.run, await store.headlineMetrics(runId));
      await streamOut(flags.junit, chunks);
    }
  } finally {
    data?.close();
    await store.close();
  }
}

async function output(target: string, text: string): Promise<void> {
  if (target === "-") {
    process.stdout.write(text);
    return;
  }
  await writeFile(target, text).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${target}: cannot write (${error.code ?? error.message})`);
  });
  process.stderr.write(`wrote ${target}\n`);
}

async function streamOut(target: string, chunks: Iterable<string>): Promise<void> {
  const stream = target === "-" ? process.stdout : createWriteStream(target);
  const failed = new Promise<never>((_, reject) =>
    stream.once("error", (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`${target}: cannot write (${error.code ?? error.message})`)),
    ),
  );
  failed.catch(() => {});
  const write = async () => {
    for (const chunk of chunks) {
      if (!stream.write(chunk)) await once(stream, "drain");
    }
    if (stream !== process.stdout) {
      await new Promise<void>((resolve) => (stream as ReturnType<typeof createWriteStream>).end(resolve));
      process.stderr.write(`wrote ${target}\n`);
    }
  };
  await Promise.race([write(), failed]);
}
