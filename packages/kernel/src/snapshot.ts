/**
 * Snapshots: the trader's state as versioned, JSON-safe data (`takeSnapshot`), and putting such
 * data back into a freshly built trader (`applySnapshot`). What a snapshot holds and what it does
 * not is listed on `TraderSnapshot`.
 */
import type { ClientOrderId, Order, Position, SubmitBracket, SubmitOrder } from "@gpt/core";
import { D } from "@gpt/quantize";
import { parseRiskState, type RiskEngine, type RiskState, serializeRiskState } from "@gpt/risk";
import type { TargetPositionIntent } from "@gpt/strategies";
import type { Cache, InstrumentSlot } from "./cache.js";
import { KernelError } from "./errors.js";
import type { OrderRouter } from "./orders.js";
import type { RiskLink, RiskSchedule } from "./risk-link.js";
import type { JsonValue } from "./serialize.js";
import { decodeValue, encodeValue } from "./snapshot-codec.js";
import type { TargetDesk } from "./targets.js";

/**
 * The format version `snapshot()` writes. `restoreTrader` reads it and version 1 (which has no
 * `hold` per instrument: restored as nothing held, no cancel on its way).
 */
export const TRADER_SNAPSHOT_VERSION = 2;

/** One instrument's hold bookkeeping in a `TraderSnapshot` (README "Per target", step a). */
export interface HoldSnapshot {
  /** The bar close the latest order was sent on, the bar close the target was first held on (`NaN` after a reconcile) and the bar close the latest superseding cancels were sent on (tagged numbers, `null` for none). */
  readonly bars: JsonValue;
  /** Client order ids this trader sent a cancel for that the venue has not answered yet. */
  readonly canceling: readonly string[];
  /** True if an answer the waiting target needs arrived since it was last evaluated. */
  readonly answered: boolean;
}

/** One instrument's part of a `TraderSnapshot` (Decimals and non-finite numbers tagged, see the README). */
export interface InstrumentSnapshot {
  /** The instrument. */
  readonly instrumentId: string;
  /** Latest price, its time, latest bar close, its time, latest mark, its time (tagged numbers). */
  readonly prices: JsonValue;
  /** The position record booked from fills (`null` before the first fill). */
  readonly position: JsonValue;
  /** The venue's latest reported position (`null` if none). */
  readonly venuePosition: JsonValue;
  /** The standing target of the instrument's strategy (`null` if none). */
  readonly standing: JsonValue;
  /** True while the standing target is blocked and waits to be evaluated again. */
  readonly pending: boolean;
  /** The reason of the last `blocked` decision. */
  readonly blockedReason: string | null;
  /** Realized PnL, commissions and funding when the current trade opened (decimal strings). */
  readonly tradeBase: {
    readonly realized: string;
    readonly commissions: string;
    readonly funding: string;
  } | null;
  /** The hold's bookkeeping (absent in version 1 snapshots). */
  readonly hold?: HoldSnapshot;
}

/**
 * A trader's state as JSON-safe data: `JSON.parse(JSON.stringify(snapshot))` restores the same
 * trader. It holds the cache (every remembered order, positions, the ledger cash, prices, the
 * trade ids booked), the standing targets and whether they wait, the hold's bookkeeping (when
 * orders and cancels were sent, which cancels are on their way), the commands of unfinished
 * orders (so `retryOrder` works after a restore; an unknown outcome is part of the order), the id
 * counters, the risk engine's state and the kernel's equity-observation schedule, and whether a
 * reconciliation was requested. Not in it: strategy and regime indicator state (replay `history`
 * on restore), the risk engine's order-rate window, the event log and the counters of `stats()`.
 */
export interface TraderSnapshot {
  /** Always `"gpt-trader-snapshot"`. */
  readonly format: "gpt-trader-snapshot";
  /** `TRADER_SNAPSHOT_VERSION`. */
  readonly version: typeof TRADER_SNAPSHOT_VERSION;
  /** The trader's clock when the snapshot was taken (Unix ms). */
  readonly takenAt: number;
  /** The ledger's settlement currency. */
  readonly currency: string;
  /** The ledger cash (decimal string). */
  readonly cash: string;
  /** Id counters: the run prefix (`null` with a custom generator) and how many ids were handed out. */
  readonly ids: { readonly runId: string | null; readonly clientOrderIds: number; readonly eventIds: number };
  /** Per instrument the trader has seen. */
  readonly instruments: readonly InstrumentSnapshot[];
  /** Every order the cache remembers, oldest first (encoded `Order`s). */
  readonly orders: readonly JsonValue[];
  /** Commands of orders not finished yet, by client order id (encoded `SubmitOrder` / `SubmitBracket`). */
  readonly commands: readonly { readonly clientOrderId: string; readonly command: JsonValue }[];
  /** Trade ids booked recently (`instrumentId|tradeId`): a fill seen again is not booked twice. */
  readonly trades: readonly string[];
  /** The risk engine's state (`@gpt/risk`'s `RiskStateJson`), or `null` without risk. */
  readonly risk: JsonValue;
  /** When equity is fed to risk next (tagged numbers). */
  readonly riskSchedule: JsonValue;
  /** True if a `ReconciliationRequested` was not settled by a `reconcile` yet. */
  readonly reconciliationRequested: boolean;
}

/** @internal The parts of a trader a snapshot reads and writes. */
export interface SnapshotParts {
  readonly cache: Cache;
  readonly commands: Map<ClientOrderId, SubmitOrder | SubmitBracket>;
  readonly riskLink: RiskLink;
  readonly risk: RiskEngine | undefined;
  readonly runId: string | undefined;
  readonly clientOrderIds: number;
  readonly eventIds: number;
  readonly reconciliationRequested: boolean;
  readonly now: number;
  readonly orders: OrderRouter;
  readonly targets: TargetDesk;
}

/** @internal Reads a trader's state. */
export function takeSnapshot(parts: SnapshotParts): TraderSnapshot {
  const cache = parts.cache;
  return {
    format: "gpt-trader-snapshot",
    version: TRADER_SNAPSHOT_VERSION,
    takenAt: parts.now,
    currency: cache.currency,
    cash: cache.cash().toFixed(),
    ids: { runId: parts.runId ?? null, clientOrderIds: parts.clientOrderIds, eventIds: parts.eventIds },
    instruments: cache.slotList.map((slot) => {
      const { heldOn, cancelsOn } = parts.targets.holdState(slot);
      return {
        instrumentId: slot.id,
        prices: encodeValue([slot.price, slot.tsPrice, slot.close, slot.tsClose, slot.mark, slot.tsMark]),
        position: encodeValue(slot.position ?? null),
        venuePosition: encodeValue(slot.venuePosition ?? null),
        standing: encodeValue(slot.standing ?? null),
        pending: slot.pending,
        blockedReason: slot.blockedReason ?? null,
        tradeBase:
          slot.tradeBase === undefined
            ? null
            : {
                realized: slot.tradeBase.realized.toFixed(),
                commissions: slot.tradeBase.commissions.toFixed(),
                funding: slot.tradeBase.funding.toFixed(),
              },
        hold: {
          bars: encodeValue([parts.orders.sentOnClose(slot) ?? null, heldOn ?? null, cancelsOn ?? null]),
          canceling: [...slot.canceling],
          answered: slot.answered,
        },
      };
    }),
    orders: cache.storedOrders().map((order) => encodeValue(order)),
    commands: [...parts.commands].map(([clientOrderId, command]) => ({
      clientOrderId,
      command: encodeValue(command),
    })),
    trades: [...cache.recentTradeKeys()],
    risk: parts.risk === undefined ? null : (serializeRiskState(parts.risk.state) as unknown as JsonValue),
    riskSchedule: encodeValue(parts.riskLink.exportSchedule()),
    reconciliationRequested: parts.reconciliationRequested,
  };
}

/**
 * @internal Checks the envelope of a snapshot and returns the risk state it holds (parsed), so
 * the trader can build its engine from it before `applySnapshot`.
 * @throws KernelError (`invalid-options`) for data that is not a snapshot of a version it reads (1 or `TRADER_SNAPSHOT_VERSION`).
 */
export function checkSnapshot(data: unknown): { snapshot: TraderSnapshot; risk: RiskState | undefined } {
  const candidate = data as Partial<TraderSnapshot> | null;
  if (candidate === null || typeof candidate !== "object" || candidate.format !== "gpt-trader-snapshot") {
    throw new KernelError("invalid-options", "restoreTrader: not a trader snapshot (format)");
  }
  const version: unknown = candidate.version;
  if (version !== TRADER_SNAPSHOT_VERSION && version !== 1) {
    throw new KernelError(
      "invalid-options",
      `restoreTrader: snapshot version ${String(version)} is not supported (this kernel reads 1 to ${TRADER_SNAPSHOT_VERSION})`,
      { context: { version } },
    );
  }
  const snapshot = candidate as TraderSnapshot;
  try {
    return { snapshot, risk: snapshot.risk === null ? undefined : parseRiskState(snapshot.risk) };
  } catch (cause) {
    throw new KernelError("invalid-options", "restoreTrader: the snapshot's risk state does not parse", {
      cause,
    });
  }
}

/**
 * @internal Writes a snapshot's state into a freshly built trader (strategies already placed on
 * their instruments, nothing booked yet).
 * @throws KernelError (`invalid-options`) when the snapshot's currency differs from the trader's
 *   or its data does not decode; (`unknown-instrument`) for an instrument the provider lacks.
 */
export function applySnapshot(snapshot: TraderSnapshot, parts: SnapshotParts): void {
  const cache = parts.cache;
  if (snapshot.currency !== cache.currency) {
    throw new KernelError(
      "invalid-options",
      `restoreTrader: the snapshot's ledger is in ${snapshot.currency}, the trader's in ${cache.currency}`,
      { context: { snapshot: snapshot.currency, trader: cache.currency } },
    );
  }
  try {
    cache.setCash(D(snapshot.cash));
    for (const item of snapshot.instruments) {
      const slot = cache.slot(item.instrumentId as Order["instrumentId"]);
      const prices = decodeValue(item.prices) as number[];
      [slot.price, slot.tsPrice, slot.close, slot.tsClose, slot.mark, slot.tsMark] = prices as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      slot.priceDecimal = undefined;
      const position = decodeValue(item.position) as Position | null;
      if (position !== null) cache.setPosition(slot, position);
      const venuePosition = decodeValue(item.venuePosition) as Position | null;
      slot.venuePosition = venuePosition ?? undefined;
      slot.standing = (decodeValue(item.standing) as TargetPositionIntent | null) ?? undefined;
      slot.pending = item.pending;
      slot.blockedReason = item.blockedReason ?? undefined;
      slot.tradeBase =
        item.tradeBase === null
          ? undefined
          : {
              realized: D(item.tradeBase.realized),
              commissions: D(item.tradeBase.commissions),
              funding: D(item.tradeBase.funding),
            };
      if (item.hold !== undefined) restoreHold(slot, item.hold, parts);
    }
    for (const encoded of snapshot.orders) cache.putOrder(decodeValue(encoded) as Order);
    for (const item of snapshot.commands) {
      parts.commands.set(
        item.clientOrderId as ClientOrderId,
        decodeValue(item.command) as SubmitOrder | SubmitBracket,
      );
    }
    for (const key of snapshot.trades) cache.restoreTradeKey(key);
    parts.riskLink.importSchedule(decodeValue(snapshot.riskSchedule) as RiskSchedule);
  } catch (cause) {
    if (cause instanceof KernelError) throw cause;
    throw new KernelError("invalid-options", "restoreTrader: the snapshot's data does not decode", { cause });
  }
}

/** Puts one instrument's hold bookkeeping back into the slot, the order router and the target desk. */
function restoreHold(slot: InstrumentSlot, hold: HoldSnapshot, parts: SnapshotParts): void {
  const [sentOn, heldOn, cancelsOn] = decodeValue(hold.bars) as [number | null, number | null, number | null];
  if (sentOn !== null) parts.orders.restoreSentOnClose(slot, sentOn);
  parts.targets.restoreHoldState(slot, { heldOn: heldOn ?? undefined, cancelsOn: cancelsOn ?? undefined });
  slot.canceling.clear();
  for (const id of hold.canceling) slot.canceling.add(id as ClientOrderId);
  slot.answered = hold.answered;
}
