import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BacktestStats, ClosedTrade } from "./stats.js";

/** A fill drawn on the price chart. */
export interface ReportFill {
  /** Fill time, unix ms. */
  readonly time: number;
  /** Fill price. */
  readonly price: number;
  /** Buy or sell. */
  readonly side: "buy" | "sell";
}

/** Everything `renderReportHtml` draws. */
export interface ReportInput {
  /** Heading of the page. */
  readonly title: string;
  /** When the report was made (ISO string), shown in the header. */
  readonly generatedAt: string;
  /** The run's settings, shown as a table. */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** Statistics, as in stats.json. */
  readonly stats: BacktestStats & { readonly dataWarnings?: readonly string[] };
  /** Thinned equity curve. */
  readonly equity: { readonly times: readonly number[]; readonly values: readonly number[] };
  /** Per instrument: thinned closes and the fills. */
  readonly instruments: readonly {
    readonly symbol: string;
    readonly price: { readonly times: readonly number[]; readonly values: readonly number[] };
    readonly fills: readonly ReportFill[];
  }[];
  /** Monthly returns (fractions). */
  readonly monthly: readonly { readonly year: number; readonly month: number; readonly return: number }[];
  /** Closed trades (possibly the first N of more). */
  readonly trades: readonly ClosedTrade[];
  /** How many trades there were in all. */
  readonly tradesTotal: number;
  /** Data gaps per instrument. */
  readonly gaps: readonly {
    readonly instrument: string;
    readonly gaps: number;
    readonly missingBars: number;
  }[];
}

const require = createRequire(import.meta.url);

function uplotAssets(): { js: string; css: string } {
  const dir = require.resolve("uplot/package.json").replace(/package\.json$/, "");
  return {
    js: readFileSync(`${dir}dist/uPlot.iife.min.js`, "utf8"),
    css: readFileSync(`${dir}dist/uPlot.min.css`, "utf8"),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028|\u2029/g, "");
}

function pct(x: number | null, digits = 2): string {
  return x === null ? "n/a" : `${(x * 100).toFixed(digits)} %`;
}

function num(x: number | null, digits = 2): string {
  return x === null
    ? "n/a"
    : x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function statRows(s: BacktestStats): [string, string][] {
  const dur = (sec: number): string => `${(sec / 86_400).toFixed(1)} days`;
  return [
    ["Start equity", num(s.startEquity)],
    ["End equity", num(s.endEquity)],
    ["Total return", pct(s.totalReturn)],
    ["Buy and hold return", pct(s.buyAndHoldReturn)],
    ["CAGR", pct(s.cagr)],
    ["Volatility (annualised)", pct(s.volatility)],
    ["Sharpe", num(s.sharpe)],
    ["Sortino", num(s.sortino)],
    ["Calmar", num(s.calmar)],
    ["Probabilistic Sharpe (vs 0)", pct(s.psr)],
    ["Max drawdown", pct(s.maxDrawdown)],
    ["Max drawdown duration", dur(s.maxDrawdownDuration)],
    ["Trades", String(s.trades)],
    ["Win rate", pct(s.winRate)],
    ["Profit factor", num(s.profitFactor)],
    ["Expectancy (per trade)", num(s.expectancy)],
    ["SQN", num(s.sqn)],
    ["Exposure", pct(s.exposure)],
    ["Fees paid", num(s.feesPaid)],
    ["Funding paid", num(s.fundingPaid)],
    ["Bars", String(s.bars)],
    ["Days", s.days.toFixed(1)],
    ["Period", `${s.startTime ?? "n/a"} to ${s.endTime ?? "n/a"}`],
  ];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function monthlyTable(monthly: ReportInput["monthly"]): string {
  const years = [...new Set(monthly.map((m) => m.year))].sort();
  const cell = (r: number | undefined): string => {
    if (r === undefined) return "<td></td>";
    const strength = Math.min(1, Math.abs(r) / 0.2);
    const color =
      r >= 0 ? `rgba(22,163,74,${0.15 + 0.6 * strength})` : `rgba(220,38,38,${0.15 + 0.6 * strength})`;
    return `<td style="background:${color}">${(r * 100).toFixed(1)}</td>`;
  };
  const rows = years.map((y) => {
    const byMonth = new Map(monthly.filter((m) => m.year === y).map((m) => [m.month, m.return]));
    const yearReturn = [...byMonth.values()].reduce((acc, r) => acc * (1 + r), 1) - 1;
    return `<tr><th>${y}</th>${MONTHS.map((_, i) => cell(byMonth.get(i + 1))).join("")}${cell(yearReturn)}</tr>`;
  });
  return `<table class="monthly"><thead><tr><th></th>${MONTHS.map((m) => `<th>${m}</th>`).join("")}<th>Year</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function tradeTable(trades: readonly ClosedTrade[], total: number): string {
  const rows = trades.map(
    (t, i) =>
      `<tr><td>${i + 1}</td><td>${escapeHtml(t.instrument)}</td><td>${t.side}</td><td>${new Date(t.entryTime).toISOString()}</td><td>${new Date(t.exitTime).toISOString()}</td><td>${t.entryPrice}</td><td>${t.exitPrice}</td><td>${t.quantity}</td><td class="${t.pnl >= 0 ? "pos" : "neg"}">${t.pnl.toFixed(2)}</td><td>${t.fees.toFixed(2)}</td></tr>`,
  );
  const note =
    total > trades.length
      ? `<p>Showing the first ${trades.length} of ${total} trades (all are in trades.csv).</p>`
      : "";
  return `${note}<table class="trades"><thead><tr><th>#</th><th>Instrument</th><th>Side</th><th>Entry</th><th>Exit</th><th>Entry price</th><th>Exit price</th><th>Quantity</th><th>PnL</th><th>Fees</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Chart data: uPlot wants one shared x array (seconds) and aligned y arrays with nulls. */
function priceChartData(instrument: ReportInput["instruments"][number]): (number | null)[][] {
  const fills = [...instrument.fills].sort((a, b) => a.time - b.time);
  const x: number[] = [];
  const price: (number | null)[] = [];
  const buys: (number | null)[] = [];
  const sells: (number | null)[] = [];
  let i = 0;
  let j = 0;
  const pt = instrument.price.times;
  while (i < pt.length || j < fills.length) {
    const tp = i < pt.length ? (pt[i] as number) : Number.POSITIVE_INFINITY;
    const f = fills[j];
    const tf = f !== undefined ? f.time : Number.POSITIVE_INFINITY;
    if (tp <= tf) {
      x.push(tp / 1000);
      price.push(instrument.price.values[i] as number);
      buys.push(null);
      sells.push(null);
      i++;
    } else if (f !== undefined) {
      x.push(tf / 1000);
      price.push(null);
      buys.push(f.side === "buy" ? f.price : null);
      sells.push(f.side === "sell" ? f.price : null);
      j++;
    }
  }
  return [x, price, buys, sells];
}

/**
 * A self-contained HTML report: uPlot (inlined, MIT) draws the equity, drawdown and price charts;
 * tables show the statistics, monthly returns, settings and trades. It loads nothing from the
 * network, so it works offline and can be mailed as one file.
 */
export function renderReportHtml(input: ReportInput): string {
  const { js, css } = uplotAssets();
  const data = {
    equity: [input.equity.times.map((t) => t / 1000), input.equity.values],
    prices: input.instruments.map((inst) => ({ symbol: inst.symbol, data: priceChartData(inst) })),
  };
  const warnings = [...(input.stats.dataWarnings ?? []), ...input.stats.sampleWarnings]
    .map((w) => `<li>${escapeHtml(w)}</li>`)
    .join("");
  const gaps = input.gaps
    .filter((g) => g.gaps > 0)
    .map(
      (g) =>
        `<li>${escapeHtml(g.instrument)}: ${g.gaps} gaps, ${g.missingBars} missing bars (not filled)</li>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${css}
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.meta{color:#555}.grid{display:flex;flex-wrap:wrap;gap:24px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f5f5f5}.stats td:first-child{text-align:left}.pos{color:#15803d}.neg{color:#b91c1c}
.warn{background:#fff7ed;border:1px solid #fdba74;padding:8px 16px}.chart{margin-bottom:12px}
</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<div class="meta">Generated ${escapeHtml(input.generatedAt)}</div>
${warnings || gaps ? `<div class="warn"><ul>${warnings}${gaps}</ul></div>` : ""}
<h2>Equity</h2><div id="equity-chart" class="chart"></div>
<h2>Drawdown</h2><div id="drawdown-chart" class="chart"></div>
<h2>Price, entries and exits</h2><div id="price-charts"></div>
<div class="grid">
<div><h2>Statistics</h2><table class="stats" id="stats-table"><tbody>${statRows(input.stats)
    .map(([k, v]) => `<tr><td>${k}</td><td>${escapeHtml(v)}</td></tr>`)
    .join("")}</tbody></table></div>
<div><h2>Settings</h2><table class="stats"><tbody>${Object.entries(input.settings)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`)
    .join("")}</tbody></table></div>
</div>
<h2>Monthly returns (%)</h2>${monthlyTable(input.monthly)}
<h2>Trades</h2>${tradeTable(input.trades, input.tradesTotal)}
<script>${js}</script>
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var width = Math.max(600, Math.min(1400, document.body.clientWidth - 20));
  function chart(el, series, d, h) {
    return new uPlot({ width: width, height: h || 260, series: [{}].concat(series), scales: { x: { time: true } }, axes: [{}, { size: 90 }] }, d, el);
  }
  var eq = data.equity;
  chart(document.getElementById("equity-chart"), [{ label: "Equity", stroke: "#2563eb", width: 1.5 }], eq);
  var peak = -Infinity;
  var dd = eq[1].map(function (v) { peak = Math.max(peak, v); return (v / peak - 1) * 100; });
  chart(document.getElementById("drawdown-chart"), [{ label: "Drawdown %", stroke: "#dc2626", fill: "rgba(220,38,38,0.15)" }], [eq[0], dd], 180);
  var host = document.getElementById("price-charts");
  data.prices.forEach(function (p) {
    var el = document.createElement("div");
    el.className = "chart price-chart";
    host.appendChild(el);
    chart(el, [
      { label: p.symbol, stroke: "#374151", width: 1, spanGaps: true },
      { label: "Buy", stroke: "#16a34a", width: 0, points: { show: true, size: 7, fill: "#16a34a" } },
      { label: "Sell", stroke: "#dc2626", width: 0, points: { show: true, size: 7, fill: "#dc2626" } }
    ], p.data, 320);
  });
  document.body.setAttribute("data-charts-rendered", String(document.querySelectorAll(".uplot").length));
})();
</script>
</body></html>
`;
}
