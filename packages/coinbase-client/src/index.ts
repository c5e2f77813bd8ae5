// ---- client, config, errors, auth (C1) ----
export type { JwtSigner, JwtSignerOptions } from "./auth/jwt.js";
export { createJwtSigner, jwtUri } from "./auth/jwt.js";
export type { JwtAlgorithm } from "./auth/keys.js";
export type { CoinbaseClient, CoinbaseContext } from "./client.js";
export { createCoinbaseClient, createCoinbaseContext } from "./client.js";
export type {
  ClientTimers,
  CoinbaseClientConfig,
  CoinbaseClientLogger,
  CoinbaseCredentials,
  FetchLike,
  FetchRequestInit,
  FetchResponseLike,
  RateLimitOptions,
  RetryOptions,
} from "./config.js";
export type { CoinbaseClientErrorCode, CoinbaseClientErrorDetails } from "./errors.js";
export { CoinbaseClientError, isCoinbaseClientError } from "./errors.js";
export type { CallOptions, ClientContext, HttpMethod, QueryValue, RequestSpec } from "./internal/context.js";

// ---- accounts (C2) ----

// ---- products (C2) ----

// ---- public (C2) ----

// ---- portfolios (C2) ----

// ---- futures (C2) ----

// ---- perpetuals (C2) ----

// ---- fees (C2) ----

// ---- convert (C2) ----

// ---- payment-methods (C2) ----

// ---- data (C2) ----

// ---- orders (C3) ----
export { cancelOrders } from "./actions/orders/cancel-orders.js";
export { closePosition } from "./actions/orders/close-position.js";
export { createOrder } from "./actions/orders/create-order.js";
export { editOrder, editOrderPreview } from "./actions/orders/edit-order.js";
export { getOrder } from "./actions/orders/get-order.js";
export { iterateFills, listFills } from "./actions/orders/list-fills.js";
export { iterateOrders, listOrders } from "./actions/orders/list-orders.js";
export type { PlaceOrderOptions } from "./actions/orders/place-order.js";
export { previewOrders } from "./actions/orders/preview-orders.js";
export type {
  AttachedOrderConfiguration,
  DecimalString,
  LimitLimitFok,
  LimitLimitGtc,
  LimitLimitGtd,
  MarketMarketFok,
  MarketMarketIoc,
  OrderConfiguration,
  OrderConfigurationKind,
  OrderSize,
  Rfc3339String,
  ScaledDistribution,
  ScaledLimitGtc,
  ScaledOrderLeg,
  SizedInBase,
  SizedInQuote,
  SorLimitIoc,
  StopDirection,
  StopLimitStopLimitGtc,
  StopLimitStopLimitGtd,
  TriggerBracketGtc,
  TriggerBracketGtd,
  TwapLimitGtd,
} from "./schemas/order-configuration.js";
export type {
  CancelOrdersParams,
  ClosePositionParams,
  CreateOrderParams,
  EditOrderParams,
  GetOrderParams,
  ListFillsParams,
  ListFillsSortBy,
  ListOrdersParams,
  ListOrdersSortBy,
  OrderRequestFields,
  PreviewOrdersParams,
} from "./schemas/order-requests.js";
export type {
  CancelFailureReason,
  CancelOrderResult,
  CancelOrdersResponse,
  CreateOrderErrorResponse,
  CreateOrderResponse,
  CreateOrderResult,
  CreateOrderSuccessResponse,
  EditCheckFailure,
  EditOrderFailureReason,
  EditOrderPreviewResponse,
  EditOrderResponse,
  EditOrderResult,
  NewOrderFailureReason,
  OrderFailureReason,
  OrderOutcomeSource,
  PlacedOrder,
  PreviewFailureReason,
  PreviewOrdersResponse,
  PreviewWarning,
  RejectedOrder,
} from "./schemas/order-results.js";
export type {
  Fill,
  GetOrderResponse,
  LiquidityIndicator,
  ListFillsResponse,
  ListOrdersResponse,
  MarginType,
  OpenString,
  Order,
  OrderEdit,
  OrderPlacementSource,
  OrderSide,
  OrderStatus,
  OrderType,
  RejectReason,
  TimeInForce,
  TradeType,
  TriggerStatus,
} from "./schemas/orders.js";
