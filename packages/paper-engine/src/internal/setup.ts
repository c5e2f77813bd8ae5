/**
 * Reads a `PaperEngineConfig` into checked settings: defaults applied, decimals parsed, every
 * instrument's starting leverage and margin type, and the account to open (cash or margin).
 * Everything the engine is told at construction is validated here, once.
 */
import {
  type AccountId,
  type Clock,
  type InstrumentId,
  type Logger,
  type MarginType,
  accountId as makeAccountId,
  venue as makeVenue,
  noopLogger,
  type Venue,
} from "@gpt/core";
import { D, type Decimal, type DecimalInput, parseDecimal } from "@gpt/quantize";
import { PaperEngineError } from "../errors.js";
import { type FeeModel, instrumentFeeModel } from "../fees.js";
import { type LatencyModel, noLatency } from "../latency.js";
import { noSlippage, type SlippageModel } from "../slippage.js";
import type { BarArrivalFill, PaperEngineConfig } from "../types.js";
import { minD } from "./account.js";
import { InstState } from "./state.js";

const ONE = D(1);

/** The account the engine opens: one collateral currency (margin) or balances per currency (cash). */
type AccountSetup =
  | { readonly kind: "margin"; readonly collateral: string; readonly cash: Decimal }
  | { readonly kind: "cash"; readonly initial: ReadonlyMap<string, Decimal> };

/** A configuration with its defaults applied and every value checked. */
export interface VenueSettings {
  readonly accountId: AccountId;
  readonly accountType: "cash" | "margin";
  readonly venue: Venue;
  readonly clock: Clock | undefined;
  readonly fees: FeeModel;
  readonly slippage: SlippageModel;
  readonly latency: LatencyModel;
  /** Limit fill rule `through` (else `touch`). */
  readonly through: boolean;
  /** Intrabar tie `low-first` (else `high-first`). */
  readonly lowFirst: boolean;
  readonly clamp: boolean;
  /** Volume participation fraction; 0 means unlimited. */
  readonly participation: number;
  readonly queueModel: boolean;
  readonly liqFeeRate: Decimal;
  readonly marketBuffer: Decimal;
  readonly emitAccount: boolean;
  readonly rememberFinished: number;
  readonly logger: Logger;
  readonly prefix: string;
  readonly barArrivalFill: BarArrivalFill;
  /** Every instrument's state, in configuration order. */
  readonly insts: Map<InstrumentId, InstState>;
  readonly account: AccountSetup;
}

/** Parses a non-negative decimal setting. @throws PaperEngineError (`invalid-config`). */
export function decimalConfig(field: string, value: DecimalInput, allowZero = true): Decimal {
  try {
    return parseDecimal(value, { field, allowNegative: false, allowZero });
  } catch (cause) {
    throw new PaperEngineError("invalid-config", `${field}: must be a decimal >= 0`, {
      cause,
      context: { field, value: String(value) },
    });
  }
}

/** Checks a configuration and applies its defaults. @throws PaperEngineError (`invalid-config`). */
export function readConfig(config: PaperEngineConfig): VenueSettings {
  if (config.accountType !== "cash" && config.accountType !== "margin") {
    throw new PaperEngineError("invalid-config", "accountType: must be cash or margin");
  }
  if (config.instruments.length === 0) {
    throw new PaperEngineError("invalid-config", "instruments: give at least one instrument");
  }
  const accountType = config.accountType;
  const margin = accountType === "margin";
  let accountId: AccountId;
  let venue: Venue;
  try {
    accountId = makeAccountId(config.accountId ?? "PAPER-1");
    venue = makeVenue(config.venue ?? config.instruments[0]!.venue);
  } catch (cause) {
    throw new PaperEngineError("invalid-config", "accountId or venue is invalid", { cause });
  }
  const vp = config.volumeParticipation;
  if (vp !== undefined && !(Number.isFinite(vp) && vp > 0)) {
    throw new PaperEngineError("invalid-config", "volumeParticipation: must be a number > 0", {
      context: { field: "volumeParticipation", value: vp },
    });
  }
  const arrival = config.barArrivalFill ?? "next-bar";
  if (arrival !== "next-bar" && arrival !== "arrival-bar-open") {
    throw new PaperEngineError("invalid-config", "barArrivalFill: must be next-bar or arrival-bar-open", {
      context: { field: "barArrivalFill" },
    });
  }
  const liqFeeRate = decimalConfig("liquidationFeeRate", config.liquidationFeeRate ?? "0.005");
  const marketBuffer = decimalConfig("marketOrderBuffer", config.marketOrderBuffer ?? "0.05");
  const insts = readInstruments(config, margin);
  return {
    accountId,
    accountType,
    venue,
    clock: config.clock,
    fees: config.fees ?? instrumentFeeModel(),
    slippage: config.slippage ?? noSlippage(),
    latency: config.latency ?? noLatency(),
    through: (config.limitFillRule ?? "through") === "through",
    lowFirst: (config.intrabarTie ?? "low-first") === "low-first",
    clamp: config.clampSlippageToBar ?? true,
    participation: vp ?? 0,
    queueModel: config.queuePosition ?? true,
    liqFeeRate,
    marketBuffer,
    emitAccount: config.emitAccountUpdates ?? true,
    rememberFinished: config.rememberFinishedOrders ?? 10_000,
    logger: config.logger ?? noopLogger,
    prefix: config.idPrefix ?? "sim",
    barArrivalFill: arrival,
    insts,
    account: readAccount(config, margin, insts),
  };
}

function readInstruments(config: PaperEngineConfig, margin: boolean): Map<InstrumentId, InstState> {
  const insts = new Map<InstrumentId, InstState>();
  const defaultMarginType: MarginType = config.defaultMarginType ?? "cross";
  for (const inst of config.instruments) {
    if (insts.has(inst.id)) {
      throw new PaperEngineError("invalid-config", `instruments: duplicate id ${inst.id}`);
    }
    if (margin !== (inst.kind !== "spot")) {
      throw new PaperEngineError(
        "invalid-config",
        `instrument ${inst.id}: a ${config.accountType} account trades ${margin ? "derivatives" : "spot"} only`,
      );
    }
    let leverage = ONE;
    if (inst.kind !== "spot") {
      const byImf = ONE.div(inst.initialMarginFraction);
      leverage = minD(byImf, inst.maxLeverage);
      const given = config.leverage?.[inst.id];
      if (given !== undefined) {
        leverage = decimalConfig(`leverage.${inst.id}`, given, false);
        if (leverage.lt(1) || leverage.gt(inst.maxLeverage)) {
          throw new PaperEngineError(
            "invalid-config",
            `leverage.${inst.id}: must be in [1, ${inst.maxLeverage.toString()}]`,
          );
        }
      }
    }
    insts.set(inst.id, new InstState(inst, leverage, defaultMarginType));
  }
  return insts;
}

function readAccount(
  config: PaperEngineConfig,
  margin: boolean,
  insts: ReadonlyMap<InstrumentId, InstState>,
): AccountSetup {
  const currencies = Object.keys(config.initialBalances);
  if (!margin) {
    const initial = new Map<string, Decimal>();
    for (const c of currencies)
      initial.set(c, decimalConfig(`initialBalances.${c}`, config.initialBalances[c]!));
    return { kind: "cash", initial };
  }
  if (currencies.length !== 1) {
    throw new PaperEngineError(
      "invalid-config",
      "initialBalances: a margin account has exactly one collateral currency",
    );
  }
  const collateral = currencies[0]!;
  const cash = decimalConfig(`initialBalances.${collateral}`, config.initialBalances[collateral]!);
  for (const st of insts.values()) {
    if (st.settle !== collateral) {
      throw new PaperEngineError(
        "invalid-config",
        `instrument ${st.id} settles in ${st.settle}, the collateral is ${collateral}`,
      );
    }
  }
  return { kind: "margin", collateral, cash };
}
