// Test support for this package's tests and benches (not exported from the package index).
import {
  type Bar,
  type BracketLink,
  bracketLegs,
  type ClientOrderId,
  clientOrderId,
  createBar,
  createPerpetualInstrument,
  createSpotInstrument,
  type ExecutionEvent,
  type InstrumentId,
  type Order,
  type OrderEvent,
  type OrderInitialized,
  type OrderSpec,
  replayOrder,
  type StrategyId,
  type SubmitBracket,
  strategyId,
  eventId as toEventId,
} from "@gpt/core";
import type { PaperEngine } from "../engine.js";
import type { EngineNotice } from "../types.js";

/** BTC-USD spot: tick 0.01, size step 0.0001, min notional 1, fees 0.4 % / 0.6 %. */
export const SPOT = createSpotInstrument({
  symbol: "BTC-USD",
  venue: "SIM",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.0001",
  minSize: "0.0001",
  maxSize: "1000",
  minNotional: "1",
  makerFee: "0.004",
  takerFee: "0.006",
});

/** A linear BTC perpetual: tick 0.1, size step 0.001 contracts of 1 BTC, 5 % / 2.5 % margin, 20x. */
export const PERP = createPerpetualInstrument({
  symbol: "BTC-PERP",
  venue: "SIM",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.1",
  sizeIncrement: "0.001",
  minSize: "0.001",
  maxSize: "1000",
  minNotional: "0",
  makerFee: "0.0002",
  takerFee: "0.0005",
  contractSize: "1",
  initialMarginFraction: "0.05",
  maintenanceMarginFraction: "0.025",
  maxLeverage: "20",
  fundingIntervalMs: 8 * 3_600_000,
});

/** A second perpetual (ETH) for multi-symbol accounts. */
export const PERP2 = createPerpetualInstrument({
  symbol: "ETH-PERP",
  venue: "SIM",
  baseCurrency: "ETH",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.01",
  minSize: "0.01",
  maxSize: "10000",
  minNotional: "0",
  makerFee: "0.0002",
  takerFee: "0.0005",
  contractSize: "1",
  initialMarginFraction: "0.05",
  maintenanceMarginFraction: "0.025",
  maxLeverage: "20",
  fundingIntervalMs: 8 * 3_600_000,
});

export const STRAT: StrategyId = strategyId("test");
export const T0 = Date.UTC(2024, 0, 1);
export const MIN = 60_000;

/** The bar starting at `T0 + i` minutes. */
export function bar(
  instrumentId: InstrumentId,
  i: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume = 1_000,
): Bar {
  return createBar({ instrumentId, intervalMs: MIN, tsOpen: T0 + i * MIN, open, high, low, close, volume });
}

let idCounter = 0;
/** A fresh client order id. */
export function coid(prefix = "o"): ClientOrderId {
  idCounter += 1;
  return clientOrderId(`${prefix}-${idCounter}`);
}

/**
 * Records everything an engine emits, plays the kernel's part (`OrderInitialized` before each
 * submit) and replays every order's events through the core state machine.
 */
export class Recorder {
  readonly events: ExecutionEvent[] = [];
  readonly notices: EngineNotice[] = [];
  readonly byOrder = new Map<string, OrderEvent[]>();
  private n = 0;

  constructor(readonly engine: PaperEngine) {
    engine.onEvent((e) => {
      this.events.push(e);
      if (e.type.startsWith("Order")) {
        const oe = e as OrderEvent;
        const list = this.byOrder.get(oe.clientOrderId);
        if (list !== undefined) list.push(oe);
      }
    });
    engine.onNotice((n) => this.notices.push(n));
  }

  private init(spec: OrderSpec, bracket?: BracketLink): void {
    const ev: OrderInitialized = {
      type: "OrderInitialized",
      eventId: toEventId(`k-${++this.n}`),
      tsEvent: this.engine.now(),
      tsInit: this.engine.now(),
      clientOrderId: spec.clientOrderId,
      instrumentId: spec.instrumentId,
      order: spec,
      strategyId: STRAT,
      ...(bracket === undefined ? {} : { bracket }),
    };
    this.byOrder.set(spec.clientOrderId, [ev]);
  }

  /** Initializes and submits one order. */
  submit(spec: OrderSpec, tsInit: number = this.engine.now()): ClientOrderId {
    this.init(spec);
    this.engine.submitOrder({ type: "SubmitOrder", strategyId: STRAT, order: spec, tsInit });
    return spec.clientOrderId;
  }

  /** Initializes the three orders and submits a bracket. */
  bracket(cmd: Omit<SubmitBracket, "type" | "strategyId" | "tsInit">): void {
    const full: SubmitBracket = {
      ...cmd,
      type: "SubmitBracket",
      strategyId: STRAT,
      tsInit: this.engine.now(),
    };
    const link = (role: BracketLink["role"]): BracketLink => ({
      role,
      entryClientOrderId: cmd.entry.clientOrderId,
      takeProfitClientOrderId: cmd.takeProfit.clientOrderId,
      stopLossClientOrderId: cmd.stopLoss.clientOrderId,
    });
    const legs = bracketLegs(full);
    this.init(cmd.entry, link("entry"));
    this.init(legs.takeProfit, link("take-profit"));
    this.init(legs.stopLoss, link("stop-loss"));
    this.engine.submitBracket(full);
  }

  /** Events of one order (type names). */
  types(id: ClientOrderId): string[] {
    return (this.byOrder.get(id) ?? []).map((e) => e.type);
  }

  /** Order events of one type. */
  ofType<T extends ExecutionEvent["type"]>(type: T): Extract<ExecutionEvent, { type: T }>[] {
    return this.events.filter((e) => e.type === type) as Extract<ExecutionEvent, { type: T }>[];
  }

  /** Replays every recorded order through `replayOrder`; throws on the first illegal event. */
  replayAll(): Map<string, Order> {
    const out = new Map<string, Order>();
    for (const [id, events] of this.byOrder) if (events.length > 0) out.set(id, replayOrder(events));
    return out;
  }
}
