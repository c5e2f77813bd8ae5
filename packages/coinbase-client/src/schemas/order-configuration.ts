/**
 * The `order_configuration` of an Advanced Trade order: one key naming the order type and its time
 * in force (`limit_limit_gtc`, `market_market_ioc`, …), holding that type's fields. The types say
 * what each variant takes; the schemas check a caller's input before anything is sent.
 *
 * Field names are Coinbase's wire names (snake_case). Sizes and prices are plain decimal strings
 * (`"0.001"`, `"65000.5"`): no sign, no exponent, never a JS number.
 */
import * as z from "../internal/zod.js";
import { decimalString, rfc3339 } from "./common.js";

/** A plain, positive decimal amount as a string (`"0.001"`, `"65000.5"`). */
export type DecimalString = string;

/** An RFC 3339 date-time string in UTC or with an offset (`"2026-12-31T23:59:59Z"`). */
export type Rfc3339String = string;

/** An order sized in the base asset (BTC in BTC-USD). */
export interface SizedInBase {
  /** The amount of the base asset. */
  readonly base_size: DecimalString;
  /** Not allowed together with `base_size`. */
  readonly quote_size?: never;
}

/** An order sized in the quote asset (USD in BTC-USD). */
export interface SizedInQuote {
  /** The amount of the quote asset. */
  readonly quote_size: DecimalString;
  /** Not allowed together with `quote_size`. */
  readonly base_size?: never;
}

/** Exactly one of `base_size` and `quote_size`. */
export type OrderSize = SizedInBase | SizedInQuote;

/** Opt out of request-for-quote liquidity. */
interface RfqFlag {
  /** `true` keeps the order off RFQ liquidity. */
  readonly rfq_disabled?: boolean;
}

/**
 * `market_market_ioc`: a market order, immediate or cancel. Sells must be sized in base
 * (`base_size`); Coinbase rejects a quote-sized market sell, and so does our validation.
 */
export type MarketMarketIoc = OrderSize & RfqFlag;

/** `market_market_fok`: a market order, fill or kill. Sells must be sized in base. */
export type MarketMarketFok = OrderSize & RfqFlag;

/** `sor_limit_ioc`: a smart-order-routed limit order, immediate or cancel. */
export type SorLimitIoc = OrderSize &
  RfqFlag & {
    /** The worst price to trade at. */
    readonly limit_price: DecimalString;
  };

/** `limit_limit_gtc`: a limit order, good till cancelled. */
export type LimitLimitGtc = OrderSize &
  RfqFlag & {
    /** The limit price. */
    readonly limit_price: DecimalString;
    /** `true`: rest on the book only; rejected instead of taking liquidity. Coinbase's default is `false`. */
    readonly post_only?: boolean;
  };

/** `limit_limit_gtd`: a limit order, good till `end_time`. */
export type LimitLimitGtd = LimitLimitGtc & {
  /** When the order expires. */
  readonly end_time: Rfc3339String;
};

/** `limit_limit_fok`: a limit order, fill or kill. */
export type LimitLimitFok = OrderSize &
  RfqFlag & {
    /** The limit price. */
    readonly limit_price: DecimalString;
  };

/** `twap_limit_gtd`: a time-weighted order split into buckets between `start_time` and `end_time`. */
export type TwapLimitGtd = OrderSize & {
  /** When the first bucket starts. */
  readonly start_time: Rfc3339String;
  /** When the order ends. */
  readonly end_time: Rfc3339String;
  /** The limit price of every bucket. */
  readonly limit_price: DecimalString;
  /** How many buckets, as integer text (`"5"`). */
  readonly number_buckets: string;
  /** The size of each bucket. */
  readonly bucket_size: DecimalString;
  /** The length of each bucket as a duration string in seconds (`"300s"`). */
  readonly bucket_duration: string;
};

/** Which way the price must cross `stop_price` to trigger a stop order. */
export type StopDirection = "STOP_DIRECTION_STOP_UP" | "STOP_DIRECTION_STOP_DOWN";

/** `stop_limit_stop_limit_gtc`: a limit order placed when the price crosses `stop_price`. */
export interface StopLimitStopLimitGtc {
  /** The amount of the base asset. */
  readonly base_size: DecimalString;
  /** The limit price of the order placed at the trigger. */
  readonly limit_price: DecimalString;
  /** The trigger price. */
  readonly stop_price: DecimalString;
  /** `STOP_DIRECTION_STOP_UP` triggers at or above `stop_price`, `…_DOWN` at or below. */
  readonly stop_direction: StopDirection;
}

/** `stop_limit_stop_limit_gtd`: a stop-limit order good till `end_time`. */
export interface StopLimitStopLimitGtd extends StopLimitStopLimitGtc {
  /** When the order expires. */
  readonly end_time: Rfc3339String;
}

/** `trigger_bracket_gtc`: a limit (take-profit) order with a stop (stop-loss) trigger. */
export interface TriggerBracketGtc {
  /** The amount of the base asset. */
  readonly base_size: DecimalString;
  /** The take-profit limit price. */
  readonly limit_price: DecimalString;
  /** The stop-loss trigger price. */
  readonly stop_trigger_price: DecimalString;
}

/** `trigger_bracket_gtd`: a bracket order good till `end_time`. */
export interface TriggerBracketGtd extends TriggerBracketGtc {
  /** When the order expires. */
  readonly end_time: Rfc3339String;
}

/** How a scaled order spreads its prices or sizes over its legs. */
export type ScaledDistribution = "FLAT" | "LINEAR_INCREASING" | "LINEAR_DECREASING" | "CUSTOM";

/** One leg of a scaled order: a GTC limit order. */
export type ScaledOrderLeg = OrderSize &
  RfqFlag & {
    /** The leg's limit price. */
    readonly limit_price: DecimalString;
    /** `true`: the leg only rests on the book. */
    readonly post_only?: boolean;
  };

/**
 * `scaled_limit_gtc`: a ladder of GTC limit orders. Give the legs (`orders`), or let Coinbase build
 * them from `num_orders` between `min_price` and `max_price` with a total size.
 */
export interface ScaledLimitGtc {
  /** Explicit legs. */
  readonly orders?: readonly ScaledOrderLeg[];
  /** The total size in the base asset. */
  readonly base_size?: DecimalString;
  /** The total size in the quote asset. */
  readonly quote_size?: DecimalString;
  /** How many legs (2 or more). */
  readonly num_orders?: number;
  /** The lowest leg price. */
  readonly min_price?: DecimalString;
  /** The highest leg price. */
  readonly max_price?: DecimalString;
  /** How leg prices are spread. */
  readonly price_distribution?: ScaledDistribution;
  /** How leg sizes are spread. */
  readonly size_distribution?: ScaledDistribution;
  /** The size step between legs (linear distributions). */
  readonly size_diff?: DecimalString;
  /** The size ratio between legs. */
  readonly size_ratio?: DecimalString;
}

/**
 * An order's type and time in force: an object with exactly one of these keys.
 *
 * @example
 * const config: OrderConfiguration = { limit_limit_gtc: { base_size: "0.001", limit_price: "50000", post_only: true } };
 */
export type OrderConfiguration =
  | { readonly market_market_ioc: MarketMarketIoc }
  | { readonly market_market_fok: MarketMarketFok }
  | { readonly sor_limit_ioc: SorLimitIoc }
  | { readonly limit_limit_gtc: LimitLimitGtc }
  | { readonly limit_limit_gtd: LimitLimitGtd }
  | { readonly limit_limit_fok: LimitLimitFok }
  | { readonly twap_limit_gtd: TwapLimitGtd }
  | { readonly stop_limit_stop_limit_gtc: StopLimitStopLimitGtc }
  | { readonly stop_limit_stop_limit_gtd: StopLimitStopLimitGtd }
  | { readonly trigger_bracket_gtc: TriggerBracketGtc }
  | { readonly trigger_bracket_gtd: TriggerBracketGtd }
  | { readonly scaled_limit_gtc: ScaledLimitGtc };

/** The name of an order configuration variant (`"limit_limit_gtc"`, …). */
export type OrderConfigurationKind =
  | "market_market_ioc"
  | "market_market_fok"
  | "sor_limit_ioc"
  | "limit_limit_gtc"
  | "limit_limit_gtd"
  | "limit_limit_fok"
  | "twap_limit_gtd"
  | "stop_limit_stop_limit_gtc"
  | "stop_limit_stop_limit_gtd"
  | "trigger_bracket_gtc"
  | "trigger_bracket_gtd"
  | "scaled_limit_gtc";

/**
 * A take-profit/stop-loss bracket attached to an entry order. Coinbase allows only
 * `trigger_bracket_gtc` here, without a size (the entry order's size applies).
 */
export interface AttachedOrderConfiguration {
  /** The bracket's prices. */
  readonly trigger_bracket_gtc: {
    /** The take-profit limit price. */
    readonly limit_price: DecimalString;
    /** The stop-loss trigger price. */
    readonly stop_trigger_price: DecimalString;
  };
}

// ---- schemas (request side) ----

/** Every variant name, in the order the reference lists them. */
const KINDS: readonly OrderConfigurationKind[] = [
  "market_market_ioc",
  "market_market_fok",
  "sor_limit_ioc",
  "limit_limit_gtc",
  "limit_limit_gtd",
  "limit_limit_fok",
  "twap_limit_gtd",
  "stop_limit_stop_limit_gtc",
  "stop_limit_stop_limit_gtd",
  "trigger_bracket_gtc",
  "trigger_bracket_gtd",
  "scaled_limit_gtc",
];

const NON_ZERO = /[1-9]/;
const BUCKET_DURATION = /^\d+(\.\d{1,9})?s$/;
const INTEGER_TEXT = /^[1-9]\d{0,8}$/;

/** A positive plain decimal string (`"0"` and `"0.000"` are refused). */
export const positiveDecimal = /* @__PURE__ */ z.memo(() =>
  decimalString().check(z.refine((text) => NON_ZERO.test(text), "expected a decimal greater than 0")),
);

/** Size fields of a variant that takes `base_size` or `quote_size` (exactly one, checked below). */
function sizeFields() {
  return { base_size: z.optional(positiveDecimal()), quote_size: z.optional(positiveDecimal()) };
}

/** Adds the "exactly one of base_size, quote_size" check to a variant schema. */
function exactlyOneSize<T extends { base_size?: string | undefined; quote_size?: string | undefined }>(
  schema: z.ZodMiniType<T>,
): z.ZodMiniType<T> {
  return schema.check(
    z.refine((value) => (value.base_size === undefined) !== (value.quote_size === undefined), {
      message: "give exactly one of base_size and quote_size",
      path: ["base_size"],
    }),
  );
}

const rfq = () => ({ rfq_disabled: z.optional(z.boolean()) });
const stopDirection = () => z.enum(["STOP_DIRECTION_STOP_UP", "STOP_DIRECTION_STOP_DOWN"]);
const distribution = () => z.enum(["FLAT", "LINEAR_INCREASING", "LINEAR_DECREASING", "CUSTOM"]);

function limitGtcShape() {
  return {
    ...sizeFields(),
    ...rfq(),
    limit_price: positiveDecimal(),
    post_only: z.optional(z.boolean()),
  };
}

function stopLimitShape() {
  return {
    base_size: positiveDecimal(),
    limit_price: positiveDecimal(),
    stop_price: positiveDecimal(),
    stop_direction: stopDirection(),
  };
}

function bracketShape() {
  return {
    base_size: positiveDecimal(),
    limit_price: positiveDecimal(),
    stop_trigger_price: positiveDecimal(),
  };
}

/** The schema of each variant's body, by name. */
const variantSchemas = /* @__PURE__ */ z.memo(
  (): Readonly<Record<OrderConfigurationKind, z.ZodMiniType<unknown>>> => ({
    market_market_ioc: exactlyOneSize(z.strictObject({ ...sizeFields(), ...rfq() })),
    market_market_fok: exactlyOneSize(z.strictObject({ ...sizeFields(), ...rfq() })),
    sor_limit_ioc: exactlyOneSize(
      z.strictObject({ ...sizeFields(), ...rfq(), limit_price: positiveDecimal() }),
    ),
    limit_limit_gtc: exactlyOneSize(z.strictObject(limitGtcShape())),
    limit_limit_gtd: exactlyOneSize(z.strictObject({ ...limitGtcShape(), end_time: rfc3339() })),
    limit_limit_fok: exactlyOneSize(
      z.strictObject({ ...sizeFields(), ...rfq(), limit_price: positiveDecimal() }),
    ),
    twap_limit_gtd: exactlyOneSize(
      z.strictObject({
        ...sizeFields(),
        start_time: rfc3339(),
        end_time: rfc3339(),
        limit_price: positiveDecimal(),
        number_buckets: z
          .string()
          .check(z.regex(INTEGER_TEXT, 'expected a positive integer as text, like "5"')),
        bucket_size: positiveDecimal(),
        bucket_duration: z
          .string()
          .check(z.regex(BUCKET_DURATION, 'expected a duration in seconds, like "300s"')),
      }),
    ),
    stop_limit_stop_limit_gtc: z.strictObject(stopLimitShape()),
    stop_limit_stop_limit_gtd: z.strictObject({ ...stopLimitShape(), end_time: rfc3339() }),
    trigger_bracket_gtc: z.strictObject(bracketShape()),
    trigger_bracket_gtd: z.strictObject({ ...bracketShape(), end_time: rfc3339() }),
    scaled_limit_gtc: z
      .strictObject({
        orders: z.optional(
          z
            .array(exactlyOneSize(z.strictObject(limitGtcShape())))
            .check(z.minLength(1, "expected at least one leg")),
        ),
        ...sizeFields(),
        num_orders: z.optional(z.int().check(z.gte(2, "expected at least 2 legs"))),
        min_price: z.optional(positiveDecimal()),
        max_price: z.optional(positiveDecimal()),
        price_distribution: z.optional(distribution()),
        size_distribution: z.optional(distribution()),
        size_diff: z.optional(decimalString()),
        size_ratio: z.optional(decimalString()),
      })
      .check(
        z.refine(
          (value) =>
            value.orders !== undefined ||
            (value.num_orders !== undefined &&
              value.min_price !== undefined &&
              value.max_price !== undefined &&
              (value.base_size === undefined) !== (value.quote_size === undefined)),
          {
            message:
              "give the legs (orders), or num_orders, min_price, max_price and one of base_size and quote_size",
            path: ["orders"],
          },
        ),
      ),
  }),
);

/**
 * The request schema of `order_configuration`: an object with exactly one known variant key whose
 * body has that variant's fields (unknown fields are refused, so a misspelt one is caught before
 * the order goes out).
 */
export const orderConfigurationSchema = /* @__PURE__ */ z.memo(() => {
  const variants = variantSchemas();
  const shape = Object.fromEntries(KINDS.map((kind) => [kind, z.optional(variants[kind])]));
  return z.strictObject(shape).check(
    z.refine(
      (value) => KINDS.filter((kind) => (value as Record<string, unknown>)[kind] !== undefined).length === 1,
      {
        message: `give exactly one order type key (${KINDS.join(", ")})`,
      },
    ),
  ) as unknown as z.ZodMiniType<OrderConfiguration>;
});

/** The request schema of `attached_order_configuration` (a size-less `trigger_bracket_gtc`). */
export const attachedOrderConfigurationSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    trigger_bracket_gtc: z.strictObject({
      limit_price: positiveDecimal(),
      stop_trigger_price: positiveDecimal(),
    }),
  }),
);
