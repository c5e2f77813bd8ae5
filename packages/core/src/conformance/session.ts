import {
  type ClientOrderId,
  CoreError,
  clientOrderId,
  createEventIdGenerator,
  type ExecutionEvent,
  isOrderEvent,
  type Order,
  type OrderEvent,
  type OrderFilled,
  type OrderInitialized,
  type OrderSide,
  type OrderSpec,
  replayOrder,
  type StrategyId,
  strategyId,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { ConformanceVenue } from "./types.js";

/** The strategy id the suite's commands carry. */
const STRATEGY: StrategyId = strategyId("conformance");

/**
 * A failed expectation of a check. Thrown inside the suite only and caught by the runner, which
 * reports its message as the check's `detail`.
 */
export function fail(message: string): never {
  throw new CoreError("invalid-value", message, { context: { field: "conformance" } });
}

/** Fails the check with `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) fail(message);
}

/**
 * One check's view of a venue: sends commands the way the kernel does (with the `OrderInitialized`
 * a kernel would emit kept here), records every event the port emits and replays each order's
 * events through the order state machine.
 */
export class ConformanceSession {
  /** Every event the port emitted, in order. */
  readonly events: ExecutionEvent[] = [];
  private readonly inits = new Map<ClientOrderId, OrderInitialized>();
  private readonly eventIds = createEventIdGenerator("conformance");
  private orderCount = 0;
  private readonly stop: () => void;

  constructor(readonly venue: ConformanceVenue) {
    this.stop = venue.port.onEvent((event) => {
      this.events.push(event);
    });
  }

  /** Stops recording. */
  close(): void {
    this.stop();
  }

  /** A fresh client order id, unique within the session. */
  nextId(): ClientOrderId {
    this.orderCount += 1;
    return clientOrderId(`conf-${this.orderCount}`);
  }

  /** `price × factor`, rounded down to the instrument's price increment. */
  priceAt(factor: string): Decimal {
    const tick = this.venue.instrument.priceIncrement;
    return this.venue.price.mul(D(factor)).div(tick).floor().mul(tick);
  }

  /** A GTC limit order spec of the venue's instrument. */
  limit(side: OrderSide, price: Decimal, quantity: Decimal, postOnly = false): OrderSpec {
    return {
      type: "limit",
      clientOrderId: this.nextId(),
      instrumentId: this.venue.instrument.id,
      side,
      quantity,
      price,
      postOnly,
      timeInForce: "GTC",
      reduceOnly: false,
    };
  }

  /** An IOC market order spec of the venue's instrument. */
  market(side: OrderSide, quantity: Decimal): OrderSpec {
    return {
      type: "market",
      clientOrderId: this.nextId(),
      instrumentId: this.venue.instrument.id,
      side,
      quantity,
      timeInForce: "IOC",
      reduceOnly: false,
    };
  }

  /** Sends `order` as a `SubmitOrder`, after recording its `OrderInitialized`. */
  submit(order: OrderSpec): ClientOrderId {
    const ts = this.venue.driver.now();
    this.inits.set(order.clientOrderId, {
      type: "OrderInitialized",
      eventId: this.eventIds.next(),
      tsEvent: ts,
      tsInit: ts,
      clientOrderId: order.clientOrderId,
      instrumentId: order.instrumentId,
      order,
      strategyId: STRATEGY,
    });
    this.venue.port.submitOrder({ type: "SubmitOrder", strategyId: STRATEGY, order, tsInit: ts });
    return order.clientOrderId;
  }

  /** Requests a cancel of `id`. */
  cancel(id: ClientOrderId): void {
    this.venue.port.cancelOrder({
      type: "CancelOrder",
      strategyId: STRATEGY,
      instrumentId: this.venue.instrument.id,
      clientOrderId: id,
      tsInit: this.venue.driver.now(),
    });
  }

  /** Requests a price change of `id`. */
  modifyPrice(id: ClientOrderId, price: Decimal): void {
    this.venue.port.modifyOrder({
      type: "ModifyOrder",
      strategyId: STRATEGY,
      instrumentId: this.venue.instrument.id,
      clientOrderId: id,
      price,
      tsInit: this.venue.driver.now(),
    });
  }

  /** The market trades at `price` (at most `quantity`), then the venue settles. */
  async trade(price: Decimal, quantity?: Decimal): Promise<void> {
    await this.venue.driver.trade(price, quantity);
    await this.venue.driver.settle();
  }

  /** Waits for the venue's deliveries. */
  settle(): Promise<void> {
    return this.venue.driver.settle();
  }

  /** The order events of `id`, in order. */
  orderEvents(id: ClientOrderId): OrderEvent[] {
    return this.events.filter((e): e is OrderEvent => isOrderEvent(e) && e.clientOrderId === id);
  }

  /** The event types of `id`, in order. */
  types(id: ClientOrderId): string[] {
    return this.orderEvents(id).map((e) => e.type);
  }

  /** The fills of `id`. */
  fills(id: ClientOrderId): OrderFilled[] {
    return this.orderEvents(id).filter((e): e is OrderFilled => e.type === "OrderFilled");
  }

  /** Σ `lastQty` of the fills of `id`. */
  filledQty(id: ClientOrderId): Decimal {
    return this.fills(id).reduce((sum, f) => sum.plus(f.lastQty), D(0));
  }

  /**
   * The order `id` as the state machine sees it after the suite's `OrderInitialized` and every
   * event the port emitted for it. Fails the check when the events are not a legal sequence.
   */
  order(id: ClientOrderId): Order {
    const init = this.inits.get(id);
    if (init === undefined) fail(`order ${id} was not sent by the suite`);
    try {
      return replayOrder([init, ...this.orderEvents(id)]);
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : "unknown error";
      throw new CoreError("invalid-value", `order ${id}: its events do not replay (${message})`, {
        cause,
        context: { field: "conformance" },
      });
    }
  }

  /**
   * Checks for the whole stream: the port never emits `OrderInitialized` or `OrderDenied`, every
   * order event is for an order the suite sent (or a cancel/modify answer the suite asked for),
   * and every order's events replay through the state machine.
   */
  verifyStream(unknownIds: readonly ClientOrderId[] = []): void {
    for (const e of this.events) {
      if (!isOrderEvent(e)) continue;
      expectThat(
        e.type !== "OrderInitialized" && e.type !== "OrderDenied",
        `the port emitted ${e.type} (that event belongs to the caller)`,
      );
      expectThat(
        this.inits.has(e.clientOrderId) || unknownIds.includes(e.clientOrderId),
        `the port emitted ${e.type} for order ${e.clientOrderId}, which the suite never sent`,
      );
    }
    for (const id of this.inits.keys()) this.order(id);
  }
}
