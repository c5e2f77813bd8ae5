// ---- client, config, errors, auth (C1) ----
export type { JwtSigner, JwtSignerOptions } from "./auth/jwt.js";
export { createJwtSigner, jwtUri } from "./auth/jwt.js";
export type { JwtAlgorithm } from "./auth/keys.js";
export { createWsJwt } from "./auth/ws-jwt.js";
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

export type { GetAccountParams, ListAccountsParams } from "./actions/accounts/accounts.js";
export { getAccount, iterateAccounts, listAccounts } from "./actions/accounts/accounts.js";
export type {
  Account,
  GetAccountResponse,
  ListAccountsResponse,
  Money,
  MoneyOrDecimal,
  ResponseDecimal,
  ResponseTimestamp,
} from "./schemas/accounts.js";

// ---- products (C2) ----

export type { CandleRangeParams } from "./actions/products/candle-range.js";
export type {
  ContractExpiryType,
  ExpiringContractStatus,
  GetMarketTradesParams,
  GetProductBookParams,
  GetProductCandlesParams,
  GetProductParams,
  ListProductsParams,
  ProductType,
  UnixSeconds,
} from "./actions/products/params.js";
export type { GetBestBidAskParams } from "./actions/products/products.js";
export {
  getBestBidAsk,
  getMarketTrades,
  getProduct,
  getProductBook,
  getProductCandles,
  getProductCandlesRange,
  iterateProductCandles,
  iterateProducts,
  listProducts,
} from "./actions/products/products.js";
export type {
  BookLevel,
  GetBestBidAskResponse,
  GetMarketTradesResponse,
  GetProductBookResponse,
  GetServerTimeResponse,
  MarketTrade,
  PriceBook,
} from "./schemas/market.js";
export type {
  Candle,
  FcmTradingSessionDetails,
  FutureProductDetails,
  GetProductCandlesResponse,
  Granularity,
  ListProductsResponse,
  MarginRates,
  PerpetualDetails,
  Product,
} from "./schemas/products.js";
export { GRANULARITY_SECONDS, MAX_CANDLES_PER_REQUEST } from "./schemas/products.js";

// ---- public (C2) ----

export type { GetPublicProductParams, ListPublicProductsParams } from "./actions/public/public.js";
export {
  getPublicMarketTrades,
  getPublicProduct,
  getPublicProductBook,
  getPublicProductCandles,
  getPublicProductCandlesRange,
  getServerTime,
  iteratePublicProductCandles,
  iteratePublicProducts,
  listPublicProducts,
} from "./actions/public/public.js";

// ---- portfolios (C2) ----

export type {
  CreatePortfolioParams,
  DeletePortfolioParams,
  EditPortfolioParams,
  GetPortfolioBreakdownParams,
  ListPortfoliosParams,
  MovePortfolioFundsParams,
  PortfolioType,
} from "./actions/portfolios/portfolios.js";
export {
  createPortfolio,
  deletePortfolio,
  editPortfolio,
  getPortfolioBreakdown,
  listPortfolios,
  movePortfolioFunds,
} from "./actions/portfolios/portfolios.js";
export type {
  DeletePortfolioResponse,
  GetPortfolioBreakdownResponse,
  ListPortfoliosResponse,
  MovePortfolioFundsResponse,
  Portfolio,
  PortfolioBalances,
  PortfolioBreakdown,
  PortfolioResponse,
} from "./schemas/portfolios.js";

// ---- futures (C2) ----

export type {
  GetCurrentMarginWindowParams,
  GetFuturesPositionParams,
  MarginProfileType,
  ScheduleFuturesSweepParams,
  SetIntradayMarginSettingParams,
} from "./actions/futures/futures.js";
export {
  cancelPendingFuturesSweep,
  getCurrentMarginWindow,
  getFuturesBalanceSummary,
  getFuturesPosition,
  getIntradayMarginSetting,
  listFuturesPositions,
  listFuturesSweeps,
  scheduleFuturesSweep,
  setIntradayMarginSetting,
} from "./actions/futures/futures.js";
export type {
  FuturesBalanceSummary,
  FuturesPosition,
  FuturesSweep,
  FuturesSweepResultResponse,
  GetCurrentMarginWindowResponse,
  GetFuturesBalanceSummaryResponse,
  GetFuturesPositionResponse,
  GetIntradayMarginSettingResponse,
  IntradayMarginSetting,
  ListFuturesPositionsResponse,
  ListFuturesSweepsResponse,
  MarginWindowMeasure,
  SetIntradayMarginSettingResponse,
} from "./schemas/futures.js";

// ---- perpetuals (C2) ----

export type {
  AllocatePortfolioParams,
  GetPerpetualsPositionParams,
  OptInOutMultiAssetCollateralParams,
  PerpetualsPortfolioParams,
} from "./actions/perpetuals/perpetuals.js";
export {
  allocatePortfolio,
  getPerpetualsPortfolioSummary,
  getPerpetualsPosition,
  getPortfolioBalances,
  listPerpetualsPositions,
  optInOutMultiAssetCollateral,
} from "./actions/perpetuals/perpetuals.js";
export type {
  AllocatePortfolioResponse,
  GetPerpetualsPortfolioSummaryResponse,
  GetPerpetualsPositionResponse,
  GetPortfolioBalancesResponse,
  ListPerpetualsPositionsResponse,
  OptInOutMultiAssetCollateralResponse,
  PerpetualsBalance,
  PerpetualsPortfolio,
  PerpetualsPosition,
} from "./schemas/perpetuals.js";

// ---- fees (C2) ----

export type { GetTransactionSummaryParams } from "./actions/fees/fees.js";
export { getTransactionSummary } from "./actions/fees/fees.js";
export type { FeeTier, GetTransactionSummaryResponse } from "./schemas/fees.js";

// ---- convert (C2) ----

export type { ConvertTradeParams, CreateConvertQuoteParams } from "./actions/convert/convert.js";
export { commitConvertTrade, createConvertQuote, getConvertTrade } from "./actions/convert/convert.js";
export type { ConvertTrade, ConvertTradeResponse } from "./schemas/convert.js";

// ---- payment-methods (C2) ----

export type { GetPaymentMethodParams } from "./actions/payment-methods/payment-methods.js";
export { getPaymentMethod, listPaymentMethods } from "./actions/payment-methods/payment-methods.js";
export type {
  GetPaymentMethodResponse,
  ListPaymentMethodsResponse,
  PaymentMethod,
} from "./schemas/payment-methods.js";

// ---- data (C2) ----

export { getApiKeyPermissions } from "./actions/data/data.js";
export type { GetApiKeyPermissionsResponse } from "./schemas/data.js";

// (end of the C2 blocks: a detached comment, so Biome sorts each block on its own)

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
