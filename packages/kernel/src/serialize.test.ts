import { clientOrderId, createSeededRng, eventId, instrumentId, strategyId } from "@gpt/core";
import { D } from "@gpt/quantize";
import { createStrategy } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { createCallbackEventLog, createMemoryEventLog, DEFAULT_EVENT_LOG_CAPACITY } from "./event-log.js";
import type { Decision, TraderEvent } from "./events.js";
import { compareEventLogs, serializeEvent, toJsonLine, toJsonLines } from "./serialize.js";
import { BTC, barsFromCloses, harness } from "./testing/fixtures.js";

const decision = (overrides: Partial<Decision> = {}): Decision => ({
  type: "Decision",
  eventId: eventId("k-1"),
  tsEvent: 1000,
  tsInit: 1000,
  kind: "order",
  reason: "open",
  message: "open: buy",
  strategyId: strategyId("s"),
  instrumentId: instrumentId("BTC-USD", "TEST"),
  intent: { type: "TargetPosition", direction: "long", confidence: 1, reason: "r", tsEvent: 1000 },
  clientOrderId: clientOrderId("o-1"),
  side: "buy",
  quantity: D("0.00000001"),
  price: D("1e21"),
  ...overrides,
});

describe("serializeEvent / toJsonLine", () => {
  it("writes decimals as plain strings and sorts keys at every depth", () => {
    const line = toJsonLine(decision());
    expect(line).toContain('"quantity":"0.00000001"');
    expect(line).toContain('"price":"1000000000000000000000"');
    expect(line).not.toMatch(/e[+-]?\d/);
    const keys = Object.keys(JSON.parse(line) as object);
    expect(keys).toEqual([...keys].sort());
    const intentKeys = Object.keys((JSON.parse(line) as { intent: object }).intent);
    expect(intentKeys).toEqual([...intentKeys].sort());
  });

  it("does not depend on the order fields were written in, and drops undefined fields", () => {
    const a = decision();
    const { type, eventId: id, ...rest } = a;
    const b = { ...rest, eventId: id, type, details: undefined } as unknown as TraderEvent;
    expect(toJsonLine(b)).toBe(toJsonLine(a));
  });

  it("renders zero and negative zero as 0, non-finite numbers as strings", () => {
    const s = serializeEvent(
      decision({ quantity: D("-0"), intent: { type: "CancelOrders", reason: "x", tsEvent: -0 } }),
    );
    expect(s.quantity).toBe("0");
    expect((s.intent as { tsEvent: number }).tsEvent).toBe(0);
    const t = serializeEvent(
      decision({ intent: { type: "CancelOrders", reason: "x", tsEvent: Number.NaN } }),
    );
    expect((t.intent as { tsEvent: unknown }).tsEvent).toBe("NaN");
  });

  it("toJsonLines ends every line with a newline", () => {
    const text = toJsonLines([decision(), decision({ reason: "close" })]);
    expect(text.split("\n")).toHaveLength(3);
    expect(text.endsWith("\n")).toBe(true);
  });
});

describe("compareEventLogs", () => {
  it("reports equal logs with the count", () => {
    expect(compareEventLogs([decision(), decision()], [decision(), decision()])).toEqual({
      equal: true,
      count: 2,
    });
  });

  it("finds the first differing event and field", () => {
    const a = [decision(), decision({ quantity: D("1.5") }), decision({ reason: "close" })];
    const b = [decision(), decision({ quantity: D("1.4") }), decision({ reason: "open" })];
    const result = compareEventLogs(a, b);
    expect(result.equal).toBe(false);
    if (result.equal) return;
    expect(result.index).toBe(1);
    expect(result.path).toBe("quantity");
    expect(result.leftValue).toBe('"1.5"');
    expect(result.rightValue).toBe('"1.4"');
    expect(result.message).toContain("event 1 (Decision): quantity");
  });

  it("reports a missing tail", () => {
    const result = compareEventLogs([decision(), decision()], [decision()]);
    expect(result).toMatchObject({ equal: false, index: 1, path: "" });
  });

  it("reports nested paths and fields present on one side only", () => {
    const a = [
      decision({
        intent: { type: "TargetPosition", direction: "long", confidence: 1, reason: "r", tsEvent: 1 },
      }),
    ];
    const b = [
      decision({
        intent: { type: "TargetPosition", direction: "long", confidence: 0.5, reason: "r", tsEvent: 1 },
      }),
    ];
    expect(compareEventLogs(a, b)).toMatchObject({ equal: false, path: "intent.confidence" });
    const c = [decision({ details: { limit: "1" } })];
    const d = [decision()];
    const r = compareEventLogs(c, d);
    expect(r).toMatchObject({ equal: false, path: "details" });
    if (!r.equal) expect(r.rightValue).toBeUndefined();
  });

  it("ignores keys and filters events, and accepts JSONL text and lines", () => {
    const a = [
      decision({ eventId: eventId("k-1"), tsInit: 5 }),
      decision({ eventId: eventId("k-2"), kind: "skip" }),
    ];
    const b = [decision({ eventId: eventId("cb-9"), tsInit: 7 })];
    expect(compareEventLogs(a, b).equal).toBe(false);
    const options = {
      ignoreKeys: ["eventId", "tsInit"],
      filter: (e: { kind?: unknown }) => e.kind === "order",
    };
    expect(compareEventLogs(a, b, options)).toEqual({ equal: true, count: 1 });
    expect(compareEventLogs(toJsonLines(a), b.map(toJsonLine), options)).toEqual({ equal: true, count: 1 });
  });
});

describe("event logs", () => {
  it("the memory log is bounded by default and drops the oldest events", () => {
    expect(createMemoryEventLog().capacity).toBe(DEFAULT_EVENT_LOG_CAPACITY);
    const log = createMemoryEventLog({ capacity: 3 });
    for (let i = 1; i <= 5; i++) log.write(decision({ eventId: eventId(`k-${i}`) }));
    expect(log.events().map((e) => e.eventId)).toEqual(["k-3", "k-4", "k-5"]);
    expect(log).toMatchObject({ size: 3, written: 5, dropped: 2 });
    expect(log.toJsonLines().split("\n")).toHaveLength(4);
    log.clear();
    expect(log.size).toBe(0);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => createMemoryEventLog({ capacity: 0 })).toThrow(/capacity/);
    expect(() => createMemoryEventLog({ capacity: 1.5 })).toThrow(/capacity/);
  });

  it("a callback log receives every event in order", () => {
    const lines: string[] = [];
    const strategy = createStrategy("sma-cross", { fast: 2, slow: 3 }, { instrumentId: BTC.id });
    const h = harness({ strategy });
    const sink = createCallbackEventLog((e) => lines.push(toJsonLine(e)));
    h.trader.events.subscribe((e) => sink.write(e));
    h.feed(barsFromCloses(BTC.id, [100, 101, 102, 103, 101, 99, 98]));
    expect(lines).toEqual(h.log.events().map(toJsonLine));
    expect(lines.length).toBeGreaterThan(5);
  });
});

describe("event-log determinism", () => {
  const walk = (seed: number, n: number) => {
    const rng = createSeededRng(seed);
    const closes: number[] = [];
    let p = 100;
    for (let i = 0; i < n; i++) {
      p = Math.max(1, Math.round(p * (1 + (rng.next() - 0.5) * 0.02) * 100) / 100);
      closes.push(p);
    }
    return closes;
  };
  const run = (closes: readonly number[]) => {
    const strategy = createStrategy(
      "sma-cross",
      { fast: 3, slow: 8, fraction: 0.9 },
      { instrumentId: BTC.id },
    );
    const h = harness({
      strategy,
      risk: {},
      regime: {
        barsPerYear: 525_600,
        adxPeriod: 5,
        efficiencyPeriod: 5,
        emaFastPeriod: 5,
        emaSlowPeriod: 10,
        shortVolWindow: 5,
        longVolHalfLife: 20,
        drawdownWindow: 10,
      },
    });
    h.feed(barsFromCloses(BTC.id, closes));
    return h.log.toJsonLines();
  };

  it("the same inputs give byte-identical JSONL", () => {
    const closes = walk(7, 400);
    const a = run(closes);
    const b = run(closes);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toBe(b);
    expect(compareEventLogs(a, b).equal).toBe(true);
  });

  it("a changed bar shows up as the first difference", () => {
    const closes = walk(7, 400);
    const a = run(closes);
    const changed = [...closes];
    const at = 200;
    changed[at] = (changed[at] as number) * 1.05;
    const b = run(changed);
    const result = compareEventLogs(a, b);
    expect(result.equal).toBe(false);
    if (result.equal) return;
    const left = JSON.parse(result.left ?? "{}") as { tsEvent: number };
    // Nothing before the changed bar's time can differ.
    expect(left.tsEvent).toBeGreaterThanOrEqual(1_767_225_600_000 + at * 60_000);
  });
});
