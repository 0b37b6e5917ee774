import { describe, expect, it } from "vitest";
import {
  classifyHttpStatus,
  classifyThrown,
  classifyVendorErrorType,
  redact,
  retryAfterMs,
} from "../src/providers/errors.js";
import { tokensPerSecond } from "../src/providers/timing.js";

describe("error classification", () => {
  it.each([
    [429, "", "rate_limit"],
    [401, "", "auth"],
    [403, "", "auth"],
    [408, "", "timeout"],
    [500, "", "server"],
    [502, "", "server"],
    [529, '{"type":"error","error":{"type":"overloaded_error"}}', "server"],
    [400, '{"error":{"message":"max_tokens too large"}}', "bad_request"],
    [404, '{"error":{"message":"model not found"}}', "bad_request"],
    [
      400,
      '{"error":{"code":"data_inspection_failed","message":"Input data may contain inappropriate content."}}',
      "content_filter",
    ],
    [400, '{"error":{"message":"Content Exists Risk"}}', "content_filter"],
    [400, '{"error":{"code":"content_policy_violation"}}', "content_filter"],
    [400, '{"error":{"code":"1301","message":"系统检测到输入或生成内容可能包含不安全或敏感内容"}}', "content_filter"],
    [400, '{"error":{"message":"model names are case-sensitive"}}', "bad_request"],
  ] as const)("HTTP %i %s → %s", (status, body, cls) => {
    expect(classifyHttpStatus(status, body)).toBe(cls);
  });

  it("classifies client-side failures", () => {
    expect(
      classifyThrown({ code: "UND_ERR_HEADERS_TIMEOUT", message: "Headers Timeout Error" }, false).errorClass,
    ).toBe("timeout");
    expect(classifyThrown({ name: "AbortError", message: "aborted" }, true).errorClass).toBe("timeout");
    expect(classifyThrown({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }, false).errorClass).toBe("network");
    expect(classifyThrown({ code: "UND_ERR_SOCKET", message: "other side closed" }, false).errorClass).toBe("network");
    expect(classifyThrown(new SyntaxError("Unexpected end of JSON input"), false).errorClass).toBe("invalid_response");
  });

  it("classifies errors sent inside a 200 stream", () => {
    expect(classifyVendorErrorType("overloaded_error")).toBe("server");
    expect(classifyVendorErrorType("rate_limit_error")).toBe("rate_limit");
    expect(classifyVendorErrorType("authentication_error")).toBe("auth");
    expect(classifyVendorErrorType("invalid_request_error")).toBe("bad_request");
    expect(classifyVendorErrorType(undefined, 429)).toBe("rate_limit");
  });
});

describe("Retry-After", () => {
  it("reads seconds, an HTTP date and retry-after-ms (which wins)", () => {
    expect(retryAfterMs({ "retry-after": "3" })).toBe(3000);
    expect(retryAfterMs({ "retry-after": "0.5" })).toBe(500);
    const now = Date.parse("2026-11-28T12:00:00Z");
    expect(retryAfterMs({ "retry-after": "Sat, 28 Nov 2026 12:00:07 GMT" }, now)).toBe(7000);
    expect(retryAfterMs({ "retry-after": "Sat, 28 Nov 2026 11:00:00 GMT" }, now)).toBe(0);
    expect(retryAfterMs({ "retry-after": "2", "retry-after-ms": "250" })).toBe(250);
    expect(retryAfterMs({ "retry-after": "soon" })).toBeUndefined();
    expect(retryAfterMs({})).toBeUndefined();
  });
});

describe("redact", () => {
  it("removes known secrets and key-shaped strings", () => {
    const key = "sk-live-abcdef0123456789";
    expect(redact(`bad key ${key} given`, [key])).toBe("bad key [REDACTED] given");
    expect(redact("Authorization: Bearer abc.def-ghi_jkl012", [])).toBe("Authorization: [REDACTED]");
    expect(redact("sk-proj-ZZZZZZZZZZZZ leaked", [])).toBe("[REDACTED] leaked");
    expect(redact("nothing secret here", ["sk"])).toBe("nothing secret here");
  });
});

describe("tokens per second", () => {
  it("counts the tokens after the first over the time after the first", () => {
    // 101 tokens, first at t=200 ms, end at t=1200 ms: 100 tokens in 1 s
    expect(tokensPerSecond(101, 200, 1200)).toBe(100);
    expect(tokensPerSecond(1, 200, 1200)).toBeNull();
    expect(tokensPerSecond(null, 200, 1200)).toBeNull();
    expect(tokensPerSecond(50, null, 1200)).toBeNull();
  });
});
