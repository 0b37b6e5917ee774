/**
 * A fake LLM vendor for tests and benchmarks. It speaks the real wire protocols the way the vendors do:
 * - `POST /v1/chat/completions`: OpenAI Chat Completions (with DeepSeek-style `reasoning_content`), JSON or SSE.
 * - `POST /v1/messages`: Anthropic Messages (with extended-thinking blocks), JSON or SSE.
 *
 * Only `node:http`, no timers when no delay is asked for, and one write per response, so one core serves well
 * over 5,000 small keep-alive requests per second. Replies are scripted with a responder (see `Reply`), faults
 * included (HTTP status, hang, truncation, malformed JSON, connection reset).
 *
 * Tokens: the server "tokenizes" by whitespace. A prompt token is a whitespace-separated word of any message
 * (system included); an output token is one streamed chunk (the text is split before each whitespace character,
 * the whitespace kept), so the default usage always matches what was streamed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";

export type ChatProtocol = "openai" | "anthropic";

export interface ChatMessageText {
  role: string;
  content: string;
}

export interface IncomingChatRequest {
  protocol: ChatProtocol;
  model: string;
  /** Message contents flattened to text; for Anthropic the `system` field comes first as a role "system" message. */
  messages: ChatMessageText[];
  /** The parsed JSON body, as sent. */
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, read freely by test responders
  body: any;
  headers: Record<string, string | string[] | undefined>;
  /** 1-based count of requests seen so far on the two chat endpoints (rejected ones included). */
  n: number;
}

export type Fault =
  /** Answer with this HTTP status; `body` defaults to the vendor's error JSON for that status. */
  | { kind: "status"; status: number; retryAfter?: string; body?: string }
  /** Accept the request and never answer, until the client disconnects or the server closes. */
  | { kind: "hang" }
  /** Streaming: send `afterChunks` SSE frames (of any kind), then close the socket. Non-streaming: half the body. */
  | { kind: "truncate"; afterChunks: number }
  /** 200 with a body (or, streaming, one frame) that is not valid JSON. */
  | { kind: "malformed" }
  /** Destroy the connection (TCP RST) without any response. */
  | { kind: "reset" };

export interface Reply {
  /** The answer. Default "OK"; "" sends no content at all. */
  text?: string;
  /** Chain of thought: `reasoning_content` (OpenAI dialect) or a thinking block (Anthropic). */
  reasoning?: string;
  /** Reported model id; default the requested one. */
  model?: string;
  /**
   * The exact, vendor-shaped usage object to emit; `null` omits usage entirely; `undefined` computes the default.
   * Anthropic streaming splits it as Anthropic does: message_start gets it with `output_tokens: 1`, message_delta
   * gets `{output_tokens}`.
   */
  usage?: Record<string, unknown> | null;
  /** Default "stop" (OpenAI) or "end_turn" (Anthropic). */
  finishReason?: string;
  fault?: Fault;
  /** Delay before the response head, overriding the server's `latencyMs`. */
  latencyMs?: number;
}

export type Responder = (request: IncomingChatRequest) => Reply | Promise<Reply>;

export interface RecordedRequest {
  n: number;
  protocol: ChatProtocol;
  model: string;
  messages: ChatMessageText[];
  stream: boolean;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, read freely by tests
  body: any;
  /** Date.now() when the request body had been read. */
  at: number;
}

export interface ProtocolServerOptions {
  /** When set, OpenAI requests need `Authorization: Bearer KEY` and Anthropic ones `x-api-key: KEY`. */
  apiKey?: string;
  respond?: Responder;
  /** Delay before the response head. Default 0 (no timer at all). */
  latencyMs?: number;
  /** Delay between SSE frames. Default 0: the whole stream is written at once. */
  chunkDelayMs?: number;
  /** Record requests in `server.requests`. Default true. */
  recordRequests?: boolean;
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface ProtocolServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + "/v1" */
  openaiBaseURL: string;
  /** url (the Anthropic SDK appends /v1/messages) */
  anthropicBaseURL: string;
  readonly requests: RecordedRequest[];
  recordRequests(on: boolean): void;
  /** Replaces the responder; no argument restores the default ("OK"). */
  setResponder(fn?: Responder): void;
  /** Requests seen so far on the two chat endpoints (rejected ones included). */
  callCount(): number;
  /** Stops listening and ends every connection, hung ones included. */
  close(): Promise<void>;
}

const defaultResponder: Responder = () => ({ text: "OK" });

interface State {
  apiKey: string | undefined;
  bearer: string | undefined;
  respond: Responder;
  latencyMs: number;
  chunkDelayMs: number;
  record: boolean;
  requests: RecordedRequest[];
  count: number;
}

export async function startProtocolServer(options: ProtocolServerOptions = {}): Promise<ProtocolServer> {
  const state: State = {
    apiKey: options.apiKey,
    bearer: options.apiKey === undefined ? undefined : `Bearer ${options.apiKey}`,
    respond: options.respond ?? defaultResponder,
    latencyMs: options.latencyMs ?? 0,
    chunkDelayMs: options.chunkDelayMs ?? 0,
    record: options.recordRequests ?? true,
    requests: [],
    count: 0,
  };
  const server: Server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      raw += chunk;
    });
    req.on("end", () => handle(state, req, res, raw));
  });
  // Long keep-alive so benchmarks do not reconnect; close() ends idle connections anyway.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    requests: state.requests,
    recordRequests(on) {
      state.record = on;
    },
    setResponder(fn) {
      state.respond = fn ?? defaultResponder;
    },
    callCount: () => state.count,
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error && (error as NodeJS.ErrnoException).code !== "ERR_SERVER_NOT_RUNNING") reject(error);
          else resolve();
        });
        server.closeAllConnections();
      });
    },
  };
}

// ─── Request handling ─────────────────────────────────────────────────────────────────────────────────────

interface Exchange {
  state: State;
  req: IncomingMessage;
  res: ServerResponse;
  protocol: ChatProtocol;
  model: string;
  messages: ChatMessageText[];
  stream: boolean;
  includeUsage: boolean;
  n: number;
  reply: Reply;
}

function handle(state: State, req: IncomingMessage, res: ServerResponse, raw: string): void {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  let protocol: ChatProtocol;
  if (path === "/v1/chat/completions") protocol = "openai";
  else if (path === "/v1/messages") protocol = "anthropic";
  else {
    sendOpenAIError(res, 404, `Invalid URL (${req.method} ${path})`, "invalid_request_error", null);
    return;
  }
  if (req.method !== "POST") {
    if (protocol === "openai")
      sendOpenAIError(res, 404, `Invalid URL (${req.method} ${path})`, "invalid_request_error", null);
    else sendAnthropicError(res, 405, "invalid_request_error", `Method ${req.method} not allowed`);
    return;
  }

  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON
  let body: any;
  let parsed = true;
  try {
    body = JSON.parse(raw);
  } catch {
    parsed = false;
  }
  const isObject = parsed && typeof body === "object" && body !== null && !Array.isArray(body);
  const model: string = isObject && typeof body.model === "string" ? body.model : "";
  const messages = isObject ? extractMessages(protocol, body) : [];
  const stream = isObject && body.stream === true;
  const n = ++state.count;
  if (state.record) {
    state.requests.push({ n, protocol, model, messages, stream, headers: req.headers, body, at: Date.now() });
  }
  const rejected =
    protocol === "openai"
      ? rejectOpenAI(state, req, res, parsed ? body : undefined)
      : rejectAnthropic(state, req, res, parsed ? body : undefined, n);
  if (rejected) return;

  let reply: Reply | Promise<Reply>;
  try {
    reply = state.respond({ protocol, model, messages, body, headers: req.headers, n });
  } catch (error) {
    responderFailed(res, protocol, error);
    return;
  }
  const includeUsage = protocol === "openai" && stream && body.stream_options?.include_usage === true;
  const ex: Exchange = { state, req, res, protocol, model, messages, stream, includeUsage, n, reply: reply as Reply };
  if (typeof (reply as Promise<Reply>).then === "function") {
    (reply as Promise<Reply>).then(
      (r) => {
        ex.reply = r;
        schedule(ex);
      },
      (error) => responderFailed(res, protocol, error),
    );
    return;
  }
  schedule(ex);
}

/** Auth and request checks, in OpenAI's order and words. True when an error was sent. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON (undefined when unparsable)
function rejectOpenAI(state: State, req: IncomingMessage, res: ServerResponse, body: any): boolean {
  let status = 400;
  let message: string;
  let code: string | null = null;
  if (state.bearer !== undefined && req.headers.authorization !== state.bearer) {
    status = 401;
    message = openAIKeyMessage(req.headers.authorization);
    code = "invalid_api_key";
  } else if (body === undefined) {
    message =
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)";
  } else if (typeof body !== "object" || body === null || typeof body.model !== "string" || body.model === "") {
    message = "you must provide a model parameter";
  } else if (!Array.isArray(body.messages)) {
    message = "Missing required parameter: 'messages'.";
    code = "missing_required_parameter";
  } else {
    return false;
  }
  sendOpenAIError(res, status, message, "invalid_request_error", code);
  return true;
}

/** Auth and request checks, in Anthropic's order and words. True when an error was sent. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON (undefined when unparsable)
function rejectAnthropic(state: State, req: IncomingMessage, res: ServerResponse, body: any, n: number): boolean {
  let status = 400;
  let type = "invalid_request_error";
  let message: string;
  const key = req.headers["x-api-key"];
  if (state.apiKey !== undefined && key !== state.apiKey) {
    status = 401;
    type = "authentication_error";
    message = key === undefined ? "x-api-key header is required" : "invalid x-api-key";
  } else if (!req.headers["anthropic-version"]) {
    message = "anthropic-version: header is required";
  } else if (typeof body !== "object" || body === null || Array.isArray(body)) {
    message = "There was an issue with your request body: the body is not a valid JSON object";
  } else if (typeof body.model !== "string" || body.model === "") {
    message = "model: Field required";
  } else if (!Array.isArray(body.messages)) {
    message = "messages: Field required";
  } else if (typeof body.max_tokens !== "number") {
    message = "max_tokens: Field required";
  } else {
    return false;
  }
  sendAnthropicError(res, status, type, message, n);
  return true;
}

function responderFailed(res: ServerResponse, protocol: ChatProtocol, error: unknown): void {
  const message = `protocol-server responder threw: ${(error as Error)?.message ?? String(error)}`;
  if (protocol === "openai") sendOpenAIError(res, 500, message, "server_error", null);
  else sendAnthropicError(res, 500, "api_error", message);
}

function schedule(ex: Exchange): void {
  const latency = ex.reply.latencyMs ?? ex.state.latencyMs;
  if (latency > 0) setTimeout(respond, latency, ex);
  else respond(ex);
}

function respond(ex: Exchange): void {
  const { res, reply } = ex;
  if (res.destroyed) return;
  const fault = reply.fault;
  if (fault !== undefined) {
    switch (fault.kind) {
      case "status":
        sendStatusFault(ex, fault);
        return;
      case "hang":
        return;
      case "reset":
        ex.req.socket.resetAndDestroy();
        return;
    }
  }
  if (ex.protocol === "openai") {
    if (ex.stream) openAIStream(ex);
    else openAIJSON(ex);
  } else if (ex.stream) anthropicStream(ex);
  else anthropicJSON(ex);
}

// ─── OpenAI Chat Completions ──────────────────────────────────────────────────────────────────────────────

const FINGERPRINT = "fp_arbiter01";

function openAIJSON(ex: Exchange): void {
  const { reply } = ex;
  const text = reply.text ?? "OK";
  const reasoning = reply.reasoning || undefined;
  const message: Record<string, unknown> = { role: "assistant", content: text };
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  message.refusal = null;
  const completion: Record<string, unknown> = {
    id: `chatcmpl-${idSuffix(ex.n)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: reply.model ?? ex.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason ?? "stop" }],
  };
  const usage = reply.usage === undefined ? defaultOpenAIUsage(ex, text, reasoning) : reply.usage;
  if (usage !== null) completion.usage = usage;
  completion.system_fingerprint = FINGERPRINT;
  sendBody(ex, JSON.stringify(completion), "application/json", "x-request-id");
}

function defaultOpenAIUsage(ex: Exchange, text: string, reasoning: string | undefined): Record<string, unknown> {
  const reasoningTokens = reasoning === undefined ? 0 : splitChunks(reasoning).length;
  return openAIUsage(promptTokens(ex.messages), splitChunks(text).length, reasoningTokens);
}

/** OpenAI's usage shape; reasoning tokens are part of completion_tokens, as OpenAI and DeepSeek count them. */
function openAIUsage(prompt: number, textTokens: number, reasoningTokens: number): Record<string, unknown> {
  const completion = textTokens + reasoningTokens;
  const usage: Record<string, unknown> = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  if (reasoningTokens > 0) usage.completion_tokens_details = { reasoning_tokens: reasoningTokens };
  return usage;
}

function openAIStream(ex: Exchange): void {
  const { reply } = ex;
  const text = reply.text ?? "OK";
  const reasoning = reply.reasoning || undefined;
  const textChunks = splitChunks(text);
  const reasoningChunks = reasoning === undefined ? [] : splitChunks(reasoning);
  const head = `data: {"id":"chatcmpl-${idSuffix(ex.n)}","object":"chat.completion.chunk","created":${Math.floor(Date.now() / 1000)},"model":${JSON.stringify(reply.model ?? ex.model)},"system_fingerprint":"${FINGERPRINT}","choices":[`;
  // With include_usage every chunk carries "usage":null and a last chunk with empty choices carries the usage.
  const tail = ex.includeUsage ? '],"usage":null}\n\n' : "]}\n\n";
  const frames: string[] = [
    `${head}{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}${tail}`,
  ];
  for (const r of reasoningChunks) {
    frames.push(
      `${head}{"index":0,"delta":{"content":null,"reasoning_content":${JSON.stringify(r)}},"logprobs":null,"finish_reason":null}${tail}`,
    );
  }
  for (const c of textChunks) {
    frames.push(
      `${head}{"index":0,"delta":{"content":${JSON.stringify(c)}},"logprobs":null,"finish_reason":null}${tail}`,
    );
  }
  frames.push(
    `${head}{"index":0,"delta":{},"logprobs":null,"finish_reason":${JSON.stringify(reply.finishReason ?? "stop")}}${tail}`,
  );
  if (ex.includeUsage) {
    const usage =
      reply.usage === undefined
        ? openAIUsage(promptTokens(ex.messages), textChunks.length, reasoningChunks.length)
        : reply.usage;
    if (usage !== null) frames.push(`${head}],"usage":${JSON.stringify(usage)}}\n\n`);
  }
  frames.push("data: [DONE]\n\n");
  // The first frame after the empty role frame is the one a malformed fault breaks.
  startStream(ex, frames, 1, "x-request-id");
}

function openAIKeyMessage(authorization: string | undefined): string {
  if (!authorization) {
    return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.";
  }
  const key = authorization.replace(/^Bearer\s+/i, "");
  // OpenAI echoes a masked key; a short one is masked entirely.
  const masked = key.length >= 12 ? `${key.slice(0, 3)}${"*".repeat(key.length - 7)}${key.slice(-4)}` : "***";
  return `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`;
}

function sendOpenAIError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
): void {
  sendError(res, status, JSON.stringify({ error: { message, type, param: null, code } }), "x-request-id", undefined);
}

function openAIErrorBody(status: number, model: string): string {
  let message: string;
  let type: string;
  let code: string | null = null;
  switch (status) {
    case 400:
      message = "Invalid request.";
      type = "invalid_request_error";
      break;
    case 401:
      message = "Incorrect API key provided.";
      type = "invalid_request_error";
      code = "invalid_api_key";
      break;
    case 403:
      message = "Country, region, or territory not supported";
      type = "request_forbidden";
      code = "unsupported_country_region_territory";
      break;
    case 404:
      message = `The model \`${model}\` does not exist or you do not have access to it.`;
      type = "invalid_request_error";
      code = "model_not_found";
      break;
    case 429:
      message = `Rate limit reached for ${model} in organization org-arbiter on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.`;
      type = "requests";
      code = "rate_limit_exceeded";
      break;
    case 503:
      message = "The engine is currently overloaded, please try again later.";
      type = "server_error";
      break;
    default:
      message =
        status >= 500
          ? "The server had an error while processing your request. Sorry about that!"
          : `Request failed with status ${status}.`;
      type = status >= 500 ? "server_error" : "invalid_request_error";
  }
  return JSON.stringify({ error: { message, type, param: null, code } });
}

// ─── Anthropic Messages ───────────────────────────────────────────────────────────────────────────────────

const SIGNATURE = "EqQBCkgIBRABGAIiQHd0bjVhc2lnbmF0dXJlZm9ydGhlcHJvdG9jb2xzZXJ2ZXJhcmJpdGVy";

function anthropicJSON(ex: Exchange): void {
  const { reply } = ex;
  const text = reply.text ?? "OK";
  const reasoning = reply.reasoning || undefined;
  const content: Record<string, unknown>[] = [];
  if (reasoning !== undefined) content.push({ type: "thinking", thinking: reasoning, signature: SIGNATURE });
  content.push({ type: "text", text });
  const message: Record<string, unknown> = {
    id: `msg_01${idSuffix(ex.n)}`,
    type: "message",
    role: "assistant",
    model: reply.model ?? ex.model,
    content,
    stop_reason: reply.finishReason ?? "end_turn",
    stop_sequence: null,
  };
  const usage =
    reply.usage === undefined
      ? defaultAnthropicUsage(
          ex,
          splitChunks(text).length + (reasoning === undefined ? 0 : splitChunks(reasoning).length),
        )
      : reply.usage;
  if (usage !== null) message.usage = usage;
  sendBody(ex, JSON.stringify(message), "application/json", "request-id");
}

function defaultAnthropicUsage(ex: Exchange, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: promptTokens(ex.messages),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
  };
}

function anthropicStream(ex: Exchange): void {
  const { reply } = ex;
  const text = reply.text ?? "OK";
  const reasoning = reply.reasoning || undefined;
  const textChunks = splitChunks(text);
  const reasoningChunks = reasoning === undefined ? [] : splitChunks(reasoning);
  const outputTokens = textChunks.length + reasoningChunks.length;
  let startUsage: Record<string, unknown> | null;
  let deltaUsage: Record<string, unknown> | null;
  if (reply.usage === undefined) {
    startUsage = { ...defaultAnthropicUsage(ex, 1) };
    deltaUsage = { output_tokens: outputTokens };
  } else if (reply.usage === null) {
    startUsage = null;
    deltaUsage = null;
  } else if ("output_tokens" in reply.usage) {
    startUsage = { ...reply.usage, output_tokens: 1 };
    deltaUsage = { output_tokens: reply.usage.output_tokens };
  } else {
    startUsage = reply.usage;
    deltaUsage = null;
  }

  const frames: string[] = [
    `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_01${idSuffix(ex.n)}","type":"message","role":"assistant","model":${JSON.stringify(reply.model ?? ex.model)},"content":[],"stop_reason":null,"stop_sequence":null${startUsage === null ? "" : `,"usage":${JSON.stringify(startUsage)}`}}}\n\n`,
  ];
  const ping = 'event: ping\ndata: {"type":"ping"}\n\n';
  let firstDelta = -1;
  let index = 0;
  if (reasoning !== undefined) {
    frames.push(
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}\n\n',
      ping,
    );
    firstDelta = frames.length;
    for (const r of reasoningChunks) {
      frames.push(
        `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":${JSON.stringify(r)}}}\n\n`,
      );
    }
    frames.push(
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"${SIGNATURE}"}}\n\n`,
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
    );
    index = 1;
  }
  frames.push(
    `event: content_block_start\ndata: {"type":"content_block_start","index":${index},"content_block":{"type":"text","text":""}}\n\n`,
  );
  if (index === 0) frames.push(ping);
  if (firstDelta === -1 && textChunks.length > 0) firstDelta = frames.length;
  for (const c of textChunks) {
    frames.push(
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${JSON.stringify(c)}}}\n\n`,
    );
  }
  frames.push(`event: content_block_stop\ndata: {"type":"content_block_stop","index":${index}}\n\n`);
  if (firstDelta === -1) firstDelta = frames.length;
  frames.push(
    `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":${JSON.stringify(reply.finishReason ?? "end_turn")},"stop_sequence":null}${deltaUsage === null ? "" : `,"usage":${JSON.stringify(deltaUsage)}`}}\n\n`,
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  );
  startStream(ex, frames, firstDelta, "request-id");
}

function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

function anthropicErrorJSON(type: string, message: string, n: number): string {
  return JSON.stringify({ type: "error", error: { type, message }, request_id: `req_011${idSuffix(n)}` });
}

function anthropicErrorMessage(type: string, model: string): string {
  switch (type) {
    case "rate_limit_error":
      return "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.";
    case "overloaded_error":
      return "Overloaded";
    case "api_error":
      return "Internal server error";
    case "not_found_error":
      return `model: ${model}`;
    case "authentication_error":
      return "invalid x-api-key";
    case "permission_error":
      return "Your API key does not have permission to use the specified resource.";
    default:
      return "Invalid request.";
  }
}

function sendAnthropicError(res: ServerResponse, status: number, type: string, message: string, n = 0): void {
  sendError(res, status, anthropicErrorJSON(type, message, n), "request-id", undefined);
}

// ─── Writing responses ────────────────────────────────────────────────────────────────────────────────────

function sendError(
  res: ServerResponse,
  status: number,
  body: string,
  requestIdHeader: string,
  retryAfter: string | undefined,
): void {
  const headers: Record<string, string | number> = {
    "content-type": body.startsWith("{") ? "application/json" : "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    [requestIdHeader]: "req_arbiter_error",
  };
  if (retryAfter !== undefined) headers["retry-after"] = retryAfter;
  res.writeHead(status, STATUS_CODES[status] ?? (status === 529 ? "Overloaded" : "Unknown"), headers);
  res.end(body);
}

function sendStatusFault(ex: Exchange, fault: { status: number; retryAfter?: string; body?: string }): void {
  let body = fault.body;
  if (body === undefined) {
    if (ex.protocol === "openai") body = openAIErrorBody(fault.status, ex.model);
    else {
      const type = anthropicErrorType(fault.status);
      body = anthropicErrorJSON(type, anthropicErrorMessage(type, ex.model), ex.n);
    }
  }
  sendError(ex.res, fault.status, body, ex.protocol === "openai" ? "x-request-id" : "request-id", fault.retryAfter);
}

/** A complete JSON body, or for a fault half of it (truncate) or all of it but the last brace (malformed). */
function sendBody(ex: Exchange, body: string, contentType: string, requestIdHeader: string): void {
  const { res } = ex;
  const fault = ex.reply.fault;
  if (fault?.kind === "malformed") body = body.slice(0, -1);
  const length = Buffer.byteLength(body);
  res.writeHead(200, {
    "content-type": contentType,
    "content-length": length,
    [requestIdHeader]: `req_${idSuffix(ex.n)}`,
  });
  if (fault?.kind === "truncate") {
    const socket = res.socket;
    res.write(Buffer.from(body).subarray(0, length >> 1), () => socket?.destroy());
    return;
  }
  res.end(body);
}

interface StreamState {
  res: ServerResponse;
  frames: string[];
  /** Next frame to write. */
  i: number;
  /** Frames to write before ending (or, truncating, before closing the socket). */
  limit: number;
  truncate: boolean;
  delay: number;
}

function startStream(ex: Exchange, frames: string[], malformAt: number, requestIdHeader: string): void {
  const fault = ex.reply.fault;
  let limit = frames.length;
  let truncate = false;
  if (fault?.kind === "malformed") {
    const frame = frames[malformAt] ?? "";
    // Drop the closing brace of the JSON: `data: {...\n\n`.
    frames[malformAt] = `${frame.slice(0, frame.lastIndexOf("}"))}\n\n`;
  } else if (fault?.kind === "truncate") {
    truncate = true;
    limit = Math.max(0, Math.min(Math.floor(fault.afterChunks), frames.length - 1));
  }
  ex.res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    [requestIdHeader]: `req_${idSuffix(ex.n)}`,
  });
  pump({ res: ex.res, frames, i: 0, limit, truncate, delay: ex.state.chunkDelayMs });
}

function pump(s: StreamState): void {
  const res = s.res;
  if (res.destroyed) return;
  let payload: string;
  if (s.delay > 0) {
    payload = s.i < s.limit ? (s.frames[s.i++] as string) : "";
  } else {
    payload = s.limit === s.frames.length ? s.frames.join("") : s.frames.slice(0, s.limit).join("");
    s.i = s.limit;
  }
  if (s.i < s.limit) {
    res.write(payload);
    setTimeout(pump, s.delay, s);
  } else if (s.truncate) {
    const socket = res.socket;
    res.write(payload, () => socket?.destroy());
  } else {
    res.end(payload);
  }
}

// ─── Helpers ──────────────────────────────────────────────────────────────────────────────────────────────

function idSuffix(n: number): string {
  return `arb${n.toString(36).padStart(8, "0")}`;
}

/** Splits before each whitespace character, keeping it: "The capital is" → ["The", " capital", " is"]. */
export function splitChunks(text: string): string[] {
  if (text === "") return [];
  return text.split(/(?=\s)/);
}

/** Whitespace-separated words across every message: the server's prompt token count. */
export function promptTokens(messages: ChatMessageText[]): number {
  let n = 0;
  for (const m of messages) n += countWords(m.content);
  return n;
}

function countWords(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || c === 160 || c === 0x3000) inWord = false;
    else if (!inWord) {
      inWord = true;
      n++;
    }
  }
  return n;
}

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON
function extractMessages(protocol: ChatProtocol, body: any): ChatMessageText[] {
  const out: ChatMessageText[] = [];
  if (protocol === "anthropic" && body.system !== undefined)
    out.push({ role: "system", content: flatten(body.system) });
  if (Array.isArray(body.messages)) {
    for (const m of body.messages) {
      if (typeof m === "object" && m !== null) out.push({ role: String(m.role), content: flatten(m.content) });
    }
  }
  return out;
}

/** A message content as text: a string, or the text parts of an array of content parts/blocks. */
function flatten(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) {
    if (typeof part === "string") text += part;
    else if (typeof part === "object" && part !== null && typeof (part as { text?: unknown }).text === "string") {
      text += (part as { text: string }).text;
    }
  }
  return text;
}
