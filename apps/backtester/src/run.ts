import {
  type Bar,
  createStaticInstrumentProvider,
  type FundingRate,
  type InstrumentId,
  ManualClock,
} from "@gpt/core";
import { createTrader, type Decision, type Trader, type TraderEvent } from "@gpt/kernel";
import { createPaperEngine, fixedBpsSlippage, type PaperEngine } from "@gpt/paper-engine";
import { parseParamArgs, StrategyError } from "@gpt/strategies";
import type { RunOptions } from "./cli/options.js";
import { type Progress, silentProgress } from "./cli/progress.js";
import { fundingCoverageWarnings } from "./data/funding-coverage.js";
import { type LoadedData, loadFunding, loadSeries } from "./data/load.js";
import type { BarGap, FundingSeries } from "./data/series.js";
import { type BarChunkSource, openBarStream, StreamingBarReader } from "./data/stream.js";
import { BacktestError } from "./errors.js";
import { redact } from "./excerpt.js";
import { instrumentForSymbol } from "./instruments.js";
import { MonthEndRecorder, ThinnedSeries } from "./report/curves.js";
import type { ReportFill } from "./report/html.js";
import { type BacktestStats, type ClosedTrade, StatsAccumulator } from "./report/stats.js";
import { feeModel, regimePresetFor, riskConfig, takerRateOf } from "./run-settings.js";
import { strategyRegistry } from "./strategies.js";

export { type LoadedData, loadRunData } from "./data/load.js";

/**
 * Price move allowed between the decision (a bar's close) and the fill (the next bar's open): the
 * paper venue reserves cash (spot) or margin (perps) for a market order at the decision price plus
 * this fraction, plus the taker fee. The kernel's `orderSizing` gets the same numbers and sizes
 * orders so the reserve fits (`fraction × equity / ((1 + PRICE_BUFFER) × (1 + taker fee))` on spot,
 * `fraction × equity × leverage / ((1 + PRICE_BUFFER) × (1 + taker fee × leverage))` on perps); a
 * gap beyond the buffer is rejected by the venue and listed in `rejections`.
 */
const PRICE_BUFFER = 0.02;

/** Fills kept per instrument for the price chart (all fills are in the event log and trades.csv). */
const MAX_REPORT_FILLS = 5000;
/** Decision events kept in memory for `decisions.jsonl`. */
const MAX_DECISIONS_KEPT = 100_000;
/**
 * Events the kernel's in-memory event log keeps (the latest ones). The log runs as it does live;
 * the report reads the event stream, not the log, so a small ring suffices: the kernel's default
 * (10,000) costs about 45 MB of peak RSS on a two-symbol 1-minute year with the bars in memory
 * and 8 MB on the streamed CLI run, 1,000 costs under the noise of either.
 */
const EVENT_LOG_CAPACITY = 1_000;

/** Report figures derived in floats, cut to 12 significant digits (no `…99999999` noise). */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

/** A position being tracked as a round trip until it is flat (or flips). */
interface OpenTrade {
  readonly side: "long" | "short";
  readonly entryTime: number;
  entryPrice: number;
  maxQty: number;
  readonly realized0: number;
  readonly fees0: number;
  readonly funding0: number;
  exitNotional: number;
  exitQty: number;
}

/** What `runBacktest` produces besides the files. */
export interface RunResult {
  readonly stats: BacktestStats & {
    readonly elapsedMs: number;
    readonly rejectedOrders: number;
    /** The first venue rejections, with time and reason. */
    readonly rejections: readonly string[];
    readonly deniedOrders: number;
    readonly liquidations: number;
    readonly dataGaps: number;
    readonly missingBars: number;
    /** Problems with the data that did not stop the run (funding that misses the bars). */
    readonly dataWarnings: readonly string[];
  };
  readonly trades: readonly ClosedTrade[];
  readonly equity: { readonly times: number[]; readonly values: number[] };
  readonly instruments: readonly {
    symbol: string;
    price: { times: number[]; values: number[] };
    fills: ReportFill[];
  }[];
  readonly monthly: readonly { year: number; month: number; return: number }[];
  readonly gaps: readonly { instrument: string; gaps: number; missingBars: number }[];
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /**
   * The kernel's decision events (the first 100,000), for `decisions.jsonl`; serialized with
   * `toJsonLine` when written, so sweeps that never write them do not pay for it.
   */
  readonly decisions: readonly Decision[];
}

/** What the replay reads: a chunk source per instrument, the funding series and a bar count. */
interface ReplayInput {
  readonly sources: readonly BarChunkSource[];
  readonly funding: ReadonlyMap<string, FundingSeries>;
  /** Bars in total (exact in memory, estimated when streaming); for progress only. */
  readonly totalBars: number;
}

/** Progress and clock hooks of a run. */
export interface RunHooks {
  /** Progress display (bars done). */
  readonly progress?: Progress;
  /** Wall clock for `elapsedMs`. */
  readonly now?: () => number;
}

/**
 * Runs one backtest on data held in memory: the strategy on every `--data` instrument through
 * `@gpt/kernel` with `@gpt/paper-engine` as the venue, bars replayed in time order (interleaved
 * across instruments), funding applied at its times. Decisions happen at a bar's close; orders fill
 * from the next bar.
 */
export function runBacktest(options: RunOptions, data: LoadedData, hooks: RunHooks = {}): RunResult {
  const sources = data.series.map((s): BarChunkSource => ({ ...s, ended: true }));
  const totalBars = data.series.reduce((a, s) => a + s.length, 0);
  const replay = replayBacktest(options, { sources, funding: data.funding, totalBars }, hooks);
  const step = replay.next();
  if (step.done !== true) {
    throw new BacktestError("bad-argument", "an in-memory series asked for more bars (internal error)");
  }
  return step.value;
}

/** Hooks of `runBacktestStreaming`. */
export interface StreamingRunHooks {
  /** Makes the progress display once the (estimated) number of bars is known. */
  readonly progressFor?: (totalBars: number) => Progress;
  /** Wall clock for `elapsedMs`. */
  readonly now?: () => number;
  /** Rows per chunk (tests use small chunks to cross many chunk boundaries). */
  readonly chunkRows?: number;
  /** Bytes per file read (tests use small reads to split rows across reads). */
  readonly readBytes?: number;
}

/**
 * Runs one backtest like `runBacktest`, reading the `--data` files a chunk at a time
 * (`StreamingBarReader`), so memory does not grow with the length of the files. The numbers are
 * the same as `runBacktest` on the same files. Synthetic sources are generated in memory.
 */
export async function runBacktestStreaming(
  options: RunOptions,
  hooks: StreamingRunHooks = {},
): Promise<RunResult> {
  const funding = loadFunding(options);
  const readers: StreamingBarReader[] = [];
  try {
    const sources: BarChunkSource[] = [];
    for (const [i, source] of options.data.entries()) {
      if (source.kind !== "file") {
        sources.push({ ...loadSeries(options, i), ended: true });
        continue;
      }
      const reader = await openBarStream(source.path, {
        instrumentId: instrumentForSymbol(source.symbol).id,
        ...(options.fromMs === undefined ? {} : { fromMs: options.fromMs }),
        ...(options.toMs === undefined ? {} : { toMs: options.toMs }),
        ...(hooks.chunkRows === undefined ? {} : { chunkRows: hooks.chunkRows }),
        ...(hooks.readBytes === undefined ? {} : { readBytes: hooks.readBytes }),
      });
      readers.push(reader);
      sources.push(reader);
    }
    const totalBars = sources.reduce(
      (a, s) => a + (s instanceof StreamingBarReader ? s.estimatedRows : s.length),
      0,
    );
    const progress = hooks.progressFor?.(totalBars);
    const replay = replayBacktest(
      options,
      { sources, funding, totalBars },
      {
        ...(progress === undefined ? {} : { progress }),
        ...(hooks.now === undefined ? {} : { now: hooks.now }),
      },
    );
    let step = replay.next();
    while (step.done !== true) {
      await (sources[step.value] as StreamingBarReader).refill();
      step = replay.next();
    }
    return step.value;
  } finally {
    for (const reader of readers) reader.closeInput();
  }
}

/**
 * The backtest itself, shared by both drivers. It yields the index of a source whose chunk is used
 * up (the driver refills it, then resumes) and returns the result; in-memory sources never yield.
 */
function* replayBacktest(
  options: RunOptions,
  data: ReplayInput,
  hooks: RunHooks,
): Generator<number, RunResult, void> {
  const now = hooks.now ?? Date.now;
  const progress = hooks.progress ?? silentProgress;
  const started = now();
  const perps = data.sources.filter((s) => String(s.instrumentId).split(".")[0]?.endsWith("-PERP"));
  const margin = perps.length > 0;
  if (margin && perps.length !== data.sources.length) {
    throw new BacktestError("bad-argument", "--data: mix of spot and perpetual symbols; run them separately");
  }
  if (!margin && options.leverage !== 1) {
    throw new BacktestError(
      "bad-argument",
      `--leverage ${options.leverage}: leverage applies to perpetuals (BASE-PERP symbols)`,
    );
  }
  const instruments = data.sources.map((s) => {
    const symbol = String(s.instrumentId).split(".")[0] as string;
    const funding = data.funding.get(symbol);
    return instrumentForSymbol(
      symbol,
      funding === undefined ? {} : { fundingIntervalMs: funding.intervalMs },
    );
  });
  const fees = feeModel(options.fees, margin);
  const clock = new ManualClock(data.sources[0]?.tsOpen[0] ?? 0);
  const venue: PaperEngine = createPaperEngine({
    accountType: margin ? "margin" : "cash",
    instruments,
    initialBalances: { USD: options.equity },
    clock,
    fees,
    ...(options.slippageBps > 0 ? { slippage: fixedBpsSlippage(options.slippageBps) } : {}),
    marketOrderBuffer: String(PRICE_BUFFER),
    ...(margin
      ? { leverage: Object.fromEntries(instruments.map((i) => [i.id, String(options.leverage)])) }
      : {}),
  });
  const paramArgs = Object.entries(options.params).map(([k, v]) => `${k}=${v}`);
  // Messages of @gpt/strategies quote parameters: never a secret or a long value of the user's.
  const userValues = [...paramArgs, ...Object.keys(options.params), ...Object.values(options.params)];
  /** The error of @gpt/strategies with user values redacted, in its message and in its own. */
  const safeCause = (cause: unknown): Error => {
    const error = cause instanceof Error ? cause : new Error(String(cause));
    error.message = redact(error.message, userValues);
    return error;
  };
  let params: Record<string, unknown>;
  try {
    params = parseParamArgs(paramArgs);
  } catch (cause) {
    const error = safeCause(cause);
    throw new BacktestError("bad-parameter", error.message, { cause: error });
  }
  const strategies = instruments.map((instrument) => {
    try {
      return strategyRegistry.create(options.strategy, params, { instrumentId: instrument.id });
    } catch (cause) {
      if (cause instanceof StrategyError) {
        const code = /unknown strategy/i.test(cause.message) ? "unknown-strategy" : "bad-parameter";
        const error = safeCause(cause);
        throw new BacktestError(code, error.message, { cause: error });
      }
      throw cause;
    }
  });
  const taker = instruments[0] === undefined ? 0 : takerRateOf(fees, instruments[0]);
  const decisions: Decision[] = [];
  let denied = 0;
  const risk = riskConfig(options.risk);
  const regime = regimePresetFor(options.regime, data.sources[0]?.intervalMs ?? 3_600_000);
  const trader: Trader = createTrader({
    clock,
    execution: venue,
    instruments: createStaticInstrumentProvider(instruments),
    strategies,
    account: { balance: options.equity, currency: "USD" },
    // The venue's reservation rule, so the kernel sizes orders to fit it (spot buys and perps).
    orderSizing: { priceBuffer: PRICE_BUFFER, takerFeeRate: taker, leverage: options.leverage },
    venueFeed: (event) => venue.onMarketData(event),
    // The kernel's event log on, as live, bounded to the latest events (see EVENT_LOG_CAPACITY).
    eventLog: { capacity: EVENT_LOG_CAPACITY },
    ...(risk === undefined ? {} : { risk }),
    ...(regime === undefined ? {} : { regime }),
  }).start();

  // Reporting state, updated from the kernel's events (rare) so the per-bar loop stays cheap: the
  // same event stream and ledger a live bot persists, not the venue.
  const stats = new StatsAccumulator({ startEquity: Number(options.equity), riskFree: options.riskFree });
  const equityCurve = new ThinnedSeries(4000);
  const monthly = new MonthEndRecorder(Number(options.equity));
  const symbolOf = (id: InstrumentId): string => String(id).split(".")[0] as string;
  const priceCurves = new Map(instruments.map((i) => [i.id, new ThinnedSeries(3000)]));
  const fills = new Map<InstrumentId, ReportFill[]>(instruments.map((i) => [i.id, []]));
  const trades: ClosedTrade[] = [];
  // Float mirrors for per-bar equity: cash, signed quantity, average entry per instrument.
  let cash = Number(options.equity);
  // Per series index (the replay loop reads these on every bar; fills update them).
  const indexOf = new Map<InstrumentId, number>(data.sources.map((s, i) => [s.instrumentId, i]));
  const qty = new Float64Array(data.sources.length);
  const entry = new Float64Array(data.sources.length);
  const open = new Map<InstrumentId, OpenTrade>();
  let rejected = 0;
  const rejectionReasons: string[] = [];
  let liquidations = 0;

  const ledger = trader.cache;
  /** Re-reads cash and one position from the kernel's ledger after a fill, funding or liquidation. */
  const syncFromLedger = (id: InstrumentId, time: number, fillPrice: number | undefined): void => {
    cash = ledger.cash().toNumber();
    const position = ledger.position(id);
    const signed = position === undefined ? 0 : position.quantity.toNumber();
    const index = indexOf.get(id) as number;
    const previous = qty[index] as number;
    qty[index] = signed;
    entry[index] = signed === 0 || position === undefined ? 0 : position.avgEntryPrice.toNumber();
    const realized = position?.realizedPnl.toNumber() ?? 0;
    const feesPaid = position?.commissions.toNumber() ?? 0;
    const funding = position?.funding.toNumber() ?? 0;
    const current = open.get(id);
    if (current !== undefined) {
      if (Math.abs(signed) > current.maxQty && Math.sign(signed) === Math.sign(previous)) {
        current.maxQty = Math.abs(signed);
        current.entryPrice = entry[index] as number;
      }
      if (fillPrice !== undefined && Math.abs(signed) < Math.abs(previous)) {
        const closed =
          Math.sign(signed) === Math.sign(previous)
            ? Math.abs(previous) - Math.abs(signed)
            : Math.abs(previous);
        current.exitNotional += closed * fillPrice;
        current.exitQty += closed;
      } else if (fillPrice !== undefined && Math.sign(signed) !== Math.sign(previous) && signed !== 0) {
        current.exitNotional += Math.abs(previous) * fillPrice; // a flip closes all of the old side
        current.exitQty += Math.abs(previous);
      }
      if (signed === 0 || Math.sign(signed) !== Math.sign(previous)) {
        const trade: ClosedTrade = {
          instrument: symbolOf(id),
          side: current.side,
          entryTime: current.entryTime,
          exitTime: time,
          entryPrice: tidy(current.entryPrice),
          exitPrice: tidy(
            current.exitQty > 0 ? current.exitNotional / current.exitQty : (fillPrice ?? current.entryPrice),
          ),
          quantity: tidy(current.maxQty),
          pnl: tidy(realized - current.realized0 - (feesPaid - current.fees0) + (funding - current.funding0)),
          fees: tidy(feesPaid - current.fees0),
        };
        trades.push(trade);
        stats.onTrade(trade);
        open.delete(id);
      }
    }
    if (signed !== 0 && !open.has(id)) {
      // The opening fill's fee belongs to this trade: start the fee count before it.
      const openingFee = previous === 0 || Math.sign(previous) !== Math.sign(signed) ? lastFillFee : 0;
      open.set(id, {
        side: signed > 0 ? "long" : "short",
        entryTime: time,
        entryPrice: entry[index] as number,
        maxQty: Math.abs(signed),
        realized0: realized,
        fees0: feesPaid - openingFee,
        funding0: funding,
        exitNotional: 0,
        exitQty: 0,
      });
    }
  };
  let lastFillFee = 0;

  // Every event arrives after the kernel's ledger reflects it (fills, forced fills, funding).
  trader.events.subscribe((event: TraderEvent) => {
    switch (event.type) {
      case "Decision":
        if (event.kind === "denied") denied++;
        if (decisions.length < MAX_DECISIONS_KEPT) decisions.push(event);
        break;
      case "OrderFilled": {
        const price = event.lastPrice.toNumber();
        lastFillFee = event.commission.toNumber();
        const list = fills.get(event.instrumentId);
        if (list !== undefined && list.length < MAX_REPORT_FILLS)
          list.push({ time: event.tsEvent, price, side: event.side });
        syncFromLedger(event.instrumentId, event.tsEvent, price);
        break;
      }
      case "ForcedFill":
        if (event.kind === "liquidation") liquidations++;
        syncFromLedger(event.instrumentId, event.tsEvent, event.lastPrice.toNumber());
        break;
      case "FundingApplied":
        syncFromLedger(event.instrumentId, event.tsEvent, undefined);
        break;
      case "OrderRejected":
        rejected++;
        if (rejectionReasons.length < 20)
          rejectionReasons.push(`${new Date(event.tsEvent).toISOString()} ${event.reason}`);
        break;
      default:
        break;
    }
  });

  // Replay: k-way merge of the instruments' bars by open time, funding applied when due. Everything
  // the loop needs per series is looked up once here, so a bar costs no string work or map lookup.
  const n = data.sources.length;
  const series = data.sources;
  const cursor = new Int32Array(n);
  const lastClose = new Float64Array(n);
  const fundingOf = series.map((s) => data.funding.get(symbolOf(s.instrumentId)));
  const fundingCursor = new Int32Array(n);
  const curves = series.map((s) => priceCurves.get(s.instrumentId) as ThinnedSeries);
  const totalBars = data.totalBars;
  let done = 0;
  const progressEvery = Math.max(1, Math.floor(totalBars / 200));
  let nextProgress = progressEvery;
  const firstOpen: number[] = series.map((s) => s.open[0] as number);
  // First bar open and last bar close time of each series, for the funding coverage check.
  const firstTime = new Float64Array(n).fill(Number.NaN);
  const lastTime = new Float64Array(n);
  /**
   * Replays bars until every source is done (returns -1) or one needs its next chunk (returns its
   * index; the caller refills it and calls again). A plain function, not the generator itself, so
   * the per-bar loop compiles like any other loop.
   */
  const replayUntilRefill = (): number => {
    for (;;) {
      let k = -1;
      let t = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const s = series[i] as BarChunkSource;
        const c = cursor[i] as number;
        if (c >= s.length) {
          if (!s.ended) return i;
          continue;
        }
        if ((s.tsOpen[c] as number) < t) {
          t = s.tsOpen[c] as number;
          k = i;
        }
      }
      if (k < 0) return -1;
      const s = series[k] as BarChunkSource;
      const c = cursor[k] as number;
      cursor[k] = c + 1;
      const tsEvent = t + s.intervalMs;
      if (Number.isNaN(firstTime[k])) firstTime[k] = t;
      lastTime[k] = tsEvent;
      const fundingSeries = fundingOf[k];
      if (fundingSeries !== undefined) {
        let f = fundingCursor[k] as number;
        while (f < fundingSeries.length && (fundingSeries.time[f] as number) <= t) {
          const fundingTime = fundingSeries.time[f] as number;
          if (clock.now() < fundingTime) clock.set(fundingTime);
          const event: FundingRate = {
            type: "FundingRate",
            instrumentId: s.instrumentId,
            rate: fundingSeries.rate[f] as number,
            intervalMs: fundingSeries.intervalMs,
            fundingTime,
            tsEvent: fundingTime,
            tsInit: fundingTime,
          };
          trader.onMarketData(event);
          f++;
        }
        fundingCursor[k] = f;
      }
      if (clock.now() < tsEvent) clock.set(tsEvent);
      const close = s.close[c] as number;
      const bar: Bar = {
        type: "Bar",
        instrumentId: s.instrumentId,
        intervalMs: s.intervalMs,
        tsOpen: t,
        tsEvent,
        tsInit: tsEvent,
        open: s.open[c] as number,
        high: s.high[c] as number,
        low: s.low[c] as number,
        close,
        volume: s.volume[c] as number,
      };
      trader.onBar(bar);
      lastClose[k] = close;
      // Mark-to-market equity in floats (reporting only; booked amounts stay Decimal in the venue).
      let equity = cash;
      let exposed = false;
      for (let i = 0; i < n; i++) {
        const q = qty[i] as number;
        if (q !== 0) {
          exposed = true;
          const px = lastClose[i] as number;
          equity += margin ? q * (px - (entry[i] as number)) : q * px;
        }
      }
      stats.onBar(tsEvent, equity, exposed);
      equityCurve.push(tsEvent, equity);
      monthly.push(tsEvent, equity);
      (curves[k] as ThinnedSeries).push(tsEvent, close);
      done++;
      if (done >= nextProgress) {
        progress.update(done);
        nextProgress += progressEvery;
      }
    }
  };
  for (let refill = replayUntilRefill(); refill >= 0; refill = replayUntilRefill()) {
    yield refill; // the driver reads the next chunk of this source
    cursor[refill] = 0;
  }
  progress.update(totalBars);
  progress.stop();
  const dataWarnings = fundingCoverageWarnings(
    series.map((s, k) => ({
      symbol: symbolOf(s.instrumentId),
      funding: fundingOf[k],
      first: firstTime[k] as number,
      last: lastTime[k] as number,
    })),
  );

  const account = ledger.account();
  const buyAndHold =
    data.sources.length === 1
      ? (lastClose[0] as number) / (firstOpen[0] as number) - 1
      : data.sources.reduce(
          (acc, _s, i) => acc + ((lastClose[i] as number) / (firstOpen[i] as number) - 1),
          0,
        ) / n;
  const base = stats.finish({
    feesPaid: account.commissions.toNumber(),
    fundingPaid: -account.funding.toNumber(),
    buyAndHoldReturn: buyAndHold,
  });
  const gaps = data.sources.map((s) => ({
    instrument: symbolOf(s.instrumentId),
    gaps: s.gaps.length,
    missingBars: s.gaps.reduce((a: number, g: BarGap) => a + g.missingBars, 0),
  }));
  const exactEnd = account.equity.toNumber();
  const result: RunResult = {
    stats: {
      ...base,
      endEquity: exactEnd,
      totalReturn: exactEnd / Number(options.equity) - 1,
      elapsedMs: now() - started,
      rejectedOrders: rejected,
      rejections: rejectionReasons,
      deniedOrders: denied,
      liquidations,
      dataGaps: gaps.reduce((a, g) => a + g.gaps, 0),
      missingBars: gaps.reduce((a, g) => a + g.missingBars, 0),
      dataWarnings,
    },
    trades,
    equity: equityCurve.points(),
    instruments: instruments.map((i) => ({
      symbol: symbolOf(i.id),
      price: (priceCurves.get(i.id) as ThinnedSeries).points(),
      fills: fills.get(i.id) ?? [],
    })),
    monthly: monthly.returns(),
    gaps,
    settings: {
      strategy: options.strategy,
      ...Object.fromEntries(Object.entries(options.params).map(([k, v]) => [`param.${k}`, v])),
      data: options.data
        .map((d) => (d.kind === "file" ? `${d.symbol}=${d.path}` : `${d.symbol}=synthetic`))
        .join(" "),
      equity: options.equity,
      fees:
        options.fees.kind === "preset" ? options.fees.name : `${options.fees.maker},${options.fees.taker}`,
      slippageBps: options.slippageBps,
      leverage: options.leverage,
      seed: options.seed,
      riskFree: options.riskFree,
      account: margin ? "margin" : "cash",
      risk: options.risk.kind === "file" ? options.risk.path : options.risk.kind,
      regime: regime ?? "off",
    },
    decisions,
  };
  return result;
}
