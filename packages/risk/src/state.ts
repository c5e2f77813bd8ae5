import { DAY_MS, type UnixMillis } from "@gpt/core";
import type { Decimal, DecimalInput } from "@gpt/quantize";
import { BREAKER_NAMES, type BreakerName, type BreakerTripState, type RiskConfig } from "./config.js";
import { tradingDayStart } from "./day.js";
import { toDecimal, toMillis, ZERO } from "./decimal.js";
import type { RestrictionSource } from "./events.js";
import type { TradingState } from "./types.js";

/** The version of the `RiskState` shape; persisted snapshots carry it. */
export const RISK_STATE_VERSION = 1;

/** A tripped breaker. */
export interface BreakerTrip {
  /** Why it tripped, in words. */
  readonly reason: string;
  /** The measured value (decimal string). */
  readonly value: string;
  /** The threshold (decimal string). */
  readonly threshold: string;
  /** When it tripped. */
  readonly trippedAt: UnixMillis;
  /** When it recovers. */
  readonly cooldownUntil: UnixMillis;
  /** The state it imposes until then. */
  readonly onTrip: BreakerTripState;
}

/** An active kill switch. */
export interface KillSwitchState {
  /** Why it was activated. */
  readonly reason: string;
  /** When. */
  readonly activatedAt: UnixMillis;
}

/** Manual reduce-only switched on at runtime. */
export interface ManualReduceOnlyState {
  /** Why. */
  readonly reason: string;
  /** Since when. */
  readonly since: UnixMillis;
}

/** The daily loss limit was reached today. */
export interface DailyLossBreach {
  /** When. */
  readonly at: UnixMillis;
  /** Daily PnL at that moment. */
  readonly dailyPnl: Decimal;
  /** Loss fraction at that moment (`null` when the day started at zero or negative equity). */
  readonly lossPct: Decimal | null;
}

/** The current trading day, for the daily loss limit. */
export interface TradingDayState {
  /** Start of the day (the latest `dailyResetUtc` at or before the last input). */
  readonly start: UnixMillis;
  /** Equity at the start of the day; `null` until the first equity is observed. */
  readonly startEquity: Decimal | null;
  /** Net deposits (+) and withdrawals (−) since the start of the day. */
  readonly cashFlow: Decimal;
  /** Sum of `TradeClosed` realized PnL since the start of the day (information only). */
  readonly realizedPnl: Decimal;
  /** Set once the daily loss limit is reached; cleared at the next day. */
  readonly breach: DailyLossBreach | null;
}

/**
 * Everything the risk state machine remembers: a plain immutable value. `serializeRiskState`
 * turns it into versioned JSON (Decimals as strings) and `parseRiskState` validates it back, so a
 * restart continues with today's losses, tripped breakers and the kill switch intact.
 */
export interface RiskState {
  /** Shape version (`RISK_STATE_VERSION`). */
  readonly version: typeof RISK_STATE_VERSION;
  /** Time of the last input applied (inputs never move it backwards). */
  readonly updatedAt: UnixMillis;
  /** The trading state derived after the last input. */
  readonly tradingState: TradingState;
  /** Why the trading state is what it is. */
  readonly tradingStateReason: string;
  /** The kill switch, when active. */
  readonly killSwitch: KillSwitchState | null;
  /** Manual reduce-only, when switched on. */
  readonly manualReduceOnly: ManualReduceOnlyState | null;
  /** The current trading day. */
  readonly day: TradingDayState;
  /** The last equity observed. */
  readonly lastEquity: Decimal | null;
  /** The peak equity for the drawdown breaker (adjusted for cash flows, reset on recovery). */
  readonly peakEquity: Decimal | null;
  /** Losing trades in a row. */
  readonly consecutiveLosses: number;
  /** Times of venue requests within the venue-error window. */
  readonly venueRequests: readonly UnixMillis[];
  /** Times of failed venue requests within the window. */
  readonly venueErrors: readonly UnixMillis[];
  /** Times of order rejects within the rejects window. */
  readonly rejects: readonly UnixMillis[];
  /** Tripped breakers (`null` when not tripped). */
  readonly breakers: Readonly<Record<BreakerName, BreakerTrip | null>>;
}

/** Options of `createRiskState`. */
export interface CreateRiskStateOptions {
  /** The current time. */
  readonly now: UnixMillis;
  /** The configuration (for the daily reset time). */
  readonly config: RiskConfig;
  /** Equity now, if known; otherwise the first `EquityObserved` sets the day's start equity. */
  readonly equity?: DecimalInput;
}

/** No breaker tripped. */
function noTrips(): Record<BreakerName, BreakerTrip | null> {
  const out = {} as Record<BreakerName, BreakerTrip | null>;
  for (const name of BREAKER_NAMES) out[name] = null;
  return out;
}

/**
 * A fresh state: no restrictions apart from the config's reduce-only mode, the trading day that
 * contains `now`, and (if given) `equity` as the day's start and peak equity.
 *
 * @throws RiskError on a bad timestamp or equity.
 */
export function createRiskState(options: CreateRiskStateOptions): RiskState {
  const now = toMillis(options.now, "now");
  const equity = options.equity === undefined ? null : toDecimal(options.equity, "equity");
  const base: RiskState = {
    version: RISK_STATE_VERSION,
    updatedAt: now,
    tradingState: "active",
    tradingStateReason: "no restrictions",
    killSwitch: null,
    manualReduceOnly: null,
    day: {
      start: tradingDayStart(now, options.config.dailyResetUtc),
      startEquity: equity,
      cashFlow: ZERO,
      realizedPnl: ZERO,
      breach: null,
    },
    lastEquity: equity,
    peakEquity: equity,
    consecutiveLosses: 0,
    venueRequests: [],
    venueErrors: [],
    rejects: [],
    breakers: noTrips(),
  };
  const derived = deriveTradingState(base, options.config);
  return { ...base, tradingState: derived.tradingState, tradingStateReason: derived.reason };
}

/**
 * When a `Tick` next changes `state`: the end of its trading day (the next `dailyResetUtc`
 * boundary) or the earliest end of a breaker cooldown, whichever comes first. Before that time a
 * `Tick` changes nothing the pre-trade checks read and emits no event (it only advances
 * `updatedAt`), so a caller that ticks often may tick only when this time has come.
 */
export function nextTickDue(state: RiskState): UnixMillis {
  let due = state.day.start + DAY_MS;
  for (const name of BREAKER_NAMES) {
    const trip = state.breakers[name];
    if (trip !== null && trip.cooldownUntil < due) due = trip.cooldownUntil;
  }
  return due;
}

/** Internal: a timestamp as ISO-8601 UTC text (the number itself if beyond the Date range). */
function isoTime(ms: UnixMillis): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

/** One thing holding trading back, and the state it imposes. */
export interface Restriction {
  /** Where it comes from. */
  readonly source: RestrictionSource;
  /** `reducing` or `halted`. */
  readonly state: "reducing" | "halted";
  /** Why, in words. */
  readonly reason: string;
}

/** The trading state a `RiskState` implies, with every restriction in force. */
export interface DerivedTradingState {
  /** The most restrictive state any restriction imposes (`active` if none). */
  readonly tradingState: TradingState;
  /** The reason of the deciding restriction (`"no restrictions"` when active). */
  readonly reason: string;
  /** Every restriction, most restrictive first. */
  readonly restrictions: readonly Restriction[];
}

/**
 * Derives the trading state from the restrictions in `state`: `halted` if the kill switch or a
 * halting breaker is in force; else `reducing` if reduce-only mode (config or manual), the daily
 * loss limit, or a reducing breaker is; else `active`. Pure; does not look at the clock, so a
 * breaker whose cooldown has passed counts until an input (e.g. `Tick`) clears it.
 */
export function deriveTradingState(state: RiskState, config: RiskConfig): DerivedTradingState {
  const halting: Restriction[] = [];
  const reducing: Restriction[] = [];
  if (state.killSwitch !== null) {
    halting.push({
      source: "kill-switch",
      state: "halted",
      reason: `kill switch: ${state.killSwitch.reason}`,
    });
  }
  if (config.reduceOnlyMode) {
    reducing.push({
      source: "reduce-only-mode",
      state: "reducing",
      reason: "reduce-only mode is configured",
    });
  }
  if (state.manualReduceOnly !== null) {
    reducing.push({
      source: "manual-reduce-only",
      state: "reducing",
      reason: `manual reduce-only: ${state.manualReduceOnly.reason}`,
    });
  }
  if (state.day.breach !== null) {
    reducing.push({ source: "daily-loss", state: "reducing", reason: "daily loss limit reached" });
  }
  for (const name of BREAKER_NAMES) {
    const trip = state.breakers[name];
    if (trip === null) continue;
    const restriction: Restriction = {
      source: name,
      state: trip.onTrip,
      reason: `circuit breaker ${name}: ${trip.reason} (until ${isoTime(trip.cooldownUntil)})`,
    };
    (trip.onTrip === "halted" ? halting : reducing).push(restriction);
  }
  const restrictions = [...halting, ...reducing];
  const first = restrictions[0];
  if (first === undefined) return { tradingState: "active", reason: "no restrictions", restrictions };
  return { tradingState: first.state, reason: first.reason, restrictions };
}
