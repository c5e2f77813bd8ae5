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
  fitHmmRegimeModel,
  GarmanKlassVolatility,
  HmmRegimeClassifier,
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
import { syntheticBars } from "./testing/series.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const TARGET = 2_000_000;
const UNITS_PER_ROUND = 2_000_000;

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
    // Deterministic: seeded random walk whose volatility switches every 5,000 bars.
    const bars = syntheticBars({
      count: 43_200,
      seed: 0x9e3779b9,
      start: 60_000,
      sigma: (i) => (Math.floor(i / 5_000) % 3 === 2 ? 0.003 : 0.0008),
    });
    return { bars, source: "synthetic seeded random walk" };
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

// The optional learned classifier (model fitted once, outside the timing).
const model = fitHmmRegimeModel(bars, regimePreset("1m"));
const classifyHmm: Runner = () => {
  let ready = 0;
  for (let r = 0; r < rounds; r++) {
    const hmm = new HmmRegimeClassifier(model);
    for (let i = 0; i < n; i++) if (hmm.update(bars[i] as OhlcvBar) !== undefined) ready++;
  }
  return ready >= 0 ? rounds * n : 0;
};
const hmm = writeBenchResult(packageDir, "regime-classifier-hmm", "bars", measure(classifyHmm, 5), {
  extra: { source, bars: n },
});

console.log(
  `regime bench (${source}, ${n} bars): classifier ${(classifier.perSecond / 1e6).toFixed(2)}M bars/s ` +
    `(target ${TARGET / 1e6}M, ${classifier.metTarget ? "met" : "NOT met"}); HMM classifier ` +
    `${(hmm.perSecond / 1e6).toFixed(2)}M bars/s; full indicator set ` +
    `${(full.perSecond / 1e6).toFixed(2)}M bars/s; ${line.join(", ")} updates/s`,
);
