/**
 * Everything the trader says: events written to the log and dispatched to subscribers, with ids
 * and times; kernel warnings; decisions; risk notices; and the counters behind `stats()`.
 */
import type { ClientOrderId, Clock, EventId, IdSequence, InstrumentId, Logger, UnixMillis } from "@gpt/core";
import type { RiskEvent } from "@gpt/risk";
import type { Strategy, StrategyIntent } from "@gpt/strategies";
import type { InstrumentSlot } from "./cache.js";
import type { EventLog, TraderEventBus } from "./event-log.js";
import type { Decision, DecisionKind, KernelWarning, TraderEvent } from "./events.js";
import { summarize } from "./intents.js";

/** The fields of a decision the caller fills in besides kind, reason, message and the ids. */
export type DecisionExtra = Partial<
  Omit<
    Decision,
    | "type"
    | "kind"
    | "reason"
    | "message"
    | "strategyId"
    | "instrumentId"
    | "intent"
    | "eventId"
    | "tsEvent"
    | "tsInit"
  >
>;

/** Extra ids of a warning. */
export interface WarningExtra {
  readonly eventType?: string;
  readonly clientOrderId?: ClientOrderId;
  readonly instrumentId?: InstrumentId;
}

/** @internal The trader's output: the event log, the bus, ids and counters. */
export class TraderOutput {
  readonly eventLog: EventLog;
  readonly events: TraderEventBus;
  readonly #clock: Clock;
  readonly #eventIds: IdSequence<EventId>;
  readonly #logger: Logger;
  /** Events written to the log. */
  eventsLogged = 0;
  /** Decision events written. */
  decisions = 0;

  constructor(
    eventLog: EventLog,
    events: TraderEventBus,
    clock: Clock,
    eventIds: IdSequence<EventId>,
    logger: Logger,
  ) {
    this.eventLog = eventLog;
    this.events = events;
    this.#clock = clock;
    this.#eventIds = eventIds;
    this.#logger = logger;
  }

  /** The next event id. */
  nextEventId(): EventId {
    return this.#eventIds.next();
  }

  /** Writes an event to the log, then dispatches it. */
  emit(event: TraderEvent): void {
    this.eventsLogged += 1;
    if (event.type === "Decision") this.decisions += 1;
    this.eventLog.write(event);
    this.events.dispatch(event);
  }

  /** Id and times of a kernel event that happened at `tsEvent`. */
  meta(tsEvent: UnixMillis): { eventId: EventId; tsEvent: UnixMillis; tsInit: UnixMillis } {
    return { eventId: this.#eventIds.next(), tsEvent, tsInit: this.#clock.now() };
  }

  /** Id, times and ids of an order event the kernel creates now. */
  orderMeta(clientOrderId: ClientOrderId, instrumentId: InstrumentId) {
    const now = this.#clock.now();
    return { eventId: this.#eventIds.next(), tsEvent: now, tsInit: now, clientOrderId, instrumentId };
  }

  /** Logs and emits a `KernelWarning`. */
  warn(code: KernelWarning["code"], message: string, tsEvent: UnixMillis, extra: WarningExtra = {}): void {
    this.#logger.warn(message, { code, ...extra });
    this.emit({ type: "KernelWarning", ...this.meta(tsEvent), code, message, ...extra });
  }

  /** Emits each risk event as a `RiskNotice`. */
  riskEvents(events: readonly RiskEvent[]): void {
    for (const event of events) {
      this.emit({ type: "RiskNotice", ...this.meta(event.tsEvent), event });
    }
  }

  /** Emits a `Decision` on an intent, stamped with the intent's time and the instrument's regime. */
  decision(
    kind: DecisionKind,
    reason: string,
    message: string,
    slot: InstrumentSlot,
    strategy: Strategy,
    intent: StrategyIntent,
    extra: DecisionExtra = {},
  ): void {
    const regime = slot.classifier?.value?.regime;
    const event: Decision = {
      type: "Decision",
      ...this.meta(intent.tsEvent),
      kind,
      reason,
      message,
      strategyId: strategy.id,
      instrumentId: slot.id,
      intent: summarize(intent),
      ...(regime === undefined ? {} : { regime }),
      ...extra,
    };
    this.emit(event);
  }
}
