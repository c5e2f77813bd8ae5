import { assertNever, type UnixMillis } from "@gpt/core";
import type { Decimal } from "@gpt/quantize";
import { BREAKER_NAMES, type BreakerName, type RiskConfig } from "./config.js";
import { tradingDayStart } from "./day.js";
import { fmt, fmtRatio, pct, toDecimal, toMillis, ZERO } from "./decimal.js";
import { RiskError } from "./errors.js";
import type { RiskEvent, RiskInput } from "./events.js";
import { type BreakerTrip, deriveTradingState, type RiskState } from "./state.js";
import type { TradingState } from "./types.js";

/** The result of `applyRiskInput`: the next state and the events the input caused, in order. */
export interface RiskStep {
  /** The state after the input. */
  readonly state: RiskState;
  /** Events caused by the input (possibly none). */
  readonly events: readonly RiskEvent[];
}

type Draft = { -readonly [K in keyof RiskState]: RiskState[K] };

const RANK: Readonly<Record<TradingState, number>> = { active: 0, reducing: 1, halted: 2 };

function requireReason(reason: unknown, field: string): string {
  if (typeof reason !== "string" || reason.trim() === "") {
    throw new RiskError("invalid-input", `${field}: a reason is required (got ${JSON.stringify(reason)})`, {
      field,
      value: reason,
    });
  }
  return reason.trim();
}

function within(times: readonly UnixMillis[], now: UnixMillis, windowMs: number): UnixMillis[] {
  const from = now - windowMs;
  return times.filter((t) => t > from);
}

/** Trips breaker `name`: records the trip in the draft and emits `CircuitBreakerTripped`. */
function tripBreaker(
  s: Draft,
  events: RiskEvent[],
  config: RiskConfig,
  now: UnixMillis,
  name: BreakerName,
  reason: string,
  value: string,
  threshold: string,
): void {
  const settings = config.breakers[name];
  const record: BreakerTrip = {
    reason,
    value,
    threshold,
    trippedAt: now,
    cooldownUntil: now + settings.cooldownMs,
    onTrip: settings.onTrip,
  };
  s.breakers = { ...s.breakers, [name]: record };
  events.push({
    type: "CircuitBreakerTripped",
    breaker: name,
    reason,
    value,
    threshold,
    onTrip: settings.onTrip,
    cooldownUntil: record.cooldownUntil,
    tsEvent: now,
  });
}

/**
 * The pure risk state machine: applies one input to a state and returns the next state and the
 * events it caused. Never mutates `state` and never reads a clock: time comes from
 * `input.tsEvent` (an input older than `state.updatedAt` is applied at `state.updatedAt`, so
 * time never runs backwards).
 *
 * Every input first rolls the trading day if a `dailyResetUtc` boundary has passed (lifting the
 * daily loss limit) and recovers breakers whose cooldown has ended; then the input itself is
 * applied; finally the trading state is derived again (`deriveTradingState`) and a
 * `TradingStateChanged` event is emitted if it changed.
 *
 * @throws RiskError (`invalid-input`) for malformed inputs (NaN amounts, blank reasons, bad
 * timestamps) and (`invalid-transition`) for resetting a kill switch that is not active.
 */
export function applyRiskInput(state: RiskState, input: RiskInput, config: RiskConfig): RiskStep {
  const now = Math.max(toMillis(input.tsEvent, "tsEvent"), state.updatedAt);
  const events: RiskEvent[] = [];
  const lifted: string[] = [];
  const s: Draft = { ...state, updatedAt: now };

  // 1. A new trading day lifts the daily loss limit; it starts from the last equity seen.
  const dayStart = tradingDayStart(now, config.dailyResetUtc);
  if (dayStart > s.day.start) {
    const wasBreached = s.day.breach !== null;
    events.push({
      type: "TradingDayRolled",
      previousDayStart: s.day.start,
      dayStart,
      dayStartEquity: s.lastEquity === null ? null : fmt(s.lastEquity),
      dailyLossLimitWasBreached: wasBreached,
      tsEvent: now,
    });
    if (wasBreached) lifted.push("a new trading day began, lifting the daily loss limit");
    s.day = { start: dayStart, startEquity: s.lastEquity, cashFlow: ZERO, realizedPnl: ZERO, breach: null };
  }

  // 2. Cooldowns that have ended.
  for (const name of BREAKER_NAMES) {
    const current = s.breakers[name];
    if (current === null || now < current.cooldownUntil) continue;
    s.breakers = { ...s.breakers, [name]: null };
    if (name === "drawdown") s.peakEquity = s.lastEquity;
    events.push({
      type: "CircuitBreakerRecovered",
      breaker: name,
      trippedAt: current.trippedAt,
      cooldownUntil: current.cooldownUntil,
      tsEvent: now,
    });
    lifted.push(`circuit breaker ${name} recovered`);
  }

  // 3. The input.
  switch (input.type) {
    case "EquityObserved": {
      const equity = toDecimal(input.equity, "equity");
      s.lastEquity = equity;
      if (s.day.startEquity === null) s.day = { ...s.day, startEquity: equity };
      s.peakEquity = s.peakEquity === null || equity.gt(s.peakEquity) ? equity : s.peakEquity;
      checkDailyLoss(s, equity, now, config, events);
      const drawdown = config.breakers.drawdown;
      const peak = s.peakEquity;
      // Compared as peak − equity >= maxPct × peak: exact, and no division on every observation.
      if (
        drawdown.enabled &&
        s.breakers.drawdown === null &&
        peak.gt(0) &&
        peak.minus(equity).gte(drawdown.maxPct.times(peak))
      ) {
        const fraction = peak.minus(equity).div(peak);
        tripBreaker(
          s,
          events,
          config,
          now,
          "drawdown",
          `equity ${fmt(equity)} is ${pct(fraction)} below its peak ${fmt(peak)} (limit ${pct(drawdown.maxPct)})`,
          fmtRatio(fraction),
          fmt(drawdown.maxPct),
        );
      }
      break;
    }
    case "CashFlowRecorded": {
      const amount = toDecimal(input.amount, "amount");
      s.day = { ...s.day, cashFlow: s.day.cashFlow.plus(amount) };
      if (s.peakEquity !== null) s.peakEquity = s.peakEquity.plus(amount);
      break;
    }
    case "TradeClosed": {
      const pnl = toDecimal(input.realizedPnl, "realizedPnl");
      s.day = { ...s.day, realizedPnl: s.day.realizedPnl.plus(pnl) };
      if (pnl.isNegative() && !pnl.isZero()) s.consecutiveLosses += 1;
      else if (pnl.gt(0)) s.consecutiveLosses = 0;
      const settings = config.breakers.consecutiveLosses;
      if (
        settings.enabled &&
        s.breakers.consecutiveLosses === null &&
        s.consecutiveLosses >= settings.maxCount
      ) {
        tripBreaker(
          s,
          events,
          config,
          now,
          "consecutiveLosses",
          `${s.consecutiveLosses} losing trades in a row (limit ${settings.maxCount})`,
          String(s.consecutiveLosses),
          String(settings.maxCount),
        );
        s.consecutiveLosses = 0;
      }
      break;
    }
    case "VolatilityObserved": {
      const ratio = input.ratio;
      if (typeof ratio !== "number" || !Number.isFinite(ratio) || ratio < 0) {
        throw new RiskError("invalid-input", `ratio: must be a finite number >= 0 (got ${String(ratio)})`, {
          field: "ratio",
          value: ratio,
        });
      }
      const settings = config.breakers.volatility;
      if (settings.enabled && s.breakers.volatility === null && ratio >= settings.maxRatio) {
        tripBreaker(
          s,
          events,
          config,
          now,
          "volatility",
          `volatility ratio ${ratio} reached ${settings.maxRatio}`,
          String(ratio),
          String(settings.maxRatio),
        );
      }
      break;
    }
    case "VenueRequestCompleted": {
      const settings = config.breakers.venueErrors;
      if (!settings.enabled) break;
      const requests = within(s.venueRequests, now, settings.windowMs);
      const errors = within(s.venueErrors, now, settings.windowMs);
      requests.push(now);
      if (input.ok !== true) errors.push(now);
      s.venueRequests = requests;
      s.venueErrors = errors;
      const rate = errors.length / requests.length;
      if (
        s.breakers.venueErrors === null &&
        requests.length >= settings.minRequests &&
        rate >= settings.maxRate
      ) {
        tripBreaker(
          s,
          events,
          config,
          now,
          "venueErrors",
          `${errors.length} of ${requests.length} venue requests failed in ${settings.windowMs} ms ` +
            `(limit ${settings.maxRate})`,
          String(rate),
          String(settings.maxRate),
        );
        s.venueRequests = [];
        s.venueErrors = [];
      }
      break;
    }
    case "OrderRejectRecorded": {
      const settings = config.breakers.rejects;
      if (!settings.enabled) break;
      const rejects = within(s.rejects, now, settings.windowMs);
      rejects.push(now);
      s.rejects = rejects;
      if (s.breakers.rejects === null && rejects.length >= settings.maxCount) {
        const last = typeof input.reason === "string" && input.reason !== "" ? `; last: ${input.reason}` : "";
        tripBreaker(
          s,
          events,
          config,
          now,
          "rejects",
          `${rejects.length} orders rejected in ${settings.windowMs} ms (limit ${settings.maxCount})${last}`,
          String(rejects.length),
          String(settings.maxCount),
        );
        s.rejects = [];
      }
      break;
    }
    case "ActivateKillSwitch": {
      const reason = requireReason(input.reason, "reason");
      if (s.killSwitch === null) {
        s.killSwitch = { reason, activatedAt: now };
        events.push({ type: "KillSwitchActivated", reason, tsEvent: now });
      }
      break;
    }
    case "ResetKillSwitch": {
      const reason = requireReason(input.reason, "reason");
      const active = s.killSwitch;
      if (active === null) {
        throw new RiskError("invalid-transition", "ResetKillSwitch: the kill switch is not active", {
          field: "killSwitch",
        });
      }
      s.killSwitch = null;
      events.push({
        type: "KillSwitchReset",
        reason,
        activationReason: active.reason,
        activatedAt: active.activatedAt,
        tsEvent: now,
      });
      lifted.push(`kill switch reset: ${reason}`);
      break;
    }
    case "SetManualReduceOnly": {
      const reason = requireReason(input.reason, "reason");
      if (input.enabled && s.manualReduceOnly === null) {
        s.manualReduceOnly = { reason, since: now };
        events.push({ type: "ManualReduceOnlyChanged", enabled: true, reason, tsEvent: now });
      } else if (!input.enabled && s.manualReduceOnly !== null) {
        s.manualReduceOnly = null;
        events.push({ type: "ManualReduceOnlyChanged", enabled: false, reason, tsEvent: now });
        lifted.push(`manual reduce-only switched off: ${reason}`);
      }
      break;
    }
    case "Tick":
      break;
    default:
      return assertNever(input, "risk input");
  }

  // 4. The trading state follows from the restrictions.
  const derived = deriveTradingState(s, config);
  s.tradingStateReason = derived.reason;
  s.tradingState = derived.tradingState;
  if (derived.tradingState !== state.tradingState) {
    const looser = RANK[derived.tradingState] < RANK[state.tradingState];
    let reason = derived.reason;
    if (looser && lifted.length > 0) {
      reason =
        derived.tradingState === "active"
          ? lifted.join("; ")
          : `${lifted.join("; ")}; still ${derived.tradingState}: ${derived.reason}`;
    }
    events.push({
      type: "TradingStateChanged",
      from: state.tradingState,
      to: derived.tradingState,
      reason,
      restrictions: derived.restrictions.map((r) => r.source),
      tsEvent: now,
    });
  }
  return { state: s, events };
}

function checkDailyLoss(
  s: Draft,
  equity: Decimal,
  now: UnixMillis,
  config: RiskConfig,
  events: RiskEvent[],
): void {
  const start = s.day.startEquity;
  if (s.day.breach !== null || start === null) return;
  const dailyPnl = equity.minus(start).minus(s.day.cashFlow);
  if (!dailyPnl.isNegative() || dailyPnl.isZero()) return;
  let lossPct: Decimal | null = null;
  if (start.gt(0)) {
    // loss / start < max, compared as loss < max × start: exact, and no division per observation.
    if (dailyPnl.neg().lt(config.maxDailyLossPct.times(start))) return;
    lossPct = dailyPnl.neg().div(start);
  }
  // With a start equity of zero or less there is no percentage: any loss counts as a breach.
  s.day = { ...s.day, breach: { at: now, dailyPnl, lossPct } };
  events.push({
    type: "DailyLossLimitBreached",
    dayStart: s.day.start,
    dayStartEquity: fmt(start),
    equity: fmt(equity),
    dailyPnl: fmt(dailyPnl),
    realizedPnl: fmt(s.day.realizedPnl),
    lossPct: lossPct === null ? null : fmtRatio(lossPct),
    maxDailyLossPct: fmt(config.maxDailyLossPct),
    tsEvent: now,
  });
}
