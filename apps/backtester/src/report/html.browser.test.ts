import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ThinnedSeries } from "./curves.js";
import { renderReportHtml } from "./html.js";
import { StatsAccumulator } from "./stats.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DAY = 86_400_000;

function sampleReport(): string {
  const t0 = Date.UTC(2024, 0, 1);
  const acc = new StatsAccumulator({ startEquity: 10_000 });
  const equity = new ThinnedSeries(500);
  const price = new ThinnedSeries(500);
  let e = 10_000;
  for (let i = 0; i < 24 * 90; i++) {
    const t = t0 + i * 3_600_000;
    e *= 1 + Math.sin(i / 50) * 0.002;
    acc.onBar(t, e, i % 3 !== 0);
    equity.push(t, e);
    price.push(t, 40_000 + 2000 * Math.sin(i / 100));
  }
  acc.onTrade({
    instrument: "BTC-USD",
    side: "long",
    entryTime: t0 + DAY,
    exitTime: t0 + 3 * DAY,
    entryPrice: 40_100,
    exitPrice: 41_000,
    quantity: 0.1,
    pnl: 85.5,
    fees: 4.5,
  });
  return renderReportHtml({
    title: "sma-cross on BTC-USD </script><b>",
    generatedAt: "2024-04-01T00:00:00.000Z",
    settings: { strategy: "sma-cross", fast: 10, slow: 30 },
    stats: acc.finish({ feesPaid: 4.5, fundingPaid: 0, buyAndHoldReturn: 0.02 }),
    equity: equity.points(),
    instruments: [
      {
        symbol: "BTC-USD",
        price: price.points(),
        fills: [
          { time: t0 + DAY, price: 40_100, side: "buy" },
          { time: t0 + 3 * DAY, price: 41_000, side: "sell" },
        ],
      },
    ],
    monthly: [
      { year: 2024, month: 1, return: 0.05 },
      { year: 2024, month: 2, return: -0.03 },
    ],
    trades: [],
    tradesTotal: 0,
    gaps: [{ instrument: "BTC-USD", gaps: 2, missingBars: 10 }],
  });
}

describe("report.html in headless Chromium", () => {
  it("renders every chart offline with no console errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-report-"));
    const file = join(dir, "report.html");
    writeFileSync(file, sampleReport());
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("request", (r) => {
        if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector("body[data-charts-rendered]");
      expect(await page.getAttribute("body", "data-charts-rendered")).toBe("3");
      // Each chart drew on a canvas of real size.
      const canvases = await page.$$eval("canvas", (cs) => cs.map((c) => [c.width, c.height]));
      expect(canvases.length).toBe(3);
      for (const [w, h] of canvases) {
        expect(w).toBeGreaterThan(100);
        expect(h).toBeGreaterThan(100);
      }
      expect(await page.textContent("#stats-table")).toContain("Sharpe");
      expect(await page.textContent("title")).toContain("</script><b>");
      expect(await page.$$("table.monthly td")).not.toHaveLength(0);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
