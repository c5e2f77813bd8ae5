export type { Decimal, DecimalInput, ParseDecimalOptions } from "./decimal.js";
export { D, parseDecimal } from "./decimal.js";
export type { QuantizeErrorCode } from "./errors.js";
export { isQuantizeError, QuantizeError } from "./errors.js";
export { formatPlain, formatToIncrement, roundAndFormat } from "./format.js";
export type { OrderSide, RoundingMode } from "./rounding.js";
export {
  decimalsOf,
  isOnIncrement,
  parseIncrement,
  ROUNDING_MODES,
  roundPrice,
  roundSize,
  roundToIncrement,
} from "./rounding.js";
export type {
  CoinbaseProductRulesJson,
  OrderAmountField,
  OrderAmounts,
  ProductRuleName,
  ProductRules,
  ProductRulesInput,
  RuleCheckResult,
  RuleViolation,
} from "./rules.js";
export {
  checkOrderAgainstRules,
  createProductRules,
  notionalToSize,
  productRulesFromCoinbase,
  sizeToNotional,
} from "./rules.js";
