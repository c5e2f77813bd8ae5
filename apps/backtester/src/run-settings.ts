// The settings of a run that come from its options: fees, risk configuration (and its file),
// regime preset and the taker rate the sizing allows for.
import { readFileSync, statSync } from "node:fs";
import type { Instrument } from "@gpt/core";
import {
  coinbasePerpsFeeModel,
  coinbaseSpotFeeModel,
  type FeeModel,
  fixedRateFeeModel,
} from "@gpt/paper-engine";
import type { RegimePresetInterval } from "@gpt/regime";
import { type RiskConfigInput, safeParseRiskConfig } from "@gpt/risk";
import type { FeeChoice, RiskChoice, RunOptions } from "./cli/options.js";
import { BacktestError } from "./errors.js";
import { excerpt, oneLine } from "./excerpt.js";

/** @internal The fee model of a run's `--fees` choice. */
export function feeModel(choice: FeeChoice, margin: boolean): FeeModel {
  switch (choice.kind) {
    case "rates":
      return fixedRateFeeModel({ makerRate: choice.maker, takerRate: choice.taker });
    case "preset":
      switch (choice.name) {
        case "coinbase-spot":
          return coinbaseSpotFeeModel();
        case "coinbase-perps":
          return coinbasePerpsFeeModel();
        case "none":
          return fixedRateFeeModel({ makerRate: "0", takerRate: "0" });
        default:
          throw new BacktestError(
            "bad-argument",
            `--fees ${excerpt(choice.name)}: unknown preset (coinbase-spot, coinbase-perps, none, or MAKER,TAKER); ${margin ? "perps" : "spot"} run`,
          );
      }
  }
}

/** The risk configuration of a run, checked by `@gpt/risk` (bad files and fields exit with 2). */
export function riskConfig(choice: RiskChoice): RiskConfigInput | undefined {
  switch (choice.kind) {
    case "off":
      return undefined;
    case "default":
      return {};
    case "file": {
      const input = readRiskFile(choice.path);
      const parsed = safeParseRiskConfig(input as RiskConfigInput);
      if (!parsed.ok) {
        const why = oneLine(parsed.issues.map((i) => `${i.path || "(root)"}: ${i.reason}`).join("; "));
        throw new BacktestError("bad-argument", `--risk ${choice.path}: ${why}`, { file: choice.path });
      }
      return input as RiskConfigInput;
    }
  }
}

/** A risk configuration file larger than this is not a configuration (1 MiB). */
const MAX_RISK_FILE_BYTES = 1 << 20;

/**
 * Reads and parses a `--risk` JSON file. Problems name the file and, for bad JSON, the line and
 * column, but never quote its content (a file passed by mistake may hold secrets).
 */
function readRiskFile(path: string): unknown {
  const fail = (why: string, cause?: unknown): never => {
    throw new BacktestError("bad-argument", `--risk ${path}: ${why}`, {
      file: path,
      ...(cause === undefined ? {} : { cause }),
    });
  };
  let text = "";
  try {
    const stats = statSync(path);
    if (!stats.isFile()) fail("not a file");
    if (stats.size > MAX_RISK_FILE_BYTES)
      fail(`larger than ${MAX_RISK_FILE_BYTES} bytes; not a risk configuration`);
    text = readFileSync(path, "utf8");
  } catch (cause) {
    if (cause instanceof BacktestError) throw cause;
    fail(`cannot read (${(cause as { code?: string }).code ?? "error"})`, cause);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    // V8's message quotes the text around the error, so it is not kept as the cause: report only
    // where the error is, when V8 says (its "Unexpected token" form gives no position).
    const at = /position (\d+)/.exec(String((cause as Error).message));
    if (at === null) return fail("not valid JSON");
    const before = text.slice(0, Number(at[1]));
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    return fail(`not valid JSON (line ${line}, column ${column})`);
  }
}

/** The regime preset for bars of `intervalMs` (`auto`), or the one chosen. */
export function regimePresetFor(
  choice: RunOptions["regime"],
  intervalMs: number,
): RegimePresetInterval | undefined {
  if (choice === "off") return undefined;
  if (choice !== "auto") return choice;
  if (intervalMs <= 5 * 60_000) return "1m";
  if (intervalMs <= 4 * 3_600_000) return "1h";
  return "1d";
}

/** The taker rate the fee model charges on a fill of `notional` (for the spot buy headroom). */
export function takerRateOf(model: FeeModel, instrument: Instrument): number {
  const probe = model.commission({
    instrument,
    side: "buy",
    liquiditySide: "taker",
    quantity: instrument.minSize,
    price: instrument.priceIncrement.mul(1_000_000),
    notional: instrument.priceIncrement.mul(1_000_000).mul(instrument.minSize),
    tsEvent: 0,
  } as Parameters<FeeModel["commission"]>[0]);
  const notional = instrument.priceIncrement.mul(1_000_000).mul(instrument.minSize);
  return probe.div(notional).toNumber();
}
