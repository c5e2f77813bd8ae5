/**
 * The US futures account's settings and sweeps (`/cfm/sweeps`, `/cfm/intraday/*`), kept as
 * in-memory state: a scheduled sweep stays `PENDING` until it is cancelled (the simulator moves no
 * USD between the futures and spot engines).
 */
import { D } from "@gpt/quantize";
import { accountStateOf } from "./account-state.js";
import { invalid, notFound, ok, type Route, type RouteContext, type RouteResult } from "./http-types.js";
import { iso, money } from "./views.js";

const DECIMAL = /^\d+(\.\d+)?$/;
const SETTINGS = new Set([
  "INTRADAY_MARGIN_SETTING_UNSPECIFIED",
  "INTRADAY_MARGIN_SETTING_STANDARD",
  "INTRADAY_MARGIN_SETTING_INTRADAY",
]);
const PROFILES = new Set([
  "MARGIN_PROFILE_TYPE_UNSPECIFIED",
  "MARGIN_PROFILE_TYPE_RETAIL_REGULAR",
  "MARGIN_PROFILE_TYPE_RETAIL_INTRADAY_MARGIN_1",
]);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 5 PM New York (standard time) in UTC hours: sweeps are processed after this cut-off. */
const SWEEP_CUTOFF_UTC_HOUR = 22;
/** The intraday margin window, 8 AM-4 PM New York (standard time), in UTC hours. */
const INTRADAY_UTC = [13, 21] as const;

function noFutures(context: RouteContext): RouteResult | undefined {
  return context.exchange.futures === undefined ? notFound("no futures account") : undefined;
}

function listSweeps(context: RouteContext): RouteResult {
  const missing = noFutures(context);
  if (missing !== undefined) return missing;
  return ok({
    sweeps: accountStateOf(context.exchange).sweeps.map((sweep) => ({
      id: sweep.id,
      requested_amount: money(sweep.amount ?? D(0), "USD"),
      should_sweep_all: sweep.amount === undefined,
      status: "PENDING",
      schedule_time: iso(sweep.scheduleMs),
    })),
  });
}

function scheduleSweep(context: RouteContext): RouteResult {
  const missing = noFutures(context);
  if (missing !== undefined) return missing;
  const raw = context.body.usd_amount;
  if (raw !== undefined && (typeof raw !== "string" || !DECIMAL.test(raw) || D(raw).lte(0))) {
    return invalid("usd_amount must be a positive decimal string");
  }
  const state = accountStateOf(context.exchange);
  if (state.sweeps.length > 0) return invalid("a sweep is already pending");
  const amount = raw === undefined ? undefined : D(raw);
  const cash = context.exchange.futures?.snapshot().freeMargin ?? D(0);
  if (amount?.gt(cash)) return invalid("usd_amount exceeds the futures buying power");
  const dayStart = Math.floor(context.nowMs / DAY) * DAY;
  let scheduleMs = dayStart + SWEEP_CUTOFF_UTC_HOUR * HOUR;
  if (scheduleMs <= context.nowMs) scheduleMs += DAY;
  state.sweeps.push({ id: context.exchange.uuid(), amount, scheduleMs });
  return ok({ success: true });
}

function cancelSweep(context: RouteContext): RouteResult {
  const missing = noFutures(context);
  if (missing !== undefined) return missing;
  const state = accountStateOf(context.exchange);
  if (state.sweeps.length === 0) return invalid("no sweep is pending");
  state.sweeps.length = 0;
  return ok({ success: true });
}

function getMarginSetting(context: RouteContext): RouteResult {
  return noFutures(context) ?? ok({ setting: accountStateOf(context.exchange).marginSetting });
}

function setMarginSetting(context: RouteContext): RouteResult {
  const missing = noFutures(context);
  if (missing !== undefined) return missing;
  const setting = context.body.setting;
  if (typeof setting !== "string" || !SETTINGS.has(setting))
    return invalid("setting is not an intraday margin setting");
  accountStateOf(context.exchange).marginSetting = setting;
  return ok({});
}

/** The margin window at `nowMs`: intraday on weekdays 13:00-21:00 UTC, weekend, or overnight. */
function marginWindowAt(nowMs: number): { type: string; endMs: number } {
  const dayStart = Math.floor(nowMs / DAY) * DAY;
  const weekday = new Date(nowMs).getUTCDay();
  const hour = (nowMs - dayStart) / HOUR;
  if (weekday === 6 || weekday === 0) {
    const toMonday = weekday === 6 ? 2 : 1;
    return {
      type: "FCM_MARGIN_WINDOW_TYPE_WEEKEND",
      endMs: dayStart + toMonday * DAY + INTRADAY_UTC[0] * HOUR,
    };
  }
  if (hour >= INTRADAY_UTC[0] && hour < INTRADAY_UTC[1]) {
    return { type: "FCM_MARGIN_WINDOW_TYPE_INTRADAY", endMs: dayStart + INTRADAY_UTC[1] * HOUR };
  }
  const next = hour < INTRADAY_UTC[0] ? dayStart : dayStart + DAY;
  const nextWeekday = new Date(next).getUTCDay();
  const endMs = nextWeekday === 6 ? next : next + INTRADAY_UTC[0] * HOUR;
  return { type: "FCM_MARGIN_WINDOW_TYPE_OVERNIGHT", endMs };
}

function currentMarginWindow(context: RouteContext): RouteResult {
  const missing = noFutures(context);
  if (missing !== undefined) return missing;
  const profile = context.query.get("margin_profile_type");
  if (profile === null || !PROFILES.has(profile)) return invalid("margin_profile_type is required");
  const window = marginWindowAt(context.nowMs);
  return ok({
    margin_window: { margin_window_type: window.type, end_time: iso(window.endMs) },
    is_intraday_margin_killswitch_enabled: false,
    is_intraday_margin_enrollment_killswitch_enabled: false,
  });
}

/** Sweeps and intraday margin. */
export const CFM_ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/cfm\/sweeps$/, private: true, handler: listSweeps },
  { method: "POST", pattern: /^\/cfm\/sweeps\/schedule$/, private: true, handler: scheduleSweep },
  { method: "DELETE", pattern: /^\/cfm\/sweeps$/, private: true, handler: cancelSweep },
  { method: "GET", pattern: /^\/cfm\/intraday\/margin_setting$/, private: true, handler: getMarginSetting },
  { method: "POST", pattern: /^\/cfm\/intraday\/margin_setting$/, private: true, handler: setMarginSetting },
  {
    method: "GET",
    pattern: /^\/cfm\/intraday\/current_margin_window$/,
    private: true,
    handler: currentMarginWindow,
  },
];
