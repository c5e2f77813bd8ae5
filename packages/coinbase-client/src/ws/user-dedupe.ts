/**
 * The `user` channel after a reconnect replays orders it already sent. This module drops those
 * replays (an order id with the same cumulative quantity and status, or an older state) and turns
 * each rise of `cumulative_quantity` into a fill: Coinbase sends no per-fill message. Pure: no
 * clock, no I/O; amounts are exact (bigint on scaled decimals), never floats.
 */
import { divRound, formatScaled, fractionDigits, toBig } from "./decimal.js";
import { PLAIN_DECIMAL } from "./schemas.js";
import type { WsUserOrder } from "./types.js";

/** A fill derived from two states of one order (the size and price of what filled in between). */
export interface UserFill {
  /** Coinbase's order id. */
  readonly orderId: string;
  /** Your client order id, when the order carried one. */
  readonly clientOrderId: string | undefined;
  /** The product, when the message named it. */
  readonly productId: string | undefined;
  /** `"BUY"` or `"SELL"` (`order_side`), when the message named it. */
  readonly side: string | undefined;
  /** Base size filled since the previous state: the rise of `cumulative_quantity`. */
  readonly size: string;
  /**
   * The average price of this fill, from the change of `avg_price × cumulative_quantity`, rounded
   * half-up to 8 digits past the finer of the two `avg_price`s; `undefined` if `avg_price` is missing.
   */
  readonly price: string | undefined;
  /** The rise of `total_fees`, when both states carry it. */
  readonly fee: string | undefined;
  /** `cumulative_quantity` after this fill. */
  readonly cumulativeQuantity: string;
  /** The order status after this fill (`"OPEN"`, `"FILLED"`, …). */
  readonly status: string;
}

/**
 * What one order update means:
 * - `new`: the first state seen for this order id (a fill only if it already has a filled quantity
 *   and `fillsFromFirstSeen` is on);
 * - `changed`: a newer state (`fill` set when the cumulative quantity rose);
 * - `duplicate`: the same cumulative quantity and status as the last state (a replay);
 * - `stale`: an older state than the last one (a lower cumulative quantity, or a status that goes
 *   back, e.g. `OPEN` after `FILLED`).
 */
export type UserOrderVerdict =
  | { readonly kind: "new"; readonly fill: UserFill | undefined }
  | { readonly kind: "changed"; readonly fill: UserFill | undefined }
  | { readonly kind: "duplicate" }
  | { readonly kind: "stale" };

/** Options of `UserOrderTracker`. */
export interface UserOrderTrackerOptions {
  /** Orders remembered at most (the least recently updated are forgotten first); default 10,000. */
  readonly maxOrders?: number;
  /**
   * Report a fill for an order first seen already partly filled (its whole `cumulative_quantity`);
   * default `false`: the snapshot after a (re)connect describes fills that happened before.
   */
  readonly fillsFromFirstSeen?: boolean;
}

interface OrderState {
  readonly cumulative: string;
  readonly status: string;
  readonly avgPrice: string | undefined;
  readonly fees: string | undefined;
}

const RANK: Readonly<Record<string, number>> = {
  PENDING: 0,
  OPEN: 1,
  CANCEL_QUEUED: 2,
  FILLED: 3,
  CANCELLED: 3,
  EXPIRED: 3,
  FAILED: 3,
};

function rank(status: string): number {
  return RANK[status] ?? 1;
}

function plain(text: string | undefined): text is string {
  return text !== undefined && PLAIN_DECIMAL.test(text);
}

/** `a` vs `b` (plain decimals): negative, zero or positive. */
function compare(a: string, b: string): number {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const x = toBig(a, scale);
  const y = toBig(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

function minus(a: string, b: string): bigint {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  return toBig(a, scale) - toBig(b, scale);
}

/**
 * Tracks the orders of a `user` channel: feed it every order of every `user` event, in order; it
 * says which are replays and derives fills. Keep one per account across reconnects (that is the
 * point: the replay after a reconnect is recognised).
 *
 * @example
 * const tracker = new UserOrderTracker();
 * tracker.apply({ order_id: "A", status: "OPEN", cumulative_quantity: "0", avg_price: "0" });
 * const v = tracker.apply({ order_id: "A", status: "OPEN", cumulative_quantity: "0.5", avg_price: "100" });
 * // v = { kind: "changed", fill: { size: "0.5", price: "100", … } }
 * tracker.apply({ order_id: "A", status: "OPEN", cumulative_quantity: "0.5", avg_price: "100" }); // duplicate
 */
export class UserOrderTracker {
  readonly #orders = new Map<string, OrderState>();
  readonly #maxOrders: number;
  readonly #fillsFromFirstSeen: boolean;

  constructor(options: UserOrderTrackerOptions = {}) {
    this.#maxOrders = Math.max(1, Math.floor(options.maxOrders ?? 10_000));
    this.#fillsFromFirstSeen = options.fillsFromFirstSeen ?? false;
  }

  /** The number of orders remembered. */
  get size(): number {
    return this.#orders.size;
  }

  /** Classifies one order state and remembers it unless it is a duplicate or stale. */
  apply(order: WsUserOrder): UserOrderVerdict {
    const id = order.order_id;
    const previous = this.#orders.get(id);
    const next: OrderState = {
      cumulative: order.cumulative_quantity,
      status: order.status,
      avgPrice: order.avg_price,
      fees: order.total_fees,
    };
    if (previous === undefined) {
      this.#remember(id, next);
      const fill =
        this.#fillsFromFirstSeen && plain(next.cumulative)
          ? deriveFill(order, { cumulative: "0", status: "", avgPrice: "0", fees: "0" }, next)
          : undefined;
      return { kind: "new", fill };
    }
    const direction =
      plain(next.cumulative) && plain(previous.cumulative)
        ? compare(next.cumulative, previous.cumulative)
        : 0;
    if (direction < 0) return { kind: "stale" };
    if (direction === 0) {
      if (next.cumulative === previous.cumulative && next.status === previous.status)
        return { kind: "duplicate" };
      if (rank(next.status) < rank(previous.status)) return { kind: "stale" };
      if (next.status === previous.status && next.cumulative !== previous.cumulative) {
        // The same amount written differently ("0.50" vs "0.5"): nothing happened.
        return { kind: "duplicate" };
      }
    }
    this.#remember(id, next);
    return { kind: "changed", fill: direction > 0 ? deriveFill(order, previous, next) : undefined };
  }

  /** Forgets one order (for example once you have booked its final state). */
  forget(orderId: string): void {
    this.#orders.delete(orderId);
  }

  /** Forgets every order. */
  clear(): void {
    this.#orders.clear();
  }

  #remember(id: string, state: OrderState): void {
    this.#orders.delete(id);
    this.#orders.set(id, state);
    if (this.#orders.size > this.#maxOrders) {
      const oldest = this.#orders.keys().next().value;
      if (oldest !== undefined) this.#orders.delete(oldest);
    }
  }
}

function deriveFill(order: WsUserOrder, previous: OrderState, next: OrderState): UserFill | undefined {
  const qScale = Math.max(fractionDigits(next.cumulative), fractionDigits(previous.cumulative));
  const size = minus(next.cumulative, previous.cumulative);
  if (size <= 0n) return undefined;
  let price: string | undefined;
  if (plain(next.avgPrice) && plain(previous.avgPrice)) {
    const pScale = Math.max(fractionDigits(next.avgPrice), fractionDigits(previous.avgPrice));
    const costNow = toBig(next.avgPrice, pScale) * toBig(next.cumulative, qScale);
    const costBefore = toBig(previous.avgPrice, pScale) * toBig(previous.cumulative, qScale);
    const delta = costNow - costBefore;
    if (delta >= 0n) price = formatScaled(divRound(delta * 10n ** 8n, size), pScale + 8);
  }
  const fee = plain(next.fees) && plain(previous.fees) ? minus(next.fees, previous.fees) : undefined;
  const feeScale =
    fee === undefined ? 0 : Math.max(fractionDigits(next.fees ?? ""), fractionDigits(previous.fees ?? ""));
  return {
    orderId: order.order_id,
    clientOrderId: order.client_order_id,
    productId: order.product_id,
    side: order.order_side,
    size: formatScaled(size, qScale),
    price,
    fee: fee === undefined ? undefined : formatScaled(fee, feeScale),
    cumulativeQuantity: next.cumulative,
    status: next.status,
  };
}
