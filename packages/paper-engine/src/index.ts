export { createPaperEngine, type FundingSeriesEntry, PaperEngine } from "./engine.js";
export { isPaperEngineError, PaperEngineError, type PaperEngineErrorCode } from "./errors.js";
export {
  COINBASE_PERPS_FEE_TIERS,
  COINBASE_SPOT_FEE_TIERS,
  type CoinbaseFeeOptions,
  coinbasePerpsFeeModel,
  coinbaseSpotFeeModel,
  createFeeTiers,
  type FeeContext,
  type FeeModel,
  type FeeTier,
  type FeeTierInput,
  type FixedRateFeeOptions,
  fixedRateFeeModel,
  instrumentFeeModel,
  type TieredFeeModel,
  type TieredFeeOptions,
  tieredFeeModel,
} from "./fees.js";
export { fixedLatency, type LatencyModel, noLatency, randomLatency } from "./latency.js";
export {
  fixedBpsSlippage,
  noSlippage,
  randomBpsSlippage,
  type SlippageContext,
  type SlippageModel,
  type VolatilitySlippageOptions,
  volatilitySlippage,
} from "./slippage.js";
export type {
  AccountSnapshot,
  BarArrivalFill,
  EngineNotice,
  EngineNoticeHandler,
  IntrabarTie,
  LimitFillRule,
  NegativeEquity,
  PaperEngineConfig,
  PositionLiquidated,
  PositionSnapshot,
} from "./types.js";
