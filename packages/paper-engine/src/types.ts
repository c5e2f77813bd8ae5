import type {
  AccountId,
  AccountState,
  AccountType,
  Clock,
  Instrument,
  InstrumentId,
  Logger,
  MarginType,
  Position,
  TradeId,
  UnixMillis,
} from "@gpt/core";
import type { Decimal, DecimalInput } from "@gpt/quantize";
import type { FeeModel } from "./fees.js";
import type { LatencyModel } from "./latency.js";
import type { SlippageModel } from "./slippage.js";

/**
 * When a resting limit order fills from a bar path or a trade print:
 * - `through` (default, conservative): only if the price trades strictly through the limit
 *   (a buy at 100 needs a print below 100);
 * - `touch`: as soon as the price reaches the limit.
 */
export type LimitFillRule = "touch" | "through";

/**
 * Which extreme the intrabar path visits first when the open is exactly as far from the high as
 * from the low: `low-first` (default) or `high-first`.
 */
export type IntrabarTie = "low-first" | "high-first";

/**
 * Which bar first fills an order that reaches the venue inside a bar (its arrival time, submit
 * time + submit latency, falls in the bar's `[tsOpen, tsEvent)`):
 * - `next-bar` (default): the order is accepted at the end of that bar and fills from the next
 *   bar on, so a latency of even 1 ms costs a whole bar;
 * - `arrival-bar-open`: the order is accepted at its arrival time, its funds or margin checked
 *   against the prices known then (the previous bar's close), and it takes part in the arrival
 *   bar from its open, as an order with no latency would (the open is the bar model's best
 *   estimate of the price at arrival). Cancels and modifies still take effect at the end of the
 *   bar they arrive in. Trades and books are not affected: there every event has its own time.
 */
export type BarArrivalFill = "next-bar" | "arrival-bar-open";

/** Configuration of a `PaperEngine`. */
export interface PaperEngineConfig {
  /** `cash` (spot only, no borrowing) or `margin` (perpetuals and futures). */
  readonly accountType: AccountType;
  /** Every instrument the engine may trade (spot for cash accounts, derivatives for margin). */
  readonly instruments: readonly Instrument[];
  /**
   * Starting balances per currency (`{ USD: "10000", BTC: "0.5" }`). A margin account has exactly
   * one collateral currency, which every instrument must settle in.
   */
  readonly initialBalances: Readonly<Record<string, DecimalInput>>;
  /** Account id (default `"PAPER-1"`). */
  readonly accountId?: string;
  /** Venue code reported in account states (default: the first instrument's venue). */
  readonly venue?: string;
  /**
   * Optional clock (wall clock for paper trading). Engine time is the maximum of this clock, the
   * market data seen and the commands' `tsInit`, and never goes back.
   */
  readonly clock?: Clock;
  /** Fee model (default `instrumentFeeModel()`: the instrument's maker/taker fractions). */
  readonly fees?: FeeModel;
  /** Slippage model for taker fills from bars and trades (default none). */
  readonly slippage?: SlippageModel;
  /** Latency model (default none: everything takes effect at once). */
  readonly latency?: LatencyModel;
  /** Which bar first fills an order that arrives inside a bar (default `next-bar`; see `BarArrivalFill`). */
  readonly barArrivalFill?: BarArrivalFill;
  /** Limit fill rule (default `through`). */
  readonly limitFillRule?: LimitFillRule;
  /** Path tie rule (default `low-first`). */
  readonly intrabarTie?: IntrabarTie;
  /**
   * Clamp slipped prices of bar fills into the bar's `[low, high]` (default true), so that no
   * fill ever lies outside the bar's range. With false, the slipped price is used as is.
   */
  readonly clampSlippageToBar?: boolean;
  /**
   * Fraction of each bar's (or trade's) volume our fills may take in total, e.g. `0.1`
   * (default: unlimited). FOK orders then need their full quantity within the cap.
   */
  readonly volumeParticipation?: number;
  /** Model queue position of resting limit orders in book mode (default true). */
  readonly queuePosition?: boolean;
  /** Margin type of instruments without a position until an order says otherwise (default `cross`). */
  readonly defaultMarginType?: MarginType;
  /** Starting leverage per instrument (default `1 / initialMarginFraction`, capped at `maxLeverage`). */
  readonly leverage?: Readonly<Record<string, DecimalInput>>;
  /** Liquidation fee as a fraction of the liquidated notional (default 0.005). */
  readonly liquidationFeeRate?: DecimalInput;
  /**
   * Extra fraction on the last price used to hold quote (cash account) or margin for market
   * buys/sells whose fill price is not known yet (default 0.05).
   */
  readonly marketOrderBuffer?: DecimalInput;
  /** Emit `AccountUpdated` after every fill, funding payment and liquidation (default true). */
  readonly emitAccountUpdates?: boolean;
  /** Prefix of event, venue order and trade ids (default `"sim"`). */
  readonly idPrefix?: string;
  /**
   * How many finished orders to remember (for duplicate-submit detection and precise cancel
   * rejections). Older ones are forgotten so memory stays bounded (default 10,000).
   */
  readonly rememberFinishedOrders?: number;
  /** Logger for ignored commands and similar diagnostics (default: none). */
  readonly logger?: Logger;
}

/** A position was liquidated by the simulated venue. */
export interface PositionLiquidated {
  /** Discriminant. */
  readonly type: "PositionLiquidated";
  /** When. */
  readonly tsEvent: UnixMillis;
  /** Account. */
  readonly accountId: AccountId;
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Signed quantity that was closed. */
  readonly quantity: Decimal;
  /** The liquidation price the position crossed (computed before the close). */
  readonly liquidationPrice: Decimal;
  /** The price the position was closed at (the liquidation price, or the worse open of a gap). */
  readonly price: Decimal;
  /** Liquidation fee charged (booked as a commission on the position). */
  readonly fee: Decimal;
  /** Gross realized PnL of the close. */
  readonly realizedPnl: Decimal;
  /** Margin type of the position. */
  readonly marginType: MarginType;
  /** Account equity right after the liquidation (after any deficit coverage). */
  readonly equityAfter: Decimal;
  /** Trade id of the liquidation execution. */
  readonly tradeId: TradeId;
}

/**
 * A liquidation left a deficit (equity below zero): the simulated venue's insurance fund covered
 * it, so balances never go below zero silently. `deficit` is the amount covered.
 */
export interface NegativeEquity {
  /** Discriminant. */
  readonly type: "NegativeEquity";
  /** When. */
  readonly tsEvent: UnixMillis;
  /** Account. */
  readonly accountId: AccountId;
  /** Collateral currency. */
  readonly currency: string;
  /** The deficit (positive) that was covered. */
  readonly deficit: Decimal;
  /** The instrument whose liquidation caused it. */
  readonly instrumentId: InstrumentId;
}

/** Engine notices beyond the core execution events; switch on `type`. */
export type EngineNotice = PositionLiquidated | NegativeEquity;

/** Receives engine notices. */
export type EngineNoticeHandler = (notice: EngineNotice) => void;

/** One position in an `AccountSnapshot`. */
export interface PositionSnapshot {
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** The core position record (quantity, cost basis, realized PnL, commissions, funding). */
  readonly position: Position;
  /** Price used for valuation (the latest of bar close, trade and mark price). */
  readonly markPrice: Decimal;
  /** Unrealized PnL at `markPrice`. */
  readonly unrealizedPnl: Decimal;
  /** `|quantity| × markPrice × contractSize`. */
  readonly notional: Decimal;
  /** Margin type (margin accounts). */
  readonly marginType?: MarginType;
  /** Leverage in use (margin accounts). */
  readonly leverage?: Decimal;
  /** Initial margin of the position (margin accounts). */
  readonly initialMargin?: Decimal;
  /** Maintenance margin of the position (margin accounts). */
  readonly maintenanceMargin?: Decimal;
  /** Margin allocated to an isolated position. */
  readonly isolatedMargin?: Decimal;
  /** Liquidation price with every other price held where it is (absent when it cannot be reached). */
  readonly liquidationPrice?: Decimal;
}

/**
 * The account at one moment: the core `AccountState` (the same balances and margins
 * `accountState()`, `AccountUpdated` and the mass status report) plus what only the simulated
 * venue knows: equity, margin figures, the open positions valued, and the PnL breakdown. Every
 * amount is exact.
 */
export interface AccountSnapshot extends AccountState {
  /**
   * Equity in `equityCurrency`: margin accounts `cash + isolated margins + unrealized PnL`;
   * cash accounts the balances valued at the last prices of instruments quoted in that currency.
   */
  readonly equity: Decimal;
  /** Currency of `equity` (collateral currency; for cash accounts the first instrument's quote). */
  readonly equityCurrency: string;
  /** Currencies a cash account could not value (no instrument price into `equityCurrency`). */
  readonly unvaluedCurrencies: readonly string[];
  /** Initial margin of positions plus margin reserved for open orders (margin accounts). */
  readonly marginUsed: Decimal;
  /** Maintenance margin of all positions (margin accounts). */
  readonly maintenanceMargin: Decimal;
  /** Margin available for new orders: cross equity − cross initial margin − order margin. */
  readonly freeMargin: Decimal;
  /** Positions with a non-zero quantity. */
  readonly positions: readonly PositionSnapshot[];
  /** Gross realized PnL of every position record (including closed ones). */
  readonly realizedPnl: Decimal;
  /** Unrealized PnL of the open positions. */
  readonly unrealizedPnl: Decimal;
  /** Commissions paid (negative: rebates), liquidation fees included. */
  readonly commissions: Decimal;
  /** Liquidation fees alone (already inside `commissions`). */
  readonly liquidationFees: Decimal;
  /** Net funding received (negative: paid). */
  readonly funding: Decimal;
  /** Deficits covered by the insurance fund after liquidations (see `NegativeEquity`). */
  readonly deficitCovered: Decimal;
  /** `realizedPnl + unrealizedPnl − commissions + funding`. */
  readonly netPnl: Decimal;
}
