/**
 * One benchmark measurement in a fresh process: a run of N items against a protocol server that is already up.
 * Plain JavaScript over the built package (dist/), as a user runs it: no TypeScript loader in the measured process.
 *   node bench/scenario.mjs --url http://127.0.0.1:PORT --items 20000 --concurrency 64 [--cached] [--bare]
 * Prints one JSON line: items, seconds, itemsPerSecond, maxRssMB.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { request } from "undici";
import { parseConfig, Store, specFromConfig, startRun } from "../dist/index.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    items: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "64" },
    cached: { type: "boolean", default: false },
    bare: { type: "boolean", default: false },
    stream: { type: "boolean", default: true },
  },
});
const url = values.url ?? "";
const items = Number(values.items);
const concurrency = Number(values.concurrency);

async function bare() {
  // The floor: the same HTTP calls with no harness at all (undici keep-alive, the same bodies, responses read).
  const { Agent } = await import("undici");
  const agent = new Agent({ connections: 256 });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items) {
        const i = next++;
        const res = await request(`${url}/v1/chat/completions`, {
          method: "POST",
          dispatcher: agent,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: "bench",
            messages: [{ role: "user", content: `question ${i}` }],
            stream: values.stream,
            stream_options: { include_usage: true },
          }),
        });
        await res.body.text();
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await agent.close();
  return seconds;
}

async function harness() {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-bench-"));
  try {
    const lines = [];
    for (let i = 0; i < items; i++)
      lines.push(JSON.stringify({ id: `s${i}`, question: `question ${i}`, answer: "OK" }));
    writeFileSync(join(dir, "data.jsonl"), `${lines.join("\n")}\n`);
    lines.length = 0;
    const text = `
providers:
  bench: { type: openai-compatible, baseURL: ${url}/v1, concurrency: ${concurrency}, maxRetries: 0 }
models: [bench/model]
settings: { stream: ${values.stream} }
tasks:
  - { name: bench, data: data.jsonl, prompt: "{{question}}", target: "{{answer}}", scorer: exact }
`;
    const spec = specFromConfig(parseConfig(text, join(dir, "arbiter.yaml")), {});
    const store = await Store.open(join(dir, "arbiter.db"));
    if (values.cached) await startRun(spec, { store });
    const start = performance.now();
    const result = await startRun(spec, { store });
    const seconds = (performance.now() - start) / 1000;
    if (result.progress.done !== items || result.progress.failed !== 0) {
      throw new Error(
        `expected ${items} successful items, got ${result.progress.done} (${result.progress.failed} failed)`,
      );
    }
    if (values.cached && result.progress.cacheHits !== items) throw new Error("the re-run was not fully cached");
    await store.close();
    return seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const seconds = values.bare ? await bare() : await harness();
if (process.env.BENCH_HEAP) {
  globalThis.gc?.();
  const m = process.memoryUsage();
  process.stderr.write(
    `heapUsed ${(m.heapUsed / 2 ** 20).toFixed(1)} MB, heapTotal ${(m.heapTotal / 2 ** 20).toFixed(1)} MB, external ${(m.external / 2 ** 20).toFixed(1)} MB, rss ${(m.rss / 2 ** 20).toFixed(1)} MB\n`,
  );
}
const maxRssMB = Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
process.stdout.write(`${JSON.stringify({ items, seconds, itemsPerSecond: items / seconds, maxRssMB })}\n`);
