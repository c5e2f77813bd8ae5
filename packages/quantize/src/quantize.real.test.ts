import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { readCsvRows, readJsonl, requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import { type Decimal, parseDecimal } from "./decimal.js";
import { formatPlain, formatToIncrement } from "./format.js";
import { isOnIncrement, roundPrice } from "./rounding.js";
import { type CoinbaseProductRulesJson, type ProductRules, productRulesFromCoinbase } from "./rules.js";

/** A string that looks like a number (what the exchange sends for amounts, ids and timestamps). */
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** The canonical plain form: no exponent, no '+', no superfluous leading zero, no bare '.'. */
const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
/** Columns of the shared CSV files that hold prices, rates or sizes. */
const NUMBER_COLUMNS = new Set(["open", "high", "low", "close", "price", "rate", "volume"]);
const MAX_REPORTED = 20;

/** Tally of a round-trip run; failures are kept as readable lines (first few only). */
class RoundTrip {
  checked = 0;
  identical = 0;
  failures: string[] = [];

  /** Parses `text`, formats it back, and compares (value always; string when canonical). */
  check(text: string, where: string): void {
    this.checked++;
    let value: Decimal;
    try {
      value = parseDecimal(text);
    } catch (err) {
      this.fail(`${where}: ${JSON.stringify(text)} did not parse: ${(err as Error).message}`);
      return;
    }
    const plain = formatPlain(value);
    if (/[eE]/.test(plain) || !parseDecimal(plain).eq(value)) {
      this.fail(`${where}: ${JSON.stringify(text)} formatted as ${plain}`);
      return;
    }
    if (CANONICAL.test(text) && !/^-0(?:\.0*)?$/.test(text)) {
      const dot = text.indexOf(".");
      const decimals = dot < 0 ? 0 : text.length - dot - 1;
      const again = formatPlain(value, decimals);
      if (again !== text)
        this.fail(`${where}: ${JSON.stringify(text)} formatted with ${decimals} decimals as ${again}`);
      else this.identical++;
    }
  }

  private fail(line: string): void {
    if (this.failures.length < MAX_REPORTED) this.failures.push(line);
    else if (this.failures.length === MAX_REPORTED) this.failures.push("…");
  }
}

function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffix));
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

/** Visits every string (with its key) and every object in a parsed JSON value. */
function walkJson(
  value: unknown,
  onString: (text: string, key: string) => void,
  onObject: (obj: Record<string, unknown>) => void = () => {},
  key = "",
): void {
  if (typeof value === "string") onString(value, key);
  else if (Array.isArray(value)) for (const item of value) walkJson(item, onString, onObject, key);
  else if (typeof value === "object" && value !== null) {
    const obj = value as Record<string, unknown>;
    onObject(obj);
    for (const [k, v] of Object.entries(obj)) walkJson(v, onString, onObject, k);
  }
}

const fixturesDir = requireShared("fixtures", "coinbase-advanced-trade");
const dataDir = requireShared("data");

function loadFixture(...parts: string[]): unknown {
  return JSON.parse(readFileSync(join(fixturesDir, ...parts), "utf8")) as unknown;
}

const btcUsdRules: ProductRules = productRulesFromCoinbase(
  loadFixture("rest", "GET_products_ID.BTC-USD.nautilus.json") as CoinbaseProductRulesJson,
);

describe("recorded Coinbase payloads (fixtures)", () => {
  it("every numeric string parses and formats back to the same value", () => {
    const rt = new RoundTrip();
    const files = filesUnder(fixturesDir, ".json");
    for (const file of files) {
      const where = relative(fixturesDir, file);
      walkJson(JSON.parse(readFileSync(file, "utf8")), (text, key) => {
        if (NUMERIC.test(text)) rt.check(text, `${where} ${key}`);
      });
    }
    console.log(
      `fixtures: ${files.length} files, ${rt.checked} numeric strings, ${rt.identical} identical after formatting`,
    );
    expect(rt.failures).toEqual([]);
    expect(files.length).toBeGreaterThan(20);
    expect(rt.checked).toBeGreaterThan(300);
    expect(rt.identical).toBeGreaterThan(300);
  });

  it("every product object parses into product rules", () => {
    const parsed: string[] = [];
    for (const file of filesUnder(fixturesDir, ".json")) {
      walkJson(
        JSON.parse(readFileSync(file, "utf8")),
        () => {},
        (obj) => {
          if (!("base_increment" in obj)) return;
          const rules = productRulesFromCoinbase(obj as CoinbaseProductRulesJson);
          expect(rules.baseIncrement.gt(0) && rules.priceIncrement.gt(0)).toBe(true);
          if (rules.baseMinSize && rules.baseMaxSize)
            expect(rules.baseMinSize.lte(rules.baseMaxSize)).toBe(true);
          parsed.push(String(obj.product_id ?? obj.id));
        },
      );
    }
    console.log(`fixtures: ${parsed.length} product objects parsed (${[...new Set(parsed)].join(", ")})`);
    expect(parsed.length).toBeGreaterThanOrEqual(8);
    expect(btcUsdRules.priceIncrement.toFixed()).toBe("0.01");
    expect(btcUsdRules.baseIncrement.toFixed()).toBe("0.00000001");
  });

  it("recorded BTC-USD candle prices sit on the recorded price increment", () => {
    const candles = (
      loadFixture("rest", "GET_products_ID_candles.nautilus.json") as { candles: Record<string, string>[] }
    ).candles;
    let n = 0;
    for (const c of candles) {
      for (const col of ["open", "high", "low", "close"]) {
        const price = c[col] ?? "";
        expect(isOnIncrement(price, btcUsdRules.priceIncrement)).toBe(true);
        expect(formatToIncrement(price, btcUsdRules.priceIncrement)).toBe(parseDecimal(price).toFixed(2));
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });
});

describe("shared data (real prices)", () => {
  it("every price, rate and volume in the CSV files parses and formats back to the same value", () => {
    const rt = new RoundTrip();
    const files = filesUnder(dataDir, ".csv.gz");
    for (const file of files) {
      const table = readCsvRows(file);
      const where = relative(dataDir, file);
      const columns = table.header
        .map((name, i) => [name, i] as const)
        .filter(([name]) => NUMBER_COLUMNS.has(name));
      expect(columns.length).toBeGreaterThan(0);
      for (const row of table.rows) {
        for (const [name, i] of columns) rt.check(row[i] ?? "", `${where} ${name}`);
      }
    }
    console.log(
      `data csv: ${files.length} files, ${rt.checked} values, ${rt.identical} identical after formatting`,
    );
    expect(rt.failures).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(19);
    expect(rt.checked).toBeGreaterThan(2_000_000);
    expect(rt.identical).toBe(rt.checked);
  });

  it("every numeric string in the websocket recordings parses and formats back", () => {
    const rt = new RoundTrip();
    const files = filesUnder(dataDir, ".jsonl.gz");
    for (const file of files) {
      const where = relative(dataDir, file);
      for (const line of readJsonl(file)) {
        walkJson(line, (text, key) => {
          if (NUMERIC.test(text)) rt.check(text, `${where} ${key}`);
        });
      }
    }
    console.log(`data ws: ${files.length} files, ${rt.checked} numeric strings, ${rt.identical} identical`);
    expect(rt.failures).toEqual([]);
    expect(rt.checked).toBeGreaterThan(100_000);
  });

  it("Coinbase BTC-USD candle prices all sit on the BTC-USD price increment", () => {
    let n = 0;
    const off: string[] = [];
    for (const file of filesUnder(dataDir, ".csv.gz").filter((f) => f.includes("coinbase-BTC-USD-"))) {
      const table = readCsvRows(file);
      const cols = ["open", "high", "low", "close"].map((c) => table.header.indexOf(c));
      for (const row of table.rows) {
        for (const i of cols) {
          const price = row[i] ?? "";
          n++;
          if (!isOnIncrement(price, btcUsdRules.priceIncrement) && off.length < MAX_REPORTED) off.push(price);
        }
      }
    }
    console.log(
      `data: ${n} Coinbase BTC-USD OHLC prices on the ${btcUsdRules.priceIncrement.toFixed()} tick`,
    );
    expect(off).toEqual([]);
    expect(n).toBeGreaterThan(400_000);
  });

  it("BTC-USD book levels and trades in the Advanced Trade recording sit on the recorded increments", () => {
    const file = join(dataDir, "coinbase-advanced-ws-BTC-USD-ETH-USD-2026-08-09.jsonl.gz");
    let prices = 0;
    let sizes = 0;
    const off: string[] = [];
    const onTick = (price: string, size: string): void => {
      prices++;
      if (!isOnIncrement(price, btcUsdRules.priceIncrement)) off.push(`price ${price}`);
      // A passive price already on the tick is unchanged by passive rounding on either side.
      if (!roundPrice(price, btcUsdRules.priceIncrement, "buy").eq(price)) off.push(`buy-rounded ${price}`);
      if (!roundPrice(price, btcUsdRules.priceIncrement, "sell").eq(price)) off.push(`sell-rounded ${price}`);
      sizes++;
      if (!isOnIncrement(size, btcUsdRules.baseIncrement)) off.push(`size ${size}`);
    };
    for (const line of readJsonl(file)) {
      const msg = (line as { msg?: { channel?: string; events?: unknown[] } }).msg;
      if (msg?.channel !== "l2_data" && msg?.channel !== "market_trades") continue;
      for (const event of msg.events ?? []) {
        const e = event as {
          product_id?: string;
          updates?: { price_level: string; new_quantity: string }[];
          trades?: { product_id: string; price: string; size: string }[];
        };
        if (e.product_id === "BTC-USD")
          for (const u of e.updates ?? []) onTick(u.price_level, u.new_quantity);
        for (const t of e.trades ?? []) if (t.product_id === "BTC-USD") onTick(t.price, t.size);
      }
    }
    console.log(`data ws: ${prices} BTC-USD prices and ${sizes} sizes on the recorded increments`);
    expect(off.slice(0, MAX_REPORTED)).toEqual([]);
    expect(prices).toBeGreaterThan(1000);
  });
});

describe("JSON numbers in the fixtures", () => {
  it("parse to the same number", () => {
    let n = 0;
    const visit = (value: unknown): void => {
      if (typeof value === "number") {
        n++;
        expect(parseDecimal(value).toNumber()).toBe(value);
      } else if (Array.isArray(value)) value.forEach(visit);
      else if (typeof value === "object" && value !== null) Object.values(value).forEach(visit);
    };
    for (const file of filesUnder(fixturesDir, ".json")) visit(JSON.parse(readFileSync(file, "utf8")));
    expect(n).toBeGreaterThan(5);
  });
});
