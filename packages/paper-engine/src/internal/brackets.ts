/**
 * Brackets: an entry with a take-profit and a stop-loss leg. The legs wait (inactive, status
 * `initialized`) until the entry first fills, then go live for the quantity the entry filled;
 * they follow the entry's further fills, and are one-cancels-other: a leg that fills cancels the
 * other (a partial fill shrinks it). An entry finished without fills cancels both legs.
 */
import { bracketLegs, isTerminalStatus, type SubmitBracket } from "@gpt/core";
import type { Decimal } from "@gpt/quantize";
import { maxD } from "./account.js";
import { venueCancel } from "./lifecycle.js";
import { BracketGroup, type SimOrder, ZERO } from "./state.js";
import { accept, isKnown, newOrder, rejectUnknownInstrument, submitAndAccept } from "./submit.js";
import type { SimVenue } from "./venue.js";

/** `SubmitBracket`: the entry is submitted; the legs wait in the order table, inactive. */
export function submitBracket(v: SimVenue, cmd: SubmitBracket): void {
  v.syncClock();
  v.advance(cmd.tsInit);
  const entrySpec = cmd.entry;
  if (
    isKnown(v, entrySpec.clientOrderId) ||
    isKnown(v, cmd.takeProfit.clientOrderId) ||
    isKnown(v, cmd.stopLoss.clientOrderId)
  ) {
    return;
  }
  const st = v.insts.get(entrySpec.instrumentId);
  if (st === undefined) {
    rejectUnknownInstrument(v, entrySpec, cmd.strategyId, cmd.tsInit);
    return;
  }
  const legs = bracketLegs(cmd);
  const link = (role: "entry" | "take-profit" | "stop-loss") => ({
    role,
    entryClientOrderId: entrySpec.clientOrderId,
    takeProfitClientOrderId: cmd.takeProfit.clientOrderId,
    stopLossClientOrderId: cmd.stopLoss.clientOrderId,
  });
  const entry = newOrder(v, st, entrySpec, cmd.strategyId, cmd.tsInit, {
    group: undefined,
    link: link("entry"),
  });
  const tp = newOrder(v, st, legs.takeProfit, cmd.strategyId, cmd.tsInit, {
    group: undefined,
    link: link("take-profit"),
  });
  const sl = newOrder(v, st, legs.stopLoss, cmd.strategyId, cmd.tsInit, {
    group: undefined,
    link: link("stop-loss"),
  });
  const group = new BracketGroup(entry, tp, sl);
  entry.group = group;
  entry.role = "entry";
  tp.group = group;
  tp.role = "take-profit";
  sl.group = group;
  sl.role = "stop-loss";
  v.orders.set(tp.coid, tp);
  v.orders.set(sl.coid, sl);
  submitAndAccept(v, entry);
}

/** The entry filled `qty`: the legs go live on the first fill and grow with the later ones. */
export function onEntryFill(v: SimVenue, g: BracketGroup, qty: Decimal): void {
  g.remaining = g.remaining.plus(qty);
  if (!g.legsActive) {
    g.legsActive = true;
    for (const leg of [g.takeProfit, g.stopLoss]) {
      if (leg.state.status !== "initialized") continue;
      v.orderEvent(leg, { ...v.meta(leg), type: "OrderSubmitted", accountId: v.accountId });
      accept(v, leg);
      updateLegQty(v, g, leg);
    }
  } else {
    for (const leg of [g.takeProfit, g.stopLoss]) updateLegQty(v, g, leg);
  }
  adjustGroupHold(v, g);
}

function updateLegQty(v: SimVenue, g: BracketGroup, leg: SimOrder): void {
  const s = leg.state.status;
  if (s === "initialized" || isTerminalStatus(s) || s === "pending-cancel" || !g.remaining.gt(0)) return;
  const target = leg.filled.plus(g.remaining);
  if (target.eq(leg.state.quantity)) return;
  v.orderEvent(leg, { ...v.meta(leg), type: "OrderUpdated", venueOrderId: leg.vid, quantity: target });
}

/** A leg filled `qty`: the other leg is canceled (leg filled) or shrinks to what is left. */
export function onLegFill(v: SimVenue, g: BracketGroup, leg: SimOrder, qty: Decimal): void {
  g.remaining = maxD(ZERO, g.remaining.minus(qty));
  const other = leg === g.takeProfit ? g.stopLoss : g.takeProfit;
  if (leg.state.status === "filled") venueCancel(v, other);
  else updateLegQty(v, g, other);
  adjustGroupHold(v, g);
}

/** The legs' shared reservation follows what the entry bought (spot; nothing for margin). */
export function adjustGroupHold(v: SimVenue, g: BracketGroup): void {
  v.account.groupHoldChanged(g);
}
