/**
 * Carrying out order plans: quantize, check with risk, log the decision, create the order
 * (`OrderInitialized`) and send its command; and cancelling a strategy's working orders. Every
 * venue answer comes back through the trader's event queue.
 */
import {
  bracketLegs,
  type CancelOrder,
  type ClientOrderId,
  type Clock,
  type ExecutionEvent,
  type ExecutionPort,
  type IdSequence,
  type InstrumentId,
  isTerminalStatus,
  type Logger,
  type MarketOrderSpec,
  type OrderInitialized,
  type OrderSide,
  type OrderSpec,
  type StrategyId,
  type SubmitBracket,
  type SubmitOrder,
  type UnixMillis,
  validateCommand,
} from "@gpt/core";
import type { Decimal } from "@gpt/quantize";
import type { Strategy } from "@gpt/strategies";
import type { Cache, InstrumentSlot } from "./cache.js";
import { isLeg } from "./intents.js";
import { errorName, type TraderOutput } from "./output.js";
import { type OrderPlan, orderMessage, quantizePlan } from "./planning.js";
import type { RiskLink } from "./risk-link.js";

/** @internal What the order router needs from the trader that owns it. */
export interface OrderHost {
  /** Applies an event the kernel creates (through the same path as venue events). */
  process(event: ExecutionEvent): void;
  /** Holds execution events in the queue while a command is being sent. */
  hold(): void;
  /** Ends a `hold`. */
  release(): void;
  /** Applies the queued execution events. */
  drain(): void;
}

/** @internal Places and cancels orders for the trader. */
export class OrderRouter {
  /** Orders sent to the execution port. */
  ordersSubmitted = 0;
  /** Orders denied (by risk, or by the trading state before sizing). */
  ordersDenied = 0;
  readonly #clock: Clock;
  readonly #execution: ExecutionPort;
  readonly #orderIds: IdSequence<ClientOrderId>;
  readonly #cache: Cache;
  readonly #out: TraderOutput;
  readonly #risk: RiskLink;
  readonly #logger: Logger;
  readonly #commands: Map<ClientOrderId, SubmitOrder | SubmitBracket>;
  readonly #host: OrderHost;
  /** Per instrument: the bar close (`tsClose`) the latest order was sent on. */
  readonly #sentOnClose = new Map<InstrumentId, UnixMillis>();

  constructor(deps: {
    readonly clock: Clock;
    readonly execution: ExecutionPort;
    readonly orderIds: IdSequence<ClientOrderId>;
    readonly cache: Cache;
    readonly out: TraderOutput;
    readonly risk: RiskLink;
    readonly logger: Logger;
    readonly commands: Map<ClientOrderId, SubmitOrder | SubmitBracket>;
    readonly host: OrderHost;
  }) {
    this.#clock = deps.clock;
    this.#execution = deps.execution;
    this.#orderIds = deps.orderIds;
    this.#cache = deps.cache;
    this.#out = deps.out;
    this.#risk = deps.risk;
    this.#logger = deps.logger;
    this.#commands = deps.commands;
    this.#host = deps.host;
  }

  /** Quantize → risk → OrderInitialized → submit (or OrderDenied). */
  place(plan: OrderPlan): void {
    const { slot, intent } = plan;
    const strategy = slot.strategy as Strategy;
    const common = {
      price: plan.price,
      equity: plan.equity,
      positionQuantity: plan.positionQuantity,
      ...(plan.targetQuantity === undefined ? {} : { targetQuantity: plan.targetQuantity }),
    };
    const quantized = quantizePlan(plan);
    if (quantized.kind === "zero") {
      this.#out.decision("skip", "zero-quantity", quantized.message, slot, strategy, intent, common);
      return;
    }
    const { quantity, bracket } = quantized;
    const clientOrderId = this.#orderIds.next();
    const decision = this.#risk.check({
      instrumentId: slot.id,
      side: plan.side,
      quantity,
      reduce: plan.reduce,
      markPrice: plan.price,
      tsMark: slot.tsPrice,
    });
    if (decision !== undefined && decision.kind === "denied") {
      this.ordersDenied += 1;
      this.#out.decision("denied", decision.reason, decision.message, slot, strategy, intent, {
        ...common,
        clientOrderId,
        side: plan.side,
        quantity,
        check: decision.check,
        details: decision.details,
      });
      const spec = marketSpec(clientOrderId, slot, plan.side, quantity, plan.reduce);
      this.#host.process({
        type: "OrderInitialized",
        ...this.#out.orderMeta(clientOrderId, slot.id),
        order: spec,
        strategyId: strategy.id,
      });
      this.#host.process({
        type: "OrderDenied",
        ...this.#out.orderMeta(clientOrderId, slot.id),
        reason: `${decision.reason}: ${decision.message}`,
      });
      return;
    }
    this.#out.decision("order", plan.action, orderMessage(plan, quantity), slot, strategy, intent, {
      ...common,
      clientOrderId,
      side: plan.side,
      quantity,
    });
    const tsInit = this.#clock.now();
    if (bracket !== undefined) {
      const entry = marketSpec(clientOrderId, slot, plan.side, quantity, false);
      const command: SubmitBracket = {
        type: "SubmitBracket",
        strategyId: strategy.id,
        entry,
        takeProfit: { clientOrderId: this.#orderIds.next(), price: bracket.takeProfit },
        stopLoss: { clientOrderId: this.#orderIds.next(), triggerPrice: bracket.stopLoss },
        tsInit,
      };
      const issues = validateCommand(command);
      if (issues.length === 0) {
        const legs = bracketLegs(command);
        const link = {
          entryClientOrderId: clientOrderId,
          takeProfitClientOrderId: command.takeProfit.clientOrderId,
          stopLossClientOrderId: command.stopLoss.clientOrderId,
        };
        this.#initialize(entry, strategy.id, { role: "entry", ...link });
        this.#initialize(legs.takeProfit, strategy.id, { role: "take-profit", ...link });
        this.#initialize(legs.stopLoss, strategy.id, { role: "stop-loss", ...link });
        this.#commands.set(clientOrderId, command);
        this.#send(slot, () => this.#execution.submitBracket(command), [
          clientOrderId,
          command.takeProfit.clientOrderId,
          command.stopLoss.clientOrderId,
        ]);
        return;
      }
      this.#logger.warn("bracket not possible, sending a plain market order", {
        clientOrderId,
        issues: issues.map((i) => i.message).join("; "),
      });
    }
    const spec = marketSpec(clientOrderId, slot, plan.side, quantity, plan.reduce);
    this.#initialize(spec, strategy.id, undefined);
    const command: SubmitOrder = { type: "SubmitOrder", strategyId: strategy.id, order: spec, tsInit };
    this.#commands.set(clientOrderId, command);
    this.#send(slot, () => this.#execution.submitOrder(command), [clientOrderId]);
  }

  /**
   * Sends a command. If the port throws (an invalid command is a programming error), the orders
   * it would have created are canceled locally (`OrderCanceled` from `initialized`, so they do not
   * stay working forever) and the error is rethrown after the events queued so far are applied.
   */
  #send(slot: InstrumentSlot, submit: () => void, ids: readonly ClientOrderId[]): void {
    if (!this.#writeAhead(ids)) return;
    this.#sentOnClose.set(slot.id, slot.tsClose);
    this.ordersSubmitted += 1;
    this.#risk.orderSent();
    this.#host.hold();
    let failure: { error: unknown } | undefined;
    try {
      submit();
    } catch (error) {
      failure = { error };
    } finally {
      this.#host.release();
    }
    this.#host.drain();
    if (failure === undefined) return;
    for (const id of ids) {
      const order = this.#cache.order(id);
      if (order === undefined || order.status !== "initialized") continue;
      this.#out.warn(
        "event-not-applied",
        `the execution port refused to send ${id}: ${String(failure.error)}`,
        this.#clock.now(),
        {
          clientOrderId: id,
          instrumentId: order.instrumentId,
        },
      );
      this.#host.process({ type: "OrderCanceled", ...this.#out.orderMeta(id, order.instrumentId) });
    }
    throw failure.error;
  }

  /**
   * The write-ahead step: the order's record goes to the store before the command may leave. On a
   * store failure the command is not sent: `KernelWarning(store-write-failed)` and `OrderDenied`.
   */
  #writeAhead(ids: readonly ClientOrderId[]): boolean {
    const store = this.#out.store;
    const command = this.#commands.get(ids[0] as ClientOrderId);
    if (store === undefined || command === undefined) return true;
    try {
      store.writeOrder({ clientOrderIds: ids, command });
      return true;
    } catch (error) {
      const reason = `store-write-failed: the order record was not written (${errorName(error)}); not sent`;
      for (const id of ids) {
        const order = this.#cache.order(id);
        if (order === undefined || order.status !== "initialized") continue;
        this.#out.warn("store-write-failed", `${id}: ${reason}`, this.#clock.now(), {
          clientOrderId: id,
          instrumentId: order.instrumentId,
        });
        this.#host.process({ type: "OrderDenied", ...this.#out.orderMeta(id, order.instrumentId), reason });
      }
      this.#commands.delete(ids[0] as ClientOrderId);
      this.ordersDenied += 1;
      return false;
    }
  }

  #initialize(spec: OrderSpec, strategy: StrategyId, bracket: OrderInitialized["bracket"]): void {
    this.#host.process({
      type: "OrderInitialized",
      ...this.#out.orderMeta(spec.clientOrderId, spec.instrumentId),
      order: spec,
      strategyId: strategy,
      ...(bracket === undefined ? {} : { bracket }),
    });
  }

  /**
   * The bar close (`tsClose`) of the instrument when its latest order was sent; `undefined` when
   * this trader has sent none (a restored trader has the snapshot's, `restoreSentOnClose`).
   */
  sentOnClose(slot: InstrumentSlot): UnixMillis | undefined {
    return this.#sentOnClose.get(slot.id);
  }

  /** Sets what `sentOnClose` answers for the slot (from a snapshot). */
  restoreSentOnClose(slot: InstrumentSlot, tsClose: UnixMillis): void {
    this.#sentOnClose.set(slot.id, tsClose);
  }

  /** Sends a cancel for every working order of the slot's strategy; returns their ids. */
  cancelOwn(slot: InstrumentSlot, strategy: Strategy): ClientOrderId[] {
    return this.cancelWorking(slot, strategy).asked;
  }

  /**
   * Cancels every working order of the slot's strategy. `asked`: the ids of all of them; `sent`:
   * those a cancel went out for now. An order with a cancel already on its way (sent by this
   * trader and not answered: `slot.canceling`, or `pending-cancel`) is not asked again.
   */
  cancelWorking(
    slot: InstrumentSlot,
    strategy: Strategy,
  ): { readonly asked: ClientOrderId[]; readonly sent: ClientOrderId[] } {
    const asked: ClientOrderId[] = [];
    const sent: ClientOrderId[] = [];
    const orders = slot.own;
    this.#host.hold();
    try {
      for (const order of orders) {
        if (order.status === "pending-cancel" || slot.canceling.has(order.clientOrderId)) {
          asked.push(order.clientOrderId);
          continue;
        }
        // An inactive bracket leg goes with its entry, unless the entry is already done.
        if (order.status === "initialized" && isLeg(order)) {
          const entry =
            order.bracket === undefined ? undefined : this.#cache.order(order.bracket.entryClientOrderId);
          if (entry !== undefined && !isTerminalStatus(entry.status)) continue;
        }
        const command: CancelOrder = {
          type: "CancelOrder",
          strategyId: strategy.id,
          instrumentId: slot.id,
          clientOrderId: order.clientOrderId,
          ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
          tsInit: this.#clock.now(),
        };
        asked.push(order.clientOrderId);
        sent.push(order.clientOrderId);
        this.#execution.cancelOrder(command);
        slot.canceling.add(order.clientOrderId);
      }
    } finally {
      this.#host.release();
    }
    this.#host.drain();
    return { asked, sent };
  }
}

/** An IOC market order; reduce-only only where the venue knows positions (derivatives). */
function marketSpec(
  clientOrderId: ClientOrderId,
  slot: InstrumentSlot,
  side: OrderSide,
  quantity: Decimal,
  reduce: boolean,
): MarketOrderSpec {
  return {
    type: "market",
    clientOrderId,
    instrumentId: slot.id,
    side,
    quantity,
    timeInForce: "IOC",
    reduceOnly: reduce && slot.derivative,
  };
}
