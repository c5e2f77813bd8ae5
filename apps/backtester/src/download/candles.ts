/**
 * Candles from Coinbase as rows of the data folder's candle format (`time,open,high,low,close,volume`,
 * time = bar open in unix seconds, numbers as plain decimals, ascending, gaps left as gaps). Each
 * candle is checked as the backtester's loader would check the row, so a file this writes always
 * loads back.
 */
import { formatPlain } from "@gpt/quantize";
import { BacktestError } from "../errors.js";
import { excerpt } from "../excerpt.js";

/** Coinbase's candle granularities and their length in seconds. */
export const GRANULARITIES = {
  ONE_MINUTE: 60,
  FIVE_MINUTE: 300,
  FIFTEEN_MINUTE: 900,
  THIRTY_MINUTE: 1800,
  ONE_HOUR: 3600,
  TWO_HOUR: 7200,
  FOUR_HOUR: 14_400,
  SIX_HOUR: 21_600,
  ONE_DAY: 86_400,
} as const;

/** A granularity name (`ONE_MINUTE`, …, `ONE_DAY`). */
export type GranularityName = keyof typeof GRANULARITIES;

/** One candle as the client returns it: every value a string, `start` in unix seconds. */
export interface WireCandle {
  readonly start: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/** What was downloaded. */
export interface CandleSummary {
  /** Rows written. */
  readonly candles: number;
  /** Open time of the first and last row, unix seconds (undefined when there are none). */
  readonly first: number | undefined;
  readonly last: number | undefined;
  /** Bars missing between the first and the last row (no trades in those intervals). */
  readonly missing: number;
}

function badCandle(time: string, why: string): BacktestError {
  return new BacktestError(
    "download-failed",
    `Coinbase sent a candle that cannot be a bar (start ${excerpt(time)}): ${why}`,
  );
}

/** `value` as a plain decimal without exponent or trailing zeros; anything else is an error. */
function plain(value: unknown, column: string, time: string): string {
  if (typeof value !== "string" || !/^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(value)) {
    throw badCandle(time, `${column} is not a non-negative decimal`);
  }
  return formatPlain(value);
}

/**
 * Turns candles (ascending by `start`, as the client's range iterator yields them) into CSV rows.
 * Keeps rows with `from <= start < to`; a repeat of the previous candle is dropped, a candle out of
 * order or off the granularity's grid, or with prices that cannot be a bar, is a `download-failed`
 * error. `emit` receives each row (no line break).
 */
export class CandleRows {
  private lastTime: number | undefined;
  private lastRow = "";
  private firstTime: number | undefined;
  private count = 0;

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly step: number,
  ) {}

  /** Checks `candle` and returns its row, or undefined when it is outside the range or a repeat. */
  row(candle: WireCandle): string | undefined {
    const startText = String(candle.start);
    if (!/^\d{1,12}$/.test(startText)) throw badCandle(startText, "start is not unix seconds");
    const time = Number(startText);
    if (time < this.from || time >= this.to) return undefined;
    if (time % this.step !== 0) throw badCandle(startText, `start is not on the ${this.step} s grid`);
    const open = plain(candle.open, "open", startText);
    const high = plain(candle.high, "high", startText);
    const low = plain(candle.low, "low", startText);
    const close = plain(candle.close, "close", startText);
    const volume = plain(candle.volume, "volume", startText);
    const row = `${time},${open},${high},${low},${close},${volume}`;
    if (this.lastTime !== undefined && time <= this.lastTime) {
      if (time === this.lastTime && row === this.lastRow) return undefined;
      throw badCandle(
        startText,
        time === this.lastTime ? "sent twice with different values" : "out of order",
      );
    }
    const [o, h, l, c] = [open, high, low, close].map(Number) as [number, number, number, number];
    if (!(l > 0)) throw badCandle(startText, "low is not positive");
    if (l > Math.min(o, c) || h < Math.max(o, c))
      throw badCandle(startText, "low/high do not hold open and close");
    this.firstTime ??= time;
    this.lastTime = time;
    this.lastRow = row;
    this.count += 1;
    return row;
  }

  /** The counts so far. */
  summary(): CandleSummary {
    const first = this.firstTime;
    const last = this.lastTime;
    const span = first === undefined || last === undefined ? 0 : (last - first) / this.step + 1;
    return { candles: this.count, first, last, missing: Math.max(0, span - this.count) };
  }
}
