import { likelyUnit, MAX_TIME_SECONDS } from "../data/csv.js";
import { BacktestError } from "../errors.js";
import { excerpt } from "../excerpt.js";
import { PERP_MAX_LEVERAGE } from "../instruments.js";
import { strategyRegistry } from "../strategies.js";

/** Where one instrument's bars come from. */
type DataSource =
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
type RegimeChoice = "auto" | "off" | "1m" | "1h" | "1d";

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
  throw new BacktestError("bad-argument", `${option} ${excerpt(String(value))}: ${why}`);
}

function pairs(option: string, values: readonly string[] | undefined): [string, string][] {
  const seen = new Set<string>();
  return (values ?? []).map((v) => {
    const eq = v.indexOf("=");
    if (eq <= 0 || eq === v.length - 1) bad(option, v, "expected KEY=VALUE");
    const key = v.slice(0, eq);
    if (seen.has(key)) bad(option, key, "given twice");
    seen.add(key);
    return [key, v.slice(eq + 1)];
  });
}

/** Symbols a run can trade: USD spot pairs (the account is in USD) and USD-settled perpetuals. */
const SYMBOL = /^[A-Z0-9]+-(?:USD|PERP)$/;
const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/** An ISO date, optionally with a time of day (minutes, seconds, milliseconds) and a zone. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses a time: an ISO date (`2024-08-01`, `2024-08-01T12:00:00Z`, treated as UTC) or whole unix
 * seconds. Returns unix ms. Dates that do not exist (`2024-02-30`, hour 24) and times outside
 * [1970, 2100) are errors; unix seconds that are too large name the unit they probably are in.
 */
export function parseTime(option: string, value: string): number {
  let ms: number;
  if (/^\d+$/.test(value)) {
    const seconds = Number(value);
    if (seconds >= MAX_TIME_SECONDS) {
      const unit = likelyUnit(seconds);
      bad(
        option,
        value,
        `is after 2100-01-01 in unix seconds${unit === undefined ? "" : `; it looks like ${unit}`}`,
      );
    }
    ms = seconds * 1000;
  } else {
    const m = ISO_TIME.exec(value);
    if (m === null) {
      bad(option, value, "expected an ISO date (2024-08-01 or 2024-08-01T12:00:00Z) or unix seconds");
    }
    const part = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
    const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(part) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const fraction = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0"));
    const utc = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
    const check = new Date(utc);
    if (
      check.getUTCFullYear() !== year ||
      check.getUTCMonth() !== month - 1 ||
      check.getUTCDate() !== day ||
      check.getUTCHours() !== hour ||
      check.getUTCMinutes() !== minute ||
      check.getUTCSeconds() !== second
    ) {
      bad(option, value, "not a date that exists");
    }
    ms = utc - zoneOffsetMs(option, value, m[8]);
  }
  if (!(ms >= 0 && ms < MAX_TIME_SECONDS * 1000)) bad(option, value, "must be from 1970 to 2099");
  return ms;
}

/** The offset of a zone suffix (`Z`, `+02:00`, `-0530`) in ms; none is UTC. */
function zoneOffsetMs(option: string, value: string, zone: string | undefined): number {
  if (zone === undefined || zone === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) bad(option, value, `${zone} is not a valid time zone offset`);
  return sign * (hours * 60 + minutes) * 60_000;
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
          if (!SYMBOL.test(symbol)) {
            bad(
              "--data",
              symbol,
              "symbol must be BASE-USD (spot; the account is in USD) or BASE-PERP (a USD perpetual)",
            );
          }
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
  const strategy = raw.strategy ?? "sma-cross";
  const known = strategyRegistry.list().map((info) => info.name);
  if (!known.includes(strategy)) {
    throw new BacktestError(
      "unknown-strategy",
      `--strategy ${excerpt(strategy)}: unknown strategy; known: ${known.join(", ")}`,
    );
  }
  const leverage = parseNumber("--leverage", raw.leverage ?? "1", 1, PERP_MAX_LEVERAGE);
  return {
    risk,
    regime: regimeRaw as RegimeChoice,
    data,
    funding,
    strategy,
    params,
    fromMs,
    toMs,
    equity,
    fees,
    slippageBps: parseNumber("--slippage", raw.slippage ?? "0", 0, 1000),
    leverage,
    outDir: raw.out,
    json: raw.json ?? false,
    seed: seedValue,
    riskFree: parseNumber("--risk-free", raw.riskFree ?? "0", -1, 1),
    progress: raw.progress ?? true,
  };
}
