/**
 * Targets: a strategy's intents checked (`intents.ts`), targets kept as standing targets and
 * acted on — blocked while an outcome is unknown or a cancel unconfirmed, held (silently) while
 * an order sent on an earlier bar has not reported its outcome, otherwise planned by the pure
 * planning step (`planning.ts`) and carried out (`orders.ts`), every step a `Decision`. A target
 * that waits is decided again as soon as the answer it waits for arrives (`decideAnswered`).
 */
import {
  assertNever,
  type InstrumentId,
  isTerminalStatus,
  type Order,
  type OrderSide,
  type UnixMillis,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { Regime } from "@gpt/regime";
import type { CancelOrdersIntent, Strategy, StrategyIntent, TargetPositionIntent } from "@gpt/strategies";
import type { Cache, InstrumentSlot } from "./cache.js";
import { isLeg, refuseIntent } from "./intents.js";
import type { DecisionPolicy } from "./options.js";
import type { OrderRouter } from "./orders.js";
import type { TraderOutput } from "./output.js";
import {
  assessTarget,
  closePlan,
  type OrderBase,
  planEntry,
  type SizeOutcome,
  sizeEntry,
  spotSpendable,
  targetMoves,
} from "./planning.js";
import type { RiskLink } from "./risk-link.js";
import type { KernelSizer } from "./sizing.js";

const ZERO = D(0);

/**
 * A sent order that ends by itself at the venue (filled, or canceled by the venue) without a
 * cancel: a market, IOC or FOK order, open and not being canceled. The kernel sends every order it
 * initializes at once, so an `initialized` one is sent and not yet acknowledged, unless it is a
 * bracket leg (inactive until its entry fills).
 */
function endsByItself(order: Order): boolean {
  if (order.status === "pending-cancel" || isTerminalStatus(order.status) || isLeg(order)) return false;
  return order.type === "market" || order.timeInForce === "IOC" || order.timeInForce === "FOK";
}

/** @internal From intents to decisions and orders, for one trader. */
export class TargetDesk {
  /** Intents received from strategies. */
  intents = 0;
  readonly #cache: Cache;
  readonly #out: TraderOutput;
  readonly #orders: OrderRouter;
  readonly #riskLink: RiskLink;
  readonly #policy: DecisionPolicy;
  readonly #sizer: KernelSizer;
  readonly #regimeMultipliers: Readonly<Partial<Record<Regime, number>>> | undefined;
  /** Per instrument: the bar close a target was first held on, while its orders stay unanswered. */
  readonly #heldOn = new Map<InstrumentId, UnixMillis>();
  /** Per instrument: the bar close the latest superseding cancels were sent on. */
  readonly #cancelsOn = new Map<InstrumentId, UnixMillis>();

  constructor(deps: {
    readonly cache: Cache;
    readonly out: TraderOutput;
    readonly orders: OrderRouter;
    readonly riskLink: RiskLink;
    readonly policy: DecisionPolicy;
    readonly sizer: KernelSizer;
    readonly regimeMultipliers: Readonly<Partial<Record<Regime, number>>> | undefined;
  }) {
    this.#cache = deps.cache;
    this.#out = deps.out;
    this.#orders = deps.orders;
    this.#riskLink = deps.riskLink;
    this.#policy = deps.policy;
    this.#sizer = deps.sizer;
    this.#regimeMultipliers = deps.regimeMultipliers;
  }

  /**
   * The hold's bookkeeping of an instrument, for a snapshot: the bar close its target was first
   * held on (`NaN` after a reconcile) and the bar close its latest superseding cancels were sent on.
   */
  holdState(slot: InstrumentSlot): { heldOn: UnixMillis | undefined; cancelsOn: UnixMillis | undefined } {
    return { heldOn: this.#heldOn.get(slot.id), cancelsOn: this.#cancelsOn.get(slot.id) };
  }

  /** Puts back what `holdState` returned (from a snapshot). */
  restoreHoldState(
    slot: InstrumentSlot,
    state: { readonly heldOn: UnixMillis | undefined; readonly cancelsOn: UnixMillis | undefined },
  ): void {
    if (state.heldOn === undefined) this.#heldOn.delete(slot.id);
    else this.#heldOn.set(slot.id, state.heldOn);
    if (state.cancelsOn === undefined) this.#cancelsOn.delete(slot.id);
    else this.#cancelsOn.set(slot.id, state.cancelsOn);
  }

  /** Checks and acts on a strategy's intents, in order. */
  handleIntents(strategy: Strategy, intents: readonly StrategyIntent[]): void {
    for (let i = 0; i < intents.length; i++) {
      const intent = intents[i] as StrategyIntent;
      this.intents += 1;
      const slot =
        typeof intent.instrumentId === "string" ? this.#cache.peekSlot(intent.instrumentId) : undefined;
      const refusal = refuseIntent(intent, strategy, slot?.strategy);
      if (refusal !== undefined || slot === undefined) {
        const anySlot = slot ?? this.#cache.slot(strategy.instruments[0] as InstrumentId);
        // No slot means no strategy trades the instrument: `refuseIntent` has said why.
        const { reason, message } = refusal as NonNullable<typeof refusal>;
        this.#out.decision("invalid-intent", reason, message, anySlot, strategy, intent);
        continue;
      }
      switch (intent.type) {
        case "TargetPosition":
          slot.standing = intent;
          slot.pending = false;
          slot.blockedReason = undefined;
          this.evaluate(slot, intent);
          break;
        case "CancelOrders":
          this.#cancelIntent(slot, strategy, intent);
          break;
        default:
          assertNever(intent, "intent");
      }
    }
  }

  /**
   * Takes a strategy's `currentTarget` as the instrument's standing target without acting on it
   * now: it waits (pending) and is evaluated on the instrument's next bar. A target that breaks
   * the contract is a `Decision(invalid-intent)`; an instrument with a standing target keeps it.
   */
  adopt(strategy: Strategy, intent: StrategyIntent): void {
    const slot =
      typeof intent.instrumentId === "string" ? this.#cache.peekSlot(intent.instrumentId) : undefined;
    const refusal = refuseIntent(intent, strategy, slot?.strategy);
    if (refusal !== undefined || slot === undefined) {
      const anySlot = slot ?? this.#cache.slot(strategy.instruments[0] as InstrumentId);
      const { reason, message } = refusal as NonNullable<typeof refusal>;
      this.#out.decision("invalid-intent", reason, message, anySlot, strategy, intent);
      return;
    }
    if (intent.type !== "TargetPosition") return;
    // A restored standing target stays unless the strategy's current one differs (history past
    // the snapshot changed it): then the current one stands and waits.
    const standing = slot.standing;
    if (
      standing !== undefined &&
      standing.direction === intent.direction &&
      standing.sizeFraction === intent.sizeFraction &&
      standing.stopPrice === intent.stopPrice &&
      standing.takeProfitPrice === intent.takeProfitPrice
    )
      return;
    slot.standing = intent;
    slot.pending = true;
  }

  #cancelIntent(slot: InstrumentSlot, strategy: Strategy, intent: CancelOrdersIntent): void {
    if (slot.own.length === 0) return;
    const canceled = this.#orders.cancelOwn(slot, strategy);
    this.#out.decision(
      "cancel",
      "intent",
      `canceled ${canceled.length} working order(s): ${intent.reason}`,
      slot,
      strategy,
      intent,
      {
        canceled,
      },
    );
  }

  #block(
    slot: InstrumentSlot,
    strategy: Strategy,
    intent: TargetPositionIntent,
    reason: string,
    message: string,
  ): void {
    slot.pending = true;
    if (slot.blockedReason === reason) return;
    slot.blockedReason = reason;
    this.#out.decision("blocked", reason, message, slot, strategy, intent);
  }

  /**
   * Acts on a target: the heart of the pipeline (README: "Per target"). `reconciled`: the books
   * were just set from the venue's reports (reconcile), so an open order is working, not late:
   * no hold.
   */
  evaluate(slot: InstrumentSlot, intent: TargetPositionIntent, reconciled = false): void {
    const strategy = slot.strategy as Strategy;
    slot.pending = false;
    slot.answered = false;
    // 1-2. An unknown outcome blocks; a target already reached needs nothing.
    const assessment = assessTarget(
      slot.own,
      slot.position?.quantity ?? ZERO,
      intent.direction,
      this.#policy.rebalance,
    );
    if (assessment.kind === "outcome-unknown") {
      const order = assessment.order;
      this.#block(
        slot,
        strategy,
        intent,
        "outcome-unknown",
        `order ${order.clientOrderId} has an unknown ${order.outcomeUnknown} outcome; waiting for the venue's answer or reconciliation`,
      );
      return;
    }
    // 2a. An order sent on an earlier bar whose outcome is not reported yet: its fills belong
    //     before this bar (a backtest books them first), so the target waits for them.
    if (this.#holds(slot, reconciled)) return;
    if (assessment.kind === "reached") return;
    // 3. Cancel the strategy's working orders here; wait until the venue answers.
    if (slot.own.length > 0) {
      const { sent } = this.#orders.cancelWorking(slot, strategy);
      if (sent.length > 0) {
        this.#cancelsOn.set(slot.id, slot.tsClose);
        this.#out.decision(
          "cancel",
          "superseded",
          `canceled ${sent.length} working order(s) for the new target`,
          slot,
          strategy,
          intent,
          {
            canceled: sent,
          },
        );
      }
      if (slot.own.some((o) => !isLeg(o) || o.status !== "initialized")) {
        this.#awaitCancels(slot, strategy, intent);
        return;
      }
    }
    slot.blockedReason = undefined;
    // 4. Orders.
    const price = slot.priceAsDecimal();
    if (price === undefined) {
      this.#out.decision("skip", "no-price", `no market price for ${slot.id} yet`, slot, strategy, intent);
      return;
    }
    const current = slot.position?.quantity ?? ZERO;
    const equity = this.#cache.equity();
    // Roll the day / end cooldowns at this time; equity only moves with prices while a position
    // is open (fills and funding are observed when they are booked).
    this.#riskLink.atDecision(equity);
    const base: OrderBase = { slot, intent, price, equity, positionQuantity: current };
    for (const move of targetMoves(intent.direction, current, this.#policy.rebalance)) {
      if (move.kind === "close") this.#orders.place(closePlan(base, move.action));
      else this.#openMove(base, move);
    }
  }

  /**
   * Decides again the targets of instruments whose answer arrived (`EventApplier.takeAnswered`):
   * each one still waiting (`pending`) and not evaluated since is evaluated now, not at the next
   * bar. The trader calls it when its execution queue is idle; `queue` holds the events its
   * commands cause until it is done.
   */
  decideAnswered(slots: readonly InstrumentSlot[], queue: { hold(): void; release(): void }): void {
    if (slots.length === 0) return;
    queue.hold();
    try {
      for (const slot of slots) {
        // An evaluation since the answer (a reconcile's) has already decided on it.
        if (slot.answered && slot.pending && slot.standing !== undefined && slot.strategy !== undefined) {
          this.evaluate(slot, slot.standing);
        }
      }
    } finally {
      queue.release();
    }
  }

  /**
   * The hold (README "Per target", step a): true when the strategy has an order that ends by itself at the
   * venue (market, IOC, FOK), was sent on an earlier bar than the instrument's latest, and has
   * not reported its outcome. The venue has executed it against a bar the kernel has already
   * seen; only the report is late. The target waits, without a decision, and is decided when the
   * outcome arrives (`decideAnswered`), on the books a backtest would have had. The hold lasts
   * one bar: on a later bar with the order still unanswered, the target goes on to cancel it; and
   * none after a reconcile (the venue's reports say what is open).
   */
  #holds(slot: InstrumentSlot, reconciled: boolean): boolean {
    if (!slot.own.some(endsByItself)) {
      this.#heldOn.delete(slot.id);
      return false;
    }
    if (reconciled) {
      // The venue says these orders are open: not held again while they stay open.
      this.#heldOn.set(slot.id, Number.NaN);
      return false;
    }
    const sentOn = this.#orders.sentOnClose(slot);
    const heldOn = this.#heldOn.get(slot.id);
    if (sentOn === undefined || sentOn >= slot.tsClose || (heldOn !== undefined && heldOn !== slot.tsClose)) {
      return false;
    }
    this.#heldOn.set(slot.id, slot.tsClose);
    slot.pending = true;
    slot.blockedReason = undefined;
    return true;
  }

  /**
   * The target waits for the answers to its cancels. Cancels sent on this bar are due (a backtest
   * has them at once): the target waits without a decision and is decided when the last answer
   * arrives. Still unanswered on a later bar: `blocked` (`awaiting-cancel`); an order whose
   * outcome became unknown: `blocked` (`outcome-unknown`).
   */
  #awaitCancels(slot: InstrumentSlot, strategy: Strategy, intent: TargetPositionIntent): void {
    const unknown = slot.own.find((o) => o.outcomeUnknown !== undefined);
    if (unknown !== undefined) {
      this.#block(
        slot,
        strategy,
        intent,
        "outcome-unknown",
        `order ${unknown.clientOrderId} has an unknown ${unknown.outcomeUnknown} outcome; waiting for the venue's answer or reconciliation`,
      );
      return;
    }
    if (this.#cancelsOn.get(slot.id) === slot.tsClose) {
      slot.pending = true;
      return;
    }
    this.#block(slot, strategy, intent, "awaiting-cancel", "waiting for the venue to confirm the cancels");
  }

  /** An opening move: planned (pure), then logged, and placed when it is an order. */
  #openMove(base: OrderBase, move: Parameters<typeof planEntry>[1]): void {
    const { slot, intent, price, equity } = base;
    const strategy = slot.strategy as Strategy;
    const context = { price, equity, positionQuantity: base.positionQuantity };
    const step = planEntry(base, move, this.#riskLink.tradingState, this.#policy, (side, held) =>
      this.#size(base, side, held),
    );
    switch (step.kind) {
      case "none":
        return;
      case "skip":
        this.#out.decision("skip", step.reason, step.message, slot, strategy, intent, {
          ...context,
          ...(step.details === undefined ? {} : { details: step.details }),
        });
        return;
      case "denied":
        this.#orders.ordersDenied += 1;
        this.#out.decision("denied", step.reason, step.message, slot, strategy, intent, {
          ...context,
          side: step.side,
          check: step.reason,
        });
        return;
      case "order":
        this.#orders.place(step.plan);
        return;
      default:
        assertNever(step, "entry step");
    }
  }

  #size(base: OrderBase, side: OrderSide, held: Decimal): SizeOutcome {
    const { slot, intent, equity, price } = base;
    return sizeEntry(this.#sizer, {
      slot,
      intent,
      side,
      equity,
      price,
      spendable:
        !slot.derivative && side === "buy"
          ? spotSpendable(this.#cache.cash(), this.#cache.slotList, slot, held, price)
          : undefined,
      headroom: this.#policy.headroom,
      regimeMultipliers: this.#regimeMultipliers,
    });
  }
}
