import { readdirSync } from "node:fs";
import { instrumentId } from "@gpt/core";
import { requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import { loadBarsCsv, loadFundingCsv } from "./csv.js";

const dataDir = requireShared("data");
const id = instrumentId("X-USD", "TEST");

describe("every candle and funding file in shared/data loads with the documented row counts", () => {
  // Row counts and gap counts as listed in shared/data/README.md.
  const expected: Record<string, { rows: number; gaps: number }> = {
    "coinbase-BTC-USD-1h-2024-2026.csv.gz": { rows: 17990, gaps: 2 },
    "coinbase-ETH-USD-1h-2024-2026.csv.gz": { rows: 17990, gaps: 2 },
    "coinbase-BTC-USD-15m-2024-2026.csv.gz": { rows: 71946, gaps: 4 },
    "binance-BTCUSDT-1m-2024-07.csv.gz": { rows: 43209, gaps: 0 },
    "binance-BTCUSDT-1h-2017-2024.csv.gz": { rows: 58419, gaps: 28 },
  };
  const files = readdirSync(dataDir).filter((f) => f.endsWith(".csv.gz"));

  it("finds the files", () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const [file, want] of Object.entries(expected)) {
    it(file, () => {
      const s = loadBarsCsv(`${dataDir}/${file}`, { instrumentId: id });
      expect(s.length).toBe(want.rows);
      expect(s.gaps.length).toBe(want.gaps);
    });
  }

  it("loads every candle and funding file without a row error", () => {
    let loaded = 0;
    for (const file of files) {
      if (file.includes("-funding-")) {
        expect(loadFundingCsv(`${dataDir}/${file}`, { instrumentId: id }).length).toBeGreaterThan(1000);
      } else if (file.includes("-index-")) {
        continue; // time,price point samples, not candles
      } else {
        expect(loadBarsCsv(`${dataDir}/${file}`, { instrumentId: id }).length).toBeGreaterThan(1000);
      }
      loaded++;
    }
    expect(loaded).toBeGreaterThanOrEqual(19);
  });
});
