import { describe, expect, it } from "vitest";
import { BacktestError } from "../errors.js";
import { parseRunOptions, parseTime } from "./options.js";

function badArg(fn: () => unknown, text: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BacktestError);
    expect((e as BacktestError).code).toBe("bad-argument");
    expect((e as Error).message).toContain(text);
    return;
  }
  throw new Error("expected a bad-argument error");
}

describe("parseRunOptions", () => {
  it("defaults to the synthetic series and sma-cross", () => {
    const o = parseRunOptions({});
    expect(o.data).toEqual([{ kind: "synthetic", symbol: "BTC-USD" }]);
    expect(o.strategy).toBe("sma-cross");
    expect(o.equity).toBe("10000");
    expect(o.fees).toEqual({ kind: "preset", name: "coinbase-spot" });
    expect(o.slippageBps).toBe(0);
    expect(o.seed).toBe(1);
  });

  it("parses repeatable data, funding and params", () => {
    const o = parseRunOptions({
      data: ["BTC-PERP=a.csv.gz", "ETH-PERP=b.csv"],
      funding: ["BTC-PERP=f.csv.gz"],
      param: ["fast=10", "slow=30"],
      fees: "0.0002,0.0005",
      from: "2024-08-01",
      to: "2024-08-10T12:00:00Z",
    });
    expect(o.data).toEqual([
      { kind: "file", symbol: "BTC-PERP", path: "a.csv.gz" },
      { kind: "file", symbol: "ETH-PERP", path: "b.csv" },
    ]);
    expect(o.funding.get("BTC-PERP")).toBe("f.csv.gz");
    expect(o.params).toEqual({ fast: "10", slow: "30" });
    expect(o.fees).toEqual({ kind: "rates", maker: "0.0002", taker: "0.0005" });
    expect(o.fromMs).toBe(Date.UTC(2024, 7, 1));
    expect(o.toMs).toBe(Date.UTC(2024, 7, 10, 12));
  });

  it("rejects bad input with the option and the value", () => {
    badArg(() => parseRunOptions({ from: "2024-08-10", to: "2024-08-01" }), "--from");
    badArg(() => parseRunOptions({ data: ["BTC-USD"] }), "KEY=VALUE");
    badArg(() => parseRunOptions({ data: ["btc=a.csv"] }), "symbol");
    badArg(() => parseRunOptions({ data: ["BTC-USD=a", "BTC-USD=b"] }), "twice");
    badArg(() => parseRunOptions({ funding: ["ETH-PERP=f.csv"] }), "no --data");
    badArg(() => parseRunOptions({ param: ["fast=1", "fast=2"] }), "twice");
    badArg(() => parseRunOptions({ equity: "-5" }), "--equity");
    badArg(() => parseRunOptions({ equity: "1e5" }), "--equity");
    badArg(() => parseRunOptions({ fees: "0.1,abc" }), "--fees");
    badArg(() => parseRunOptions({ slippage: "x" }), "--slippage");
    badArg(() => parseRunOptions({ leverage: "0.5" }), "--leverage");
    badArg(() => parseRunOptions({ seed: "1.5" }), "--seed");
    badArg(() => parseRunOptions({ from: "yesterday" }), "--from");
  });
});

describe("parseTime", () => {
  it("reads ISO dates as UTC and unix seconds", () => {
    expect(parseTime("--from", "2024-08-05")).toBe(Date.UTC(2024, 7, 5));
    expect(parseTime("--from", "2024-08-05T10:30:00")).toBe(Date.UTC(2024, 7, 5, 10, 30));
    expect(parseTime("--from", "2024-08-05T10:30:00+02:00")).toBe(Date.UTC(2024, 7, 5, 8, 30));
    expect(parseTime("--from", "1722816000")).toBe(1_722_816_000_000);
  });
});
