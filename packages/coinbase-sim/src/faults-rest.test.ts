import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { CoinbaseSimError } from "./errors.js";
import { FaultState, parseSimFaults } from "./faults.js";
import {
  faultAnswer,
  OrderFaultInjector,
  partialTarget,
  RestFaultInjector,
  type SimTimers,
  thinLevels,
} from "./faults-rest.js";

function refusal(input: unknown, context = {}): CoinbaseSimError {
  try {
    parseSimFaults(input, context);
  } catch (error) {
    if (error instanceof CoinbaseSimError) return error;
    throw error;
  }
  throw new Error("the script was accepted");
}

const noTimers: SimTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

describe("parseSimFaults", () => {
  it("accepts every REST and order rule and returns a fresh copy", () => {
    const script = {
      rest: [
        { kind: "rate-limit", path: "/orders*", method: "POST", count: 3, body: "html", resetSeconds: 0 },
        { kind: "server-error", status: 503, processed: true, body: "json" },
        { kind: "latency", ms: 250, method: "GET" },
        { kind: "hang", count: 1, processed: false },
      ],
      orders: [
        { kind: "partial-fill", fraction: 0.25, product: "BTC-USD", count: 2 },
        { kind: "reject", reason: "INSUFFICIENT_FUND", message: "no money", count: 1 },
      ],
      ws: { gap: { skip: 2 } },
    };
    const parsed = parseSimFaults(script, { products: ["BTC-USD"] });
    expect(parsed).toEqual(script);
    expect(parsed.rest).not.toBe(script.rest);
    expect(parsed.rest?.[0]).not.toBe(script.rest[0]);
    expect(parseSimFaults({})).toEqual({});
  });

  it.each([
    [[], "faults", "must be an object"],
    [{ rest: [], extra: 1 }, "faults.extra", "unknown key"],
    [{ rest: {} }, "faults.rest", "must be an array of rules"],
    [{ rest: [{ kind: "rate-limit", count: -1 }] }, "faults.rest[0].count", "got -1"],
    [{ rest: [{ kind: "latency", ms: 1.5 }] }, "faults.rest[0].ms", "got 1.5"],
    [{ rest: [{ kind: "latency" }] }, "faults.rest[0].ms", "got undefined"],
    [{ rest: [{ kind: "server-error", status: 501 }] }, "faults.rest[0].status", "got 501"],
    [
      { rest: [{ kind: "hang", method: "PATCH" }] },
      "faults.rest[0].method",
      "must be one of GET, POST, PUT, DELETE",
    ],
    [{ rest: [{ kind: "hang", processed: "yes" }] }, "faults.rest[0].processed", "must be true or false"],
    [{ rest: [{ kind: "hang", path: "orders" }] }, "faults.rest[0].path", "must match"],
    [{ rest: [{ kind: "hang", colour: "red" }] }, "faults.rest[0].colour", "unknown key"],
    [{ rest: [{ kind: "explode" }] }, "faults.rest[0].kind", "must be one of"],
    [{ rest: [null] }, "faults.rest[0]", "must be an object"],
    [{ orders: [{ kind: "partial-fill", fraction: 1 }] }, "faults.orders[0].fraction", "got 1"],
    [{ orders: [{ kind: "partial-fill", fraction: 0.5, count: -2 }] }, "faults.orders[0].count", "got -2"],
    [{ orders: [{ kind: "reject", reason: "NOPE" }] }, "faults.orders[0].reason", "a 4-character string"],
    [
      { orders: [{ kind: "reject", reason: "INSUFFICIENT_FUND", size: 1 }] },
      "faults.orders[0].size",
      "unknown key",
    ],
    [{ ws: { gap: { skip: 0 } } }, "faults.ws.gap.skip", "must be an integer"],
  ])("refuses %j at %s", (input, field, text) => {
    const error = refusal(input);
    expect(error.code).toBe("invalid-config");
    expect(error.context.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toContain(text);
  });

  it("checks an order rule's product against the simulator's products", () => {
    const error = refusal(
      { orders: [{ kind: "reject", reason: "INVALID_REQUEST", product: "DOGE-USD" }] },
      {
        products: ["BTC-USD"],
      },
    );
    expect(error.context.field).toBe("faults.orders[0].product");
  });

  it("never repeats a string that could be a secret, and survives hostile input", () => {
    const secret = "sk-live-0123456789abcdef";
    const error = refusal({ rest: [{ kind: "hang", method: secret }] });
    expect(error.message).not.toContain(secret);
    expect(error.message).toContain("a 24-character string");
    const hostile = {
      get rest(): unknown {
        throw new Error("boom");
      },
    };
    const read = refusal(hostile);
    expect(read.context.field).toBe("faults");
    expect(read.cause).toBeInstanceOf(Error);
  });
});

describe("RestFaultInjector", () => {
  it("consumes rules in script order, by path, method and count; latency adds to an answer", () => {
    const state = new FaultState(
      parseSimFaults({
        rest: [
          { kind: "latency", ms: 40, path: "/orders", count: 1 },
          { kind: "rate-limit", path: "/orders*", method: "POST", count: 2 },
          { kind: "server-error", status: 502, count: 1 },
        ],
      }),
    );
    const injector = new RestFaultInjector(state, noTimers);
    const first = injector.take("POST", "/orders");
    expect(first.latencyMs).toBe(40);
    expect(first.answer?.kind).toBe("rate-limit");
    expect(first.applied.map((a) => a.index)).toEqual([0, 1]);
    expect(injector.take("GET", "/orders").answer?.kind).toBe("server-error");
    expect(injector.take("POST", "/orders/batch_cancel").answer?.kind).toBe("rate-limit");
    const after = injector.take("POST", "/orders");
    expect(after).toEqual({ latencyMs: 0, applied: [], processed: false });
    state.set(parseSimFaults({ rest: [{ kind: "hang", count: 1, processed: true }] }));
    expect(injector.take("GET", "/time")).toMatchObject({ processed: true, answer: { kind: "hang" } });
    expect(injector.take("GET", "/time").answer).toBeUndefined();
  });

  it("waits on the injected timers and cancels the waits on dispose", async () => {
    const scheduled: { run: () => void; ms: number }[] = [];
    const cleared: unknown[] = [];
    const timers: SimTimers = {
      setTimeout: (run, ms) => scheduled.push({ run, ms }),
      clearTimeout: (handle) => cleared.push(handle),
    };
    const injector = new RestFaultInjector(new FaultState(), timers);
    let done = false;
    const waiting = injector.delay(500).then(() => {
      done = true;
    });
    expect(scheduled.map((s) => s.ms)).toEqual([500]);
    expect(done).toBe(false);
    scheduled[0]?.run();
    await waiting;
    expect(done).toBe(true);
    void injector.delay(10);
    injector.dispose();
    expect(cleared).toEqual([2]);
    void injector.delay(10);
    expect(scheduled.length).toBe(2);
  });

  it("answers 429s and 5xx with Coinbase-like bodies", () => {
    expect(faultAnswer({ kind: "rate-limit" }, 30)).toEqual({
      status: 429,
      body: { error: "RATE_LIMIT_EXCEEDED", code: 8, message: "Too many requests" },
      headers: { "x-ratelimit-limit": "30", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1" },
    });
    expect(faultAnswer({ kind: "rate-limit", body: "legacy", resetSeconds: 3 }, 10).body).toEqual({
      errors: [{ id: "rate_limit_exceeded", message: "Too many requests" }],
    });
    expect(faultAnswer({ kind: "rate-limit", body: "html" }, 10).headers["content-type"]).toBe("text/html");
    expect(
      [500, 502, 503, 504].map(
        (status) =>
          (faultAnswer({ kind: "server-error", status: status as 500 }, 30).body as { error: string }).error,
      ),
    ).toEqual(["INTERNAL", "UNKNOWN", "UNAVAILABLE", "DEADLINE_EXCEEDED"]);
    expect(String(faultAnswer({ kind: "server-error", status: 502, body: "html" }, 30).body)).toMatch(
      /^<html>.*502 Bad gateway/,
    );
  });
});

describe("OrderFaultInjector", () => {
  it("takes the first eligible rule for the product and reports what it applied", () => {
    const state = new FaultState(
      parseSimFaults({
        orders: [
          { kind: "partial-fill", fraction: 0.5, count: 1 },
          { kind: "reject", reason: "INSUFFICIENT_FUND", product: "ETH-USD", count: 1 },
        ],
      }),
    );
    const injector = new OrderFaultInjector(state);
    // Not eligible for the partial fill (not marketable), not ETH-USD: nothing, nothing used.
    expect(injector.take("BTC-USD", (rule) => rule.kind === "reject")).toBeUndefined();
    expect(injector.take("ETH-USD", (rule) => rule.kind === "reject")?.kind).toBe("reject");
    expect(injector.take("ETH-USD", () => true)?.kind).toBe("partial-fill");
    expect(injector.take("ETH-USD", () => true)).toBeUndefined();
    expect(injector.drainApplied()).toEqual([
      { part: "orders", index: 1, kind: "reject" },
      { part: "orders", index: 0, kind: "partial-fill" },
    ]);
    expect(injector.drainApplied()).toEqual([]);
  });

  it("splits a size on the step and thins a book side to it", () => {
    expect(partialTarget(D("0.01"), D("0.00000001"), 0.25)?.toString()).toBe("0.0025");
    expect(partialTarget(D("3"), D("1"), 0.5)?.toString()).toBe("1");
    expect(partialTarget(D("1"), D("1"), 0.5)).toBeUndefined();
    const levels = [
      { price: 100, size: 0.4 },
      { price: 101, size: 0.4 },
      { price: 102, size: 5 },
    ];
    expect(thinLevels(levels, D("0.5"))).toEqual([
      { price: 100, size: 0.4 },
      { price: 101, size: 0.1 },
    ]);
    expect(levels[1]?.size).toBe(0.4);
  });
});
