/**
 * US futures (CFM, `/cfm/*`): balance summary, positions, sweeps and intraday margin. Amounts are
 * `{ value, currency }` money objects or decimal strings; unknown fields are kept.
 */
import * as z from "../internal/zod.js";
import {
  type Money,
  type MoneyOrDecimal,
  maybe,
  moneyOrDecimal,
  moneySchema,
  type ResponseDecimal,
  type ResponseTimestamp,
} from "./accounts.js";
import { responseDecimal, timestamp } from "./common.js";

/** The margin requirements of one margin window (intraday or overnight). */
export interface MarginWindowMeasure {
  /** `FCM_MARGIN_WINDOW_TYPE_OVERNIGHT`, `…_WEEKEND`, `…_INTRADAY`, `…_TRANSITION` or `…_UNSPECIFIED`. */
  readonly margin_window_type?: string | null;
  /** `MARGIN_LEVEL_TYPE_BASE`, `…_WARNING`, `…_DANGER`, `…_LIQUIDATION` or `…_UNSPECIFIED`. */
  readonly margin_level?: string | null;
  /** Initial margin. */
  readonly initial_margin?: MoneyOrDecimal | null;
  /** Maintenance margin. */
  readonly maintenance_margin?: MoneyOrDecimal | null;
  /** Liquidation buffer, in percent. */
  readonly liquidation_buffer_percentage?: ResponseDecimal | null;
  /** Total hold. */
  readonly total_hold?: MoneyOrDecimal | null;
  /** Buying power. */
  readonly futures_buying_power?: MoneyOrDecimal | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The futures balance summary. */
export interface FuturesBalanceSummary {
  /** Buying power for futures. */
  readonly futures_buying_power?: Money | null;
  /** Total USD across spot and futures. */
  readonly total_usd_balance?: Money | null;
  /** USD in the Coinbase Inc. (spot) account. */
  readonly cbi_usd_balance?: Money | null;
  /** USD in the CFM (futures) account. */
  readonly cfm_usd_balance?: Money | null;
  /** Held for open orders. */
  readonly total_open_orders_hold_amount?: Money | null;
  /** Unrealized PnL. */
  readonly unrealized_pnl?: Money | null;
  /** Realized PnL today. */
  readonly daily_realized_pnl?: Money | null;
  /** Initial margin. */
  readonly initial_margin?: Money | null;
  /** Available margin. */
  readonly available_margin?: Money | null;
  /** The liquidation threshold. */
  readonly liquidation_threshold?: Money | null;
  /** Distance to liquidation. */
  readonly liquidation_buffer_amount?: Money | null;
  /** Distance to liquidation, in percent. */
  readonly liquidation_buffer_percentage?: ResponseDecimal | null;
  /** The intraday window's requirements. */
  readonly intraday_margin_window_measure?: MarginWindowMeasure | null;
  /** The overnight window's requirements. */
  readonly overnight_margin_window_measure?: MarginWindowMeasure | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** `GET /cfm/balance_summary`. */
export interface GetFuturesBalanceSummaryResponse {
  /** The summary. */
  readonly balance_summary: FuturesBalanceSummary;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

const money = () => maybe(moneySchema());
const dec = () => maybe(responseDecimal());

const marginWindowMeasureSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    margin_window_type: maybe(z.string()),
    margin_level: maybe(z.string()),
    initial_margin: moneyOrDecimal(),
    maintenance_margin: moneyOrDecimal(),
    liquidation_buffer_percentage: dec(),
    total_hold: moneyOrDecimal(),
    futures_buying_power: moneyOrDecimal(),
  }),
);

/** The balance-summary response, as parsed. */
export const getFuturesBalanceSummaryResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    balance_summary: z.looseObject({
      futures_buying_power: money(),
      total_usd_balance: money(),
      cbi_usd_balance: money(),
      cfm_usd_balance: money(),
      total_open_orders_hold_amount: money(),
      unrealized_pnl: money(),
      daily_realized_pnl: money(),
      initial_margin: money(),
      available_margin: money(),
      liquidation_threshold: money(),
      liquidation_buffer_amount: money(),
      liquidation_buffer_percentage: dec(),
      intraday_margin_window_measure: maybe(marginWindowMeasureSchema()),
      overnight_margin_window_measure: maybe(marginWindowMeasureSchema()),
    }),
  }),
);

/** An open US futures position. */
export interface FuturesPosition {
  /** The product id, e.g. `"BIP-20DEC30-CDE"`. */
  readonly product_id: string;
  /** The contract's expiry. */
  readonly expiration_time?: ResponseTimestamp;
  /** `LONG`, `SHORT` or `UNKNOWN`. */
  readonly side?: string | null;
  /** Contracts held. */
  readonly number_of_contracts?: ResponseDecimal | null;
  /** The current price. */
  readonly current_price?: MoneyOrDecimal | null;
  /** The average entry price. */
  readonly avg_entry_price?: MoneyOrDecimal | null;
  /** Unrealized PnL. */
  readonly unrealized_pnl?: MoneyOrDecimal | null;
  /** Realized PnL today. */
  readonly daily_realized_pnl?: MoneyOrDecimal | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

const futuresPositionSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    product_id: z.string(),
    expiration_time: z.exactOptional(timestamp()),
    side: maybe(z.string()),
    number_of_contracts: dec(),
    current_price: moneyOrDecimal(),
    avg_entry_price: moneyOrDecimal(),
    unrealized_pnl: moneyOrDecimal(),
    daily_realized_pnl: moneyOrDecimal(),
  }),
);

/** `GET /cfm/positions`. */
export interface ListFuturesPositionsResponse {
  /** The open positions. */
  readonly positions: readonly FuturesPosition[];
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The list-futures-positions response, as parsed. */
export const listFuturesPositionsResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ positions: z.array(futuresPositionSchema()) }),
);

/** `GET /cfm/positions/{product_id}`. */
export interface GetFuturesPositionResponse {
  /** The position. */
  readonly position: FuturesPosition;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The get-futures-position response, as parsed. */
export const getFuturesPositionResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ position: futuresPositionSchema() }),
);

/** A pending or processing sweep from the futures account to the spot USD wallet. */
export interface FuturesSweep {
  /** The sweep id. */
  readonly id: string;
  /** The amount requested. */
  readonly requested_amount?: Money | null;
  /** Whether everything is swept. */
  readonly should_sweep_all?: boolean | null;
  /** `PENDING` or `PROCESSING`. */
  readonly status?: string | null;
  /** When the sweep is scheduled (some docs spell it `scheduled_time`: both are read). */
  readonly schedule_time?: ResponseTimestamp;
  /** The alternative spelling of `schedule_time`. */
  readonly scheduled_time?: ResponseTimestamp;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** `GET /cfm/sweeps`. */
export interface ListFuturesSweepsResponse {
  /** The sweeps. */
  readonly sweeps: readonly FuturesSweep[];
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The list-sweeps response, as parsed. */
export const listFuturesSweepsResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    sweeps: z.array(
      z.looseObject({
        id: z.string(),
        requested_amount: money(),
        should_sweep_all: maybe(z.boolean()),
        status: maybe(z.string()),
        schedule_time: z.exactOptional(timestamp()),
        scheduled_time: z.exactOptional(timestamp()),
      }),
    ),
  }),
);

/** `POST /cfm/sweeps/schedule` and `DELETE /cfm/sweeps`. */
export interface FuturesSweepResultResponse {
  /** Whether Coinbase accepted the request. */
  readonly success: boolean;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The schedule/cancel-sweep response, as parsed. */
export const futuresSweepResultResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ success: z.boolean() }),
);

/** Intraday margin settings. */
export type IntradayMarginSetting =
  | "INTRADAY_MARGIN_SETTING_UNSPECIFIED"
  | "INTRADAY_MARGIN_SETTING_STANDARD"
  | "INTRADAY_MARGIN_SETTING_INTRADAY";

/** `GET /cfm/intraday/margin_setting`. */
export interface GetIntradayMarginSettingResponse {
  /** The setting (an `IntradayMarginSetting` value; other strings are kept). */
  readonly setting?: string | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The get-intraday-margin-setting response, as parsed. */
export const getIntradayMarginSettingResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ setting: maybe(z.string()) }),
);

/** `POST /cfm/intraday/margin_setting`: an empty object. */
export interface SetIntradayMarginSettingResponse {
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** `GET /cfm/intraday/current_margin_window`. */
export interface GetCurrentMarginWindowResponse {
  /** The current window. */
  readonly margin_window?: {
    /** `FCM_MARGIN_WINDOW_TYPE_…`. */
    readonly margin_window_type?: string | null;
    /** When the window ends. */
    readonly end_time?: ResponseTimestamp;
    /** Fields Coinbase may add. */
    readonly [key: string]: unknown;
  } | null;
  /** Whether the intraday-margin kill switch is on. */
  readonly is_intraday_margin_killswitch_enabled?: boolean | null;
  /** Whether the intraday-margin enrollment kill switch is on. */
  readonly is_intraday_margin_enrollment_killswitch_enabled?: boolean | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The current-margin-window response, as parsed. */
export const getCurrentMarginWindowResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    margin_window: maybe(
      z.looseObject({ margin_window_type: maybe(z.string()), end_time: z.exactOptional(timestamp()) }),
    ),
    is_intraday_margin_killswitch_enabled: maybe(z.boolean()),
    is_intraday_margin_enrollment_killswitch_enabled: maybe(z.boolean()),
  }),
);
