/**
 * The account behind the simulated venue: one interface, two implementations: a cash account
 * for spot (`cash-account.ts`: balances per currency, holds for open orders) and a margin account
 * for derivatives (`margin-account.ts`: one collateral currency, initial and maintenance margin,
 * isolated margin, liquidation levels, funding). The engine matches orders and keeps their life
 * cycle; every amount it reserves, releases or books goes through this interface.
 */
import type {
  AccountState,
  LiquiditySide,
  MarginType,
  OrderFilled,
  OrderSpec,
  Position,
  UnixMillis,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { PositionSnapshot } from "../types.js";
import type { BracketGroup, InstState, SimOrder } from "./state.js";

/** Why the venue refuses an order. */
export interface Rejection {
  readonly reason: string;
  readonly code: string;
}

/** Leverage and margin type an order would trade with (margin accounts may change them). */
export interface OrderSettings {
  readonly leverage: Decimal;
  readonly marginType: MarginType;
}

/** How a fill is funded: the quantity and fee that fit, and what it takes from the holds. */
export interface FillFunding {
  readonly qty: Decimal;
  readonly fee: Decimal;
  /** Taken from the order's own hold (cash accounts). */
  readonly release: Decimal;
  /** Taken from the bracket group's shared hold (cash accounts). */
  readonly groupRelease: Decimal;
}

/** What the account is worth now, and the margin it uses. */
export interface AccountValuation {
  /** Equity in `equityCurrency`. */
  readonly equity: Decimal;
  /** Currencies a cash account could not value. */
  readonly unvalued: readonly string[];
  /** Initial margin of positions plus order margin. */
  readonly marginUsed: Decimal;
  /** Maintenance margin of the positions. */
  readonly maintenanceMargin: Decimal;
  /** Margin available for new orders. */
  readonly freeMargin: Decimal;
}

/** A funding payment the account booked. */
export interface FundingPaid {
  /** Positive: received. */
  readonly payment: Decimal;
  /** The valuation price it was computed at. */
  readonly mark: Decimal;
  /** The position quantity it was paid on. */
  readonly quantity: Decimal;
}

/** What the account needs from the engine: prices, fees and the instruments. */
export interface AccountHost {
  /** Every instrument's state, in configuration order. */
  readonly insts: ReadonlyMap<string, InstState>;
  /** The price used to estimate what an order will cost (limit, trigger, or last ± buffer). */
  estimatePrice(o: SimOrder): Decimal | undefined;
  /** The fee of an execution. */
  commission(
    st: InstState,
    buy: boolean,
    quantity: Decimal,
    price: Decimal,
    liquidity: LiquiditySide,
  ): Decimal;
}

/** The money side of one account (see the file comment). */
export interface VenueAccount {
  /** Currency equity is expressed in. */
  readonly equityCurrency: string;
  /**
   * A bracket leg's spec as the venue validates it: spot legs are plain sells of what the entry
   * bought (not reduce-only), derivative legs stay reduce-only.
   */
  legSpec(spec: OrderSpec): OrderSpec;
  /**
   * How much more a reduce-only order may fill (what it can still reduce), or undefined when the
   * account does not limit it (not reduce-only, or spot, where reduce-only has no position to
   * follow).
   */
  reducible(o: SimOrder): Decimal | undefined;
  /** Sets the margin type of an instrument, or returns why it cannot (cash, or a position or orders). */
  setMarginType(st: InstState, marginType: MarginType): string | undefined;
  /** Leverage and margin type for an order, or why they cannot be used. */
  orderSettings(o: SimOrder): Rejection | OrderSettings;
  /** Reserves what a new (or modified) order needs and applies its settings; undefined: done. */
  reserve(o: SimOrder, settings: OrderSettings): Rejection | undefined;
  /** Releases all the order still holds. */
  release(o: SimOrder): void;
  /** Puts back a reservation released by `release` (a failed modify). */
  restore(o: SimOrder, hold: Decimal, margin: Decimal): void;
  /** Clips a fill to what the account can fund; undefined: nothing fits. */
  fund(
    o: SimOrder,
    qty: Decimal,
    price: Decimal,
    fee: Decimal,
    liquidity: LiquiditySide,
  ): FillFunding | undefined;
  /** Takes a fill's share out of the order's (and its group's) reservation. */
  consume(o: SimOrder, qty: Decimal, funding: FillFunding): void;
  /** Books a fill on the position and the balances. */
  bookFill(st: InstState, fill: OrderFilled): void;
  /** Keeps the float mirrors and the liquidation watch in line after a position change. */
  positionChanged(st: InstState): void;
  /** Spot brackets: the legs' shared hold follows what the entry bought. */
  groupHoldChanged(g: BracketGroup): void;
  /** The liquidation price as a number, other prices held fixed (NaN: unreachable or none). */
  liqLevel(st: InstState): number;
  /** The exact liquidation price of an open position, or undefined. */
  liquidationPrice(st: InstState): Decimal | undefined;
  /**
   * Pays funding at `rate` on the open position at its valuation price and books it on the
   * position and the margin: `none` when nothing is paid (flat, or a cash account),
   * `no-price` when no price is known yet.
   */
  payFunding(st: InstState, rate: Decimal, time: UnixMillis): FundingPaid | "none" | "no-price";
  /**
   * Books a liquidation that took the position from `before` to flat `after` with `fee`; returns
   * the deficit the venue covers for an isolated position. Margin accounts only.
   */
  bookLiquidation(st: InstState, before: Position, after: Position, fee: Decimal): Decimal;
  /** Open cross positions to re-check after a cross liquidation moved the shared cash. */
  liquidationSweep(): readonly InstState[];
  /** A negative cash with no cross position left is covered by the venue: returns the deficit. */
  coverDeficit(): Decimal;
  /** Adds a covered deficit to `deficitCovered`. */
  recordDeficit(deficit: Decimal): void;
  /**
   * The core account state at `time`: balances and margins. The one source of both: the engine's
   * `accountState()`, every `AccountUpdated`, the mass status and the snapshot use it.
   */
  state(time: UnixMillis): AccountState;
  /** Equity and the margin figures now (zeros for a cash account). */
  valuation(): AccountValuation;
  /** The margin fields of one position's snapshot (none for cash accounts). */
  positionMargin(st: InstState, notional: Decimal): Partial<PositionSnapshot>;
  /** Liquidation fees charged so far. */
  readonly liquidationFees: Decimal;
  /** Deficits of liquidations covered by the venue so far. */
  readonly deficitCovered: Decimal;
}

/**
 * Amounts the engine derives by division or by a leverage fraction (holds, order margin, isolated
 * margin transfers) are rounded to 18 decimal places, so that sums of them stay exact within the
 * 40 significant digits of `D` and the accounting identities hold with `Decimal` equality.
 */
const BOOKED_DECIMALS = 18;

/** Rounds a derived amount to the booked precision (see `BOOKED_DECIMALS`). */
export function booked(
  value: Decimal,
  rounding: typeof D.ROUND_UP | typeof D.ROUND_HALF_EVEN = D.ROUND_HALF_EVEN,
): Decimal {
  return value.toDecimalPlaces(BOOKED_DECIMALS, rounding);
}

/** The larger of two decimals. */
export function maxD(a: Decimal, b: Decimal): Decimal {
  return a.gt(b) ? a : b;
}

/** The smaller of two decimals. */
export function minD(a: Decimal, b: Decimal): Decimal {
  return a.lt(b) ? a : b;
}

/** The valuation price of an instrument as a decimal, if one is known. */
export function markOf(st: InstState): Decimal | undefined {
  return Number.isFinite(st.valPrice) && st.valPrice > 0 ? D(st.valPrice) : undefined;
}
