/**
 * Building blocks shared by every schema module. Each is a lazily built, memoised schema: call it
 * (`decimalString()`) inside another schema's builder.
 */
import * as z from "../internal/zod.js";

/** A plain unsigned decimal: digits, an optional fraction, no sign, no exponent. */
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
/** What Coinbase sends for amounts: a decimal, possibly signed or with an exponent. */
const RESPONSE_DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Coinbase product ids: upper-case alphanumeric parts joined by `-` (`BTC-USD`, `BIT-28JUN24-CDE`, `BTC-PERP-INTX`). */
const PRODUCT_ID = /^[A-Z0-9]+(-[A-Z0-9]+)+$/;
/** A UUID in its canonical 8-4-4-4-12 hex form (any version, any case). */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** RFC 3339 date-time as Coinbase accepts it in requests (`2024-01-02T03:04:05Z`, fraction and offset optional). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** The zero time Go-based services send for "unset" (WebSocket and some REST fields). */
const ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;
/** A count sent as a string (`number_of_fills: "1"`). */
const INTEGER_TEXT = /^-?\d{1,15}$/;

/** Request side: an unsigned plain decimal string (`"0.001"`, `"65000"`); no sign, no exponent. */
export const decimalString = /* @__PURE__ */ z.memo(() =>
  z.string().check(z.regex(PLAIN_DECIMAL, 'expected a plain decimal string like "0.01"')),
);

/**
 * Response side: a decimal kept as a string. Coinbase sends most amounts as strings and a few as
 * JSON numbers (`size`, transaction-summary volumes); numbers are converted with `String`. An empty
 * string (Coinbase's "not set" for some prices) is kept as `""`.
 */
export const responseDecimal = /* @__PURE__ */ z.memo(() =>
  z.pipe(
    z.union([
      z
        .string()
        .check(z.refine((text) => text === "" || RESPONSE_DECIMAL.test(text), "expected a decimal string")),
      z.number().check(z.refine(Number.isFinite, "expected a finite number")),
    ]),
    z.transform((value): string => (typeof value === "number" ? String(value) : value)),
  ),
);

/** Request side: a product id such as `BTC-USD`, `BTC-PERP-INTX` or `BIT-28JUN24-CDE`. */
export const productId = /* @__PURE__ */ z.memo(() =>
  z.string().check(z.regex(PRODUCT_ID, 'expected a product id like "BTC-USD"')),
);

/** A UUID string (order ids, account uuids, portfolio uuids). */
export const uuid = /* @__PURE__ */ z.memo(() => z.string().check(z.regex(UUID, "expected a UUID")));

/** Request side: an RFC 3339 timestamp string (`2024-01-02T03:04:05Z`). */
export const rfc3339 = /* @__PURE__ */ z.memo(() =>
  z.string().check(z.regex(RFC3339, 'expected an RFC 3339 timestamp like "2024-01-02T03:04:05Z"')),
);

/**
 * Response side: a timestamp. RFC 3339 strings are kept exactly as sent (nanosecond precision
 * survives); the "unset" forms Coinbase uses, `null`, `""` and `"0001-01-01T00:00:00Z"`, become
 * `null`. A missing field stays missing (wrap in `optional`).
 */
export const timestamp = /* @__PURE__ */ z.memo(() =>
  z.pipe(
    z.nullable(z.string()),
    z.transform((value): string | null =>
      value === null || value === "" || ZERO_TIME.test(value) ? null : value,
    ),
  ),
);

/**
 * Response side: a count that Coinbase sends as a JSON number or as integer text (`"1"`); the
 * output is a number.
 */
export const numberish = /* @__PURE__ */ z.memo(() =>
  z.pipe(
    z.union([
      z.number().check(z.refine(Number.isFinite, "expected a finite number")),
      z.string().check(z.regex(INTEGER_TEXT, "expected an integer")),
    ]),
    z.transform((value): number => (typeof value === "number" ? value : Number(value))),
  ),
);
