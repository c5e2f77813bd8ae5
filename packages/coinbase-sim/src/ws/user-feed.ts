/**
 * The user side of the WebSocket feeds: every change the exchange makes to an order becomes a
 * `user` update (in the order the changes happened, identical consecutive states sent once), the
 * open orders of a snapshot, the recent updates a `userReplay` fault sends again, and the futures
 * balance summary with its changes.
 */
import type { Exchange, OrderRecord } from "../exchange.js";
import { futuresBalanceView, userOrderView, userPositions } from "./user-frames.js";

/** Recent updates kept for a `userReplay` fault. */
const HISTORY = 1_000;

/** A `user` order as sent (Coinbase's field names, string values). */
export type UserOrderFrame = Readonly<Record<string, string>>;

/** See the file comment. */
export class UserFeed {
  readonly #exchange: Exchange;
  readonly #publish: (orders: readonly UserOrderFrame[]) => void;
  readonly #lastSent = new Map<string, string>();
  readonly #history: UserOrderFrame[] = [];
  #pending: { readonly record: OrderRecord; readonly view: UserOrderFrame }[] = [];
  #scheduled = false;
  #balance: string | undefined;
  #disposed = false;
  readonly #unsubscribe: () => void;

  /**
   * Listens to the exchange's order changes. They are published together once the current command
   * (an order placed, a market step) is over, so an order refused at once is never announced.
   */
  constructor(exchange: Exchange, publish: (orders: readonly UserOrderFrame[]) => void) {
    this.#exchange = exchange;
    this.#publish = publish;
    this.#unsubscribe = exchange.onOrderChange((record) => {
      this.#pending.push({ record, view: userOrderView(record, exchange.products.get(record.productId)) });
      if (this.#scheduled) return;
      this.#scheduled = true;
      queueMicrotask(() => this.flush());
    });
  }

  /** Publishes the changes waiting (each state that differs from the order's last one sent). */
  flush(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = [];
    if (this.#disposed || pending.length === 0) return;
    const out: UserOrderFrame[] = [];
    const touched = new Set<OrderRecord>();
    const add = (view: UserOrderFrame): void => {
      const text = JSON.stringify(view);
      const id = view.order_id ?? "";
      if (this.#lastSent.get(id) === text) return;
      this.#lastSent.set(id, text);
      out.push(view);
      this.#history.push(view);
    };
    for (const { record, view } of pending) {
      if (this.#exchange.orders.get(record.orderId) !== record) continue;
      touched.add(record);
      add(view);
    }
    // A change made after the engine's event (an edit's new price) shows in the record's state now.
    for (const record of touched) add(userOrderView(record, this.#exchange.products.get(record.productId)));
    if (this.#history.length > HISTORY + 100) this.#history.splice(0, this.#history.length - HISTORY);
    if (out.length > 0) this.#publish(out);
  }

  /** The open orders (pending or open), oldest first, of the products `wanted` accepts. */
  openOrders(wanted: (productId: string) => boolean): UserOrderFrame[] {
    return this.#exchange.orderList
      .filter(
        (record) => (record.status === "OPEN" || record.status === "PENDING") && wanted(record.productId),
      )
      .map((record) => userOrderView(record, this.#exchange.products.get(record.productId)));
  }

  /** The last `count` updates sent, oldest first, of the products `wanted` accepts. */
  recent(count: number, wanted: (productId: string) => boolean): UserOrderFrame[] {
    if (count <= 0) return [];
    return this.#history.filter((view) => wanted(view.product_id ?? "")).slice(-count);
  }

  /** The futures positions of a `user` snapshot. */
  positions(): Record<string, unknown> {
    return userPositions(this.#exchange);
  }

  /** The futures balance summary now (`undefined` without futures products). */
  balance(): Record<string, unknown> | undefined {
    const view = futuresBalanceView(this.#exchange);
    if (view !== undefined) this.#balance = JSON.stringify(view);
    return view;
  }

  /** The futures balance summary if it changed since it was last read, else `undefined`. */
  balanceChange(): Record<string, unknown> | undefined {
    const view = futuresBalanceView(this.#exchange);
    if (view === undefined) return undefined;
    const text = JSON.stringify(view);
    if (text === this.#balance) return undefined;
    this.#balance = text;
    return view;
  }

  /** Stops listening to the exchange. */
  dispose(): void {
    this.#disposed = true;
    this.#unsubscribe();
  }
}
