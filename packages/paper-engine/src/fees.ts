import type { Instrument, LiquiditySide, OrderSide, UnixMillis } from "@gpt/core";
import { D, type Decimal, type DecimalInput, parseDecimal } from "@gpt/quantize";
import { PaperEngineError } from "./errors.js";

/** What a fee model sees for one execution. Amounts are booked values (`Decimal`). */
export interface FeeContext {
  /** The instrument traded. */
  readonly instrument: Instrument;
  /** Side of our order. */
  readonly side: OrderSide;
  /** Executed quantity in the instrument's size unit. */
  readonly quantity: Decimal;
  /** Execution price. */
  readonly price: Decimal;
  /** `quantity × price × contract multiplier`, in the quote currency. */
  readonly notional: Decimal;
  /** Maker or taker. */
  readonly liquiditySide: LiquiditySide;
  /** Simulated time of the execution. */
  readonly tsEvent: UnixMillis;
}

/**
 * Computes the commission of one execution, in the instrument's settlement currency (quote for
 * spot). Negative is a rebate. Must be deterministic. The engine calls `commission` for real
 * fills and for estimates (holds, margin checks) and calls `recordFill` only for real fills.
 */
export interface FeeModel {
  /** A short name for reports. */
  readonly name: string;
  /** The commission for the execution described by `ctx`. */
  commission(ctx: FeeContext): Decimal;
  /** Called once per real fill (after `commission`), e.g. to track 30-day volume. */
  recordFill?(ctx: FeeContext): void;
}

function rate(field: string, value: DecimalInput, allowNegative: boolean): Decimal {
  let d: Decimal;
  try {
    d = parseDecimal(value, { field, allowNegative });
  } catch (cause) {
    throw new PaperEngineError("invalid-config", `${field}: must be a decimal fraction`, {
      cause,
      context: { field, value: String(value) },
    });
  }
  if (d.abs().gte(1)) {
    throw new PaperEngineError("invalid-config", `${field}: must be a fraction in (-1, 1)`, {
      context: { field, value: d.toString() },
    });
  }
  return d;
}

function perContract(value: DecimalInput | undefined): Decimal | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDecimal(value, { field: "perContractFee", allowNegative: false });
  } catch (cause) {
    throw new PaperEngineError("invalid-config", "perContractFee: must be a decimal >= 0", {
      cause,
      context: { field: "perContractFee", value: String(value) },
    });
  }
}

/** Adds the fixed per-contract part (derivatives only). */
function withPerContract(fee: Decimal, ctx: FeeContext, perContractFee: Decimal | undefined): Decimal {
  if (perContractFee === undefined || ctx.instrument.kind === "spot") return fee;
  return fee.plus(ctx.quantity.mul(perContractFee));
}

/**
 * The instrument's own `makerFee` / `takerFee` fractions of notional (the default model).
 */
export function instrumentFeeModel(): FeeModel {
  return {
    name: "instrument",
    commission: (ctx) =>
      ctx.notional.mul(ctx.liquiditySide === "maker" ? ctx.instrument.makerFee : ctx.instrument.takerFee),
  };
}

/** Options of `fixedRateFeeModel`. */
export interface FixedRateFeeOptions {
  /** Maker fraction of notional (negative: rebate). */
  readonly makerRate: DecimalInput;
  /** Taker fraction of notional. */
  readonly takerRate: DecimalInput;
  /** Fixed fee per contract on derivatives (e.g. CFM's per-contract fees), in settlement currency. */
  readonly perContractFee?: DecimalInput;
}

/**
 * One maker/taker rate pair for every instrument, plus an optional fixed fee per contract on
 * derivatives.
 * @throws PaperEngineError (`invalid-config`) on bad rates.
 */
export function fixedRateFeeModel(options: FixedRateFeeOptions): FeeModel {
  const maker = rate("makerRate", options.makerRate, true);
  const taker = rate("takerRate", options.takerRate, false);
  const pc = perContract(options.perContractFee);
  return {
    name: "fixed-rate",
    commission: (ctx) =>
      withPerContract(ctx.notional.mul(ctx.liquiditySide === "maker" ? maker : taker), ctx, pc),
  };
}

/** One row of a fee schedule: applies from `minVolume` (30-day USD volume) upward. */
export interface FeeTier {
  /** Tier name, e.g. `"Advanced 1"` or `"$0-10K"`. */
  readonly name: string;
  /** Lowest trailing 30-day volume (inclusive) of the tier, in USD (quote currency). */
  readonly minVolume: Decimal;
  /** Maker fraction of notional. */
  readonly makerRate: Decimal;
  /** Taker fraction of notional. */
  readonly takerRate: Decimal;
}

/** Input of a fee tier: decimals as strings, numbers or Decimals. */
export interface FeeTierInput {
  /** Tier name. */
  readonly name: string;
  /** Lowest 30-day volume of the tier. */
  readonly minVolume: DecimalInput;
  /** Maker fraction. */
  readonly makerRate: DecimalInput;
  /** Taker fraction. */
  readonly takerRate: DecimalInput;
}

/**
 * Validates a fee table: at least one tier, the first starting at 0, `minVolume` strictly
 * increasing, rates in (-1, 1) (taker >= 0).
 * @throws PaperEngineError (`invalid-config`).
 */
export function createFeeTiers(input: readonly FeeTierInput[]): readonly FeeTier[] {
  if (input.length === 0) throw new PaperEngineError("invalid-config", "fee tiers: give at least one tier");
  const tiers: FeeTier[] = [];
  let previous: Decimal | undefined;
  for (const [i, t] of input.entries()) {
    let minVolume: Decimal;
    try {
      minVolume = parseDecimal(t.minVolume, { field: `tiers[${i}].minVolume`, allowNegative: false });
    } catch (cause) {
      throw new PaperEngineError("invalid-config", `tiers[${i}].minVolume: must be a decimal >= 0`, {
        cause,
      });
    }
    if (i === 0 && !minVolume.isZero()) {
      throw new PaperEngineError("invalid-config", "fee tiers: the first tier must start at volume 0");
    }
    if (previous !== undefined && !minVolume.gt(previous)) {
      throw new PaperEngineError("invalid-config", `tiers[${i}].minVolume: must increase`, {
        context: { field: `tiers[${i}].minVolume`, value: minVolume.toString() },
      });
    }
    previous = minVolume;
    tiers.push({
      name: t.name,
      minVolume,
      makerRate: rate(`tiers[${i}].makerRate`, t.makerRate, true),
      takerRate: rate(`tiers[${i}].takerRate`, t.takerRate, false),
    });
  }
  return tiers;
}

/** Options of `tieredFeeModel`. */
export interface TieredFeeOptions {
  /** The schedule (see `createFeeTiers`). */
  readonly tiers: readonly FeeTierInput[] | readonly FeeTier[];
  /** Trailing 30-day USD volume at the start (default 0). */
  readonly thirtyDayVolume?: DecimalInput;
  /**
   * Add each fill's notional to the rolling 30-day volume so the tier moves as the simulation
   * trades (default false: the tier stays where `thirtyDayVolume` puts it). Volume is kept in
   * 30 daily UTC buckets, so memory stays bounded.
   */
  readonly trackVolume?: boolean;
  /** Fixed fee per contract on derivatives, added to the percentage fee. */
  readonly perContractFee?: DecimalInput;
}

/** A tiered model; exposes the tier in use and the tracked volume. */
export interface TieredFeeModel extends FeeModel {
  /** The tier that applies now (by the volume before the next fill). */
  currentTier(): FeeTier;
  /** Trailing 30-day volume used for the tier (initial volume plus tracked fills in the window). */
  thirtyDayVolume(): Decimal;
}

const DAY = 86_400_000;
const WINDOW_DAYS = 30;

/**
 * A maker/taker schedule selected by trailing 30-day volume, like Coinbase's fee tiers. The tier
 * is chosen from the volume *before* the fill (Coinbase: "fees are calculated based on the
 * current pricing tier you are in when the order is placed").
 * @throws PaperEngineError (`invalid-config`).
 */
export function tieredFeeModel(options: TieredFeeOptions): TieredFeeModel {
  const tiers = createFeeTiers(options.tiers as readonly FeeTierInput[]);
  let base: Decimal;
  try {
    base = parseDecimal(options.thirtyDayVolume ?? 0, { field: "thirtyDayVolume", allowNegative: false });
  } catch (cause) {
    throw new PaperEngineError("invalid-config", "thirtyDayVolume: must be a decimal >= 0", { cause });
  }
  const pc = perContract(options.perContractFee);
  const track = options.trackVolume ?? false;
  const buckets = new Map<number, Decimal>();
  let rolling = D(0);
  let lastDay = Number.NEGATIVE_INFINITY;

  const roll = (day: number) => {
    if (day <= lastDay) return;
    lastDay = day;
    for (const [d, v] of buckets) {
      if (d <= day - WINDOW_DAYS) {
        buckets.delete(d);
        rolling = rolling.minus(v);
      }
    }
  };
  const tierFor = (volume: Decimal): FeeTier => {
    let chosen = tiers[0]!;
    for (const t of tiers) if (volume.gte(t.minVolume)) chosen = t;
    return chosen;
  };
  const volume = () => base.plus(rolling);
  return {
    name: "tiered",
    commission(ctx) {
      if (track) roll(Math.floor(ctx.tsEvent / DAY));
      const tier = tierFor(volume());
      return withPerContract(
        ctx.notional.mul(ctx.liquiditySide === "maker" ? tier.makerRate : tier.takerRate),
        ctx,
        pc,
      );
    },
    recordFill(ctx) {
      if (!track) return;
      const day = Math.floor(ctx.tsEvent / DAY);
      roll(day);
      const n = ctx.notional.abs();
      buckets.set(day, (buckets.get(day) ?? D(0)).plus(n));
      rolling = rolling.plus(n);
    },
    currentTier: () => tierFor(volume()),
    thirtyDayVolume: volume,
  };
}

/**
 * Coinbase Advanced Trade **spot** maker/taker tiers by trailing 30-day USD volume, as listed in
 * the project's Coinbase notes (`docs/coinbase-advanced-trade.md` §5, from CCXT's `fees` table and
 * `transaction_summary` samples). Coinbase changes these from time to time and shows the live
 * schedule only when signed in; pass your own table to `tieredFeeModel` for other numbers.
 */
export const COINBASE_SPOT_FEE_TIERS: readonly FeeTier[] = createFeeTiers([
  { name: "$0-10K", minVolume: "0", takerRate: "0.006", makerRate: "0.004" },
  { name: "$10K-50K", minVolume: "10000", takerRate: "0.004", makerRate: "0.0025" },
  { name: "$50K-100K", minVolume: "50000", takerRate: "0.0025", makerRate: "0.0015" },
  { name: "$100K-1M", minVolume: "100000", takerRate: "0.002", makerRate: "0.001" },
  { name: "$1M-15M", minVolume: "1000000", takerRate: "0.0018", makerRate: "0.0008" },
  { name: "$15M-75M", minVolume: "15000000", takerRate: "0.0016", makerRate: "0.0006" },
  { name: "$75M-250M", minVolume: "75000000", takerRate: "0.0012", makerRate: "0.0003" },
  { name: "$250M-400M", minVolume: "250000000", takerRate: "0.0008", makerRate: "0" },
  { name: "$400M+", minVolume: "400000000", takerRate: "0.0005", makerRate: "0" },
]);

/**
 * The documented default tier for Coinbase perpetuals: taker 0.06 %, maker 0.04 %. Source: the
 * project's Coinbase notes (§5: INTX perps "had their own low rates"; CCXT falls back to the
 * literals 0.06 / 0.04 when no tier is returned, which we read as percentages). This is **not**
 * a verified tier table: no public per-volume perps/CFM table was available to us. US CFM
 * futures charge a fixed fee per contract instead; pass it as `perContractFee`, and pass your
 * account's real rates (from `GET /transaction_summary`) as a custom table.
 */
export const COINBASE_PERPS_FEE_TIERS: readonly FeeTier[] = createFeeTiers([
  { name: "default", minVolume: "0", takerRate: "0.0006", makerRate: "0.0004" },
]);

/** Options of the Coinbase presets. */
export interface CoinbaseFeeOptions {
  /** Trailing 30-day USD volume at the start (default 0). */
  readonly thirtyDayVolume?: DecimalInput;
  /** Track fills into the rolling volume (default false). */
  readonly trackVolume?: boolean;
  /** Replace the preset table. */
  readonly tiers?: readonly FeeTierInput[];
  /** Fixed fee per contract (derivatives only). */
  readonly perContractFee?: DecimalInput;
}

/** `tieredFeeModel` over `COINBASE_SPOT_FEE_TIERS` (or your `tiers`). */
export function coinbaseSpotFeeModel(options: CoinbaseFeeOptions = {}): TieredFeeModel {
  return tieredFeeModel({ ...options, tiers: options.tiers ?? COINBASE_SPOT_FEE_TIERS });
}

/** `tieredFeeModel` over `COINBASE_PERPS_FEE_TIERS` (or your `tiers`), with an optional per-contract fee. */
export function coinbasePerpsFeeModel(options: CoinbaseFeeOptions = {}): TieredFeeModel {
  return tieredFeeModel({ ...options, tiers: options.tiers ?? COINBASE_PERPS_FEE_TIERS });
}
