import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../../errors.js";
import type { ClientContext, RequestSpec } from "../../internal/context.js";
import { GRANULARITY_SECONDS, type Granularity } from "../../schemas/products.js";
import { getPublicProductCandlesRange, iteratePublicProductCandles } from "../public/public.js";
import { candleWindows } from "./candle-range.js";
import { getProductCandlesRange, iterateProductCandles } from "./products.js";

/**
 * A fake venue that has a candle at every multiple of the granularity except `missing`, answers a
 * window newest first, refuses windows under the strictest reading of Coinbase's 350-candle limit,
 * and can include the candle at `end` (inclusive) or repeat the previous window's last candle
 * (overlap).
 */
function candleVenue(options: { inclusiveEnd?: boolean; overlap?: boolean; missing?: Set<number> } = {}) {
  const specs: RequestSpec[] = [];
  const ctx: ClientContext = {
    newId: () => "id",
    request: async (spec) => {
      specs.push(spec);
      const query = spec.query ?? {};
      const granularity = query.granularity as Granularity;
      const step = GRANULARITY_SECONDS[granularity];
      const start = Number(query.start);
      const end = Number(query.end);
      // The strictest reading of Coinbase's limit: fewer than 350 candle lengths, rounded up.
      if (Math.ceil((end - start) / step) >= 350) throw new Error("window of 350 candles or more");
      const first = Math.ceil(start / step) * step - (options.overlap === true ? step : 0);
      const candles = [];
      for (let t = first; options.inclusiveEnd === true ? t <= end : t < end; t += step) {
        if (options.missing?.has(t) === true) continue;
        candles.push({ start: String(t), low: "1", high: "2", open: "1", close: "2", volume: "3" });
      }
      return { candles: candles.reverse() };
    },
  };
  return { ctx, specs };
}

const DAY = 86_400;
const JAN_1_2024 = 1_704_067_200;

describe("candleWindows", () => {
  it("covers the range with back-to-back windows of 349 candle lengths", () => {
    const windows = candleWindows(0, 1000 * 60, "ONE_MINUTE");
    expect(windows).toEqual([
      { start: 0, end: 349 * 60 },
      { start: 349 * 60, end: 698 * 60 },
      { start: 698 * 60, end: 1000 * 60 },
    ]);
  });

  it("uses one window for a short range", () => {
    expect(candleWindows(100, 160, "ONE_MINUTE")).toEqual([{ start: 100, end: 160 }]);
  });
});

describe("candle ranges", () => {
  it("splits a day of minutes into 5 requests and stitches 1440 candles oldest first", async () => {
    const { ctx, specs } = candleVenue();
    const candles = await getPublicProductCandlesRange(ctx, {
      product_id: "BTC-USD",
      granularity: "ONE_MINUTE",
      start: JAN_1_2024,
      end: JAN_1_2024 + DAY,
    });
    expect(specs).toHaveLength(5);
    expect(specs.every((s) => s.path === "/market/products/BTC-USD/candles" && s.auth === "public")).toBe(
      true,
    );
    expect(specs.every((s) => s.operation === "getPublicProductCandles")).toBe(true);
    expect(candles).toHaveLength(1440);
    const starts = candles.map((c) => Number(c.start));
    expect(starts[0]).toBe(JAN_1_2024);
    expect(starts.at(-1)).toBe(JAN_1_2024 + DAY - 60);
    expect(starts.every((t, i) => i === 0 || t === (starts[i - 1] ?? 0) + 60)).toBe(true);
  });

  it("drops duplicates and the candle at `end` when the venue includes window edges", async () => {
    const { ctx, specs } = candleVenue({ inclusiveEnd: true, overlap: true });
    const candles = await getProductCandlesRange(ctx, {
      product_id: "BTC-USD",
      granularity: "ONE_HOUR",
      start: JAN_1_2024,
      end: JAN_1_2024 + 30 * DAY,
    });
    expect(specs).toHaveLength(3);
    expect(specs.every((s) => s.auth === "private" && s.path === "/products/BTC-USD/candles")).toBe(true);
    expect(candles).toHaveLength(720);
    const starts = candles.map((c) => Number(c.start));
    expect(new Set(starts).size).toBe(720);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(starts.at(-1)).toBe(JAN_1_2024 + 30 * DAY - 3600);
  });

  it("keeps gaps as gaps (no trades, no candle) and an unaligned start", async () => {
    const missing = new Set([JAN_1_2024 + 120, JAN_1_2024 + 350 * 60]);
    const { ctx } = candleVenue({ missing });
    const starts: number[] = [];
    for await (const candle of iterateProductCandles(ctx, {
      product_id: "BTC-USD",
      granularity: "ONE_MINUTE",
      start: JAN_1_2024 + 30,
      end: JAN_1_2024 + 700 * 60,
    })) {
      starts.push(Number(candle.start));
    }
    expect(starts[0]).toBe(JAN_1_2024 + 60);
    expect(starts).toHaveLength(699 - missing.size);
    expect(starts.some((t) => missing.has(t))).toBe(false);
  });

  it("stops fetching when the consumer stops iterating", async () => {
    const { ctx, specs } = candleVenue();
    for await (const candle of iteratePublicProductCandles(ctx, {
      product_id: "BTC-USD",
      granularity: "ONE_MINUTE",
      start: JAN_1_2024,
      end: JAN_1_2024 + DAY,
    })) {
      if (Number(candle.start) >= JAN_1_2024 + 400 * 60) break;
    }
    // The window being read (the second) and one window of lookahead; not the remaining two.
    expect(specs).toHaveLength(3);
  });

  it("reports a failed window, and leaves no unhandled rejection when the consumer stopped first", async () => {
    const failing = (): ClientContext => {
      let calls = 0;
      const { ctx } = candleVenue();
      return {
        newId: ctx.newId,
        request: async (spec, options) => {
          calls += 1;
          if (calls === 2) throw new Error("window 2 failed");
          return ctx.request(spec, options);
        },
      };
    };
    const params = {
      product_id: "BTC-USD",
      granularity: "ONE_MINUTE",
      start: JAN_1_2024,
      end: JAN_1_2024 + DAY,
    } as const;
    await expect(getPublicProductCandlesRange(failing(), params)).rejects.toThrow("window 2 failed");
    let read = 0;
    for await (const _ of iteratePublicProductCandles(failing(), params)) {
      read += 1;
      if (read === 10) break;
    }
    expect(read).toBe(10);
  });

  it("refuses an empty or reversed range before sending", async () => {
    const { ctx, specs } = candleVenue();
    const error = await getPublicProductCandlesRange(ctx, {
      product_id: "BTC-USD",
      granularity: "ONE_DAY",
      start: JAN_1_2024,
      end: JAN_1_2024,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCoinbaseClientError(error) && error.code === "invalid-request" && error.field === "end").toBe(
      true,
    );
    expect(specs).toHaveLength(0);
  });
});
