import { type Decimal, parseDecimal } from "@gpt/quantize";
import { CoreError, describeValue } from "./errors.js";
import type { EventBase } from "./events.js";
import type { AccountId, InstrumentId, PositionId, Venue } from "./ids.js";
import type { DecimalLike } from "./instruments.js";
import type { UnixMillis } from "./time.js";

/** A currency code, as instruments spell them. */
const CURRENCY_CODE = /^[A-Z0-9]{1,16}$/;

/** `cash`: spot only, no borrowing. `margin`: derivatives (or margin spot) with collateral. */
export type AccountType = "cash" | "margin";

/** A balance in one currency: `free = total − locked`. */
export interface Balance {
  /** Currency code. */
  readonly currency: string;
  /** Total amount held (>= 0). */
  readonly total: Decimal;
  /** Amount held for open orders or margin (0 <= locked <= total). */
  readonly locked: Decimal;
  /** Available amount, `total − locked`. */
  readonly free: Decimal;
}

/** Margin in use in one currency (for one instrument, or the whole account). */
export interface MarginBalance {
  /** Currency code. */
  readonly currency: string;
  /** Initial margin required by open positions and orders. */
  readonly initial: Decimal;
  /** Maintenance margin: below this equity the position is liquidated. */
  readonly maintenance: Decimal;
  /** The instrument this margin is for; whole account if absent. */
  readonly instrumentId?: InstrumentId;
}

/** A snapshot of an account. */
export interface AccountState {
  /** Account id. */
  readonly accountId: AccountId;
  /** Venue, if known. */
  readonly venue?: Venue;
  /** Cash or margin. */
  readonly accountType: AccountType;
  /** Balances per currency. */
  readonly balances: readonly Balance[];
  /** Margin in use (empty for cash accounts). */
  readonly margins: readonly MarginBalance[];
  /** When this state was valid. */
  readonly tsEvent: UnixMillis;
}

/**
 * Builds a validated balance: `currency` is 1–16 characters of `A-Z` or `0-9`, `total >= 0`,
 * `0 <= locked <= total`, `free = total − locked`.
 * @throws CoreError (`invalid-value`) naming the field.
 */
export function createBalance(currency: string, total: DecimalLike, locked: DecimalLike = "0"): Balance {
  if (typeof currency !== "string" || !CURRENCY_CODE.test(currency)) {
    throw new CoreError(
      "invalid-value",
      `balance currency: must be 1-16 characters of A-Z or 0-9 (got ${describeValue(currency)})`,
      { context: { field: "currency", value: currency } },
    );
  }
  const parse = (field: string, value: DecimalLike): Decimal => {
    try {
      return parseDecimal(value, { field, allowNegative: false });
    } catch (cause) {
      throw new CoreError(
        "invalid-value",
        `balance ${currency} ${field}: must be a decimal >= 0 (got ${describeValue(value)})`,
        {
          cause,
          context: { currency, field, value },
        },
      );
    }
  };
  const t = parse("total", total);
  const l = parse("locked", locked);
  if (l.gt(t)) {
    throw new CoreError(
      "invalid-value",
      `balance ${currency} locked: ${l.toString()} exceeds total ${t.toString()}`,
      {
        context: { currency, field: "locked", value: l.toString() },
      },
    );
  }
  return { currency, total: t, locked: l, free: t.minus(l) };
}

/** The balance in `currency`, if the account has one. */
export function balanceOf(state: AccountState, currency: string): Balance | undefined {
  return state.balances.find((b) => b.currency === currency);
}

/** The account changed (balances or margin); carries the full new state. */
export interface AccountUpdated extends EventBase {
  /** Discriminant. */
  readonly type: "AccountUpdated";
  /** Account id. */
  readonly accountId: AccountId;
  /** The new state. */
  readonly state: AccountState;
  /** True if the venue reported it; false if computed locally (paper engine, kernel). */
  readonly reported: boolean;
}

/** A funding payment was exchanged on a perpetual position. */
export interface FundingApplied extends EventBase {
  /** Discriminant. */
  readonly type: "FundingApplied";
  /** Account id. */
  readonly accountId: AccountId;
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Position, if known. */
  readonly positionId?: PositionId;
  /** Funding rate of the interval (fraction). */
  readonly rate: Decimal;
  /** Mark price used. */
  readonly markPrice: Decimal;
  /** Signed position quantity the payment was computed on. */
  readonly positionQuantity: Decimal;
  /** Signed payment: positive received, negative paid (see `fundingPayment`). */
  readonly payment: Decimal;
  /** Currency of the payment. */
  readonly currency: string;
}

/** Every account event; switch on `type`. */
export type AccountEvent = AccountUpdated | FundingApplied;
