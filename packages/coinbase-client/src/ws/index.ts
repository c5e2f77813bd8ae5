// ---- stream (W1) ----
export type { ReconnectOptions } from "./reconnect.js";
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
  WebSocketConstructor,
  WebSocketLike,
  WebSocketNodeOptions,
} from "./stream-types.js";
export { DEFAULT_MARKET_URL, DEFAULT_USER_URL } from "./stream-types.js";
