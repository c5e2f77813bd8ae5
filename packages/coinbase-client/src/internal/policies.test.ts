import { describe, expect, it } from "vitest";
import { parseErrorBody, retryAfterSeconds } from "./http-errors.js";
import { TokenBucket } from "./rate-limit.js";
import { backoffMs, retryPolicy } from "./retry.js";
import { testTimers } from "./test-support.js";

describe("parseErrorBody", () => {
  it("reads every error shape Coinbase sends", () => {
    expect(
      parseErrorBody(
        '{"error":"NOT_FOUND","error_details":"order not found","message":"order not found"}',
        "application/json",
      ),
    ).toEqual({
      kind: "json",
      coinbaseCode: "NOT_FOUND",
      coinbaseMessage: "order not found",
    });
    expect(
      parseErrorBody(
        '{"error":"unknown","code":2,"message":"boom","details":[{"type_url":"x","value":"y"}]}',
        undefined,
      ),
    ).toEqual({ kind: "json", coinbaseCode: "unknown", coinbaseMessage: "boom" });
    expect(
      parseErrorBody('{"errors":[{"id":"rate_limit_exceeded","message":"Too many requests"}]}', undefined),
    ).toEqual({
      kind: "json",
      coinbaseCode: "rate_limit_exceeded",
      coinbaseMessage: "Too many requests",
    });
    expect(
      parseErrorBody(
        '{"error_response":{"error":"INSUFFICIENT_FUND","message":"Insufficient balance"}}',
        undefined,
      ),
    ).toEqual({ kind: "json", coinbaseCode: "INSUFFICIENT_FUND", coinbaseMessage: "Insufficient balance" });
    expect(
      parseErrorBody('{"error":"PERMISSION_DENIED","error_details":"Missing required scopes"}', undefined),
    ).toEqual({
      kind: "json",
      coinbaseCode: "PERMISSION_DENIED",
      coinbaseMessage: "Missing required scopes",
    });
    expect(parseErrorBody('{"code":5,"message":"not found"}', undefined)).toEqual({
      kind: "json",
      coinbaseCode: "5",
      coinbaseMessage: "not found",
    });
  });

  it("reads plain text and skips HTML, arrays, empty bodies", () => {
    expect(parseErrorBody("Unauthorized\n", "text/plain")).toEqual({
      kind: "text",
      coinbaseMessage: "Unauthorized",
    });
    expect(parseErrorBody("<html><title>Coinbase</title></html>", undefined)).toEqual({ kind: "html" });
    expect(parseErrorBody("x", "text/html; charset=utf-8")).toEqual({ kind: "html" });
    expect(parseErrorBody("[1,2]", undefined)).toEqual({ kind: "json" });
    expect(parseErrorBody("  ", undefined)).toEqual({ kind: "empty" });
    expect(parseErrorBody(`${"a".repeat(500)}`, undefined)).toEqual({ kind: "text" });
  });

  it("caps a long message", () => {
    const parsed = parseErrorBody(JSON.stringify({ error: "X", message: "m".repeat(1000) }), undefined);
    expect(parsed.coinbaseMessage).toHaveLength(300);
  });
});

describe("retryAfterSeconds", () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name];
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it("reads Retry-After seconds and dates, then x-ratelimit-reset", () => {
    expect(retryAfterSeconds(headers({ "retry-after": "2" }), now)).toBe(2);
    expect(retryAfterSeconds(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now)).toBe(5);
    expect(retryAfterSeconds(headers({ "x-ratelimit-reset": "0.5" }), now)).toBe(0.5);
    expect(retryAfterSeconds(headers({ "x-ratelimit-reset": String(now / 1000 + 3) }), now)).toBe(3);
    expect(retryAfterSeconds(headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterSeconds(headers({}), now)).toBeUndefined();
  });
});

describe("backoffMs", () => {
  const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
  it("doubles with equal jitter and caps", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(policy, n, () => 0, undefined))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(policy, n, () => 0.999999, undefined))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });
  it("waits at least what the server asked, up to 60 s", () => {
    expect(backoffMs(policy, 1, () => 0, 4)).toBe(4000);
    expect(backoffMs(policy, 1, () => 0, 3600)).toBe(60_000);
  });
  it("defaults to 4 attempts, and one with retry: false", () => {
    expect(retryPolicy(undefined)).toEqual({ maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 10_000 });
    expect(retryPolicy(false).maxAttempts).toBe(1);
  });
});

describe("TokenBucket", () => {
  it("lets a burst through, then spaces callers at the rate, in call order", async () => {
    const timers = testTimers(0);
    const bucket = new TokenBucket(10, 3, timers);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => bucket.take(undefined).then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4, 5, 6]);
    expect(timers.waits).toEqual([100, 200, 300]);
  });

  it("refills with time up to its burst", async () => {
    const timers = testTimers(0);
    const bucket = new TokenBucket(10, 2, timers);
    await bucket.take(undefined);
    await bucket.take(undefined);
    expect(bucket.waitMs()).toBe(100);
    timers.advance(50);
    expect(bucket.waitMs()).toBe(50);
    timers.advance(10_000);
    expect(bucket.waitMs()).toBe(0);
    await bucket.take(undefined);
    await bucket.take(undefined);
    expect(bucket.waitMs()).toBe(100);
  });

  it("gives the reservation back when a waiting caller aborts", async () => {
    const timers = testTimers(0, 50);
    const bucket = new TokenBucket(10, 1, timers);
    await bucket.take(undefined);
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow();
    expect(bucket.waitMs()).toBe(100);
  });
});
