import { CoreError, describeValue } from "./errors.js";
import { type InstrumentId, instrumentIdProblem, type TradeId } from "./ids.js";
import type { UnixMillis } from "./time.js";

/*
 * Market data are observations, carried as `number` (float64) for speed. They are never booked:
 * the one place where a float becomes a booked amount is quantization to the instrument's
 * increment (the paper engine rounds a bar/trade price to the tick before it books a fill;
 * the live venue books the exchange's own decimal strings).
 */

/** Which side took liquidity in a trade; `"none"` when the venue does not say. */
export type AggressorSide = "buy" | "sell" | "none";

/** An OHLCV bar for `[tsOpen, tsEvent)`; `tsEvent = tsOpen + intervalMs` is the close time. */
export interface Bar {
  /** Discriminant. */
  readonly type: "Bar";
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Bar length in ms (60_000 for one-minute bars). */
  readonly intervalMs: number;
  /** Start of the interval. */
  readonly tsOpen: UnixMillis;
  /** End (close time) of the interval: `tsOpen + intervalMs`. The bar is known from then on. */
  readonly tsEvent: UnixMillis;
  /** When our system created this object. */
  readonly tsInit: UnixMillis;
  /** First trade price. */
  readonly open: number;
  /** Highest trade price. */
  readonly high: number;
  /** Lowest trade price. */
  readonly low: number;
  /** Last trade price. */
  readonly close: number;
  /** Traded size in the instrument's size unit. */
  readonly volume: number;
}

/** One public trade (a print). */
export interface Trade {
  /** Discriminant. */
  readonly type: "Trade";
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Trade price. */
  readonly price: number;
  /** Trade size in the instrument's size unit. */
  readonly size: number;
  /** Taker side (Coinbase reports the *maker* side; the adapter flips it). */
  readonly aggressorSide: AggressorSide;
  /** The venue's trade id. */
  readonly tradeId: TradeId;
  /** Exchange time of the trade. */
  readonly tsEvent: UnixMillis;
  /** When our system created this object. */
  readonly tsInit: UnixMillis;
}

/** Top of book. */
export interface Quote {
  /** Discriminant. */
  readonly type: "Quote";
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Best bid price. */
  readonly bidPrice: number;
  /** Size at the best bid. */
  readonly bidSize: number;
  /** Best ask price. */
  readonly askPrice: number;
  /** Size at the best ask. */
  readonly askSize: number;
  /** Exchange time. */
  readonly tsEvent: UnixMillis;
  /** When our system created this object. */
  readonly tsInit: UnixMillis;
}

/** Side of an order book level. */
export type BookSide = "bid" | "ask";

/** One price level. */
export interface BookLevel {
  /** Level price. */
  readonly price: number;
  /** Total size resting at the price. */
  readonly size: number;
}

/**
 * What a book delta does: `"set"` replaces the level's size (Coinbase level2 updates are
 * absolute sizes), `"delete"` removes it (size 0 on Coinbase).
 */
export type BookAction = "set" | "delete";

/** One change to a price level. */
export interface BookDeltaEntry {
  /** Book side. */
  readonly side: BookSide;
  /** Level price. */
  readonly price: number;
  /** New total size (0 for `"delete"`). */
  readonly size: number;
  /** What happens to the level. */
  readonly action: BookAction;
}

/** A batch of level changes applied atomically, in order, to the book built from the last snapshot. */
export interface BookDelta {
  /** Discriminant. */
  readonly type: "BookDelta";
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Changes in venue order. */
  readonly deltas: readonly BookDeltaEntry[];
  /** Venue sequence number, if any (gaps mean the book must be rebuilt from a new snapshot). */
  readonly sequence?: number;
  /** Exchange time. */
  readonly tsEvent: UnixMillis;
  /** When our system created this object. */
  readonly tsInit: UnixMillis;
}

/** A full book: bids best (highest) first, asks best (lowest) first. Replaces any earlier book. */
export interface BookSnapshot {
  /** Discriminant. */
  readonly type: "BookSnapshot";
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Bid levels, descending price. */
  readonly bids: readonly BookLevel[];
  /** Ask levels, ascending price. */
  readonly asks: readonly BookLevel[];
  /** Venue sequence number, if any. */
  readonly sequence?: number;
  /** Exchange time. */
  readonly tsEvent: UnixMillis;
  /** When our system created this object. */
  readonly tsInit: UnixMillis;
}

/** The venue's mark price of a derivative (used for unrealized PnL, margin and liquidation). */
export interface MarkPrice {
  /** Discriminant. */
  readonly type: "MarkPrice";
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Mark price. */
  readonly price: number;
  /** Exchange time. */
  readonly tsEvent: UnixMillis;
  /** When our system created this object. */
  readonly tsInit: UnixMillis;
}

/**
 * A funding rate of a perpetual: the fraction of notional a long pays a short (negative: the
 * short pays) at `fundingTime` for one interval of `intervalMs`.
 */
export interface FundingRate {
  /** Discriminant. */
  readonly type: "FundingRate";
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Rate per interval as a fraction (`0.000016`). */
  readonly rate: number;
  /** The funding interval. */
  readonly intervalMs: number;
  /** When the payment at this rate is (or was) made. */
  readonly fundingTime: UnixMillis;
  /** Exchange time of the observation. */
  readonly tsEvent: UnixMillis;
  /** When our system created this object. */
  readonly tsInit: UnixMillis;
}

/** Any market data event; switch on `type`. */
export type MarketDataEvent = Bar | Trade | Quote | BookDelta | BookSnapshot | MarkPrice | FundingRate;

/** Input of `createBar` (everything but `type` and `tsEvent`, which it derives). */
export interface BarInput {
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Bar length in ms (positive integer). */
  readonly intervalMs: number;
  /** Start of the interval. */
  readonly tsOpen: UnixMillis;
  /** When our system created the bar (default: the close time). */
  readonly tsInit?: UnixMillis;
  /** Open. */
  readonly open: number;
  /** High. */
  readonly high: number;
  /** Low. */
  readonly low: number;
  /** Close. */
  readonly close: number;
  /** Volume (>= 0). */
  readonly volume: number;
}

/**
 * Builds a `Bar` with `tsEvent = tsOpen + intervalMs`, checking that prices are finite and
 * positive, the instrument id is `SYMBOL.VENUE`, `low <= min(open, close)`, `high >= max(open, close)`, volume >= 0 and the
 * timestamps are integers.
 *
 * @throws CoreError (`invalid-value`) naming the field.
 */
export function createBar(input: BarInput): Bar {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new CoreError(
      "invalid-value",
      `bar: must be an object of bar fields (got ${describeValue(input)})`,
      {
        context: { field: "bar", value: input },
      },
    );
  }
  const idWhy = instrumentIdProblem(input.instrumentId);
  const fail = (field: string, value: unknown, why: string): never => {
    // The instrument id is not repeated: a well-formed id can still be a pasted secret, and the
    // caller holds the bar it passed.
    throw new CoreError("invalid-value", `bar ${field}: ${why} (got ${describeValue(value)})`, {
      context: {
        field,
        value,
        tsOpen: Number.isSafeInteger(input.tsOpen) ? input.tsOpen : undefined,
      },
    });
  };
  if (idWhy !== undefined) fail("instrumentId", input.instrumentId, idWhy);
  if (!Number.isSafeInteger(input.intervalMs) || input.intervalMs <= 0) {
    fail("intervalMs", input.intervalMs, "must be a positive integer");
  }
  if (!Number.isSafeInteger(input.tsOpen) || input.tsOpen < 0) {
    fail("tsOpen", input.tsOpen, "must be a non-negative integer");
  }
  for (const field of ["open", "high", "low", "close"] as const) {
    const v = input[field];
    if (!Number.isFinite(v) || v <= 0) fail(field, v, "must be a finite positive number");
  }
  if (!Number.isFinite(input.volume) || input.volume < 0) fail("volume", input.volume, "must be >= 0");
  if (input.low > Math.min(input.open, input.close)) fail("low", input.low, "must be <= open and close");
  if (input.high < Math.max(input.open, input.close)) fail("high", input.high, "must be >= open and close");
  const tsEvent = input.tsOpen + input.intervalMs;
  if (input.tsInit !== undefined && (!Number.isSafeInteger(input.tsInit) || input.tsInit < 0)) {
    fail("tsInit", input.tsInit, "must be a non-negative integer");
  }
  return {
    type: "Bar",
    instrumentId: input.instrumentId,
    intervalMs: input.intervalMs,
    tsOpen: input.tsOpen,
    tsEvent,
    tsInit: input.tsInit ?? tsEvent,
    open: input.open,
    high: input.high,
    low: input.low,
    close: input.close,
    volume: input.volume,
  };
}
