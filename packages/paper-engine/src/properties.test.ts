import {
  type ClientOrderId,
  createBar,
  type Instrument,
  limitOrder,
  marketOrder,
  type OrderFilled,
  type OrderSpec,
  stopLimitOrder,
  stopOrder,
  type TimeInForce,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PaperEngine } from "./engine.js";
import { fixedLatency } from "./latency.js";
import { fixedBpsSlippage } from "./slippage.js";
import { coid, MIN, PERP, PERP2, Recorder, SPOT, STRAT, T0 } from "./testing/fixtures.js";
import type { PaperEngineConfig } from "./types.js";

type Action =
  | { kind: "bar"; inst: number; move: number; up: number; down: number; closeAt: number; volume: number }
  | {
      kind: "order";
      inst: number;
      type: "market" | "limit" | "stop" | "stop-limit";
      buy: boolean;
      qty: number;
      offset: number;
      offset2: number;
      tif: number;
      postOnly: boolean;
      reduceOnly: boolean;
      gtd: number;
    }
  | {
      kind: "bracket";
      inst: number;
      buy: boolean;
      qty: number;
      limitEntry: boolean;
      entryOffset: number;
      tp: number;
      sl: number;
      slLimit: boolean;
    }
  | { kind: "cancel"; pick: number }
  | { kind: "modify"; pick: number; offset: number; qtyDelta: number }
  | { kind: "cancelAll"; side: number }
  | { kind: "funding"; inst: number; rateBp: number }
  | { kind: "mark"; inst: number; offset: number };

const inst = fc.integer({ min: 0, max: 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("bar" as const),
      inst,
      move: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: -30, max: 30 }) },
        { weight: 1, arbitrary: fc.integer({ min: -600, max: 600 }) },
      ),
      up: fc.integer({ min: 0, max: 40 }),
      down: fc.integer({ min: 0, max: 40 }),
      closeAt: fc.double({ min: 0, max: 1, noNaN: true }),
      volume: fc.integer({ min: 0, max: 60 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("order" as const),
      inst,
      type: fc.constantFrom("market" as const, "limit" as const, "stop" as const, "stop-limit" as const),
      buy: fc.boolean(),
      qty: fc.integer({ min: 1, max: 40 }),
      offset: fc.integer({ min: -60, max: 60 }),
      offset2: fc.integer({ min: -20, max: 20 }),
      tif: fc.integer({ min: 0, max: 3 }),
      postOnly: fc.boolean(),
      reduceOnly: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      gtd: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("bracket" as const),
      inst,
      buy: fc.boolean(),
      qty: fc.integer({ min: 1, max: 30 }),
      limitEntry: fc.boolean(),
      entryOffset: fc.integer({ min: 1, max: 30 }),
      tp: fc.integer({ min: 1, max: 80 }),
      sl: fc.integer({ min: 1, max: 80 }),
      slLimit: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("modify" as const),
      pick: fc.nat(),
      offset: fc.integer({ min: -20, max: 20 }),
      qtyDelta: fc.integer({ min: -5, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("cancelAll" as const), side: fc.integer({ min: 0, max: 2 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("funding" as const),
      inst,
      rateBp: fc.integer({ min: -20, max: 20 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("mark" as const),
      inst,
      offset: fc.integer({ min: -100, max: 100 }),
    }),
  },
);

interface Setup {
  margin: boolean;
  isolated: boolean;
  touch: boolean;
  highFirst: boolean;
  participation: number;
  slippageBps: number;
  latency: boolean;
  cash: number;
  leverage: string;
}

const setup: fc.Arbitrary<Setup> = fc.record({
  margin: fc.boolean(),
  isolated: fc.boolean(),
  touch: fc.boolean(),
  highFirst: fc.boolean(),
  participation: fc.constantFrom(0, 0.2, 1),
  slippageBps: fc.constantFrom(0, 5),
  latency: fc.boolean(),
  cash: fc.constantFrom(300, 2_000, 50_000),
  leverage: fc.constantFrom("", "", "", "3", "7"),
});

/** Instrument metadata for the generator: tick as Decimal, base price in ticks, size step. */
function meta(instrument: Instrument) {
  return { instrument, tick: instrument.priceIncrement, step: instrument.sizeIncrement };
}

interface Checked {
  fills: number;
  liquidations: number;
  rejections: number;
}

function run(s: Setup, actions: readonly Action[]): Checked {
  const instruments = s.margin ? [PERP, PERP2] : [SPOT];
  const config: PaperEngineConfig = {
    accountType: s.margin ? "margin" : "cash",
    instruments,
    initialBalances: s.margin ? { USD: String(s.cash) } : { USD: String(s.cash * 10), BTC: "5" },
    defaultMarginType: s.isolated ? "isolated" : "cross",
    ...(s.margin && s.leverage !== "" ? { leverage: { [PERP.id]: s.leverage, [PERP2.id]: s.leverage } } : {}),
    limitFillRule: s.touch ? "touch" : "through",
    intrabarTie: s.highFirst ? "high-first" : "low-first",
    ...(s.participation > 0 ? { volumeParticipation: s.participation } : {}),
    ...(s.slippageBps > 0 ? { slippage: fixedBpsSlippage(s.slippageBps) } : {}),
    ...(s.latency ? { latency: fixedLatency({ submitMs: 20_000, cancelMs: 70_000 }) } : {}),
    // Half of the latency runs accept bar arrivals at the arrival bar's open (derived from another
    // setting so that the generated cases stay those of the fixed seed).
    barArrivalFill: s.latency && s.highFirst ? "arrival-bar-open" : "next-bar",
  };
  const engine = new PaperEngine(config);
  const rec = new Recorder(engine);
  const metas = instruments.map(meta);
  const lastTicks: number[] = metas.map((m) => (m.instrument.id === PERP2.id ? 5_000 : 10_000));
  const barIndex = metas.map(() => 0);
  const initialCash = D(config.initialBalances.USD!);

  // Bookkeeping from events only.
  const signedFills = new Map<string, Decimal>();
  const reduceOnly = new Set<string>();
  const liveBar = { on: false, low: D(0), high: D(0), instrumentId: "" };
  let fillsSeen = 0;
  let liquidations = 0;
  let negativeReported = false;
  let quoteFlow = D(0); // spot: −Σ signed qty × price − Σ commissions
  const problems: string[] = [];

  engine.onEvent((e) => {
    if (e.type === "OrderFilled") {
      fillsSeen++;
      const f = e as OrderFilled;
      const signed = f.side === "buy" ? f.lastQty : f.lastQty.neg();
      const before = signedFills.get(f.instrumentId) ?? D(0);
      const after = before.plus(signed);
      if (reduceOnly.has(f.clientOrderId) && s.margin) {
        const grows = after.abs().gt(before.abs());
        const flips = !after.isZero() && !before.isZero() && after.isNegative() !== before.isNegative();
        if (grows || flips || before.isZero())
          problems.push(`reduce-only ${f.clientOrderId} grew ${before} → ${after}`);
      }
      signedFills.set(f.instrumentId, after);
      quoteFlow = quoteFlow.minus(signed.mul(f.lastPrice)).minus(f.commission);
      if (liveBar.on && f.instrumentId === liveBar.instrumentId && s.slippageBps === 0) {
        if (f.lastPrice.lt(liveBar.low) || f.lastPrice.gt(liveBar.high)) {
          problems.push(`fill ${f.lastPrice} outside [${liveBar.low}, ${liveBar.high}]`);
        }
      }
      if (liveBar.on && f.instrumentId === liveBar.instrumentId && s.slippageBps > 0) {
        // Slipped prices are clamped into the range by default.
        if (f.lastPrice.lt(liveBar.low) || f.lastPrice.gt(liveBar.high))
          problems.push("slipped fill outside the range");
      }
    }
  });
  engine.onNotice((n) => {
    if (n.type === "PositionLiquidated") {
      liquidations++;
      signedFills.set(n.instrumentId, (signedFills.get(n.instrumentId) ?? D(0)).minus(n.quantity));
      if (n.equityAfter.lt(0)) problems.push("liquidation left negative equity");
    } else negativeReported = true;
  });

  const open: ClientOrderId[] = [];
  const track = (spec: OrderSpec) => {
    if (spec.reduceOnly) reduceOnly.add(spec.clientOrderId);
    open.push(spec.clientOrderId);
  };
  const price = (i: number, ticks: number) => metas[i]!.tick.mul(Math.max(1, ticks));

  const opening: Action[] = metas.map((_, k) => ({
    kind: "bar",
    inst: k,
    move: 0,
    up: 5,
    down: 5,
    closeAt: 0.5,
    volume: 10,
  }));
  for (const a of [...opening, ...actions]) {
    const i = "inst" in a ? Math.min(a.inst, metas.length - 1) : 0;
    const m = metas[i]!;
    const id = m.instrument.id;
    negativeReported = false;
    switch (a.kind) {
      case "bar": {
        const o = Math.max(50, lastTicks[i]! + a.move);
        const c = Math.max(50, o + Math.round((a.closeAt - 0.5) * 2 * (a.up + a.down)));
        const hi = Math.max(o, c) + a.up;
        const lo = Math.max(1, Math.min(o, c) - a.down);
        const b = createBar({
          instrumentId: id,
          intervalMs: MIN,
          tsOpen: T0 + barIndex[i]! * MIN,
          open: price(i, o).toNumber(),
          high: price(i, hi).toNumber(),
          low: price(i, lo).toNumber(),
          close: price(i, c).toNumber(),
          volume: a.volume,
        });
        barIndex[i]!++;
        // Keep both instruments on the same clock.
        for (let j = 0; j < barIndex.length; j++) barIndex[j] = Math.max(barIndex[j]!, barIndex[i]!);
        liveBar.on = true;
        liveBar.low = price(i, lo);
        liveBar.high = price(i, hi);
        liveBar.instrumentId = id;
        engine.onBar(b);
        liveBar.on = false;
        lastTicks[i] = c;
        break;
      }
      case "order": {
        const qty = m.step.mul(a.qty * (s.margin ? 150 : 1000));
        const side = a.buy ? ("buy" as const) : ("sell" as const);
        const ref = lastTicks[i]!;
        const p1 = price(i, ref + a.offset);
        const p2 = price(i, ref + a.offset + a.offset2);
        const gtd = a.gtd > 0 ? { expireTime: engine.now() + a.gtd * MIN } : {};
        const ro = s.margin && a.reduceOnly ? { reduceOnly: true } : {};
        const base = { clientOrderId: coid("p"), instrumentId: id, side, quantity: qty, ...ro };
        let spec: OrderSpec;
        if (a.type === "market") {
          spec = marketOrder({ ...base, timeInForce: a.tif % 2 === 0 ? "IOC" : "FOK" });
        } else if (a.type === "limit") {
          const tifs: TimeInForce[] = ["GTC", "IOC", "FOK", "GTC"];
          const tif = a.gtd > 0 && a.tif !== 1 && a.tif !== 2 ? "GTD" : tifs[a.tif]!;
          const post = a.postOnly && (tif === "GTC" || tif === "GTD");
          spec = limitOrder({
            ...base,
            price: p1,
            timeInForce: tif,
            postOnly: post,
            ...(tif === "GTD" ? gtd : {}),
          });
        } else if (a.type === "stop") {
          spec = stopOrder({ ...base, triggerPrice: p1, ...gtd });
        } else {
          spec = stopLimitOrder({ ...base, triggerPrice: p1, price: p2, ...gtd });
        }
        track(spec);
        rec.submit(spec);
        break;
      }
      case "bracket": {
        if (!s.margin && !a.buy) break; // spot brackets sell what they bought
        const qty = m.step.mul(a.qty * (s.margin ? 150 : 1000));
        const ref = lastTicks[i]!;
        const dir = a.buy ? 1 : -1;
        const entryTicks = a.limitEntry ? ref - dir * a.entryOffset : ref;
        const entry = a.limitEntry
          ? limitOrder({
              clientOrderId: coid("be"),
              instrumentId: id,
              side: a.buy ? "buy" : "sell",
              quantity: qty,
              price: price(i, entryTicks),
            })
          : marketOrder({
              clientOrderId: coid("be"),
              instrumentId: id,
              side: a.buy ? "buy" : "sell",
              quantity: qty,
            });
        const tp = { clientOrderId: coid("tp"), price: price(i, entryTicks + dir * a.tp) };
        const slTrigger = price(i, entryTicks - dir * a.sl);
        const sl = {
          clientOrderId: coid("sl"),
          triggerPrice: slTrigger,
          ...(a.slLimit ? { price: price(i, entryTicks - dir * (a.sl + 5)) } : {}),
        };
        if (entryTicks - dir * (a.sl + 5) <= 1) break;
        open.push(entry.clientOrderId, tp.clientOrderId, sl.clientOrderId);
        reduceOnly.add(tp.clientOrderId);
        reduceOnly.add(sl.clientOrderId);
        rec.bracket({ entry, takeProfit: tp, stopLoss: sl });
        break;
      }
      case "cancel": {
        if (open.length === 0) break;
        const target = open[a.pick % open.length]!;
        const o = engine.order(target);
        if (o?.status === "initialized") break;
        engine.cancelOrder({
          type: "CancelOrder",
          strategyId: STRAT,
          instrumentId: o?.instrumentId ?? id,
          clientOrderId: target,
          tsInit: engine.now(),
        });
        break;
      }
      case "modify": {
        if (open.length === 0) break;
        const target = open[a.pick % open.length]!;
        const o = engine.order(target);
        if (o === undefined || o.status === "initialized") break;
        const q = o.quantity.plus(metas[0]!.step.mul(a.qtyDelta * 100));
        const change =
          o.price !== undefined
            ? { price: o.price.plus(metas[0]!.tick.mul(a.offset)) }
            : o.triggerPrice !== undefined
              ? { triggerPrice: o.triggerPrice.plus(metas[0]!.tick.mul(a.offset)) }
              : { price: D(1) };
        const fields = { ...change, ...(q.gt(0) && o.bracket === undefined ? { quantity: q } : {}) };
        if (Object.values(fields).some((v) => !v.gt(0))) break;
        engine.modifyOrder({
          type: "ModifyOrder",
          strategyId: STRAT,
          instrumentId: o.instrumentId,
          clientOrderId: target,
          tsInit: engine.now(),
          ...fields,
        });
        break;
      }
      case "cancelAll":
        engine.cancelAllOrders({
          type: "CancelAllOrders",
          strategyId: STRAT,
          tsInit: engine.now(),
          ...(a.side === 0 ? {} : { side: a.side === 1 ? "buy" : "sell" }),
        });
        break;
      case "funding":
        if (!s.margin) break;
        engine.onFundingRate({
          type: "FundingRate",
          instrumentId: id,
          rate: a.rateBp / 10_000,
          intervalMs: 8 * 3_600_000,
          fundingTime: engine.now(),
          tsEvent: engine.now(),
          tsInit: engine.now(),
        });
        break;
      case "mark":
        if (!s.margin) break;
        engine.onMarkPrice({
          type: "MarkPrice",
          instrumentId: id,
          price: price(i, lastTicks[i]! + a.offset).toNumber(),
          tsEvent: engine.now(),
          tsInit: engine.now(),
        });
        break;
    }

    // --- invariants after every action ---
    const snap = engine.snapshot();
    // Positions equal the sum of fills (minus liquidations).
    for (const mm of metas) {
      const q = engine.position(mm.instrument.id)?.quantity ?? D(0);
      const expected = signedFills.get(mm.instrument.id) ?? D(0);
      if (!q.eq(expected)) problems.push(`position ${q} != fills ${expected}`);
    }
    // Cash + fees + funding + realized PnL conserve exactly.
    if (s.margin) {
      const cash = snap.balances[0]!.total;
      let iso = D(0);
      for (const p of snap.positions) iso = iso.plus(p.isolatedMargin ?? 0);
      const expected = initialCash
        .plus(snap.realizedPnl)
        .minus(snap.commissions)
        .plus(snap.funding)
        .plus(snap.deficitCovered);
      if (!cash.plus(iso).eq(expected)) problems.push(`cash ${cash} + iso ${iso} != ${expected}`);
      // Equity never silently negative.
      if (snap.equity.lt(0) && !negativeReported) problems.push(`negative equity ${snap.equity} unreported`);
    } else {
      const usd = snap.balances.find((b) => b.currency === "USD")!;
      const btc = snap.balances.find((b) => b.currency === "BTC")!;
      if (!usd.total.eq(initialCash.plus(quoteFlow)))
        problems.push(`USD ${usd.total} != ${initialCash.plus(quoteFlow)}`);
      const pos = engine.position(SPOT.id);
      if (!btc.total.eq(D(5).plus(pos?.quantity ?? 0))) problems.push(`BTC ${btc.total} != 5 + position`);
      const costBasis = pos?.costBasis ?? D(0);
      const byPnl = initialCash.plus(snap.realizedPnl).minus(snap.commissions).minus(costBasis);
      if (!usd.total.eq(byPnl)) problems.push(`USD ${usd.total} != init + realized − fees − cost ${byPnl}`);
      for (const b of snap.balances) {
        if (b.total.lt(0) || b.locked.lt(0) || b.locked.gt(b.total))
          problems.push(`bad balance ${b.currency} ${b.total}/${b.locked}`);
      }
    }
    if (problems.length > 0) break;
  }

  // Every order's event sequence replays through the core state machine.
  rec.replayAll();
  // With every order gone, nothing stays reserved.
  engine.cancelAllOrders({ type: "CancelAllOrders", strategyId: STRAT, tsInit: engine.now() + 10 * 60_000 });
  engine.advanceTo(engine.now() + 10 * 60_000);
  for (const o of engine.openOrders()) {
    if (o.status !== "initialized") problems.push(`order ${o.clientOrderId} still ${o.status}`);
  }
  const end = engine.snapshot();
  if (engine.openOrders().length === 0) {
    if (s.margin) {
      // No order margin left: margin in use is the positions' initial margin only.
      const positionsIm = end.positions.reduce((sum, p) => sum.plus(p.initialMargin ?? 0), D(0));
      if (!end.marginUsed.eq(positionsIm))
        problems.push(`margin used ${end.marginUsed} != positions ${positionsIm}`);
    } else {
      for (const b of end.balances) if (!b.locked.isZero()) problems.push(`locked ${b.currency} ${b.locked}`);
    }
  }
  rec.replayAll();
  expect(problems).toEqual([]);
  return { fills: fillsSeen, liquidations, rejections: rec.ofType("OrderRejected").length };
}

describe("accounting properties over random order flows", () => {
  it("conserve cash, match positions to fills, stay in range, keep reduce-only reducing, replay every order", () => {
    let totalFills = 0;
    let totalLiquidations = 0;
    let totalRejections = 0;
    fc.assert(
      fc.property(setup, fc.array(action, { minLength: 10, maxLength: 120 }), (s, actions) => {
        const r = run(s, actions);
        totalFills += r.fills;
        totalLiquidations += r.liquidations;
        totalRejections += r.rejections;
      }),
      { numRuns: 400, seed: 20240805 },
    );
    // The generator really exercises fills and liquidations.
    expect(totalFills).toBeGreaterThan(800);
    expect(totalLiquidations).toBeGreaterThan(5);
    expect(totalRejections).toBeGreaterThan(100);
  });

  it("without clamping, slippage moves market-type fills at most the configured bps beyond the range", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            move: fc.integer({ min: -50, max: 50 }),
            up: fc.integer({ min: 0, max: 20 }),
            down: fc.integer({ min: 0, max: 20 }),
            buy: fc.boolean(),
            market: fc.boolean(),
          }),
          { minLength: 5, maxLength: 40 },
        ),
        (steps) => {
          const engine = new PaperEngine({
            accountType: "cash",
            instruments: [SPOT],
            initialBalances: { USD: "10000000", BTC: "1000" },
            slippage: fixedBpsSlippage(25),
            clampSlippageToBar: false,
          });
          const rec = new Recorder(engine);
          let last = 10_000;
          let range = { low: D(0), high: D(0) };
          const problems: string[] = [];
          engine.onEvent((e) => {
            if (e.type !== "OrderFilled") return;
            const p = e.lastPrice;
            const tick = SPOT.priceIncrement;
            // Raw price in [low, high]; slipped by 25 bps, rounded one tick adverse at most.
            const lo = range.low.mul(D(1).minus(0.0025)).minus(tick);
            const hi = range.high.mul(D(1).plus(0.0025)).plus(tick);
            if (p.lt(lo) || p.gt(hi)) problems.push(`${p} outside [${lo}, ${hi}]`);
            if (e.side === "buy" && p.lt(range.low)) problems.push("buy slipped in our favour");
            if (e.side === "sell" && p.gt(range.high)) problems.push("sell slipped in our favour");
          });
          for (const [k, st] of steps.entries()) {
            const o = Math.max(100, last + st.move);
            const b = createBar({
              instrumentId: SPOT.id,
              intervalMs: MIN,
              tsOpen: T0 + k * MIN,
              open: o / 100,
              high: (o + st.up) / 100,
              low: (o - st.down) / 100,
              close: o / 100,
              volume: 10,
            });
            range = { low: D(o - st.down).div(100), high: D(o + st.up).div(100) };
            engine.onBar(b);
            last = o;
            const spec = st.market
              ? marketOrder({
                  clientOrderId: coid("s"),
                  instrumentId: SPOT.id,
                  side: st.buy ? "buy" : "sell",
                  quantity: "1",
                })
              : stopOrder({
                  clientOrderId: coid("s"),
                  instrumentId: SPOT.id,
                  side: st.buy ? "buy" : "sell",
                  quantity: "1",
                  triggerPrice: D(o + (st.buy ? 10 : -10)).div(100),
                });
            rec.submit(spec);
          }
          rec.replayAll();
          expect(problems).toEqual([]);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});
