import type { UnixMillis } from "@gpt/core";
import type { DecimalInput } from "@gpt/quantize";
import type { BreakerName, BreakerTripState } from "./config.js";
import type { TradingState } from "./types.js";

/**
 * What can hold trading below `active`:
 * the kill switch, reduce-only mode from the config, manual reduce-only set at runtime, the daily
 * loss limit, or a tripped breaker (by its `BreakerName`).
 */
export type RestrictionSource =
  | "kill-switch"
  | "reduce-only-mode"
  | "manual-reduce-only"
  | "daily-loss"
  | BreakerName;

// ------------------------------------------------------------------ inputs

/** Account equity (cash + unrealized PnL, in the quote currency) as of `tsEvent`. */
export interface EquityObserved {
  /** Discriminant. */
  readonly type: "EquityObserved";
  /** Mark-to-market equity. May be zero or negative. */
  readonly equity: DecimalInput;
  /** Observation time. */
  readonly tsEvent: UnixMillis;
}

/**
 * A deposit (positive) or withdrawal (negative). Record it before (or with) the first equity that
 * reflects it, so it is not counted as profit or loss.
 */
export interface CashFlowRecorded {
  /** Discriminant. */
  readonly type: "CashFlowRecorded";
  /** Signed amount in the quote currency. */
  readonly amount: DecimalInput;
  /** Time of the transfer. */
  readonly tsEvent: UnixMillis;
}

/** A round trip closed with this realized PnL (fees included); feeds the consecutive-losses breaker. */
export interface TradeClosed {
  /** Discriminant. */
  readonly type: "TradeClosed";
  /** Realized PnL of the trade: negative is a loss, zero counts as neither win nor loss. */
  readonly realizedPnl: DecimalInput;
  /** Close time. */
  readonly tsEvent: UnixMillis;
}

/** A volatility ratio (e.g. short-term realized volatility / a baseline) for the volatility breaker. */
export interface VolatilityObserved {
  /** Discriminant. */
  readonly type: "VolatilityObserved";
  /** The ratio, finite and not negative. */
  readonly ratio: number;
  /** Observation time. */
  readonly tsEvent: UnixMillis;
}

/** One request to the venue finished: `ok: false` for errors (5xx, timeouts, 429), feeds the venue-error breaker. */
export interface VenueRequestCompleted {
  /** Discriminant. */
  readonly type: "VenueRequestCompleted";
  /** Whether the request succeeded. */
  readonly ok: boolean;
  /** Completion time. */
  readonly tsEvent: UnixMillis;
}

/** The venue rejected an order; feeds the rejects breaker. */
export interface OrderRejectRecorded {
  /** Discriminant. */
  readonly type: "OrderRejectRecorded";
  /** The venue's reason, for the breaker's trip message. */
  readonly reason?: string;
  /** Reject time. */
  readonly tsEvent: UnixMillis;
}

/** Operator or code pulls the kill switch: trading halts until an explicit reset. */
export interface ActivateKillSwitch {
  /** Discriminant. */
  readonly type: "ActivateKillSwitch";
  /** Why (required, not blank). */
  readonly reason: string;
  /** Time of the command. */
  readonly tsEvent: UnixMillis;
}

/** Releases the kill switch. Requires a reason; fails if the kill switch is not active. */
export interface ResetKillSwitch {
  /** Discriminant. */
  readonly type: "ResetKillSwitch";
  /** Why trading may resume (required, not blank). */
  readonly reason: string;
  /** Time of the command. */
  readonly tsEvent: UnixMillis;
}

/** Turns manual reduce-only on or off at runtime (independent of the config's `reduceOnlyMode`). */
export interface SetManualReduceOnly {
  /** Discriminant. */
  readonly type: "SetManualReduceOnly";
  /** On or off. */
  readonly enabled: boolean;
  /** Why (required, not blank). */
  readonly reason: string;
  /** Time of the command. */
  readonly tsEvent: UnixMillis;
}

/** Time passes: rolls the trading day and ends cooldowns that are due. */
export interface Tick {
  /** Discriminant. */
  readonly type: "Tick";
  /** The current time. */
  readonly tsEvent: UnixMillis;
}

/** Everything `applyRiskInput` accepts. */
export type RiskInput =
  | EquityObserved
  | CashFlowRecorded
  | TradeClosed
  | VolatilityObserved
  | VenueRequestCompleted
  | OrderRejectRecorded
  | ActivateKillSwitch
  | ResetKillSwitch
  | SetManualReduceOnly
  | Tick;

// ------------------------------------------------------------------ events

/** The trading state changed. `restrictions` are the sources holding trading back afterwards. */
export interface TradingStateChanged {
  /** Discriminant. */
  readonly type: "TradingStateChanged";
  /** State before. */
  readonly from: TradingState;
  /** State after. */
  readonly to: TradingState;
  /** Why, in words (the restriction that now decides the state, or what was lifted). */
  readonly reason: string;
  /** Every restriction in force after the change, most restrictive first. */
  readonly restrictions: readonly RestrictionSource[];
  /** When. */
  readonly tsEvent: UnixMillis;
}

/** The kill switch was activated. */
export interface KillSwitchActivated {
  /** Discriminant. */
  readonly type: "KillSwitchActivated";
  /** The reason given. */
  readonly reason: string;
  /** When. */
  readonly tsEvent: UnixMillis;
}

/** The kill switch was reset. */
export interface KillSwitchReset {
  /** Discriminant. */
  readonly type: "KillSwitchReset";
  /** The reason given for the reset. */
  readonly reason: string;
  /** The reason it had been activated with. */
  readonly activationReason: string;
  /** When it had been activated. */
  readonly activatedAt: UnixMillis;
  /** When. */
  readonly tsEvent: UnixMillis;
}

/** Manual reduce-only was switched on or off. */
export interface ManualReduceOnlyChanged {
  /** Discriminant. */
  readonly type: "ManualReduceOnlyChanged";
  /** The new setting. */
  readonly enabled: boolean;
  /** The reason given. */
  readonly reason: string;
  /** When. */
  readonly tsEvent: UnixMillis;
}

/** The day's loss reached `maxDailyLossPct`: trading is `reducing` until the next reset. */
export interface DailyLossLimitBreached {
  /** Discriminant. */
  readonly type: "DailyLossLimitBreached";
  /** Start of the trading day. */
  readonly dayStart: UnixMillis;
  /** Equity at the start of the day. */
  readonly dayStartEquity: string;
  /** Equity now. */
  readonly equity: string;
  /** Equity change since the day's start, net of deposits and withdrawals (realized + unrealized). */
  readonly dailyPnl: string;
  /** Part of `dailyPnl` realized in closed trades (`TradeClosed`), for information. */
  readonly realizedPnl: string;
  /** Loss as a fraction of the day's start equity; `null` when that equity was zero or negative. */
  readonly lossPct: string | null;
  /** The configured limit. */
  readonly maxDailyLossPct: string;
  /** When. */
  readonly tsEvent: UnixMillis;
}

/** A new trading day began at the configured UTC reset time: the daily loss starts from zero again. */
export interface TradingDayRolled {
  /** Discriminant. */
  readonly type: "TradingDayRolled";
  /** Start of the day that ended. */
  readonly previousDayStart: UnixMillis;
  /** Start of the new day. */
  readonly dayStart: UnixMillis;
  /** Equity the new day starts from (the last equity observed), `null` if none was seen yet. */
  readonly dayStartEquity: string | null;
  /** Whether the daily loss limit had been breached on the day that ended (it is now lifted). */
  readonly dailyLossLimitWasBreached: boolean;
  /** When. */
  readonly tsEvent: UnixMillis;
}

/** A circuit breaker tripped: trading is held in `onTrip` until `cooldownUntil`. */
export interface CircuitBreakerTripped {
  /** Discriminant. */
  readonly type: "CircuitBreakerTripped";
  /** Which breaker. */
  readonly breaker: BreakerName;
  /** Why, in words. */
  readonly reason: string;
  /** The measured value (decimal string). */
  readonly value: string;
  /** The threshold it reached (decimal string). */
  readonly threshold: string;
  /** The state imposed during the cooldown. */
  readonly onTrip: BreakerTripState;
  /** When the breaker recovers on its own. */
  readonly cooldownUntil: UnixMillis;
  /** When. */
  readonly tsEvent: UnixMillis;
}

/** A breaker's cooldown ended and it stopped holding trading back. */
export interface CircuitBreakerRecovered {
  /** Discriminant. */
  readonly type: "CircuitBreakerRecovered";
  /** Which breaker. */
  readonly breaker: BreakerName;
  /** When it had tripped. */
  readonly trippedAt: UnixMillis;
  /** The cooldown end that was reached. */
  readonly cooldownUntil: UnixMillis;
  /** When the recovery was noticed (the first input at or after `cooldownUntil`). */
  readonly tsEvent: UnixMillis;
}

/** Everything the risk state machine emits. Numbers are decimal strings. */
export type RiskEvent =
  | TradingStateChanged
  | KillSwitchActivated
  | KillSwitchReset
  | ManualReduceOnlyChanged
  | DailyLossLimitBreached
  | TradingDayRolled
  | CircuitBreakerTripped
  | CircuitBreakerRecovered;
