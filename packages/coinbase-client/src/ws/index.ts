// ---- stream (W1) ----

// ---- messages, books, sequence, user orders (W2) ----
export type { Level } from "./order-book.js";
export { OrderBook } from "./order-book.js";
export { parseWsFrame } from "./parse.js";
export type { ReconnectOptions } from "./reconnect.js";
export type { SequenceVerdict } from "./sequence.js";
export { SequenceChecker } from "./sequence.js";
export type { CoinbaseStream } from "./stream.js";
export { createCoinbaseStream } from "./stream.js";
export type {
  CoinbaseStreamOptions,
  ConnectionName,
  ResyncReason,
  SocketCloseEvent,
  StreamEvent,
  StreamEventOf,
  StreamEventType,
  StreamTimers,
  Subscription,
  SubscriptionState,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketNodeOptions,
} from "./stream-types.js";
export { DEFAULT_MARKET_URL, DEFAULT_USER_URL } from "./stream-types.js";
export type {
  CandlesMessage,
  FuturesBalanceSummaryEvent,
  FuturesBalanceSummaryMessage,
  HeartbeatEvent,
  HeartbeatsMessage,
  L2DataMessage,
  L2Event,
  L2Update,
  MarketTradesMessage,
  StatusMessage,
  SubscriptionsMessage,
  TickerBatchMessage,
  TickerEvent,
  TickerMessage,
  UserEvent,
  UserMessage,
  WsCandle,
  WsChannel,
  WsEnvelope,
  WsErrorMessage,
  WsEventType,
  WsFrameResult,
  WsMessage,
  WsStatusProduct,
  WsTicker,
  WsTrade,
  WsUserOrder,
  WsUserPositions,
} from "./types.js";
export type { UserFill, UserOrderTrackerOptions, UserOrderVerdict } from "./user-dedupe.js";
export { UserOrderTracker } from "./user-dedupe.js";
