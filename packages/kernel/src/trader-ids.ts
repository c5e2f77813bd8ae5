/**
 * The ids of one trader: the run prefix of its client order ids and the id counters, continued
 * from a snapshot under the same prefix so that no id is handed out twice across a restart.
 */
import { type ClientOrderId, createEventIdGenerator, type EventId, type IdSequence } from "@gpt/core";
import type { TraderOptions } from "./options.js";
import { RunOrderIds } from "./order-ids.js";
import type { TraderSnapshot } from "./snapshot.js";
import { defaultRunId } from "./subscriptions.js";

/** @internal A trader's id generators and where their counters started. */
export class TraderIdGenerators {
  /** The run prefix of the default client order ids; undefined with `ids.clientOrderIds`. */
  readonly runId: string | undefined;
  /** Run prefixes whose client order ids are this trader's (its own and its snapshot's). */
  readonly ownRunIds: readonly string[];
  /** Client order ids. */
  readonly orderIds: IdSequence<ClientOrderId>;
  /** The default ids (undefined with `ids.clientOrderIds`): reconciliation reserves ids it sees. */
  readonly runOrderIds: RunOrderIds | undefined;
  /** Ids of the events the kernel creates. */
  readonly eventIds: IdSequence<EventId>;
  readonly #orderIdStart: number;
  readonly #eventIdStart: number;

  constructor(options: TraderOptions, saved: TraderSnapshot["ids"] | undefined) {
    const custom = options.ids?.clientOrderIds;
    this.runId =
      custom === undefined
        ? (options.ids?.runId ?? saved?.runId ?? defaultRunId(options.clock, options.venueFeed !== undefined))
        : undefined;
    this.ownRunIds = [this.runId, saved?.runId ?? undefined].filter((id): id is string => id !== undefined);
    // A restored run continues its counters under the same prefix: no id is handed out twice.
    const orderIdStart = saved !== undefined && saved.runId === this.runId ? saved.clientOrderIds : 0;
    this.runOrderIds = custom === undefined ? new RunOrderIds(this.runId ?? "o", orderIdStart) : undefined;
    this.orderIds = custom ?? (this.runOrderIds as RunOrderIds);
    this.#orderIdStart = custom === undefined ? orderIdStart : 0;
    this.#eventIdStart = options.ids?.eventIds === undefined ? (saved?.eventIds ?? 0) : 0;
    this.eventIds = options.ids?.eventIds ?? createEventIdGenerator("k", this.#eventIdStart);
  }

  /** Client order ids handed out in total (a snapshot's included). */
  get clientOrderIdCount(): number {
    return this.#orderIdStart + this.orderIds.count;
  }

  /** Event ids handed out in total (a snapshot's included). */
  get eventIdCount(): number {
    return this.#eventIdStart + this.eventIds.count;
  }
}
