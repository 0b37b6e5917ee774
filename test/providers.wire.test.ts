import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelRequest } from "../src/core/types.js";
import { createAnthropicAdapter } from "../src/providers/anthropic-messages.js";
import { closeHttp } from "../src/providers/http.js";
import { createOpenAIChatAdapter } from "../src/providers/openai-chat.js";
import type { ProviderAdapter } from "../src/providers/types.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";

const KEY = "sk-test-wire-0123456789";
let server: ProtocolServer;
let openai: ProviderAdapter;
let anthropic: ProviderAdapter;

beforeAll(async () => {
  server = await startProtocolServer({ apiKey: KEY });
  openai = createOpenAIChatAdapter({ baseURL: server.openaiBaseURL, apiKey: KEY, headers: {} });
  anthropic = createAnthropicAdapter({ baseURL: server.anthropicBaseURL, apiKey: KEY, headers: {} });
});
afterAll(async () => {
  await closeHttp();
  await server.close();
});

const request = (stream: boolean, extra: Partial<ModelRequest["settings"]> = {}): ModelRequest => ({
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "What is the capital of France?" },
  ],
  settings: { stream, temperature: 0, maxTokens: 64, ...extra },
});
const opts = { timeoutMs: 5000 };

describe.each([
  ["openai", () => openai],
  ["anthropic", () => anthropic],
] as const)("%s adapter", (name, adapter) => {
  it("returns the text, usage and timing of a streamed answer", async () => {
    server.setResponder(() => ({ text: "The capital is Paris.", reasoning: "France... Paris." }));
    const out = await adapter().generate("m-1", request(true), opts);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.response.text).toBe("The capital is Paris.");
    expect(out.response.reasoning).toBe("France... Paris.");
    expect(out.response.reportedModel).toBe("m-1");
    expect(out.response.usage?.outputTokens).toBeGreaterThan(1);
    expect(out.response.usage?.inputTokens).toBeGreaterThan(0);
    const t = out.response.timing;
    expect(t.ttftMs).not.toBeNull();
    expect(t.ttfatMs).not.toBeNull();
    // reasoning comes first, so the first answer token is no earlier than the first token
    expect(t.ttfatMs as number).toBeGreaterThanOrEqual(t.ttftMs as number);
    expect(t.latencyMs).toBeGreaterThanOrEqual(t.ttfatMs as number);
  });

  it("returns the same answer without streaming, with no TTFT", async () => {
    server.setResponder(() => ({ text: "Paris" }));
    const out = await adapter().generate("m-1", request(false), opts);
    expect(out.ok && out.response.text).toBe("Paris");
    expect(out.ok && out.response.timing.ttftMs).toBeNull();
  });

  it("sends the request in the vendor's shape", async () => {
    server.setResponder(() => ({ text: "ok" }));
    await adapter().generate("m-2", request(true, { stop: ["\n\n"], topP: 0.5 }), opts);
    const last = server.requests.at(-1);
    expect(last?.model).toBe("m-2");
    const body = (last as unknown as { body?: Record<string, unknown> }).body;
    if (name === "openai") {
      expect(body).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 64,
        stop: ["\n\n"],
        top_p: 0.5,
      });
      expect(last?.messages[0]).toEqual({ role: "system", content: "Be brief." });
    } else {
      expect(body).toMatchObject({
        stream: true,
        system: "Be brief.",
        max_tokens: 64,
        stop_sequences: ["\n\n"],
        top_p: 0.5,
      });
    }
  });

  it("records a response without usage as unknown, never zero", async () => {
    server.setResponder(() => ({ text: "Paris", usage: null }));
    for (const stream of [true, false]) {
      const out = await adapter().generate("m-1", request(stream), opts);
      expect(out.ok).toBe(true);
      if (out.ok) {
        expect(out.response.usage).toBeNull();
        expect(out.response.timing.outputTokensPerSecond).toBeNull();
      }
    }
  });

  it.each([
    [{ kind: "status", status: 429, retryAfter: "7" }, "rate_limit", 7000],
    [{ kind: "status", status: 500 }, "server", undefined],
    [{ kind: "status", status: 503 }, "server", undefined],
    [{ kind: "status", status: 400 }, "bad_request", undefined],
    [{ kind: "status", status: 403 }, "auth", undefined],
  ] as const)("classifies %o as %s", async (fault, cls, retryAfterMs) => {
    server.setResponder(() => ({ fault }));
    const out = await adapter().generate("m-1", request(true), opts);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.errorClass).toBe(cls);
    expect(out.error.httpStatus).toBe(fault.status);
    expect(out.error.retryAfterMs).toBe(retryAfterMs);
  });

  it("classifies a truncated stream, malformed JSON, a reset and a hang", async () => {
    const cases = [
      [{ kind: "truncate", afterChunks: 2 }, ["network", "invalid_response"]],
      [{ kind: "malformed" }, ["invalid_response"]],
      [{ kind: "reset" }, ["network"]],
    ] as const;
    for (const [fault, classes] of cases) {
      for (const stream of [true, false]) {
        server.setResponder(() => ({ fault }));
        const out = await adapter().generate("m-1", request(stream), opts);
        expect(out.ok, `${fault.kind} stream=${stream}`).toBe(false);
        if (!out.ok) expect(classes as readonly string[]).toContain(out.error.errorClass);
      }
    }
    server.setResponder(() => ({ fault: { kind: "hang" } }));
    const out = await adapter().generate("m-1", request(true), { timeoutMs: 300 });
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.errorClass).toBe("timeout");
      expect(out.timing.latencyMs).toBeGreaterThanOrEqual(250);
    }
  });

  it("rejects a wrong key as auth, and never repeats the key in the message", async () => {
    server.setResponder(() => ({ text: "x" }));
    const wrongKey = "sk-wrong-key-should-never-leak-123456";
    const make = name === "openai" ? createOpenAIChatAdapter : createAnthropicAdapter;
    const base = name === "openai" ? server.openaiBaseURL : server.anthropicBaseURL;
    const bad = make({ baseURL: base, apiKey: wrongKey, headers: {} });
    const out = await bad.generate("m-1", request(true), opts);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.errorClass).toBe("auth");
      expect(out.error.message).not.toContain(wrongKey);
    }
  });
});

describe("network failures", () => {
  it("classifies a refused connection as network", async () => {
    const dead = createOpenAIChatAdapter({ baseURL: "http://127.0.0.1:9/v1", headers: {} });
    const out = await dead.generate("m", request(true), opts);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.errorClass).toBe("network");
  });
});

describe("deadlines and aborts", () => {
  it("ends a stream that keeps trickling past the per-attempt deadline as timeout", async () => {
    // Each chunk arrives well within undici's idle timeouts; only the whole-call deadline can stop it.
    const slow = await startProtocolServer({ chunkDelayMs: 150 });
    try {
      slow.setResponder(() => ({ text: "one two three four five six seven eight nine ten" }));
      const trickle = createOpenAIChatAdapter({ baseURL: slow.openaiBaseURL, headers: {} });
      const started = performance.now();
      const out = await trickle.generate("m", request(true), { timeoutMs: 500 });
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.error.errorClass).toBe("timeout");
      expect(performance.now() - started).toBeLessThan(1200);
    } finally {
      await slow.close();
    }
  });

  it("aborts calls in flight when the caller's signal fires (a second Ctrl-C), and not as a timeout", async () => {
    server.setResponder(() => ({ fault: { kind: "hang" } }));
    const caller = new AbortController();
    const calls = [1, 2, 3].map(() =>
      openai.generate("m-1", request(true), { timeoutMs: 10_000, signal: caller.signal }),
    );
    setTimeout(() => caller.abort(), 100);
    const outs = await Promise.all(calls);
    for (const out of outs) {
      expect(out.ok).toBe(false);
      if (!out.ok) {
        expect(out.error.errorClass).toBe("network");
        expect(out.error.message).toContain("aborted");
        expect(out.timing.latencyMs).toBeLessThan(2000);
      }
    }
    // A call started after the abort does not go out at all.
    const late = await openai.generate("m-1", request(true), { timeoutMs: 10_000, signal: caller.signal });
    expect(late.ok).toBe(false);
  });
});
