/**
 * The protocol server as its own process, for benchmarks (so the server does not share a core with the client):
 *   node --import tsx test/support/protocol-server-main.ts --latency-ms 20 --port 0 --text "OK"
 * Prints one JSON line `{"url": ..., "openaiBaseURL": ..., "anthropicBaseURL": ...}` once listening; request
 * recording is off. Exits on SIGTERM / SIGINT.
 */
import { parseArgs } from "node:util";
import { startProtocolServer } from "./protocol-server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    "latency-ms": { type: "string", default: "0" },
    "chunk-delay-ms": { type: "string", default: "0" },
    text: { type: "string", default: "OK" },
    reasoning: { type: "string" },
    "api-key": { type: "string" },
  },
  strict: true,
});

function number(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`protocol-server: --${name} must be a non-negative number, got ${raw}\n`);
    process.exit(2);
  }
  return value;
}

const text = values.text ?? "OK";
const reasoning = values.reasoning;
const server = await startProtocolServer({
  port: number("port", values.port),
  host: values.host,
  latencyMs: number("latency-ms", values["latency-ms"]),
  chunkDelayMs: number("chunk-delay-ms", values["chunk-delay-ms"]),
  apiKey: values["api-key"],
  recordRequests: false,
  respond: reasoning === undefined ? () => ({ text }) : () => ({ text, reasoning }),
});
process.stdout.write(
  `${JSON.stringify({ url: server.url, openaiBaseURL: server.openaiBaseURL, anthropicBaseURL: server.anthropicBaseURL })}\n`,
);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  // Never hang on the way out.
  setTimeout(() => process.exit(0), 2000).unref();
  server.close().then(
    () => process.exit(0),
    () => process.exit(0),
  );
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
