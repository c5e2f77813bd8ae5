/** What the order entry modules share: outcomes, refusals in Coinbase's terms, field readers. */
import { D, type Decimal } from "@gpt/quantize";
import type { OrderRecord } from "./exchange.js";

/** A create-order refusal in Coinbase's terms (HTTP 200, `success: false`). */
export interface OrderFailure {
  readonly reason: string;
  readonly preview: string;
  readonly message: string;
}

/** What `placeOrder` answers: the order made (or found by its client id), or a refusal. */
export type PlaceOutcome =
  | { readonly ok: true; readonly record: OrderRecord; readonly duplicate: boolean }
  | { readonly ok: false; readonly failure: OrderFailure };

/** A refusal outcome. */
export const fail = (reason: string, preview: string, message: string): PlaceOutcome => ({
  ok: false,
  failure: { reason, preview, message },
});

/** The order configurations the simulator accepts. */
export const CONFIGS = new Set([
  "market_market_ioc",
  "market_market_fok",
  "sor_limit_ioc",
  "limit_limit_gtc",
  "limit_limit_gtd",
  "limit_limit_fok",
  "stop_limit_stop_limit_gtc",
  "stop_limit_stop_limit_gtd",
  "trigger_bracket_gtc",
  "trigger_bracket_gtd",
  "scaled_limit_gtc",
  "twap_limit_gtd",
]);

/** A plain object (not null, not an array). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const DECIMAL = /^\d+(\.\d+)?$/;

/** A plain decimal string as a Decimal; undefined for anything else. */
export function decimal(value: unknown): Decimal | undefined {
  return typeof value === "string" && DECIMAL.test(value) ? D(value) : undefined;
}

/** The Coinbase refusal for an engine rejection code. */
export function failureOf(code: string, reason: string): OrderFailure {
  switch (code) {
    case "INSUFFICIENT_FUND":
      return {
        reason: "INSUFFICIENT_FUND",
        preview: "PREVIEW_INSUFFICIENT_FUND",
        message: "Insufficient balance in source account",
      };
    case "POST_ONLY":
      return {
        reason: "INVALID_LIMIT_PRICE_POST_ONLY",
        preview: "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY",
        message: "Post-only order would cross the book",
      };
    case "not-on-price-increment":
      return {
        reason: "INVALID_PRICE_PRECISION",
        preview: "PREVIEW_INVALID_PRICE_PRECISION",
        message: reason,
      };
    case "not-on-size-increment":
      return { reason: "INVALID_SIZE_PRECISION", preview: "PREVIEW_INVALID_SIZE_PRECISION", message: reason };
    case "below-min-size":
      return {
        reason: "INVALID_SIZE_PRECISION",
        preview: "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL",
        message: reason,
      };
    case "above-max-size":
      return {
        reason: "INVALID_SIZE_PRECISION",
        preview: "PREVIEW_INVALID_BASE_SIZE_TOO_LARGE",
        message: reason,
      };
    case "below-min-notional":
      return {
        reason: "INVALID_SIZE_PRECISION",
        preview: "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL",
        message: reason,
      };
    case "NO_PRICE":
      return { reason: "INVALID_NO_LIQUIDITY", preview: "PREVIEW_INVALID_NO_LIQUIDITY", message: reason };
    case "leverage-above-max":
    case "leverage-below-one":
      return { reason: "INVALID_LEVERAGE", preview: "PREVIEW_INVALID_LEVERAGE", message: reason };
    default:
      return { reason: "UNKNOWN_FAILURE_REASON", preview: "UNKNOWN_PREVIEW_FAILURE_REASON", message: reason };
  }
}

/** The refusal for an error thrown while building an order (a validation error's first issue). */
export function failureOfError(error: unknown): OrderFailure {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const issues = (error as { issues?: readonly { code?: string; message?: string }[] }).issues;
  const first = issues?.[0];
  return failureOf(first?.code ?? code, first?.message ?? "Invalid order");
}
