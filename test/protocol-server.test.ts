import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type IncomingChatRequest,
  type ProtocolServer,
  promptTokens,
  splitChunks,
  startProtocolServer,
} from "./support/protocol-server.js";

const KEY = "sk-protocol-server-test-0123456789";
let server: ProtocolServer;

beforeAll(async () => {
  server = await startProtocolServer({ apiKey: KEY });
});
afterAll(async () => {
  await server.close();
});

const MESSAGES = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "What is the capital of France?" },
];
const PROMPT_WORDS = 8; // "Be brief." + "What is the capital of France?"

function openai(body: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${server.openaiBaseURL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY}`, ...headers },
    body: JSON.stringify({ model: "gpt-test", messages: MESSAGES, ...body }),
    signal,
  });
}

function anthropic(body: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${server.anthropicBaseURL}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": KEY, "anthropic-version": "2023-06-01", ...headers },
    body: JSON.stringify({
      model: "claude-test",
      max_tokens: 64,
      system: "Be brief.",
      messages: [{ role: "user", content: "What is the capital of France?" }],
      ...body,
    }),
    signal,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read freely in assertions
type Json = any;

async function json(res: Response): Promise<Json> {
  return res.json();
}

interface Frame {
  event: string | null;
  data: string;
}

/** Splits an SSE body into frames, checking that every frame is exactly `[event: X\n]data: Y\n\n`. */
function parseSSE(text: string): Frame[] {
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((raw) => {
      const m = /^(?:event: ([a-z_]+)\n)?data: (.*)$/s.exec(raw);
      expect(m, `bad SSE frame: ${JSON.stringify(raw)}`).not.toBeNull();
      const data = (m as RegExpExecArray)[2] as string;
      expect(data).not.toContain("\n");
      return { event: (m as RegExpExecArray)[1] ?? null, data };
    });
}

/** Reads a body chunk by chunk until it ends or fails; returns the text received and the error, if any. */
async function drain(res: Response): Promise<{ text: string; error: unknown; chunkTimes: number[] }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const chunkTimes: number[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunkTimes.push(performance.now());
      text += decoder.decode(value, { stream: true });
    }
    return { text, error: null, chunkTimes };
  } catch (error) {
    return { text, error, chunkTimes };
  }
}

const REPLY = { text: "The capital is Paris.", reasoning: "France... its capital... Paris." };

describe("OpenAI Chat Completions", () => {
  it("answers without streaming with a full chat.completion object", async () => {
    server.setResponder(() => REPLY);
    const res = await openai({});
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await json(res);
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "gpt-test",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: REPLY.text, reasoning_content: REPLY.reasoning },
          finish_reason: "stop",
        },
      ],
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(Number.isInteger(body.created)).toBe(true);
    const reasoningTokens = splitChunks(REPLY.reasoning).length;
    const completion = splitChunks(REPLY.text).length + reasoningTokens;
    expect(body.usage).toEqual({
      prompt_tokens: PROMPT_WORDS,
      completion_tokens: completion,
      total_tokens: PROMPT_WORDS + completion,
      completion_tokens_details: { reasoning_tokens: reasoningTokens },
    });
  });

  it("streams chat.completion.chunk frames: empty role frame, reasoning, content, finish, usage, [DONE]", async () => {
    server.setResponder(() => REPLY);
    const res = await openai({ stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const frames = parseSSE(await res.text());
    expect(frames.every((f) => f.event === null)).toBe(true);
    expect(frames.at(-1)?.data).toBe("[DONE]");
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.data));
    for (const c of chunks) {
      expect(c).toMatchObject({ object: "chat.completion.chunk", model: "gpt-test" });
      expect(c.id).toBe(chunks[0].id);
    }
    // The opening frame carries the role and empty content: no token yet.
    expect(chunks[0].choices[0]).toMatchObject({
      index: 0,
      delta: { role: "assistant", content: "" },
      finish_reason: null,
    });
    const reasoningDeltas = chunks.filter((c) => c.choices[0]?.delta?.reasoning_content);
    const contentDeltas = chunks.filter((c) => c.choices[0]?.delta?.content);
    expect(reasoningDeltas.length).toBe(splitChunks(REPLY.reasoning).length);
    expect(reasoningDeltas.length).toBeGreaterThan(1);
    expect(contentDeltas.map((c) => c.choices[0].delta.content)).toEqual(["The", " capital", " is", " Paris."]);
    expect(reasoningDeltas.map((c) => c.choices[0].delta.reasoning_content).join("")).toBe(REPLY.reasoning);
    // Reasoning comes before the answer.
    expect(chunks.indexOf(reasoningDeltas.at(-1))).toBeLessThan(chunks.indexOf(contentDeltas[0]));
    const finish = chunks.at(-2);
    expect(finish.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]);
    const usageChunk = chunks.at(-1);
    expect(usageChunk.choices).toEqual([]);
    const outputTokens = reasoningDeltas.length + contentDeltas.length;
    expect(usageChunk.usage).toEqual({
      prompt_tokens: PROMPT_WORDS,
      completion_tokens: outputTokens,
      total_tokens: PROMPT_WORDS + outputTokens,
      completion_tokens_details: { reasoning_tokens: reasoningDeltas.length },
    });
    // Every earlier chunk says usage: null, as OpenAI does with include_usage.
    for (const c of chunks.slice(0, -1)) expect(c.usage).toBeNull();
  });

  it("sends no usage chunk (and no usage field) without stream_options.include_usage", async () => {
    server.setResponder(() => ({ text: "a b c" }));
    const frames = parseSSE(await (await openai({ stream: true })).text());
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.data));
    expect(frames.at(-1)?.data).toBe("[DONE]");
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? null)).toEqual(["", "a", " b", " c", null]);
    for (const c of chunks) {
      expect("usage" in c).toBe(false);
      expect(c.choices.length).toBe(1);
    }
  });

  it("emits a given usage object verbatim, omits it when null, and honours model and finishReason", async () => {
    const usage = { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_cache_hit_tokens: 60 };
    server.setResponder(() => ({ text: "x", usage, model: "served-model-2", finishReason: "length" }));
    const completion = await json(await openai({}));
    expect(completion.usage).toEqual(usage);
    expect(completion.model).toBe("served-model-2");
    expect(completion.choices[0].finish_reason).toBe("length");
    const frames = parseSSE(await (await openai({ stream: true, stream_options: { include_usage: true } })).text());
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.data));
    expect(chunks.at(-1).usage).toEqual(usage);
    expect(chunks.at(-2).choices[0].finish_reason).toBe("length");
    expect(chunks[0].model).toBe("served-model-2");

    server.setResponder(() => ({ text: "x", usage: null }));
    const noUsage = await json(await openai({}));
    expect("usage" in noUsage).toBe(false);
    expect(noUsage.choices[0].message.content).toBe("x");
    const streamed = parseSSE(await (await openai({ stream: true, stream_options: { include_usage: true } })).text());
    const streamedChunks = streamed.slice(0, -1).map((f) => JSON.parse(f.data));
    expect(streamedChunks.some((c) => c.usage)).toBe(false);
    expect(streamedChunks.every((c) => c.choices.length === 1)).toBe(true);
  });

  it("sends no reasoning_content when there is no reasoning, and no content chunk for empty text", async () => {
    server.setResponder(() => ({ text: "" }));
    const completion = await json(await openai({}));
    expect(completion.choices[0].message).toEqual({ role: "assistant", content: "", refusal: null });
    expect(completion.usage.completion_tokens).toBe(0);
    const frames = parseSSE(await (await openai({ stream: true })).text());
    expect(frames.length).toBe(3); // role, finish, [DONE]
  });
});

describe("Anthropic Messages", () => {
  it("requires the anthropic-version header", async () => {
    server.setResponder(() => ({ text: "x" }));
    const res = await fetch(`${server.anthropicBaseURL}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KEY },
      body: JSON.stringify({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.type).toBe("error");
    expect(body.error).toEqual({ type: "invalid_request_error", message: "anthropic-version: header is required" });
  });

  it("rejects a request without max_tokens, as Anthropic does", async () => {
    const res = await anthropic({ max_tokens: undefined });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toMatch(/max_tokens/);
  });

  it("answers without streaming with a message object, thinking block first", async () => {
    server.setResponder(() => REPLY);
    const res = await anthropic({});
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-test",
      stop_reason: "end_turn",
      stop_sequence: null,
    });
    expect(body.id).toMatch(/^msg_/);
    expect(body.content).toHaveLength(2);
    expect(body.content[0]).toMatchObject({ type: "thinking", thinking: REPLY.reasoning });
    expect(typeof body.content[0].signature).toBe("string");
    expect(body.content[1]).toEqual({ type: "text", text: REPLY.text });
    expect(body.usage).toEqual({
      input_tokens: PROMPT_WORDS,
      output_tokens: splitChunks(REPLY.text).length + splitChunks(REPLY.reasoning).length,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it("streams the Anthropic event sequence, each frame `event: NAME\\ndata: JSON`", async () => {
    server.setResponder(() => REPLY);
    const res = await anthropic({ stream: true });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const frames = parseSSE(await res.text());
    const events = frames.map((f) => {
      const data = JSON.parse(f.data);
      expect(data.type).toBe(f.event);
      return data;
    });
    const thinkingN = splitChunks(REPLY.reasoning).length;
    const textN = splitChunks(REPLY.text).length;
    expect(frames.map((f) => f.event)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      ...Array(thinkingN).fill("content_block_delta"),
      "content_block_delta", // signature_delta
      "content_block_stop",
      "content_block_start",
      ...Array(textN).fill("content_block_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const start = events[0].message;
    expect(start).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-test",
      content: [],
      stop_reason: null,
    });
    expect(start.usage).toEqual({
      input_tokens: PROMPT_WORDS,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 1,
    });
    expect(events[1].content_block).toMatchObject({ type: "thinking", thinking: "" });
    const deltas = events.filter((e) => e.type === "content_block_delta");
    const thinking = deltas.filter((e) => e.delta.type === "thinking_delta");
    const text = deltas.filter((e) => e.delta.type === "text_delta");
    expect(thinking.every((e) => e.index === 0)).toBe(true);
    expect(text.every((e) => e.index === 1)).toBe(true);
    expect(thinking.map((e) => e.delta.thinking).join("")).toBe(REPLY.reasoning);
    expect(text.map((e) => e.delta.text)).toEqual(["The", " capital", " is", " Paris."]);
    expect(deltas.filter((e) => e.delta.type === "signature_delta")).toHaveLength(1);
    const messageDelta = events.at(-2);
    expect(messageDelta.delta).toEqual({ stop_reason: "end_turn", stop_sequence: null });
    expect(messageDelta.usage).toEqual({ output_tokens: thinkingN + textN });
  });

  it("streams a plain text answer with the ping after the first block start", async () => {
    server.setResponder(() => ({ text: "Hello there", finishReason: "max_tokens" }));
    const frames = parseSSE(await (await anthropic({ stream: true })).text());
    expect(frames.map((f) => f.event)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(JSON.parse(frames[1]?.data as string).content_block).toEqual({ type: "text", text: "" });
    expect(JSON.parse(frames[6]?.data as string).delta.stop_reason).toBe("max_tokens");
  });

  it("splits a given usage across message_start and message_delta, and omits it when null", async () => {
    const usage = {
      input_tokens: 5,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 2000,
      output_tokens: 42,
    };
    server.setResponder(() => ({ text: "x", usage }));
    const events = parseSSE(await (await anthropic({ stream: true })).text()).map((f) => JSON.parse(f.data));
    expect(events[0].message.usage).toEqual({ ...usage, output_tokens: 1 });
    expect(events.at(-2).usage).toEqual({ output_tokens: 42 });
    expect((await json(await anthropic({}))).usage).toEqual(usage);

    server.setResponder(() => ({ text: "x", usage: null }));
    const bare = parseSSE(await (await anthropic({ stream: true })).text()).map((f) => JSON.parse(f.data));
    expect("usage" in bare[0].message).toBe(false);
    expect("usage" in bare.at(-2)).toBe(false);
    expect("usage" in (await json(await anthropic({})))).toBe(false);
  });
});

describe("requests seen by the responder and recorded", () => {
  it("passes protocol, model, flattened messages (system first for Anthropic), body, headers and n", async () => {
    const seen: IncomingChatRequest[] = [];
    server.setResponder((r) => {
      seen.push(r);
      return { text: "ok" };
    });
    const before = server.callCount();
    await (await openai({ temperature: 0 }, { "x-custom": "1" })).text();
    await (
      await anthropic({
        system: [{ type: "text", text: "Be brief." }],
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Hi" },
              { type: "text", text: " there" },
            ],
          },
        ],
        stream: true,
      })
    ).text();
    expect(seen).toHaveLength(2);
    const [o, a] = seen as [IncomingChatRequest, IncomingChatRequest];
    expect(o).toMatchObject({ protocol: "openai", model: "gpt-test", messages: MESSAGES, n: before + 1 });
    expect(o.body.temperature).toBe(0);
    expect(o.headers["x-custom"]).toBe("1");
    expect(a).toMatchObject({
      protocol: "anthropic",
      model: "claude-test",
      n: before + 2,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi there" },
      ],
    });
    expect(server.callCount()).toBe(before + 2);
    const recorded = server.requests.slice(-2);
    expect(recorded.map((r) => [r.protocol, r.model, r.stream])).toEqual([
      ["openai", "gpt-test", false],
      ["anthropic", "claude-test", true],
    ]);
    expect(recorded[1]?.body.system).toEqual([{ type: "text", text: "Be brief." }]);
    expect(recorded[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(promptTokens(a.messages)).toBe(4);
  });

  it("stops recording when asked, but still counts", async () => {
    server.setResponder();
    const length = server.requests.length;
    const count = server.callCount();
    server.recordRequests(false);
    try {
      const body = await json(await openai({}));
      expect(body.choices[0].message.content).toBe("OK"); // the default responder
    } finally {
      server.recordRequests(true);
    }
    expect(server.requests.length).toBe(length);
    expect(server.callCount()).toBe(count + 1);
  });

  it("supports an async responder and turns a throwing one into a vendor-shaped 500", async () => {
    server.setResponder(async (r) => ({ text: `async ${r.n}` }));
    const body = await json(await openai({}));
    expect(body.choices[0].message.content).toBe(`async ${server.callCount()}`);
    server.setResponder(() => {
      throw new Error("script bug");
    });
    const res = await anthropic({});
    expect(res.status).toBe(500);
    expect(await json(res)).toMatchObject({ type: "error", error: { type: "api_error", message: /script bug/ } });
  });

  it("answers unknown routes and unparsable bodies the way the vendor does", async () => {
    const notFound = await fetch(`${server.url}/v1/completions`, { method: "POST", body: "{}" });
    expect(notFound.status).toBe(404);
    expect((await json(notFound)).error).toMatchObject({ type: "invalid_request_error", message: /Invalid URL/ });
    const bad = await fetch(`${server.openaiBaseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/could not parse the JSON body/);
  });
});

describe("auth", () => {
  beforeAll(() => server.setResponder());

  it("rejects OpenAI requests without the right bearer key, with OpenAI's error shape", async () => {
    for (const headers of [{ authorization: "" }, { authorization: "Bearer sk-wrong-key-9876543210" }]) {
      const res = await openai({}, headers);
      expect(res.status).toBe(401);
      const body = await json(res);
      expect(body).toEqual({
        error: { message: expect.any(String), type: "invalid_request_error", param: null, code: "invalid_api_key" },
      });
      expect(body.error.message).not.toContain("sk-wrong-key-9876543210");
    }
    expect((await openai({})).status).toBe(200);
  });

  it("rejects Anthropic requests without the right x-api-key, with Anthropic's error shape", async () => {
    for (const headers of [
      { "x-api-key": "wrong" } as Record<string, string>,
      { authorization: `Bearer ${KEY}`, "x-api-key": "" },
    ]) {
      const res = await anthropic({}, headers);
      expect(res.status).toBe(401);
      const body = await json(res);
      expect(body.type).toBe("error");
      expect(body.error).toEqual({ type: "authentication_error", message: expect.any(String) });
    }
    expect((await anthropic({})).status).toBe(200);
  });

  it("needs no key when the server has none", async () => {
    const open = await startProtocolServer();
    try {
      const res = await fetch(`${open.openaiBaseURL}/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(res.status).toBe(200);
      expect((await json(res)).choices[0].message.content).toBe("OK");
    } finally {
      await open.close();
    }
  });
});

describe.each([
  ["openai", openai],
  ["anthropic", anthropic],
] as const)("faults (%s)", (protocol, call) => {
  it("answers a status fault with the vendor's error JSON and Retry-After", async () => {
    server.setResponder(() => ({ fault: { kind: "status", status: 429, retryAfter: "7" } }));
    const res = await call({ stream: true });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    const body = await json(res);
    if (protocol === "openai") expect(body.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    else expect(body).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });

    server.setResponder(() => ({ fault: { kind: "status", status: 503 } }));
    const unavailable = await call({});
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBeNull();
    const err = await json(unavailable);
    expect(err.error.type).toBe(protocol === "openai" ? "server_error" : "api_error");

    server.setResponder(() => ({ fault: { kind: "status", status: 502, body: "<html>Bad Gateway</html>" } }));
    const gateway = await call({});
    expect(gateway.status).toBe(502);
    expect(await gateway.text()).toBe("<html>Bad Gateway</html>");
  });

  it("hangs until the client gives up", async () => {
    server.setResponder(() => ({ fault: { kind: "hang" } }));
    const t0 = performance.now();
    await expect(call({ stream: true }, {}, AbortSignal.timeout(200))).rejects.toThrow();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it("truncates a stream after N frames, without the terminal event", async () => {
    server.setResponder(() => ({ text: "one two three four", fault: { kind: "truncate", afterChunks: 3 } }));
    const res = await call({ stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    const { text, error } = await drain(res);
    expect(error).not.toBeNull();
    const frames = parseSSE(text);
    expect(frames).toHaveLength(3);
    expect(text).not.toContain("[DONE]");
    expect(text).not.toContain("message_stop");
  });

  it("truncates a JSON body halfway", async () => {
    server.setResponder(() => ({ text: "one two three four", fault: { kind: "truncate", afterChunks: 0 } }));
    const res = await call({});
    expect(res.status).toBe(200);
    const declared = Number(res.headers.get("content-length"));
    const { text, error } = await drain(res);
    expect(error).not.toBeNull();
    expect(text.length).toBe(Math.floor(declared / 2));
    expect(() => JSON.parse(text)).toThrow();
  });

  it("sends malformed JSON with status 200", async () => {
    server.setResponder(() => ({ fault: { kind: "malformed" } }));
    const res = await call({});
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith("{")).toBe(true);
    expect(() => JSON.parse(text)).toThrow();

    const streamed = parseSSE(await (await call({ stream: true })).text());
    const bad = streamed.filter((f) => {
      try {
        JSON.parse(f.data);
        return false;
      } catch {
        return f.data !== "[DONE]";
      }
    });
    expect(bad).toHaveLength(1);
    // The rest of the stream is intact, terminal event included.
    expect(streamed.at(-1)?.data).toBe(protocol === "openai" ? "[DONE]" : '{"type":"message_stop"}');
  });

  it("resets the connection without a response", async () => {
    server.setResponder(() => ({ fault: { kind: "reset" } }));
    const error = await call({ stream: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError); // fetch failed
    const cause = (error as { cause?: { code?: string } }).cause;
    expect(["ECONNRESET", "UND_ERR_SOCKET"]).toContain(cause?.code);
    // The server keeps serving afterwards.
    server.setResponder();
    expect((await call({})).status).toBe(200);
  });
});

describe("closing", () => {
  it("ends hung connections when the server closes", async () => {
    const s = await startProtocolServer({ respond: () => ({ fault: { kind: "hang" } }) });
    const pending = fetch(`${s.openaiBaseURL}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "m", messages: [] }),
    });
    const outcome = pending.then(
      () => "answered",
      () => "failed",
    );
    while (s.callCount() === 0) await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    await s.close();
    expect(await outcome).toBe("failed");
    expect(performance.now() - t0).toBeLessThan(1000);
    await s.close(); // idempotent
  });
});

describe("timing", () => {
  it("waits latencyMs before the response head, and a reply can override it", async () => {
    const s = await startProtocolServer({ latencyMs: 150 });
    try {
      const post = () =>
        fetch(`${s.openaiBaseURL}/chat/completions`, {
          method: "POST",
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
        });
      let t0 = performance.now();
      const res = await post();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
      expect((await json(res)).choices[0].message.content).toBe("OK");
      s.setResponder(() => ({ text: "fast", latencyMs: 0 }));
      t0 = performance.now();
      await json(await post());
      expect(performance.now() - t0).toBeLessThan(140);
    } finally {
      await s.close();
    }
  });

  it("spaces stream frames by chunkDelayMs", async () => {
    const s = await startProtocolServer({ chunkDelayMs: 40, respond: () => ({ text: "a b c d" }) });
    try {
      const t0 = performance.now();
      const res = await fetch(`${s.anthropicBaseURL}/v1/messages`, {
        method: "POST",
        headers: { "anthropic-version": "2023-06-01" },
        body: JSON.stringify({ model: "m", max_tokens: 8, messages: [{ role: "user", content: "hi" }], stream: true }),
      });
      const { text, error, chunkTimes } = await drain(res);
      const total = performance.now() - t0;
      expect(error).toBeNull();
      const frames = parseSSE(text);
      expect(frames).toHaveLength(10);
      // 9 gaps of 40 ms between 10 frames; the first frame arrives early, with the head.
      expect(total).toBeGreaterThanOrEqual(9 * 40 - 20);
      expect(chunkTimes.length).toBeGreaterThanOrEqual(5);
      expect((chunkTimes[0] as number) - t0).toBeLessThan(total / 2);
    } finally {
      await s.close();
    }
  });
});

describe("throughput smoke", () => {
  it("serves many keep-alive requests with recording off", async () => {
    const s = await startProtocolServer({ recordRequests: false });
    try {
      const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
      let next = 0;
      const texts: string[] = [];
      const worker = async () => {
        while (next++ < 1000) {
          const res = await fetch(`${s.openaiBaseURL}/chat/completions`, { method: "POST", body });
          texts.push(await res.text());
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      expect(s.callCount()).toBe(1000);
      expect(s.requests).toHaveLength(0);
      expect(texts.every((t) => t.endsWith("data: [DONE]\n\n"))).toBe(true);
    } finally {
      await s.close();
    }
  });
});

describe("standalone process", () => {
  it("prints its URL, serves with the given latency and text, and exits on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "test/support/protocol-server-main.ts",
        "--latency-ms",
        "20",
        "--port",
        "0",
        "--text",
        "Hi there",
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const [chunk] = (await once(child.stdout, "data")) as [Buffer];
      const line = chunk.toString().trim();
      const { url } = JSON.parse(line) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(18);
      expect((await json(res)).choices[0].message.content).toBe("Hi there");
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });
});
