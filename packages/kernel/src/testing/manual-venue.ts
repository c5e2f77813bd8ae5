/**
 * An execution port the test drives by hand (not exported from the package): it records every
 * command and emits exactly the events the test (or its `onSubmit` hook) gives it.
 */
import {
  type CancelAllOrders,
  type CancelOrder,
  type ClientOrderId,
  createEventIdGenerator,
  type ExecutionEvent,
  type ExecutionEventHandler,
  type ExecutionPort,
  type InstrumentId,
  type ModifyOrder,
  type OrderSide,
  type SubmitBracket,
  type SubmitOrder,
  tradeId,
  type UnixMillis,
  venueOrderId,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";

/** A hand-driven port. */
export class ManualVenue implements ExecutionPort {
  readonly commands: (SubmitOrder | SubmitBracket | CancelOrder | ModifyOrder | CancelAllOrders)[] = [];
  readonly #handlers: ExecutionEventHandler[] = [];
  readonly #ids = createEventIdGenerator("manual");
  #trade = 0;
  /** Called inside `submitOrder` (synchronously, like a simulated venue). */
  onSubmit: ((command: SubmitOrder, venue: ManualVenue) => void) | undefined = undefined;
  /** Called inside `cancelOrder`. */
  onCancel: ((command: CancelOrder, venue: ManualVenue) => void) | undefined = undefined;

  onEvent(handler: ExecutionEventHandler): () => void {
    this.#handlers.push(handler);
    return () => {
      const i = this.#handlers.indexOf(handler);
      if (i >= 0) this.#handlers.splice(i, 1);
    };
  }

  /** Emits one event to the handlers. */
  emit(event: ExecutionEvent): void {
    for (const h of [...this.#handlers]) h(event);
  }

  /** Event metadata for an order. */
  meta(clientOrderId: ClientOrderId, instrumentId: InstrumentId, ts: UnixMillis) {
    return { eventId: this.#ids.next(), tsEvent: ts, tsInit: ts, clientOrderId, instrumentId };
  }

  /** Emits `OrderSubmitted` + `OrderAccepted` for an order. */
  accept(command: SubmitOrder, ts: UnixMillis): void {
    const { clientOrderId, instrumentId } = command.order;
    this.emit({ type: "OrderSubmitted", ...this.meta(clientOrderId, instrumentId, ts) });
    this.emit({
      type: "OrderAccepted",
      ...this.meta(clientOrderId, instrumentId, ts),
      venueOrderId: venueOrderId(`mv-${clientOrderId}`),
    });
  }

  /** Emits a full fill of an accepted order at `price` with `feeRate` commission. */
  fill(
    order: { clientOrderId: ClientOrderId; instrumentId: InstrumentId; side: OrderSide; quantity: Decimal },
    price: string,
    ts: UnixMillis,
    feeRate = "0",
  ): void {
    this.#trade += 1;
    const p = D(price);
    this.emit({
      type: "OrderFilled",
      ...this.meta(order.clientOrderId, order.instrumentId, ts),
      venueOrderId: venueOrderId(`mv-${order.clientOrderId}`),
      tradeId: tradeId(`mt-${this.#trade}`),
      side: order.side,
      lastQty: order.quantity,
      lastPrice: p,
      commission: order.quantity.mul(p).mul(D(feeRate)),
      commissionCurrency: "USD",
      liquiditySide: "taker",
    });
  }

  submitOrder(command: SubmitOrder): void {
    this.commands.push(command);
    this.onSubmit?.(command, this);
  }

  submitBracket(command: SubmitBracket): void {
    this.commands.push(command);
  }

  cancelOrder(command: CancelOrder): void {
    this.commands.push(command);
    this.onCancel?.(command, this);
  }

  modifyOrder(command: ModifyOrder): void {
    this.commands.push(command);
  }

  cancelAllOrders(command: CancelAllOrders): void {
    this.commands.push(command);
  }

  /** The submit commands, in order. */
  get submits(): SubmitOrder[] {
    return this.commands.filter((c): c is SubmitOrder => c.type === "SubmitOrder");
  }
}
