/**
 * Accounts (`GET /accounts`, `GET /accounts/{account_uuid}`) and the `{ value, currency }` money
 * object that most account, portfolio and derivatives payloads use. Field names are Coinbase's wire
 * names; amounts stay decimal strings; unknown fields are kept.
 */
import * as z from "../internal/zod.js";
import { numberish, responseDecimal, timestamp } from "./common.js";

/** A decimal amount as Coinbase sends it, kept as a string (`"0.0000000000000000"`); `""` when unset. */
export type ResponseDecimal = string;

/** An RFC 3339 timestamp exactly as sent, or `null` for Coinbase's unset forms (`null`, `""`, the zero time). */
export type ResponseTimestamp = string | null;

/** Coinbase's money object (`Amount`/`Balance` in its reference): a decimal string and its currency. */
export interface Money {
  /** The amount, a decimal string. */
  readonly value: ResponseDecimal;
  /** The currency code, e.g. `"USDC"`. */
  readonly currency: string;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The money object, as parsed (extra fields kept). */
export const moneySchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ value: responseDecimal(), currency: z.string() }),
);

/** A value Coinbase sends as a money object in some payloads and as a bare decimal string in others. */
export type MoneyOrDecimal = Money | ResponseDecimal;

/** An optional money-or-decimal field (`null` allowed), as parsed. */
export function moneyOrDecimal() {
  return maybe(z.union([moneySchema(), responseDecimal()]));
}

/** An optional field that Coinbase may also send as `null`. */
export function maybe<T>(schema: z.ZodMiniType<T>) {
  return z.exactOptional(z.nullable(schema));
}

/** One account (a wallet of one currency inside the key's portfolio). */
export interface Account {
  /** The account's UUID. */
  readonly uuid: string;
  /** A display name, e.g. `"BTC Wallet"`. */
  readonly name?: string;
  /** The currency code held. */
  readonly currency: string;
  /** What can be spent now. */
  readonly available_balance: Money;
  /** Whether this is the default account for its currency. */
  readonly default?: boolean | null;
  /** Whether the account is active. */
  readonly active?: boolean | null;
  /** Creation time. */
  readonly created_at?: ResponseTimestamp;
  /** Last update time. */
  readonly updated_at?: ResponseTimestamp;
  /** Deletion time (`null` unless deleted). */
  readonly deleted_at?: ResponseTimestamp;
  /** `ACCOUNT_TYPE_CRYPTO`, `ACCOUNT_TYPE_FIAT`, `ACCOUNT_TYPE_VAULT`, `ACCOUNT_TYPE_PERP_FUTURES` or `ACCOUNT_TYPE_UNSPECIFIED`. */
  readonly type?: string | null;
  /** Whether the account can trade. */
  readonly ready?: boolean | null;
  /** Funds on hold (open orders, pending withdrawals). */
  readonly hold?: Money | null;
  /** The portfolio the account belongs to. */
  readonly retail_portfolio_id?: string | null;
  /** `ACCOUNT_PLATFORM_CONSUMER`, `ACCOUNT_PLATFORM_CFM_CONSUMER`, `ACCOUNT_PLATFORM_INTX` or `ACCOUNT_PLATFORM_UNSPECIFIED`. */
  readonly platform?: string | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The account object, as parsed. */
const accountSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    uuid: z.string(),
    name: z.exactOptional(z.string()),
    currency: z.string(),
    available_balance: moneySchema(),
    default: maybe(z.boolean()),
    active: maybe(z.boolean()),
    created_at: z.exactOptional(timestamp()),
    updated_at: z.exactOptional(timestamp()),
    deleted_at: z.exactOptional(timestamp()),
    type: maybe(z.string()),
    ready: maybe(z.boolean()),
    hold: maybe(moneySchema()),
    retail_portfolio_id: maybe(z.string()),
    platform: maybe(z.string()),
  }),
);

/** `GET /accounts`: one page of accounts. */
export interface ListAccountsResponse {
  /** The accounts on this page. */
  readonly accounts: readonly Account[];
  /** Whether another page follows. */
  readonly has_next?: boolean;
  /** The cursor for the next page (`""` on the last page). */
  readonly cursor?: string;
  /** The number of accounts on this page. */
  readonly size?: number;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The list-accounts response, as parsed. */
export const listAccountsResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    accounts: z.array(accountSchema()),
    has_next: z.exactOptional(z.boolean()),
    cursor: z.exactOptional(z.string()),
    size: z.exactOptional(numberish()),
  }),
);

/** `GET /accounts/{account_uuid}`. */
export interface GetAccountResponse {
  /** The account. */
  readonly account: Account;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The get-account response, as parsed. */
export const getAccountResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ account: accountSchema() }),
);

/** An id placed in a URL path: letters, digits and `._:-`, not starting with a dot (no `..` tricks). */
const PATH_ID = /^[A-Za-z0-9_:-][A-Za-z0-9._:-]{0,127}$/;

/** Request side: an id that goes into the URL path (UUIDs, trade ids, payment method ids). */
export const pathId = /* @__PURE__ */ z.memo(() =>
  z.string().check(z.regex(PATH_ID, "expected an id of letters, digits, '.', '_', ':' or '-'")),
);

/** Request side: a page size between 1 and `max`. */
export function pageLimit(max: number) {
  return z.number().check(z.int("expected an integer"), z.gte(1), z.lte(max));
}
