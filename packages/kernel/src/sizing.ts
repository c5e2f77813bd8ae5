import type { Instrument, OrderSide } from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { RegimeReading } from "@gpt/regime";
import {
  parseSizingConfig,
  type SizingConfig,
  type SizingConfigInput,
  type SizingObservations,
  type SizingResult,
  sizeWithConfig,
} from "@gpt/sizing";
import type { TargetPositionIntent } from "@gpt/strategies";

/** Everything the kernel knows when it sizes an opening order. */
export interface SizingRequest {
  /** The instrument. */
  readonly instrument: Instrument;
  /** The target being acted on (`confidence`, `sizeFraction`, `stopPrice`). */
  readonly intent: TargetPositionIntent;
  /** The side of the opening order (`buy` for long, `sell` for short). */
  readonly side: OrderSide;
  /**
   * Equity at the decision (the ledger at the instrument prices); for spot buys divided by
   * `(1 + priceBuffer)(1 + takerFeeRate)` under `orderSizing` (`1 + spotBuyHeadroom` with that
   * option).
   */
  readonly equity: Decimal;
  /** The decision price: the instrument's price by the `decisionPrice` rule (by default the latest; a bar's close in a backtest). */
  readonly price: Decimal;
  /**
   * Derivatives under `orderSizing`: `leverage / ((1 + priceBuffer)(1 + takerFeeRate × leverage))`,
   * the notional per unit of the target's fraction of equity that leaves room for the margin and
   * fee the venue holds. A sizer multiplies its fraction of equity (`sizeFraction`, default 1)
   * by it; `createConfigSizer` does.
   */
  readonly fractionScale?: number;
  /**
   * Spot only: what a buy can spend in total, i.e. the ledger cash (minus what other open buys may
   * cost) plus the value of the instrument already held (headroom applied like `equity`).
   */
  readonly availableMargin?: Decimal;
  /** The instrument's regime reading at the decision, if a classifier runs. */
  readonly regime?: RegimeReading;
  /** The regime multiplier from `regimeMultipliers`, if one applies. */
  readonly regimeMultiplier?: number;
  /** ATR of the instrument (kernel-maintained when the sizing method is `atr`), once ready. */
  readonly atr?: number;
}

/** A sizing function: the target size of an opening order, or why not to trade. */
export type KernelSizer = (request: SizingRequest) => SizingResult;

/** The `sizing` option: a `@gpt/sizing` configuration (input or parsed) or a sizing function. */
export type SizingOption = SizingConfigInput | SizingConfig | KernelSizer;

/** The default sizing: all of equity, `{ method: { kind: "fixed-fraction", fraction: 1 } }`. */
export const DEFAULT_SIZING: SizingConfigInput = Object.freeze({
  method: Object.freeze({ kind: "fixed-fraction" as const, fraction: 1 }),
});

/**
 * A sizer over a `@gpt/sizing` configuration (`sizeWithConfig`):
 * - `fixed-fraction`: the intent's `sizeFraction`, when given, replaces the configured `fraction`
 *   (so sma-cross's `fraction` parameter is the fraction of equity ordered);
 * - other methods: `sizeFraction` caps the notional at `sizeFraction × equity` (on top of the
 *   configured `caps.maxNotional`);
 * - with `fractionScale` (derivatives under `orderSizing`), that fraction (the hint, else the
 *   configured `fraction`, else 1 for the cap) is multiplied by it;
 * - observations: `confidence` from the intent, `stop` from `stopPrice`, `side`, `atr` (kernel
 *   ATR), `realizedVol` from the regime reading's `annualizedVol` (so `targetVol` is annualized),
 *   `regimeMultiplier`, `availableMargin` (spot).
 */
export function createConfigSizer(config: SizingConfig): KernelSizer {
  return (request) => {
    let effective = config;
    let hint = request.intent.sizeFraction;
    const scale = request.fractionScale;
    if (scale !== undefined) {
      const base = hint ?? (config.method.kind === "fixed-fraction" ? config.method.fraction : 1);
      hint = base * scale;
    }
    if (hint !== undefined) {
      if (config.method.kind === "fixed-fraction") {
        effective = { ...config, method: { kind: "fixed-fraction", fraction: hint } };
      } else {
        const cap = request.equity.mul(D(hint));
        const existing = config.caps.maxNotional;
        if (cap.gt(0)) {
          effective = {
            ...config,
            caps: {
              ...config.caps,
              maxNotional: existing === undefined || cap.lt(existing) ? cap : existing,
            },
          };
        }
      }
    }
    const realizedVol = request.regime?.features.annualizedVol;
    const observations: SizingObservations = {
      equity: request.equity,
      price: request.price,
      instrument: request.instrument,
      confidence: request.intent.confidence,
      side: request.side,
      ...(request.availableMargin === undefined ? {} : { availableMargin: request.availableMargin }),
      ...(request.regimeMultiplier === undefined ? {} : { regimeMultiplier: request.regimeMultiplier }),
      ...(request.intent.stopPrice === undefined ? {} : { stop: request.intent.stopPrice }),
      ...(request.atr === undefined ? {} : { atr: request.atr }),
      ...(realizedVol === undefined || !Number.isFinite(realizedVol) ? {} : { realizedVol }),
    };
    return sizeWithConfig(effective, observations);
  };
}

/** @internal Resolves the `sizing` option: a function as is, a configuration through `parseSizingConfig`. */
export function resolveSizer(option: SizingOption | undefined): {
  sizer: KernelSizer;
  method: string | undefined;
} {
  if (typeof option === "function") return { sizer: option, method: undefined };
  const config = parseSizingConfig(option ?? DEFAULT_SIZING);
  return { sizer: createConfigSizer(config), method: config.method.kind };
}
