/**
 * Throughput of every indicator and of the regime classifier with its indicators, single thread.
 *
 * Input: the real Binance BTCUSDT 1m window from ../shared/data when it is present, otherwise a
 * deterministic synthetic series (seeded random walk with volatility regimes), so `pnpm bench`
 * works on a fresh clone. Target: 2,000,000 bars/s for the classifier.
 */
import { fileURLToPath } from "node:url";
import { measure, readCsvRows, requireShared, writeBenchResult } from "@gpt/testkit";
import {
  Adx,
  Atr,
  BollingerBands,
  CloseToCloseVolatility,
  EfficiencyRatio,
  Ema,
  GarmanKlassVolatility,
  Macd,
  type OhlcvBar,
  ParkinsonVolatility,
  RangeEfficiencyRatio,
  RollingHurst,
  RollingZScore,
  Rsi,
  RuleBasedRegimeClassifier,
  regimePreset,
  Sma,
  Vwap,
  Wma,
} from "./index.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const TARGET = 2_000_000;
const UNITS_PER_ROUND = 2_000_000;

function syntheticBars(count: number): OhlcvBar[] {
  // xorshift32 with a fixed seed; Box-Muller normals; volatility switches every 5,000 bars.
  let state = 0x9e3779b9;
  const uniform = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4_294_967_296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const bars: OhlcvBar[] = [];
  let close = 60_000;
  for (let i = 0; i < count; i++) {
    const sigma = Math.floor(i / 5_000) % 3 === 2 ? 0.003 : 0.0008;
    const open = close;
    close = open * Math.exp(sigma * normal());
    const high = Math.max(open, close) * (1 + sigma * Math.abs(normal()) * 0.5);
    const low = Math.min(open, close) * (1 - sigma * Math.abs(normal()) * 0.5);
    bars.push({ open, high, low, close, volume: 1 + 20 * uniform(), tsEvent: 1_700_000_000 + 60 * i });
  }
  return bars;
}

function loadBars(): { bars: OhlcvBar[]; source: string } {
  try {
    const table = readCsvRows(requireShared("data", "binance-BTCUSDT-1m-2024-07.csv.gz"));
    const bars = table.rows.map((r) => ({
      tsEvent: Number(r[0]),
      open: Number(r[1]),
      high: Number(r[2]),
      low: Number(r[3]),
      close: Number(r[4]),
      volume: Number(r[5]),
    }));
    return { bars, source: "binance-BTCUSDT-1m-2024-07 (real)" };
  } catch {
    return { bars: syntheticBars(43_200), source: "synthetic seeded random walk" };
  }
}

const { bars, source } = loadBars();
const n = bars.length;
const closes = Float64Array.from(bars, (b) => b.close);
const rounds = Math.max(1, Math.round(UNITS_PER_ROUND / n));

type Runner = () => number;
/** Builds a runner that feeds `rounds` passes over the data to a fresh indicator; returns updates done. */
function scalar(make: () => { update(x: number): unknown }): Runner {
  return () => {
    let sink = 0;
    for (let r = 0; r < rounds; r++) {
      const ind = make();
      for (let i = 0; i < n; i++) if (ind.update(closes[i] as number) !== undefined) sink++;
    }
    return sink >= 0 ? rounds * n : 0;
  };
}
function barBased(make: () => { update(b: OhlcvBar): unknown }): Runner {
  return () => {
    let sink = 0;
    for (let r = 0; r < rounds; r++) {
      const ind = make();
      for (let i = 0; i < n; i++) if (ind.update(bars[i] as OhlcvBar) !== undefined) sink++;
    }
    return sink >= 0 ? rounds * n : 0;
  };
}

const indicators: [string, Runner][] = [
  ["sma-20", scalar(() => new Sma({ period: 20 }))],
  ["ema-20", scalar(() => new Ema({ period: 20 }))],
  ["wma-20", scalar(() => new Wma({ period: 20 }))],
  ["rsi-14", scalar(() => new Rsi({ period: 14 }))],
  ["atr-14", barBased(() => new Atr({ period: 14 }))],
  ["adx-14", barBased(() => new Adx({ period: 14 }))],
  ["bollinger-20", scalar(() => new BollingerBands({ period: 20 }))],
  ["macd-12-26-9", scalar(() => new Macd())],
  ["vol-close-to-close-20", scalar(() => new CloseToCloseVolatility({ period: 20, barsPerYear: 525_600 }))],
  ["vol-parkinson-20", barBased(() => new ParkinsonVolatility({ period: 20, barsPerYear: 525_600 }))],
  ["vol-garman-klass-20", barBased(() => new GarmanKlassVolatility({ period: 20, barsPerYear: 525_600 }))],
  ["zscore-20", scalar(() => new RollingZScore({ period: 20 }))],
  ["efficiency-ratio-20", scalar(() => new EfficiencyRatio({ period: 20 }))],
  ["range-efficiency-ratio-20", barBased(() => new RangeEfficiencyRatio({ period: 20 }))],
  ["hurst-100x5", scalar(() => new RollingHurst({ window: 100 }))],
  ["vwap", barBased(() => new Vwap())],
];

const extra: Record<string, number | string | boolean> = { source, bars: n, passesPerRound: rounds };
const line: string[] = [];
for (const [name, run] of indicators) {
  const result = writeBenchResult(packageDir, `indicator-${name}`, "updates", measure(run, 5));
  extra[name] = Math.round(result.perSecond);
  line.push(`${name} ${(result.perSecond / 1e6).toFixed(1)}M`);
}

// The full set on one symbol: every indicator above updated on each bar.
const fullSet: Runner = () => {
  for (let r = 0; r < rounds; r++) {
    const sma = new Sma({ period: 20 });
    const ema = new Ema({ period: 20 });
    const wma = new Wma({ period: 20 });
    const rsi = new Rsi({ period: 14 });
    const atr = new Atr({ period: 14 });
    const adx = new Adx({ period: 14 });
    const bb = new BollingerBands({ period: 20 });
    const macd = new Macd();
    const c2c = new CloseToCloseVolatility({ period: 20, barsPerYear: 525_600 });
    const pk = new ParkinsonVolatility({ period: 20, barsPerYear: 525_600 });
    const gk = new GarmanKlassVolatility({ period: 20, barsPerYear: 525_600 });
    const z = new RollingZScore({ period: 20 });
    const er = new EfficiencyRatio({ period: 20 });
    const rer = new RangeEfficiencyRatio({ period: 20 });
    const hurst = new RollingHurst({ window: 100 });
    const vwap = new Vwap();
    for (let i = 0; i < n; i++) {
      const bar = bars[i] as OhlcvBar;
      const c = bar.close;
      sma.update(c);
      ema.update(c);
      wma.update(c);
      rsi.update(c);
      atr.update(bar);
      adx.update(bar);
      bb.update(c);
      macd.update(c);
      c2c.update(c);
      pk.update(bar);
      gk.update(bar);
      z.update(c);
      er.update(c);
      rer.update(bar);
      hurst.update(c);
      vwap.update(bar);
    }
  }
  return rounds * n;
};
const full = writeBenchResult(packageDir, "indicator-full-set", "bars", measure(fullSet, 5), { extra });

const classify: Runner = () => {
  let switches = 0;
  for (let r = 0; r < rounds; r++) {
    const classifier = new RuleBasedRegimeClassifier(regimePreset("1m"));
    let previous = "";
    for (let i = 0; i < n; i++) {
      const reading = classifier.update(bars[i] as OhlcvBar);
      if (reading !== undefined && reading.regime !== previous) {
        previous = reading.regime;
        switches++;
      }
    }
  }
  return switches >= 0 ? rounds * n : 0;
};
const classifier = writeBenchResult(packageDir, "regime-classifier", "bars", measure(classify, 5), {
  target: TARGET,
  extra: { source, bars: n },
});

console.log(
  `regime bench (${source}, ${n} bars): classifier ${(classifier.perSecond / 1e6).toFixed(2)}M bars/s ` +
    `(target ${TARGET / 1e6}M, ${classifier.metTarget ? "met" : "NOT met"}); full indicator set ` +
    `${(full.perSecond / 1e6).toFixed(2)}M bars/s; ${line.join(", ")} updates/s`,
);
