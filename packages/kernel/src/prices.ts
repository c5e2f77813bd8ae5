/**
 * Prices: which market data sets an instrument's price (the `decisionPrice` rule), the price the
 * kernel sizes and values at: `Decision.price`, the ledger equity, the marks risk sees. Bars also
 * record the close and marks the mark, whatever the rule. Runs per market data event, so it
 * allocates nothing.
 */
import type { Bar, UnixMillis } from "@gpt/core";
import type { InstrumentSlot } from "./cache.js";
import type { RiskLink } from "./risk-link.js";

/**
 * The `decisionPrice` rule: which market data sets an instrument's price.
 *
 * - `"last"` (default): the latest of bar close, trade price, quote mid and mark price, by
 *   `tsEvent` (a backtest fed bars only decides at the bar's close);
 * - `"bar-close"`: bar closes only (a live bot decides at the close like its backtest; trades,
 *   quotes and marks are recorded but move nothing);
 * - `"mark"`: the venue's mark price; while an instrument has no mark yet (spot, or before the
 *   first `MarkPrice`), the latest of the others.
 */
export type DecisionPriceRule = "last" | "mark" | "bar-close";

/** Every `DecisionPriceRule`. */
export const DECISION_PRICE_RULES: readonly DecisionPriceRule[] = Object.freeze([
  "last",
  "mark",
  "bar-close",
]);

/** @internal Moves instrument prices from market data by the rule, and tells risk how far they moved. */
export class PriceRule {
  readonly #rule: DecisionPriceRule;
  /** Bar closes always set the price (`"last"`, `"bar-close"`); with `"mark"` only before a mark. */
  readonly #barsAlways: boolean;
  readonly #risk: RiskLink;

  constructor(rule: DecisionPriceRule, risk: RiskLink) {
    this.#rule = rule;
    this.#barsAlways = rule !== "mark";
    this.#risk = risk;
  }

  /** A closed bar: the close is recorded; it becomes the price when the rule takes bar closes. */
  bar(slot: InstrumentSlot, bar: Bar): void {
    slot.close = bar.close;
    slot.tsClose = bar.tsEvent;
    if (bar.tsEvent >= slot.tsPrice && (this.#barsAlways || slot.tsMark < 0)) {
      this.#move(slot, bar.close, bar.tsEvent);
    }
  }

  /** A history bar of `warmUp`: sets close and price, without risk, when newer than the price. */
  warmUpBar(slot: InstrumentSlot, bar: Bar): void {
    if (bar.tsEvent > slot.tsPrice || Number.isNaN(slot.price)) {
      slot.close = bar.close;
      slot.tsClose = bar.tsEvent;
      if (this.#barsAlways || slot.tsMark < 0) {
        slot.price = bar.close;
        slot.tsPrice = bar.tsEvent;
        slot.priceDecimal = undefined;
      }
    }
  }

  /**
   * A trade, a quote mid or (`isMark`) a mark price; `NaN` for events without one (books). True
   * when it moved the price (the caller then checks the equity drift).
   */
  price(slot: InstrumentSlot, price: number, tsEvent: UnixMillis, isMark: boolean): boolean {
    const previousMark = slot.tsMark;
    if (isMark) {
      slot.mark = price;
      slot.tsMark = tsEvent;
    }
    if (!Number.isFinite(price) || price <= 0) return false;
    let moves: boolean;
    switch (this.#rule) {
      case "last":
        moves = tsEvent >= slot.tsPrice;
        break;
      case "bar-close":
        moves = false;
        break;
      default:
        moves = isMark ? tsEvent >= previousMark : previousMark < 0 && tsEvent >= slot.tsPrice;
    }
    if (moves) this.#move(slot, price, tsEvent);
    return moves;
  }

  #move(slot: InstrumentSlot, price: number, tsEvent: UnixMillis): void {
    const previous = slot.price;
    slot.price = price;
    slot.tsPrice = tsEvent;
    slot.priceDecimal = undefined;
    if (slot.exposure !== 0 && !Number.isNaN(previous))
      this.#risk.priceMoved(slot.exposure, price - previous);
  }
}
