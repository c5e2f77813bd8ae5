export type {
  AccountEvent,
  AccountState,
  AccountType,
  AccountUpdated,
  Balance,
  FundingApplied,
  MarginBalance,
} from "./account.js";
export { balanceOf, createBalance } from "./account.js";
export { systemClock } from "./clock.js";
export type { CoreErrorCode, CoreErrorName, CoreErrorOptions, ValidationIssue } from "./errors.js";
export {
  CommandValidationError,
  CoreError,
  describeValue,
  InstrumentError,
  InvalidIdError,
  isCoreError,
  OrderStateError,
  PositionError,
} from "./errors.js";
export type {
  BracketLink,
  EventBase,
  ExecutionEvent,
  OrderAccepted,
  OrderCanceled,
  OrderCancelRejected,
  OrderDenied,
  OrderEvent,
  OrderEventBase,
  OrderExpired,
  OrderFilled,
  OrderInitialized,
  OrderModifyRejected,
  OrderOutcomeUnknown,
  OrderPendingCancel,
  OrderPendingUpdate,
  OrderRejected,
  OrderSubmitted,
  OrderTriggered,
  OrderUpdated,
} from "./events.js";
export { isOrderEvent, ORDER_EVENT_TYPES } from "./events.js";
export type {
  AccountId,
  Brand,
  ClientOrderId,
  EventId,
  IdSequence,
  InstrumentId,
  PositionId,
  StrategyId,
  TradeId,
  Venue,
  VenueOrderId,
} from "./ids.js";
export {
  accountId,
  clientOrderId,
  createClientOrderIdGenerator,
  createEventIdGenerator,
  eventId,
  instrumentId,
  MAX_ID_LENGTH,
  parseInstrumentId,
  positionId,
  strategyId,
  symbolOf,
  tradeId,
  venue,
  venueOf,
  venueOrderId,
} from "./ids.js";
export type {
  DecimalLike,
  DerivativeFields,
  DerivativeInput,
  DerivativeInstrument,
  FutureInstrument,
  FutureInstrumentInput,
  Instrument,
  InstrumentBase,
  InstrumentKind,
  PerpetualInstrument,
  PerpetualInstrumentInput,
  SpotInstrument,
  SpotInstrumentInput,
} from "./instruments.js";
export {
  contractMultiplier,
  createFutureInstrument,
  createPerpetualInstrument,
  createSpotInstrument,
  isDerivative,
} from "./instruments.js";
export type {
  AggressorSide,
  Bar,
  BarInput,
  BookAction,
  BookDelta,
  BookDeltaEntry,
  BookLevel,
  BookSide,
  BookSnapshot,
  FundingRate,
  MarketDataEvent,
  MarkPrice,
  Quote,
  Trade,
} from "./market-data.js";
export { createBar } from "./market-data.js";
export type { OrderInputBase } from "./order-builders.js";
export { limitOrder, marketOrder, stopLimitOrder, stopOrder } from "./order-builders.js";
export type { CommissionTotal, Order, OrderStatus } from "./order-state.js";
export {
  applyOrderEvent,
  hasFill,
  initOrder,
  isOpenOrder,
  isTerminalStatus,
  ORDER_STATUSES,
  replayOrder,
} from "./order-state.js";
export {
  assertValidCommand,
  validateCommand,
  validateOrderForInstrument,
  validateOrderSpec,
} from "./order-validation.js";
export type {
  CancelAllOrders,
  CancelOrder,
  LimitOrderSpec,
  LiquiditySide,
  MarginType,
  MarketOrderSpec,
  ModifyOrder,
  OrderSide,
  OrderSpec,
  OrderSpecBase,
  OrderType,
  StopLimitOrderSpec,
  StopOrderSpec,
  SubmitBracket,
  SubmitOrder,
  TimeInForce,
  TradingCommand,
} from "./orders.js";
export {
  bracketLegs,
  MARGIN_TYPES,
  ORDER_SIDES,
  ORDER_TYPES,
  oppositeSide,
  sideSign,
  TIME_IN_FORCES,
} from "./orders.js";
export type {
  ExecutionEventHandler,
  ExecutionPort,
  InstrumentProvider,
  LogFields,
  Logger,
  MarketDataHandler,
  MarketDataPort,
  MarketDataSubscription,
  Unsubscribe,
} from "./ports.js";
export { createStaticInstrumentProvider, noopLogger, requireInstrument } from "./ports.js";
export type {
  NewPositionOptions,
  Position,
  PositionChanged,
  PositionClosed,
  PositionEvent,
  PositionEventBase,
  PositionFill,
  PositionOpened,
  PositionSide,
} from "./position.js";
export {
  applyFill,
  applyFunding,
  COST_BASIS_DECIMALS,
  createPositionEvent,
  flatPosition,
  fundingPayment,
  netPnl,
  notional,
  unrealizedPnl,
} from "./position.js";
export { productRulesFor } from "./product-rules.js";
export type { ExecutionMassStatus, FillReport, OrderStatusReport, PositionStatusReport } from "./reports.js";
export type { ParseIssue, ParseResult, ParseSchema } from "./schema.js";
export type { Clock, Rng, UnixMillis } from "./time.js";
export { createSeededRng, DAY_MS, HOUR_MS, ManualClock, MINUTE_MS, unixMillis } from "./time.js";
export { assertNever } from "./util.js";
export type {
  BalanceAdjusted,
  BalanceAdjustmentReason,
  ForcedFill,
  ForcedFillKind,
  VenueAdjustmentEvent,
} from "./venue-events.js";
export { BALANCE_ADJUSTMENT_REASONS, FORCED_FILL_KINDS } from "./venue-events.js";
