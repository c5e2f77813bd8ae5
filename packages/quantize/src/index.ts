export { D, parseDecimal } from "./decimal.js";
export type { Decimal, DecimalInput, ParseDecimalOptions } from "./decimal.js";
export { QuantizeError } from "./errors.js";
export type { QuantizeErrorCode } from "./errors.js";
