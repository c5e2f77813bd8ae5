/**
 * The message types of the Coinbase Advanced Trade WebSocket feed, as `parseWsFrame` returns them.
 * Every message keeps Coinbase's field names and its decimal strings (prices and sizes are never
 * turned into floats). Fields the docs list but live traffic sometimes leaves out are optional.
 */
import type { CoinbaseClientError } from "../errors.js";

/** A channel name as sent in a subscribe (`level2` arrives as `channel: "l2_data"`). */
export type WsChannel =
  | "heartbeats"
  | "candles"
  | "status"
  | "ticker"
  | "ticker_batch"
  | "level2"
  | "market_trades"
  | "user"
  | "futures_balance_summary";

/** `"snapshot"` for the first event(s) after a subscribe, `"update"` afterwards. */
export type WsEventType = "snapshot" | "update";

/** The envelope every data message shares. */
export interface WsEnvelope {
  /** RFC 3339 time the server sent the message, kept as sent (`""` is accepted). */
  readonly timestamp: string;
  /** Per-connection counter across all channels (the subscriptions ack included). */
  readonly sequence_num: number;
  /** Always `""` today; missing in some live frames. */
  readonly client_id?: string;
}

/** A `heartbeats` event (no `type`). */
export interface HeartbeatEvent {
  /** Go-formatted server time (`"2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105"`). */
  readonly current_time: string;
  /** The heartbeat counter; Coinbase sends a string in the docs and a number live, both become a number. */
  readonly heartbeat_counter: number;
}

/** A `heartbeats` message. */
export interface HeartbeatsMessage extends WsEnvelope {
  readonly channel: "heartbeats";
  readonly events: readonly HeartbeatEvent[];
}

/** One 5-minute candle (all values are strings; `start` is UNIX seconds as text). */
export interface WsCandle {
  readonly start: string;
  readonly high: string;
  readonly low: string;
  readonly open: string;
  readonly close: string;
  readonly volume: string;
  readonly product_id: string;
}

/** A `candles` message. */
export interface CandlesMessage extends WsEnvelope {
  readonly channel: "candles";
  readonly events: readonly { readonly type: WsEventType; readonly candles: readonly WsCandle[] }[];
}

/** One product in a `status` event. */
export interface WsStatusProduct {
  readonly id: string;
  readonly product_type?: string;
  readonly base_currency?: string;
  readonly quote_currency?: string;
  readonly base_increment?: string;
  readonly quote_increment?: string;
  readonly display_name?: string;
  readonly status?: string;
  readonly status_message?: string;
  readonly min_market_funds?: string;
}

/** A `status` message. */
export interface StatusMessage extends WsEnvelope {
  readonly channel: "status";
  readonly events: readonly { readonly type: WsEventType; readonly products: readonly WsStatusProduct[] }[];
}

/** One ticker; `ticker_batch` leaves the best bid/ask fields out. */
export interface WsTicker {
  readonly type: "ticker";
  readonly product_id: string;
  readonly price: string;
  readonly volume_24_h?: string;
  readonly low_24_h?: string;
  readonly high_24_h?: string;
  readonly low_52_w?: string;
  readonly high_52_w?: string;
  readonly price_percent_chg_24_h?: string;
  readonly best_bid?: string;
  readonly best_bid_quantity?: string;
  readonly best_ask?: string;
  readonly best_ask_quantity?: string;
}

/** A ticker event (`ticker` and `ticker_batch`). */
export interface TickerEvent {
  readonly type: WsEventType;
  readonly tickers: readonly WsTicker[];
}

/** A `ticker` message. */
export interface TickerMessage extends WsEnvelope {
  readonly channel: "ticker";
  readonly events: readonly TickerEvent[];
}

/** A `ticker_batch` message. */
export interface TickerBatchMessage extends WsEnvelope {
  readonly channel: "ticker_batch";
  readonly events: readonly TickerEvent[];
}

/** One level-2 change: `new_quantity` is the new absolute size at `price_level`; `"0"` removes the level. */
export interface L2Update {
  /** `"bid"` or `"offer"` (Coinbase's name for the ask side). */
  readonly side: "bid" | "offer";
  /** RFC 3339 time of the change (the docs' snapshot example sends the zero epoch). */
  readonly event_time: string;
  /** The price, a plain decimal string. */
  readonly price_level: string;
  /** The new size at that price, a plain decimal string. */
  readonly new_quantity: string;
}

/** A level-2 event for one product. */
export interface L2Event {
  readonly type: WsEventType;
  readonly product_id: string;
  readonly updates: readonly L2Update[];
}

/** A `level2` message (Coinbase names its channel `l2_data`). */
export interface L2DataMessage extends WsEnvelope {
  readonly channel: "l2_data";
  readonly events: readonly L2Event[];
}

/** One public trade; `side` is the maker side. */
export interface WsTrade {
  readonly trade_id: string;
  readonly product_id: string;
  readonly price: string;
  readonly size: string;
  readonly side: "BUY" | "SELL";
  readonly time: string;
}

/** A `market_trades` message. */
export interface MarketTradesMessage extends WsEnvelope {
  readonly channel: "market_trades";
  readonly events: readonly { readonly type: WsEventType; readonly trades: readonly WsTrade[] }[];
}

/** One order in a `user` event (cumulative figures; Coinbase sends no per-fill delta). */
export interface WsUserOrder {
  readonly order_id: string;
  readonly status: string;
  /** Base units filled so far. */
  readonly cumulative_quantity: string;
  readonly client_order_id?: string;
  readonly product_id?: string;
  readonly product_type?: string;
  readonly order_side?: string;
  readonly order_type?: string;
  readonly leaves_quantity?: string;
  readonly avg_price?: string;
  readonly filled_value?: string;
  readonly total_fees?: string;
  readonly number_of_fills?: string;
  readonly total_value_after_fees?: string;
  readonly limit_price?: string;
  readonly stop_price?: string;
  readonly post_only?: string;
  readonly time_in_force?: string;
  readonly trigger_status?: string;
  readonly cancel_reason?: string;
  readonly reject_reason?: string;
  readonly outstanding_hold_amount?: string;
  readonly completion_percentage?: string;
  readonly retail_portfolio_id?: string;
  readonly contract_expiry_type?: string;
  readonly risk_managed_by?: string;
  readonly creation_time?: string;
  readonly start_time?: string;
  readonly end_time?: string;
}

/** Positions in a `user` event (beta; empty unless enabled). Entries keep Coinbase's fields. */
export interface WsUserPositions {
  readonly perpetual_futures_positions?: readonly Readonly<Record<string, unknown>>[];
  readonly expiring_futures_positions?: readonly Readonly<Record<string, unknown>>[];
}

/** A `user` event. */
export interface UserEvent {
  readonly type: WsEventType;
  readonly orders: readonly WsUserOrder[];
  readonly positions?: WsUserPositions;
}

/** A `user` message. */
export interface UserMessage extends WsEnvelope {
  readonly channel: "user";
  readonly events: readonly UserEvent[];
}

/** A `futures_balance_summary` event: the CFM balance summary with plain-string values. */
export interface FuturesBalanceSummaryEvent {
  readonly type: WsEventType;
  readonly fcm_balance_summary: Readonly<Record<string, unknown>>;
}

/** A `futures_balance_summary` message. */
export interface FuturesBalanceSummaryMessage extends WsEnvelope {
  readonly channel: "futures_balance_summary";
  readonly events: readonly FuturesBalanceSummaryEvent[];
}

/** The server's answer to a subscribe/unsubscribe: the whole current subscription set. */
export interface SubscriptionsMessage extends WsEnvelope {
  readonly channel: "subscriptions";
  readonly events: readonly {
    /** Channel → product ids (`heartbeats: ["heartbeats"]`, `user: ["<user uuid>"]`). */
    readonly subscriptions: Readonly<Record<string, readonly string[]>>;
  }[];
}

/**
 * An error frame, `{"type":"error","message":"..."}` from Coinbase. It has no channel on the wire;
 * the parser adds `channel: "error"` so every message narrows on `channel`.
 */
export interface WsErrorMessage {
  readonly channel: "error";
  readonly type: "error";
  /** Coinbase's text, as sent (undocumented wording). */
  readonly message: string;
}

/** One validated message, discriminated by `channel` (level2 arrives as `"l2_data"`). */
export type WsMessage =
  | HeartbeatsMessage
  | CandlesMessage
  | StatusMessage
  | TickerMessage
  | TickerBatchMessage
  | L2DataMessage
  | MarketTradesMessage
  | UserMessage
  | FuturesBalanceSummaryMessage
  | SubscriptionsMessage
  | WsErrorMessage;

/**
 * The result of `parseWsFrame`: the message, or an error (code `ws-message-invalid`, `field` names
 * the JSON path) with the raw frame attached so the stream can report it and go on.
 */
export type WsFrameResult =
  | { readonly ok: true; readonly message: WsMessage }
  | { readonly ok: false; readonly error: CoinbaseClientError; readonly raw: string };
