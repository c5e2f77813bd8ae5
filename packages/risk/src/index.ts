export type {
  LeverageLimits,
  LiquidationDistanceLimits,
  LiquidationEstimateInput,
  MaxOpenOrdersLimits,
  MaxOrderNotionalLimits,
  OrderRateLimits,
  PositionNotionalLimits,
  PriceBandLimits,
  ReduceOnlyLimits,
  SideExposureLimits,
  StaleMarketDataLimits,
} from "./checks/checks.js";
export {
  checkLiquidationDistance,
  checkMaxLeverage,
  checkMaxOpenOrders,
  checkMaxOrderNotional,
  checkMaxPositionNotional,
  checkMinOrderSize,
  checkOrderRate,
  checkPriceBand,
  checkReduceOnly,
  checkSideExposure,
  checkStaleMarketData,
  checkTradingHalted,
  DEFAULT_MARK_FUTURE_TOLERANCE_MS,
  emptyOrderRateWindow,
  estimateLiquidationPrice,
  isReducingPosition,
  ORDER_RATE_WINDOW_MS,
  ordersInWindow,
  recordOrder,
} from "./checks/checks.js";
export { checkOrderIncrements } from "./checks/increments.js";
export type {
  BreakerConfigBase,
  BreakerConfigInputBase,
  BreakerName,
  BreakersConfig,
  BreakerTripState,
  ConsecutiveLossesBreakerConfig,
  DrawdownBreakerConfig,
  RejectsBreakerConfig,
  RiskConfig,
  RiskConfigDecimal,
  RiskConfigInput,
  RiskConfigResult,
  VenueErrorsBreakerConfig,
  VolatilityBreakerConfig,
} from "./config.js";
export {
  BREAKER_NAMES,
  defaultRiskConfig,
  parseRiskConfig,
  perSymbolValue,
  riskConfigSchema,
  safeParseRiskConfig,
} from "./config.js";
export { tradingDayStart, utcTimeOfDayMs } from "./day.js";
export type { EngineOrderContext, RiskEngineOptions } from "./engine.js";
export { RiskEngine } from "./engine.js";
export type { RiskConfigFromEnvOptions, RiskEnvKind, RiskEnvVariable } from "./env.js";
export {
  RISK_ENV_VARIABLES,
  riskConfigFromEnv,
  riskConfigFromEnvOrThrow,
  riskEnvVariableName,
} from "./env.js";
export type { RiskConfigIssue, RiskErrorCode, RiskErrorOptions } from "./errors.js";
export { isRiskError, RiskConfigError, RiskError } from "./errors.js";
export type {
  ActivateKillSwitch,
  CashFlowRecorded,
  CircuitBreakerRecovered,
  CircuitBreakerTripped,
  DailyLossLimitBreached,
  EquityObserved,
  KillSwitchActivated,
  KillSwitchReset,
  ManualReduceOnlyChanged,
  OrderRejectRecorded,
  ResetKillSwitch,
  RestrictionSource,
  RiskEvent,
  RiskInput,
  SetManualReduceOnly,
  Tick,
  TradeClosed,
  TradingDayRolled,
  TradingStateChanged,
  VenueRequestCompleted,
  VolatilityObserved,
} from "./events.js";
export type { RiskStep } from "./machine.js";
export { applyRiskInput } from "./machine.js";
export type { BreakerTripJson, RiskStateJson, RiskStateStore } from "./persistence.js";
export {
  InMemoryRiskStateStore,
  parseRiskState,
  riskStateFromJson,
  riskStateJsonSchema,
  riskStateToJson,
  serializeRiskState,
} from "./persistence.js";
export { collectPreTradeDenials, PRE_TRADE_CHECK_ORDER, runPreTradeChecks } from "./pre-trade.js";
export type {
  BreakerTrip,
  CreateRiskStateOptions,
  DailyLossBreach,
  DerivedTradingState,
  KillSwitchState,
  ManualReduceOnlyState,
  Restriction,
  RiskState,
  TradingDayState,
} from "./state.js";
export { createRiskState, deriveTradingState, nextTickDue, RISK_STATE_VERSION } from "./state.js";
export type {
  MarketSnapshot,
  OrderContext,
  OrderIntent,
  OrderRateWindow,
  PortfolioPosition,
  PortfolioSnapshot,
  PreTradeCheckName,
  PreTradeInput,
  RiskApproved,
  RiskDecision,
  RiskDenialDetails,
  RiskDenied,
  RiskReasonCode,
  TradingState,
} from "./types.js";
export { RISK_REASON_CODES, TRADING_STATES } from "./types.js";
