import { BacktestError } from "../errors.js";

/** Where one instrument's bars come from. */
export type DataSource =
  | { readonly kind: "file"; readonly symbol: string; readonly path: string }
  | { readonly kind: "synthetic"; readonly symbol: string };

/** Fees: a named preset of the paper engine, or explicit maker and taker rates (fractions). */
export type FeeChoice =
  | { readonly kind: "preset"; readonly name: string }
  | { readonly kind: "rates"; readonly maker: string; readonly taker: string };

/** Pre-trade risk of a run: none, `@gpt/risk`'s defaults, or a JSON configuration file. */
export type RiskChoice =
  | { readonly kind: "off" }
  | { readonly kind: "default" }
  | { readonly kind: "file"; readonly path: string };

/** The regime classifier of a run: chosen from the bar interval, a fixed preset, or none. */
export type RegimeChoice = "auto" | "off" | "1m" | "1h" | "1d";

/** Everything `run` needs, parsed and checked. */
export interface RunOptions {
  readonly data: readonly DataSource[];
  readonly funding: ReadonlyMap<string, string>;
  readonly strategy: string;
  readonly params: Readonly<Record<string, string>>;
  /** Inclusive start, unix ms. */
  readonly fromMs: number | undefined;
  /** Exclusive end, unix ms. */
  readonly toMs: number | undefined;
  /** Start equity in the quote currency, as a decimal string. */
  readonly equity: string;
  readonly fees: FeeChoice;
  /** Slippage in basis points of price (0 = none). */
  readonly slippageBps: number;
  readonly leverage: number;
  readonly outDir: string | undefined;
  readonly json: boolean;
  readonly seed: number;
  /** Annual risk-free rate as a fraction. */
  readonly riskFree: number;
  /** Show a progress bar (TTY) or progress lines. */
  readonly progress: boolean;
  /** Pre-trade risk checks and the trading state of `@gpt/risk`. */
  readonly risk: RiskChoice;
  /** Regime classifier preset. */
  readonly regime: RegimeChoice;
}

/** Raw option values as commander hands them over. */
export interface RawRunOptions {
  data?: string[];
  funding?: string[];
  strategy?: string;
  param?: string[];
  from?: string;
  to?: string;
  equity?: string;
  fees?: string;
  slippage?: string;
  leverage?: string;
  out?: string;
  json?: boolean;
  seed?: string;
  riskFree?: string;
  progress?: boolean;
  risk?: string;
  regime?: string;
}

function bad(option: string, value: unknown, why: string): never {
  throw new BacktestError("bad-argument", `${option} ${JSON.stringify(value)}: ${why}`);
}

function pairs(option: string, values: readonly string[] | undefined): [string, string][] {
  return (values ?? []).map((v) => {
    const eq = v.indexOf("=");
    if (eq <= 0 || eq === v.length - 1) bad(option, v, "expected KEY=VALUE");
    return [v.slice(0, eq), v.slice(eq + 1)];
  });
}

const SYMBOL = /^[A-Z0-9][A-Z0-9-]*$/;
const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/**
 * Parses a time: an ISO date (`2024-08-01`, `2024-08-01T12:00:00Z`, treated as UTC) or whole unix
 * seconds. Returns unix ms.
 */
export function parseTime(option: string, value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    bad(option, value, "expected an ISO date (2024-08-01 or 2024-08-01T12:00:00Z) or unix seconds");
  }
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value);
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : hasZone ? value : `${value}Z`);
  if (!Number.isFinite(ms)) bad(option, value, "not a valid date");
  return ms;
}

function parseNumber(option: string, value: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const n = value.trim() === value && value !== "" ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) bad(option, value, "not a number");
  if (n < min || n > max) bad(option, value, `must be between ${min} and ${max}`);
  return n;
}

/** Checks and converts the raw `run` options; every problem is a `BacktestError` (exit code 2). */
export function parseRunOptions(raw: RawRunOptions): RunOptions {
  const dataPairs = pairs("--data", raw.data);
  const data: DataSource[] =
    dataPairs.length === 0
      ? [{ kind: "synthetic", symbol: "BTC-USD" }]
      : dataPairs.map(([symbol, path]) => {
          if (!SYMBOL.test(symbol)) bad("--data", symbol, "symbol must look like BTC-USD or BTC-PERP");
          return path === "synthetic" ? { kind: "synthetic", symbol } : { kind: "file", symbol, path };
        });
  const symbols = data.map((d) => d.symbol);
  const dup = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (dup !== undefined) bad("--data", dup, "symbol given twice");
  const funding = new Map(pairs("--funding", raw.funding));
  for (const symbol of funding.keys()) {
    if (!symbols.includes(symbol))
      bad("--funding", symbol, `no --data for this symbol (have ${symbols.join(", ")})`);
  }
  const params: Record<string, string> = {};
  for (const [k, v] of pairs("--param", raw.param)) {
    if (k in params) bad("--param", k, "given twice");
    params[k] = v;
  }
  const fromMs = raw.from === undefined ? undefined : parseTime("--from", raw.from);
  const toMs = raw.to === undefined ? undefined : parseTime("--to", raw.to);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    bad("--from", raw.from, `must be before --to ${raw.to}`);
  }
  const equity = raw.equity ?? "10000";
  if (!DECIMAL.test(equity) || Number(equity) <= 0)
    bad("--equity", equity, "must be a positive decimal number");
  let fees: FeeChoice = { kind: "preset", name: "coinbase-spot" };
  if (raw.fees !== undefined) {
    const parts = raw.fees.split(",");
    if (parts.length === 2) {
      const [maker, taker] = parts as [string, string];
      if (!DECIMAL.test(maker) || !DECIMAL.test(taker) || Number(maker) >= 1 || Number(taker) >= 1) {
        bad("--fees", raw.fees, "rates must be fractions like 0.004,0.006");
      }
      fees = { kind: "rates", maker, taker };
    } else if (/^[a-z0-9-]+$/.test(raw.fees)) {
      fees = { kind: "preset", name: raw.fees };
    } else {
      bad("--fees", raw.fees, "expected a preset name or MAKER,TAKER rates");
    }
  }
  const seedValue = parseNumber("--seed", raw.seed ?? "1", 0, 2 ** 32 - 1);
  if (!Number.isInteger(seedValue)) bad("--seed", raw.seed, "must be a whole number");
  const riskRaw = raw.risk ?? "off";
  const risk: RiskChoice =
    riskRaw === "off"
      ? { kind: "off" }
      : riskRaw === "default"
        ? { kind: "default" }
        : { kind: "file", path: riskRaw };
  const regimeRaw = raw.regime ?? "auto";
  if (!["auto", "off", "1m", "1h", "1d"].includes(regimeRaw)) {
    bad("--regime", regimeRaw, "expected auto, off, 1m, 1h or 1d");
  }
  return {
    risk,
    regime: regimeRaw as RegimeChoice,
    data,
    funding,
    strategy: raw.strategy ?? "sma-cross",
    params,
    fromMs,
    toMs,
    equity,
    fees,
    slippageBps: parseNumber("--slippage", raw.slippage ?? "0", 0, 1000),
    leverage: parseNumber("--leverage", raw.leverage ?? "1", 1, 100),
    outDir: raw.out,
    json: raw.json ?? false,
    seed: seedValue,
    riskFree: parseNumber("--risk-free", raw.riskFree ?? "0", -1, 1),
    progress: raw.progress ?? true,
  };
}
