/**
 * The planning half of reconciliation: a pure function from the kernel's state and a venue's
 * mass status to a `ReconciliationPlan` (orders to adopt and settle, fills to book, positions and
 * cash to match, issues). It reads the cache and changes nothing; `reconcile.ts` applies a plan.
 */
import {
  type AccountState,
  balanceOf,
  type ClientOrderId,
  type ExecutionMassStatus,
  type FillReport,
  hasFill,
  type InstrumentId,
  isTerminalStatus,
  clientOrderId as makeClientOrderId,
  type Order,
  type OrderStatusReport,
  type StrategyId,
  type VenueOrderId,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { Cache } from "./cache.js";
import type { ReconciliationIssue } from "./events.js";
import type { StoredOrder } from "./store.js";

/** @internal What planning reads besides the cache. */
export interface PlanInputs {
  /** True if the instrument provider knows the instrument. */
  knowsInstrument(id: InstrumentId): boolean;
  readonly externalStrategyId: StrategyId;
  /** Write-ahead order records of earlier runs (the store's), searched by client order id. */
  readonly orderRecords: readonly StoredOrder[];
  /** Run prefixes whose client order ids (`<prefix>-<n>`) are this trader's own. */
  readonly runIds: readonly string[];
  /** Set the ledger cash to the venue's settlement balance. */
  readonly adoptCash: boolean;
}

/** @internal An order the cache does not know, to add. */
interface PlannedAdoption {
  readonly clientOrderId: ClientOrderId;
  readonly report: OrderStatusReport;
  readonly strategyId: StrategyId;
  /** True when `strategyId` is one of the trader's strategies (not the external one). */
  readonly reattached: boolean;
}

/** @internal A fill to book, under the client order id it belongs to. */
interface PlannedFill {
  readonly clientOrderId: ClientOrderId;
  readonly fill: FillReport;
}

/** @internal How a known order's status is settled from its report. */
type StatusOutcome =
  | "canceled"
  | "expired"
  | "rejected"
  | "filled-without-fills"
  | "cancel-rejected"
  | "modified"
  | "modify-rejected";

/** @internal A status settlement of a known (or just adopted) order. */
export interface PlannedStatus {
  readonly clientOrderId: ClientOrderId;
  readonly instrumentId: InstrumentId;
  readonly report: OrderStatusReport;
  /** The venue has the order and the cache has not seen it accepted. */
  readonly accept: boolean;
  readonly outcome: StatusOutcome | undefined;
}

/** @internal The position the ledger must hold for an instrument (the venue's; flat when unreported). */
export interface PlannedPosition {
  readonly instrumentId: InstrumentId;
  readonly quantity: Decimal;
  readonly avgEntryPrice: Decimal | undefined;
  /** The venue's realized PnL of the position, when it reports one. */
  readonly realizedPnl: Decimal | undefined;
}

/** @internal Everything a reconciliation will do, computed before any of it is applied. */
export interface ReconciliationPlan {
  readonly adopt: readonly PlannedAdoption[];
  readonly fills: readonly PlannedFill[];
  readonly statuses: readonly PlannedStatus[];
  /** Local open orders the venue does not report (sent before the report was taken). */
  readonly missing: readonly Order[];
  readonly positions: readonly PlannedPosition[];
  /** The venue's account state, kept as the venue account. */
  readonly account: AccountState | undefined;
  /** The venue's total settlement balance the ledger cash takes (with `adoptCash`). */
  readonly cash: Decimal | undefined;
  /** Reports left out, and why. */
  readonly issues: readonly ReconciliationIssue[];
}

/**
 * @internal Whose order a venue report is: the strategy named by the write-ahead record holding
 * its client order id; failing that, when the id is `<runId>-<n>` with a run prefix of this
 * trader, the strategy trading the instrument; otherwise `undefined` (an external order).
 */
function ownerOf(
  clientOrderId: ClientOrderId | undefined,
  instrumentStrategy: StrategyId | undefined,
  records: ReadonlyMap<string, StrategyId>,
  runIds: readonly string[],
): StrategyId | undefined {
  if (clientOrderId === undefined) return undefined;
  const recorded = records.get(clientOrderId);
  if (recorded !== undefined) return recorded;
  if (instrumentStrategy === undefined) return undefined;
  const dash = clientOrderId.lastIndexOf("-");
  if (dash <= 0 || !/^[0-9]+$/.test(clientOrderId.slice(dash + 1))) return undefined;
  return runIds.includes(clientOrderId.slice(0, dash)) ? instrumentStrategy : undefined;
}

function recordOwners(records: readonly StoredOrder[]): Map<string, StrategyId> {
  const owners = new Map<string, StrategyId>();
  for (const record of records) {
    for (const id of record.clientOrderIds) owners.set(id, record.command.strategyId);
  }
  return owners;
}

function findLocal(
  cache: Cache,
  report: { clientOrderId?: ClientOrderId; venueOrderId: VenueOrderId },
): Order | undefined {
  if (report.clientOrderId !== undefined) {
    const order = cache.order(report.clientOrderId);
    if (order !== undefined) return order;
  }
  for (const slot of cache.slotList) {
    for (const order of slot.open) if (order.venueOrderId === report.venueOrderId) return order;
  }
  return undefined;
}

function unknownInstrument(
  instrumentId: InstrumentId,
  report: ReconciliationIssue["report"],
  ref: string,
): ReconciliationIssue {
  return {
    code: "unknown-instrument",
    instrumentId,
    report,
    message: `${report} report ${ref} is for instrument ${instrumentId}, which the instrument provider does not know; left out`,
  };
}

/** What a known order will look like after the planned fills (for the status step). */
interface Predicted {
  readonly order: Order | undefined;
  readonly accepted: boolean;
  readonly terminal: boolean;
  readonly filledQty: Decimal;
  readonly quantity: Decimal;
}

function statusOutcome(report: OrderStatusReport, predicted: Predicted): StatusOutcome | undefined {
  switch (report.status) {
    case "canceled":
      return "canceled";
    case "expired":
      return "expired";
    case "rejected":
      return "rejected";
    case "filled":
      return predicted.filledQty.gte(predicted.quantity) ? undefined : "filled-without-fills";
    case "submitted":
    case "accepted":
    case "triggered":
    case "partially-filled": {
      const order = predicted.order;
      if (order?.outcomeUnknown === "cancel") return "cancel-rejected";
      if (order?.outcomeUnknown !== "modify") return undefined;
      const changed =
        !report.quantity.eq(order.quantity) ||
        (report.price !== undefined && order.price !== undefined && !report.price.eq(order.price)) ||
        (report.triggerPrice !== undefined &&
          order.triggerPrice !== undefined &&
          !report.triggerPrice.eq(order.triggerPrice));
      return changed && report.quantity.gt(predicted.filledQty) ? "modified" : "modify-rejected";
    }
    default:
      return undefined;
  }
}

/**
 * @internal Computes what reconciling `status` against the cache will do, reading only. Reports
 * for instruments the provider does not know become issues (they and their fills are left out);
 * everything else is planned in the order it is applied: adoptions, fills (time order, each trade
 * once), statuses (judged on the state the fills leave), missing orders, positions, cash.
 */
export function planReconciliation(
  cache: Cache,
  status: ExecutionMassStatus,
  inputs: PlanInputs,
): ReconciliationPlan {
  const issues: ReconciliationIssue[] = [];
  const known = (id: InstrumentId) => cache.peekSlot(id) !== undefined || inputs.knowsInstrument(id);

  const orderReports: OrderStatusReport[] = [];
  for (const report of status.orderReports) {
    if (known(report.instrumentId)) orderReports.push(report);
    else issues.push(unknownInstrument(report.instrumentId, "order", report.venueOrderId));
  }
  const fillReports: FillReport[] = [];
  for (const fill of status.fillReports) {
    if (known(fill.instrumentId)) fillReports.push(fill);
    else issues.push(unknownInstrument(fill.instrumentId, "fill", fill.tradeId));
  }
  const fillsByVenueOrder = new Set(fillReports.map((fill) => fill.venueOrderId as string));

  // Adoptions.
  const owners = recordOwners(inputs.orderRecords);
  const adopt: PlannedAdoption[] = [];
  const localIdByVenueId = new Map<string, ClientOrderId>();
  for (const report of orderReports) {
    const local = findLocal(cache, report);
    if (local !== undefined) {
      localIdByVenueId.set(report.venueOrderId, local.clientOrderId);
      continue;
    }
    if (isTerminalStatus(report.status) && !fillsByVenueOrder.has(report.venueOrderId)) continue;
    const clientOrderId = report.clientOrderId ?? makeClientOrderId(`venue-${report.venueOrderId}`);
    const owner = ownerOf(
      report.clientOrderId,
      cache.peekSlot(report.instrumentId)?.strategy?.id,
      owners,
      inputs.runIds,
    );
    adopt.push({
      clientOrderId,
      report,
      strategyId: owner ?? inputs.externalStrategyId,
      reattached: owner !== undefined,
    });
    localIdByVenueId.set(report.venueOrderId, clientOrderId);
  }
  const adopted = new Map(adopt.map((a) => [a.clientOrderId as string, a]));

  // Fills, in time order, each trade once.
  const fills: PlannedFill[] = [];
  const planned = new Set<string>();
  const filledBy = new Map<string, Decimal>();
  for (const fill of [...fillReports].sort((a, b) => a.tsEvent - b.tsEvent)) {
    const clientOrderId =
      localIdByVenueId.get(fill.venueOrderId) ??
      (fill.clientOrderId !== undefined && cache.order(fill.clientOrderId) !== undefined
        ? fill.clientOrderId
        : undefined) ??
      findLocal(cache, fill)?.clientOrderId ??
      fill.clientOrderId ??
      makeClientOrderId(`venue-${fill.venueOrderId}`);
    const order = cache.order(clientOrderId);
    const key = `${clientOrderId}|${fill.instrumentId}|${fill.tradeId}`;
    if (planned.has(key)) continue;
    if (order !== undefined ? hasFill(order, fill.tradeId) : cache.seenTrade(fill.instrumentId, fill.tradeId))
      continue;
    planned.add(key);
    fills.push({ clientOrderId, fill });
    filledBy.set(clientOrderId, (filledBy.get(clientOrderId) ?? D(0)).add(fill.lastQty));
  }

  // Statuses, judged on the state the adoptions and fills leave.
  const statuses: PlannedStatus[] = [];
  const reported = new Set<string>();
  for (const report of orderReports) {
    const clientOrderId = localIdByVenueId.get(report.venueOrderId);
    if (clientOrderId === undefined) continue;
    reported.add(clientOrderId);
    const order = cache.order(clientOrderId);
    const adoption = adopted.get(clientOrderId);
    if (order === undefined && adoption === undefined) continue;
    const extra = filledBy.get(clientOrderId) ?? D(0);
    const predicted: Predicted = {
      order,
      accepted: order === undefined ? report.status !== "rejected" : order.isAccepted,
      terminal: order !== undefined && isTerminalStatus(order.status),
      filledQty: (order?.filledQty ?? D(0)).add(extra),
      quantity: order?.quantity ?? report.quantity,
    };
    if (predicted.terminal || predicted.filledQty.gte(predicted.quantity)) continue;
    const accept = report.status !== "rejected" && !predicted.accepted;
    const outcome = statusOutcome(report, predicted);
    if (accept || outcome !== undefined) {
      statuses.push({
        clientOrderId,
        instrumentId: order?.instrumentId ?? report.instrumentId,
        report,
        accept,
        outcome,
      });
    }
  }

  // Local open orders the venue does not have.
  const missing: Order[] = [];
  for (const slot of cache.slotList) {
    for (const order of slot.open) {
      if (reported.has(order.clientOrderId) || order.status === "initialized") continue;
      if (order.tsCreated > status.tsInit) continue;
      missing.push(order);
    }
  }

  // Positions: the venue's for every instrument it reports or the ledger holds or trades here.
  const positions = new Map<string, PlannedPosition>();
  for (const report of status.positionReports) {
    if (!known(report.instrumentId)) {
      issues.push(unknownInstrument(report.instrumentId, "position", report.instrumentId));
      continue;
    }
    positions.set(report.instrumentId, {
      instrumentId: report.instrumentId,
      quantity: report.quantity,
      avgEntryPrice: report.avgEntryPrice,
      realizedPnl: report.realizedPnl,
    });
  }
  const flat = (instrumentId: InstrumentId) => {
    if (!positions.has(instrumentId))
      positions.set(instrumentId, {
        instrumentId,
        quantity: D(0),
        avgEntryPrice: undefined,
        realizedPnl: undefined,
      });
  };
  for (const slot of cache.slotList) flat(slot.id);
  for (const a of adopt) flat(a.report.instrumentId);
  for (const f of fills) flat(f.fill.instrumentId);

  // Cash.
  const balance = status.account === undefined ? undefined : balanceOf(status.account, cache.currency);
  return {
    adopt,
    fills,
    statuses,
    missing,
    positions: [...positions.values()],
    account: status.account,
    cash: inputs.adoptCash ? balance?.total : undefined,
    issues,
  };
}
