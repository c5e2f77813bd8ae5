/**
 * Backtest statistics, computed in one streaming pass so memory stays flat however long the run.
 *
 * Conventions (also in the README):
 * - Returns for volatility, Sharpe, Sortino and PSR are daily UTC returns: the equity at the last
 *   bar of each UTC day against the previous day's (the first day against the start equity).
 * - Annualisation uses 365 days. The risk-free rate is annual, 0 unless given, and is spread
 *   evenly over days (`rf / 365`).
 * - Sortino's downside deviation is over all days: sqrt(mean(min(0, r - rf/365)²)).
 * - `maxDrawdown` is a positive fraction of the peak (0.25 = 25 % below the high-water mark),
 *   measured on every bar's equity; `maxDrawdownDuration` is the longest time in seconds from a
 *   peak to the bar that first gets back to it (or to the end of the run if it never does).
 * - `profitFactor` is gross profit over gross loss of closed trades; `null` when there is no loss.
 * - `sqn` is sqrt(trades) × mean(trade PnL) / stdev(trade PnL) (sample stdev).
 * - `psr` is the probabilistic Sharpe ratio against a Sharpe of 0, from the daily returns' skew
 *   and kurtosis.
 * - Ratios that are undefined (no variance, no days) are `null`, never NaN or Infinity.
 */

/** One closed round trip. */
export interface ClosedTrade {
  /** Instrument symbol. */
  readonly instrument: string;
  /** Direction of the position. */
  readonly side: "long" | "short";
  /** Open time of the position (unix ms). */
  readonly entryTime: number;
  /** Time it was closed (unix ms). */
  readonly exitTime: number;
  /** Average entry price. */
  readonly entryPrice: number;
  /** Average exit price. */
  readonly exitPrice: number;
  /** Quantity (base units or contracts). */
  readonly quantity: number;
  /** PnL after fees and funding, in the quote currency. */
  readonly pnl: number;
  /** Fees paid on the trade. */
  readonly fees: number;
}

/** The numbers written to `stats.json`. */
export interface BacktestStats {
  readonly startEquity: number;
  readonly endEquity: number;
  readonly totalReturn: number;
  readonly cagr: number | null;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly calmar: number | null;
  readonly maxDrawdown: number;
  readonly maxDrawdownDuration: number;
  readonly trades: number;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  readonly expectancy: number | null;
  readonly sqn: number | null;
  readonly exposure: number;
  readonly feesPaid: number;
  readonly fundingPaid: number;
  readonly buyAndHoldReturn: number | null;
  readonly psr: number | null;
  readonly bars: number;
  readonly days: number;
  readonly riskFree: number;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly bestTrade: number | null;
  readonly worstTrade: number | null;
  readonly avgTradeDurationSec: number | null;
  /** Warnings about a sample too small for the numbers to mean much. */
  readonly sampleWarnings: readonly string[];
}

const DAY_MS = 86_400_000;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; absolute error below 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * Streaming statistics. Call `onBar` once per bar (in time order) with the account equity after
 * the bar, `onTrade` for each closed trade, then `finish`.
 */
export class StatsAccumulator {
  private readonly startEquity: number;
  private readonly riskFree: number;
  private bars = 0;
  private exposedBars = 0;
  private firstTime = Number.NaN;
  private lastTime = Number.NaN;
  private equity: number;
  // Daily returns: moments accumulated as the days close.
  private currentDay = Number.NaN;
  private dayStartEquity: number;
  private readonly dailyReturns: number[] = [];
  // Drawdown.
  private peak: number;
  private peakTime = Number.NaN;
  private maxDd = 0;
  private maxDdDurationMs = 0;
  private hadDrawdownSincePeak = false;
  // Trades.
  private tradeCount = 0;
  private wins = 0;
  private grossProfit = 0;
  private grossLoss = 0;
  private pnlSum = 0;
  private pnlSqSum = 0;
  private best = Number.NEGATIVE_INFINITY;
  private worst = Number.POSITIVE_INFINITY;
  private durationSum = 0;

  constructor(options: { startEquity: number; riskFree?: number }) {
    this.startEquity = options.startEquity;
    this.riskFree = options.riskFree ?? 0;
    this.equity = options.startEquity;
    this.dayStartEquity = options.startEquity;
    this.peak = options.startEquity;
  }

  /** Records the equity after a bar that closed at `time` (unix ms); `exposed` if a position was open. */
  onBar(time: number, equity: number, exposed: boolean): void {
    if (this.bars === 0) {
      this.firstTime = time;
      this.peakTime = time;
      this.currentDay = Math.floor(time / DAY_MS);
    }
    const day = Math.floor(time / DAY_MS);
    if (day !== this.currentDay) {
      // The previous day closed at the previous bar's equity.
      this.dailyReturns.push(this.equity / this.dayStartEquity - 1);
      this.dayStartEquity = this.equity;
      this.currentDay = day;
    }
    this.bars++;
    if (exposed) this.exposedBars++;
    this.equity = equity;
    this.lastTime = time;
    if (equity >= this.peak) {
      // Back at (or above) the high-water mark: a drawdown period, if there was one, ends here.
      if (this.hadDrawdownSincePeak && time - this.peakTime > this.maxDdDurationMs) {
        this.maxDdDurationMs = time - this.peakTime;
      }
      this.peak = equity;
      this.peakTime = time;
      this.hadDrawdownSincePeak = false;
    } else {
      this.hadDrawdownSincePeak = true;
      const dd = 1 - equity / this.peak;
      if (dd > this.maxDd) this.maxDd = dd;
    }
  }

  /** Records a closed trade. */
  onTrade(trade: ClosedTrade): void {
    this.tradeCount++;
    if (trade.pnl > 0) {
      this.wins++;
      this.grossProfit += trade.pnl;
    } else if (trade.pnl < 0) {
      this.grossLoss -= trade.pnl;
    }
    this.pnlSum += trade.pnl;
    this.pnlSqSum += trade.pnl * trade.pnl;
    if (trade.pnl > this.best) this.best = trade.pnl;
    if (trade.pnl < this.worst) this.worst = trade.pnl;
    this.durationSum += trade.exitTime - trade.entryTime;
  }

  /** The statistics so far. `extra` supplies what the accumulator cannot see. */
  finish(extra: { feesPaid: number; fundingPaid: number; buyAndHoldReturn: number | null }): BacktestStats {
    const returns = this.bars > 0 ? [...this.dailyReturns, this.equity / this.dayStartEquity - 1] : [];
    const n = returns.length;
    const rfDaily = this.riskFree / 365;
    let mean = 0;
    for (const r of returns) mean += r;
    mean /= n || 1;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    let downside = 0;
    for (const r of returns) {
      const d = r - mean;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
      const below = Math.min(0, r - rfDaily);
      downside += below * below;
    }
    const sampleStd = n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN;
    const popVar = n > 0 ? m2 / n : Number.NaN;
    const downsideDev = n > 0 ? Math.sqrt(downside / n) : Number.NaN;
    const excessMean = mean - rfDaily;
    const sharpeDaily = sampleStd > 0 ? excessMean / sampleStd : Number.NaN;
    const spanMs = this.bars > 0 ? this.lastTime - this.firstTime : 0;
    const years = spanMs / (365 * DAY_MS);
    const totalReturn = this.equity / this.startEquity - 1;
    const cagr =
      years > 0 && this.equity > 0 ? (this.equity / this.startEquity) ** (1 / years) - 1 : Number.NaN;
    // Drawdown still open at the end counts up to the last bar.
    const openDd = this.hadDrawdownSincePeak ? this.lastTime - this.peakTime : 0;
    const maxDdDuration = Math.max(this.maxDdDurationMs, openDd);
    let psr = Number.NaN;
    if (n > 2 && popVar > 0 && Number.isFinite(sharpeDaily)) {
      const skew = m3 / n / popVar ** 1.5;
      const kurt = m4 / n / (popVar * popVar);
      const denom = 1 - skew * sharpeDaily + ((kurt - 1) / 4) * sharpeDaily * sharpeDaily;
      if (denom > 0) psr = normalCdf((sharpeDaily * Math.sqrt(n - 1)) / Math.sqrt(denom));
    }
    const pnlMean = this.tradeCount > 0 ? this.pnlSum / this.tradeCount : Number.NaN;
    const pnlVar =
      this.tradeCount > 1
        ? (this.pnlSqSum - this.tradeCount * pnlMean * pnlMean) / (this.tradeCount - 1)
        : Number.NaN;
    const days = spanMs / DAY_MS;
    const warnings: string[] = [];
    if (this.tradeCount < 30) {
      warnings.push(
        `only ${this.tradeCount} trades (< 30): win rate, profit factor and SQN are not reliable`,
      );
    }
    if (days < 14)
      warnings.push(`only ${days.toFixed(1)} days (< 14): CAGR, Sharpe, Sortino and PSR are not reliable`);
    return {
      startEquity: this.startEquity,
      endEquity: this.equity,
      totalReturn,
      cagr: finiteOrNull(cagr),
      volatility: finiteOrNull(sampleStd * Math.sqrt(365)),
      sharpe: finiteOrNull(sharpeDaily * Math.sqrt(365)),
      sortino: finiteOrNull(downsideDev > 0 ? (excessMean / downsideDev) * Math.sqrt(365) : Number.NaN),
      calmar: finiteOrNull(this.maxDd > 0 ? cagr / this.maxDd : Number.NaN),
      maxDrawdown: this.maxDd,
      maxDrawdownDuration: maxDdDuration / 1000,
      trades: this.tradeCount,
      winRate: this.tradeCount > 0 ? this.wins / this.tradeCount : null,
      profitFactor: this.grossLoss > 0 ? this.grossProfit / this.grossLoss : null,
      expectancy: finiteOrNull(pnlMean),
      sqn: finiteOrNull(pnlVar > 0 ? (Math.sqrt(this.tradeCount) * pnlMean) / Math.sqrt(pnlVar) : Number.NaN),
      exposure: this.bars > 0 ? this.exposedBars / this.bars : 0,
      feesPaid: extra.feesPaid,
      fundingPaid: extra.fundingPaid,
      buyAndHoldReturn: extra.buyAndHoldReturn,
      psr: finiteOrNull(psr),
      bars: this.bars,
      days,
      riskFree: this.riskFree,
      startTime: this.bars > 0 ? new Date(this.firstTime).toISOString() : null,
      endTime: this.bars > 0 ? new Date(this.lastTime).toISOString() : null,
      bestTrade: this.tradeCount > 0 ? this.best : null,
      worstTrade: this.tradeCount > 0 ? this.worst : null,
      avgTradeDurationSec: this.tradeCount > 0 ? this.durationSum / this.tradeCount / 1000 : null,
      sampleWarnings: warnings,
    };
  }
}
