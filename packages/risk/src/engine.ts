import type { Clock, UnixMillis } from "@gpt/core";
import type { DecimalInput } from "@gpt/quantize";
import { emptyOrderRateWindow, recordOrder } from "./checks/checks.js";
import type { RiskConfig } from "./config.js";
import type { RiskEvent, RiskInput } from "./events.js";
import { applyRiskInput } from "./machine.js";
import type { RiskStateStore } from "./persistence.js";
import { runPreTradeChecks } from "./pre-trade.js";
import { createRiskState, nextTickDue, type RiskState } from "./state.js";
import type {
  OrderContext,
  OrderRateWindow,
  PortfolioSnapshot,
  RiskDecision,
  TradingState,
} from "./types.js";

const NO_EVENTS: readonly RiskEvent[] = Object.freeze([]);

/** Options of `RiskEngine`. */
export interface RiskEngineOptions {
  /** The validated configuration (`parseRiskConfig` / `riskConfigFromEnv`). */
  readonly config: RiskConfig;
  /** The time source; the engine never reads the wall clock itself. */
  readonly clock: Clock;
  /** A restored state (from a `RiskStateStore`); default: a fresh state at `clock.now()`. */
  readonly state?: RiskState;
  /** Equity for a fresh state (ignored when `state` is given). */
  readonly initialEquity?: DecimalInput;
  /** Called with every event, in order, after the state is updated. */
  readonly onEvent?: (event: RiskEvent) => void;
}

/** What `RiskEngine.checkOrder` needs besides the portfolio: the order, instrument and market. */
export type EngineOrderContext = Omit<OrderContext, "now" | "tradingState" | "orderRate">;

/**
 * A small stateful wrapper around the pure pieces: it holds a `RiskState` and an order-rate
 * window, stamps inputs with the injected clock, feeds them to `applyRiskInput`, and runs
 * `runPreTradeChecks` with the current trading state. Synchronous and free of I/O; persistence
 * goes through a `RiskStateStore` the caller passes to `load` / `save`.
 */
export class RiskEngine {
  readonly #config: RiskConfig;
  readonly #clock: Clock;
  readonly #onEvent: ((event: RiskEvent) => void) | undefined;
  #state: RiskState;
  #orderRate: OrderRateWindow = emptyOrderRateWindow();

  /** Creates an engine from a restored state or a fresh one. */
  constructor(options: RiskEngineOptions) {
    this.#config = options.config;
    this.#clock = options.clock;
    this.#onEvent = options.onEvent;
    this.#state =
      options.state ??
      createRiskState({
        now: options.clock.now(),
        config: options.config,
        ...(options.initialEquity === undefined ? {} : { equity: options.initialEquity }),
      });
  }

  /**
   * Creates an engine from the state saved in `store` (or a fresh one if it holds none) and
   * applies a `Tick` at the clock's time, so a day boundary or a cooldown end that passed while
   * the process was down is applied at once (its events go to `onEvent`).
   *
   * @throws RiskError (`invalid-state`) if the stored state is invalid.
   */
  static async load(
    options: Omit<RiskEngineOptions, "state"> & { readonly store: RiskStateStore },
  ): Promise<RiskEngine> {
    const saved = await options.store.load();
    const { store: _store, ...rest } = options;
    const engine = new RiskEngine(saved === undefined ? rest : { ...rest, state: saved });
    engine.tick();
    return engine;
  }

  /** Saves the current state to `store`. */
  async save(store: RiskStateStore): Promise<void> {
    await store.save(this.#state);
  }

  /** The configuration. */
  get config(): RiskConfig {
    return this.#config;
  }

  /** The current state (an immutable value). */
  get state(): RiskState {
    return this.#state;
  }

  /** The current trading state. */
  get tradingState(): TradingState {
    return this.#state.tradingState;
  }

  /** The order-rate window (orders recorded with `recordOrderSubmitted`). */
  get orderRate(): OrderRateWindow {
    return this.#orderRate;
  }

  /** Applies an input with its own timestamp (replays, tests); returns the events. */
  apply(input: RiskInput): readonly RiskEvent[] {
    const step = applyRiskInput(this.#state, input, this.#config);
    this.#state = step.state;
    if (this.#onEvent !== undefined) for (const event of step.events) this.#onEvent(event);
    return step.events;
  }

  /** Rolls the day and ends due cooldowns at the clock's time. */
  tick(): readonly RiskEvent[] {
    return this.apply({ type: "Tick", tsEvent: this.#clock.now() });
  }

  /** When a `tick()` next changes anything (see `nextTickDue`). */
  get nextTickDue(): UnixMillis {
    return nextTickDue(this.#state);
  }

  /**
   * Ticks only when one is due (`clock.now() >= nextTickDue`); otherwise changes nothing and
   * returns no events. For callers that tick on every decision and want the events of the tick.
   */
  tickIfDue(): readonly RiskEvent[] {
    if (this.#clock.now() < nextTickDue(this.#state)) return NO_EVENTS;
    return this.tick();
  }

  /** Records account equity (cash + unrealized PnL): daily loss and drawdown. */
  observeEquity(equity: DecimalInput): readonly RiskEvent[] {
    return this.apply({ type: "EquityObserved", equity, tsEvent: this.#clock.now() });
  }

  /** Records a deposit (+) or withdrawal (−), so it is not taken for profit or loss. */
  recordCashFlow(amount: DecimalInput): readonly RiskEvent[] {
    return this.apply({ type: "CashFlowRecorded", amount, tsEvent: this.#clock.now() });
  }

  /** Records a closed trade's realized PnL: consecutive-losses breaker. */
  recordTradeClosed(realizedPnl: DecimalInput): readonly RiskEvent[] {
    return this.apply({ type: "TradeClosed", realizedPnl, tsEvent: this.#clock.now() });
  }

  /** Records a volatility ratio (current / baseline): volatility breaker. */
  observeVolatility(ratio: number): readonly RiskEvent[] {
    return this.apply({ type: "VolatilityObserved", ratio, tsEvent: this.#clock.now() });
  }

  /** Records a finished venue request: venue-error breaker. */
  recordVenueRequest(ok: boolean): readonly RiskEvent[] {
    return this.apply({ type: "VenueRequestCompleted", ok, tsEvent: this.#clock.now() });
  }

  /** Records an order the venue rejected: rejects breaker. */
  recordOrderReject(reason?: string): readonly RiskEvent[] {
    return this.apply({
      type: "OrderRejectRecorded",
      ...(reason === undefined ? {} : { reason }),
      tsEvent: this.#clock.now(),
    });
  }

  /** Pulls the kill switch (halts until `resetKillSwitch`). Idempotent. */
  activateKillSwitch(reason: string): readonly RiskEvent[] {
    return this.apply({ type: "ActivateKillSwitch", reason, tsEvent: this.#clock.now() });
  }

  /** Releases the kill switch. @throws RiskError if it is not active or the reason is blank. */
  resetKillSwitch(reason: string): readonly RiskEvent[] {
    return this.apply({ type: "ResetKillSwitch", reason, tsEvent: this.#clock.now() });
  }

  /** Switches manual reduce-only on or off. */
  setManualReduceOnly(enabled: boolean, reason: string): readonly RiskEvent[] {
    return this.apply({ type: "SetManualReduceOnly", enabled, reason, tsEvent: this.#clock.now() });
  }

  /**
   * Runs the pre-trade checks at the clock's time with the current trading state and order-rate
   * window (after a `Tick`, so a passed day boundary or cooldown end counts). Does not record the
   * order: call `recordOrderSubmitted` when it is actually sent. The `Tick`'s events go to
   * `onEvent` only; a caller that needs them ticks itself (`tickIfDue`) and calls `preTradeCheck`.
   */
  checkOrder(context: EngineOrderContext, portfolio: PortfolioSnapshot): RiskDecision {
    this.tick();
    return this.preTradeCheck(context, portfolio);
  }

  /**
   * Runs the pre-trade checks at the clock's time with the current state, without ticking: for a
   * caller that has just ticked (`tick` / `tickIfDue`) and kept the events. Does not record the
   * order (see `recordOrderSubmitted`).
   */
  preTradeCheck(context: EngineOrderContext, portfolio: PortfolioSnapshot): RiskDecision {
    return runPreTradeChecks(
      {
        ...context,
        now: this.#clock.now(),
        tradingState: this.#state.tradingState,
        orderRate: this.#orderRate,
      },
      portfolio,
      this.#config,
    );
  }

  /** Records an order submission at the clock's time for the order-rate check. */
  recordOrderSubmitted(): void {
    this.#orderRate = recordOrder(this.#orderRate, this.#clock.now());
  }
}
