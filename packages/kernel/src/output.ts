/**
 * Everything the trader says: events written to the log and dispatched to subscribers, with ids
 * and times; kernel warnings; decisions; risk notices; and the counters behind `stats()`.
 */
import type {
  ClientOrderId,
  Clock,
  EventId,
  IdSequence,
  InstrumentId,
  Logger,
  Position,
  UnixMillis,
} from "@gpt/core";
import type { RiskEvent } from "@gpt/risk";
import type { Strategy, StrategyIntent } from "@gpt/strategies";
import type { InstrumentSlot } from "./cache.js";
import type { EventLog, TraderEventBus } from "./event-log.js";
import type { Decision, DecisionKind, KernelWarning, TraderEvent } from "./events.js";
import { summarize } from "./intents.js";
import type { TraderStore } from "./store.js";

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

/** The events after which an instrument's position may have changed. */
const POSITION_EVENTS: ReadonlySet<TraderEvent["type"]> = new Set([
  "OrderFilled",
  "ForcedFill",
  "FundingApplied",
  "PositionAdjusted",
]);

/** A thrown value's class name, never its message (a store's message may hold a path or a secret). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

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
  #store: TraderStore | undefined = undefined;
  #positionOf: (id: InstrumentId) => Position | undefined = () => undefined;
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

  /** Connects the persistence port; `positionOf` gives an instrument's position for the entries. */
  attachStore(store: TraderStore, positionOf: (id: InstrumentId) => Position | undefined): void {
    this.#store = store;
    this.#positionOf = positionOf;
  }

  /** The persistence port, if any. */
  get store(): TraderStore | undefined {
    return this.#store;
  }

  /** Writes an event to the log, appends it to the store, then dispatches it. */
  emit(event: TraderEvent): void {
    this.eventsLogged += 1;
    if (event.type === "Decision") this.decisions += 1;
    this.eventLog.write(event);
    if (this.#store !== undefined) this.#append(this.#store, event);
    this.events.dispatch(event);
  }

  #append(store: TraderStore, event: TraderEvent): void {
    const changes = POSITION_EVENTS.has(event.type) && "instrumentId" in event;
    const position = changes ? this.#positionOf(event.instrumentId) : undefined;
    try {
      store.append(position === undefined ? { event } : { event, position });
    } catch (error) {
      // Logged and dispatched, not appended again (the store just failed).
      const warning: KernelWarning = {
        type: "KernelWarning",
        ...this.meta(event.tsEvent),
        code: "store-write-failed",
        message: `the store did not append ${event.type} (${errorName(error)}); the event stands, the store lacks it`,
        eventType: event.type,
        ...("instrumentId" in event && event.instrumentId !== undefined
          ? { instrumentId: event.instrumentId }
          : {}),
      };
      this.#logger.warn(warning.message, { code: warning.code, eventType: event.type });
      this.eventsLogged += 1;
      this.eventLog.write(warning);
      this.events.dispatch(warning);
    }
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
