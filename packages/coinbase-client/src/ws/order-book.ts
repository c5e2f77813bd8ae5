/**
 * A level-2 order book for one product, kept from Coinbase's `l2_data` snapshot and updates. Prices
 * are exact: each is keyed by an integer scaled by 10^scale, where `scale` is the largest number of
 * fraction digits seen for the product (the book rescales itself when a finer price arrives). Sizes
 * are kept as the decimal strings Coinbase sent. Pure: no clock, no I/O, inputs never mutated.
 */
import { CoinbaseClientError } from "../errors.js";
import { BookSide } from "./book-side.js";
import { divRound, formatScaled, fractionDigits, isZeroDecimal, pow10, toBig, toScaled } from "./decimal.js";
import { PLAIN_DECIMAL } from "./schemas.js";
import type { L2Update } from "./types.js";

/** One price level: the price and the size resting there, decimal strings as Coinbase sent them. */
export interface Level {
  readonly price: string;
  readonly size: string;
}

/** Fraction digits `vwap` rounds to, past the book's price scale. */
const VWAP_EXTRA_DIGITS = 8;
/** The finest price scale kept exact in a double (with prices below 10^(15 - scale)). */
const MAX_SCALE = 15;

/**
 * A level-2 book for one product: sorted bids and asks, best bid/ask, spread, depth, VWAP, crossed
 * check. It is `valid` after a snapshot until `invalidate` is called (after a sequence gap, a
 * crossed book, a dropped update): a caller must not serve an invalid book, and resubscribes to get a
 * fresh snapshot. Updates are still applied while invalid, but only a snapshot makes it valid again.
 *
 * @example
 * const book = new OrderBook("BTC-USD");
 * book.applySnapshot([
 *   { side: "bid", event_time: "", price_level: "100.5", new_quantity: "2" },
 *   { side: "offer", event_time: "", price_level: "101", new_quantity: "1" },
 * ]);
 * book.applyUpdates([{ side: "bid", event_time: "", price_level: "100.5", new_quantity: "0" }]);
 * book.bestBid(); // undefined
 * book.spread(); // undefined (one side is empty)
 */
export class OrderBook {
  /** The product this book is for (`"BTC-USD"`). */
  readonly productId: string;
  readonly #bids = new BookSide();
  readonly #asks = new BookSide();
  #scale = 0;
  #valid = false;
  #invalidReason: string | undefined = "no snapshot yet";

  constructor(productId: string) {
    this.productId = productId;
  }

  /** True after a snapshot and until `invalidate`. */
  get valid(): boolean {
    return this.#valid;
  }

  /** Why the book is not valid (`"no snapshot yet"`, the reason given to `invalidate`), or `undefined`. */
  get invalidReason(): string | undefined {
    return this.#invalidReason;
  }

  /** The number of fraction digits prices are scaled by (the finest price seen). */
  get scale(): number {
    return this.#scale;
  }

  /** Marks the book invalid until the next snapshot. */
  invalidate(reason: string): void {
    this.#valid = false;
    this.#invalidReason = reason;
  }

  /** Replaces the whole book with a snapshot's levels (zero sizes are skipped); the book becomes valid. */
  applySnapshot(updates: readonly L2Update[]): void {
    this.#bids.clear();
    this.#asks.clear();
    this.#scale = 0;
    this.#valid = true;
    this.#invalidReason = undefined;
    this.applyUpdates(updates);
  }

  /**
   * Applies level changes in order: `new_quantity` is the new absolute size, `"0"` removes the
   * level. A price that cannot be held exactly (more than 15 significant fraction digits in total)
   * invalidates the book.
   */
  applyUpdates(updates: readonly L2Update[]): void {
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i] as L2Update;
      const price = u.price_level;
      let key = toScaled(price, this.#scale);
      if (Number.isNaN(key)) {
        if (!this.#rescaleFor(price)) {
          this.invalidate(`price ${JSON.stringify(price.slice(0, 32))} cannot be held exactly`);
          continue;
        }
        key = toScaled(price, this.#scale);
      }
      const bid = u.side === "bid";
      const side = bid ? this.#bids : this.#asks;
      const sideKey = bid ? key : -key;
      if (isZeroDecimal(u.new_quantity)) side.delete(sideKey);
      else side.set(sideKey, { price, size: u.new_quantity });
    }
  }

  /** The highest bid, or `undefined` when there are no bids. */
  bestBid(): Level | undefined {
    return this.#bids.at(0);
  }

  /** The lowest ask, or `undefined` when there are no asks. */
  bestAsk(): Level | undefined {
    return this.#asks.at(0);
  }

  /** Best ask − best bid as a decimal string (negative when crossed), or `undefined` if a side is empty. */
  spread(): string | undefined {
    const bid = this.#bids.best();
    const ask = this.#asks.best();
    if (bid === undefined || ask === undefined) return undefined;
    return formatScaled(-ask - bid, this.#scale);
  }

  /** The best `levels` levels of each side, best first. */
  depth(levels: number): { bids: Level[]; asks: Level[] } {
    const n = Math.max(0, Math.floor(levels));
    return { bids: this.#bids.top(n), asks: this.#asks.top(n) };
  }

  /** The number of price levels on each side. */
  size(): { bids: number; asks: number } {
    return { bids: this.#bids.length, asks: this.#asks.length };
  }

  /**
   * The volume-weighted average price to fill `size` (a positive plain decimal string) against the
   * book: `"buy"` walks the asks, `"sell"` the bids. `undefined` when the side holds less than
   * `size`. Exact arithmetic, rounded half-up to 8 fraction digits past the book's price scale.
   * Throws `CoinbaseClientError` (`invalid-request`) for a size that is not a positive decimal.
   */
  vwap(side: "buy" | "sell", size: string): string | undefined {
    if (typeof size !== "string" || !PLAIN_DECIMAL.test(size) || isZeroDecimal(size)) {
      throw new CoinbaseClientError("invalid-request", "vwap size must be a positive plain decimal string", {
        operation: "OrderBook.vwap",
        field: "size",
      });
    }
    const book = side === "buy" ? this.#asks : this.#bids;
    const priceScale = this.#scale;
    let qScale = fractionDigits(size);
    let wanted = toBig(size, qScale);
    let filled = 0n; // at qScale
    let cost = 0n; // at qScale + priceScale
    book.walk((level) => {
      const digits = fractionDigits(level.size);
      if (digits > qScale) {
        const up = 10n ** BigInt(digits - qScale);
        wanted *= up;
        filled *= up;
        cost *= up;
        qScale = digits;
      }
      const available = toBig(level.size, qScale);
      let take = wanted - filled;
      if (available < take) take = available;
      filled += take;
      cost += take * toBig(level.price, priceScale);
      return filled < wanted;
    });
    if (filled < wanted) return undefined;
    const outScale = priceScale + VWAP_EXTRA_DIGITS;
    return formatScaled(divRound(cost * 10n ** BigInt(VWAP_EXTRA_DIGITS), filled), outScale);
  }

  /** True when the best bid is at or above the best ask (an impossible book: resync it). */
  isCrossed(): boolean {
    const bid = this.#bids.best();
    const ask = this.#asks.best();
    return bid !== undefined && ask !== undefined && bid >= -ask;
  }

  #rescaleFor(price: string): boolean {
    const digits = fractionDigits(price);
    if (digits <= this.#scale || digits > MAX_SCALE) return false;
    const factor = pow10(digits - this.#scale);
    if (!this.#bids.canScale(factor) || !this.#asks.canScale(factor) || Number.isNaN(toScaled(price, digits)))
      return false;
    this.#bids.scale(factor);
    this.#asks.scale(factor);
    this.#scale = digits;
    return true;
  }
}
