/**
 * Candle downloads longer than one request allows: the range is split into windows of at most 350
 * candles, fetched in order with one window of lookahead, and stitched oldest first without
 * duplicates.
 */
import { CoinbaseClientError } from "../../errors.js";
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import { productId } from "../../schemas/common.js";
import {
  type Candle,
  GRANULARITY_SECONDS,
  type Granularity,
  granularityParam,
  MAX_CANDLES_PER_REQUEST,
  unixSeconds,
} from "../../schemas/products.js";
import { candles, type Side } from "./market-data.js";
import type { UnixSeconds } from "./params.js";

/** Params of the candle range helpers. The range is half-open: `start <= candle.start < end`. */
export interface CandleRangeParams {
  /** The product, e.g. `"BTC-USD"`. */
  readonly product_id: string;
  /** First second of the range (inclusive), Unix seconds. */
  readonly start: UnixSeconds;
  /** End of the range (exclusive), Unix seconds. */
  readonly end: UnixSeconds;
  /** The candle length. */
  readonly granularity: Granularity;
}

const candleRangeParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    product_id: productId(),
    start: unixSeconds(),
    end: unixSeconds(),
    granularity: granularityParam(),
  }),
);

/**
 * The request windows covering `[start, end)`. Each spans exactly 349 candle lengths (the last one
 * less), and the next starts where it ends. Coinbase's rule for "at most 350 candles" is not
 * documented precisely (both ends counted or not, rounding), and this shape is safe under every
 * reading: a window holds at most 350 candle starts when both ends count, 349 when the end does
 * not, and no start falls between two windows. A start at a shared edge may come back twice; the
 * stitching drops the repeat.
 */
export function candleWindows(
  start: number,
  end: number,
  granularity: Granularity,
): readonly { readonly start: number; readonly end: number }[] {
  const step = GRANULARITY_SECONDS[granularity] * (MAX_CANDLES_PER_REQUEST - 1);
  const windows: { start: number; end: number }[] = [];
  for (let from = start; from < end; from += step) {
    windows.push({ start: from, end: Math.min(from + step, end) });
  }
  return windows;
}

/**
 * Candles of `[start, end)`, oldest first, fetched window by window; the next window's request is
 * sent while the current one is consumed (the client's rate limiter paces them).
 */
export async function* candleRange(
  client: ClientContext,
  side: Side,
  params: CandleRangeParams,
  options: CallOptions | undefined,
): AsyncGenerator<Candle, void, undefined> {
  const p = parseParams(candleRangeParamsSchema, params, side.operation);
  const start = Number(p.start);
  const end = Number(p.end);
  if (end <= start) {
    throw new CoinbaseClientError(
      "invalid-request",
      `${side.operation}: invalid params at end: end must be after start`,
      {
        operation: side.operation,
        field: "end",
        retryable: false,
      },
    );
  }
  const windows = candleWindows(start, end, p.granularity);
  const fetchWindow = (index: number) => {
    const window = windows[index];
    if (window === undefined) return undefined;
    const page = candles(
      client,
      side,
      { product_id: p.product_id, start: window.start, end: window.end, granularity: p.granularity },
      options,
    );
    // Awaited below; this handler only keeps a prefetch the consumer never reaches from being reported unhandled.
    page.catch(() => undefined);
    return page;
  };
  let last = Number.NEGATIVE_INFINITY;
  let next = fetchWindow(0);
  for (let index = 0; next !== undefined; index += 1) {
    const page = await next;
    // One window ahead: the next request is on its way while this window's candles are consumed.
    next = fetchWindow(index + 1);
    const inOrder = page.candles
      .map((candle) => ({ candle, at: Number(candle.start) }))
      .filter(({ at }) => at >= start && at < end)
      .sort((a, b) => a.at - b.at);
    for (const { candle, at } of inOrder) {
      if (at <= last) continue;
      last = at;
      yield candle;
    }
  }
}

/** Collects `candleRange` into an array. */
export async function collectCandleRange(
  client: ClientContext,
  side: Side,
  params: CandleRangeParams,
  options: CallOptions | undefined,
): Promise<Candle[]> {
  const all: Candle[] = [];
  for await (const candle of candleRange(client, side, params, options)) all.push(candle);
  return all;
}
