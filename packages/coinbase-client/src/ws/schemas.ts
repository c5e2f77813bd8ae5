/**
 * zod schemas of every WebSocket message, one per channel. They are the definition: the fast
 * checker in `./fast-l2.ts` may only accept what these accept (held to it by `parse.test.ts`).
 * Schemas are built lazily (`memo`), so importing the module builds nothing. Objects are loose:
 * fields Coinbase adds later pass through untouched.
 */
import * as z from "../internal/zod.js";
import type { WsMessage } from "./types.js";

/** A plain unsigned decimal (`"65083.66"`, `"0"`): level-2 prices and sizes. */
export const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
/** A decimal as Coinbase sends it elsewhere: signed or with an exponent, or `""` for "not set". */
const LOOSE_DECIMAL = /^([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)?$/;
const COUNT_TEXT = /^\d{1,15}$/;

const plainDecimal = () =>
  z.string().check(z.regex(PLAIN_DECIMAL, 'expected a plain decimal string like "0.01"'));
const decimal = () => z.string().check(z.regex(LOOSE_DECIMAL, "expected a decimal string"));
const optDecimal = () => z.optional(decimal());
const optString = () => z.optional(z.string());
const eventType = () => z.enum(["snapshot", "update"]);
const seqNum = () => z.number().check(z.int(), z.gte(0));

/** The envelope fields of every data message, to spread into a channel's schema. */
const envelope = () => ({
  client_id: optString(),
  timestamp: z.string(),
  sequence_num: seqNum(),
});

const heartbeatCounter = () =>
  z.pipe(
    z.union([
      z.number().check(z.int(), z.gte(0)),
      z.string().check(z.regex(COUNT_TEXT, "expected a non-negative integer")),
    ]),
    z.transform((value): number => (typeof value === "number" ? value : Number(value))),
  );

const heartbeats = () =>
  z.looseObject({
    channel: z.enum(["heartbeats"]),
    ...envelope(),
    events: z.array(z.looseObject({ current_time: z.string(), heartbeat_counter: heartbeatCounter() })),
  });

const candle = () =>
  z.looseObject({
    start: z.string(),
    high: decimal(),
    low: decimal(),
    open: decimal(),
    close: decimal(),
    volume: decimal(),
    product_id: z.string(),
  });

const candles = () =>
  z.looseObject({
    channel: z.enum(["candles"]),
    ...envelope(),
    events: z.array(z.looseObject({ type: eventType(), candles: z.array(candle()) })),
  });

const statusProduct = () =>
  z.looseObject({
    id: z.string(),
    product_type: optString(),
    base_currency: optString(),
    quote_currency: optString(),
    base_increment: optDecimal(),
    quote_increment: optDecimal(),
    display_name: optString(),
    status: optString(),
    status_message: optString(),
    min_market_funds: optDecimal(),
  });

const status = () =>
  z.looseObject({
    channel: z.enum(["status"]),
    ...envelope(),
    events: z.array(z.looseObject({ type: eventType(), products: z.array(statusProduct()) })),
  });

const ticker = () =>
  z.looseObject({
    type: z.enum(["ticker"]),
    product_id: z.string(),
    price: decimal(),
    volume_24_h: optDecimal(),
    low_24_h: optDecimal(),
    high_24_h: optDecimal(),
    low_52_w: optDecimal(),
    high_52_w: optDecimal(),
    price_percent_chg_24_h: optDecimal(),
    best_bid: optDecimal(),
    best_bid_quantity: optDecimal(),
    best_ask: optDecimal(),
    best_ask_quantity: optDecimal(),
  });

const tickerChannel = (name: "ticker" | "ticker_batch") => () =>
  z.looseObject({
    channel: z.enum([name]),
    ...envelope(),
    events: z.array(z.looseObject({ type: eventType(), tickers: z.array(ticker()) })),
  });

/** One level-2 update. */
const l2UpdateSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    side: z.enum(["bid", "offer"]),
    event_time: z.string(),
    price_level: plainDecimal(),
    new_quantity: plainDecimal(),
  }),
);

const l2Data = () =>
  z.looseObject({
    channel: z.enum(["l2_data"]),
    ...envelope(),
    events: z.array(
      z.looseObject({ type: eventType(), product_id: z.string(), updates: z.array(l2UpdateSchema()) }),
    ),
  });

const trade = () =>
  z.looseObject({
    trade_id: z.string(),
    product_id: z.string(),
    price: decimal(),
    size: decimal(),
    side: z.enum(["BUY", "SELL"]),
    time: z.string(),
  });

const marketTrades = () =>
  z.looseObject({
    channel: z.enum(["market_trades"]),
    ...envelope(),
    events: z.array(z.looseObject({ type: eventType(), trades: z.array(trade()) })),
  });

const userOrder = () =>
  z.looseObject({
    order_id: z.string().check(z.minLength(1, "expected a non-empty id")),
    status: z.string(),
    cumulative_quantity: decimal(),
    client_order_id: optString(),
    product_id: optString(),
    product_type: optString(),
    order_side: optString(),
    order_type: optString(),
    leaves_quantity: optDecimal(),
    avg_price: optDecimal(),
    filled_value: optDecimal(),
    total_fees: optDecimal(),
    number_of_fills: optString(),
    total_value_after_fees: optDecimal(),
    limit_price: optDecimal(),
    stop_price: optDecimal(),
    post_only: optString(),
    time_in_force: optString(),
    trigger_status: optString(),
    cancel_reason: optString(),
    reject_reason: optString(),
    outstanding_hold_amount: optDecimal(),
    completion_percentage: optDecimal(),
    retail_portfolio_id: optString(),
    contract_expiry_type: optString(),
    risk_managed_by: optString(),
    creation_time: optString(),
    start_time: optString(),
    end_time: optString(),
  });

const positionList = () => z.optional(z.nullable(z.array(z.record(z.string(), z.unknown()))));

const user = () =>
  z.looseObject({
    channel: z.enum(["user"]),
    ...envelope(),
    events: z.array(
      z.looseObject({
        type: eventType(),
        orders: z.array(userOrder()),
        positions: z.optional(
          z.looseObject({
            perpetual_futures_positions: positionList(),
            expiring_futures_positions: positionList(),
          }),
        ),
      }),
    ),
  });

const futuresBalanceSummary = () =>
  z.looseObject({
    channel: z.enum(["futures_balance_summary"]),
    ...envelope(),
    events: z.array(
      z.looseObject({ type: eventType(), fcm_balance_summary: z.record(z.string(), z.unknown()) }),
    ),
  });

const subscriptions = () =>
  z.looseObject({
    channel: z.enum(["subscriptions"]),
    ...envelope(),
    events: z.array(z.looseObject({ subscriptions: z.record(z.string(), z.array(z.string())) })),
  });

const errorFrame = () =>
  z.looseObject({ channel: z.enum(["error"]), type: z.enum(["error"]), message: z.string() });

type Builder = () => z.ZodMiniType<unknown>;

/** The `channel` values a message can carry, each with its schema builder. */
const BUILDERS: Readonly<Record<WsMessage["channel"], Builder>> = {
  heartbeats,
  candles,
  status,
  ticker: tickerChannel("ticker"),
  ticker_batch: tickerChannel("ticker_batch"),
  l2_data: l2Data,
  market_trades: marketTrades,
  user,
  futures_balance_summary: futuresBalanceSummary,
  subscriptions,
  error: errorFrame,
};

const built = new Map<string, z.ZodMiniType<unknown>>();

/**
 * The schema of one channel's messages (`"l2_data"`, not `"level2"`), or `undefined` for a channel
 * we do not know. Built on first use.
 */
export function wsMessageSchema(channel: string): z.ZodMiniType<unknown> | undefined {
  if (!Object.hasOwn(BUILDERS, channel)) return undefined;
  let schema = built.get(channel);
  if (schema === undefined) {
    schema = BUILDERS[channel as WsMessage["channel"]]();
    built.set(channel, schema);
  }
  return schema;
}
