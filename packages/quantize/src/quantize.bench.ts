/**
 * Order-path throughput: parse an exchange price string, round it passively onto the tick, format
 * it for the exchange. Run with `pnpm bench` in this package.
 */
import { fileURLToPath } from "node:url";
import { measure, writeBenchResult } from "@gpt/testkit";
import {
  checkOrderAgainstRules,
  formatToIncrement,
  parseDecimal,
  parseIncrement,
  productRulesFromCoinbase,
  roundPrice,
  roundSize,
} from "./index.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const N = 100_000;

// Deterministic inputs (a small LCG, no Math.random): prices around 68,000 with 4 decimals, sizes
// with 10 decimals, so every value needs rounding.
let seed = 42;
function next(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const prices: string[] = [];
const sizes: string[] = [];
for (let i = 0; i < N; i++) {
  prices.push((60_000 + next() * 10_000).toFixed(4));
  sizes.push((next() * 2).toFixed(10));
}

const rules = productRulesFromCoinbase({
  base_increment: "0.00000001",
  quote_increment: "0.01",
  price_increment: "0.01",
  base_min_size: "0.00000001",
  base_max_size: "3400",
  quote_min_size: "1",
  quote_max_size: "150000000",
});

function run(name: string, fn: (i: number) => string | boolean): void {
  const rounds = measure(() => {
    let sink = 0;
    for (let i = 0; i < N; i++) {
      const out = fn(i);
      sink += typeof out === "string" ? out.length : out ? 1 : 0;
    }
    if (sink < 0) throw new Error("unreachable");
    return N;
  }, 5);
  const result = writeBenchResult(packageDir, name, "ops", rounds);
  console.log(`${name}: ${Math.round(result.perSecond).toLocaleString("en-US")} ops/s (median of 5 × ${N})`);
}

const tick = parseIncrement("0.01");
const tickFive = parseIncrement("5");
const tickQuarter = parseIncrement("0.25");
const step = parseIncrement("0.00000001");

run("parse-round-format-tick-0.01", (i) =>
  formatToIncrement(roundPrice(parseDecimal(prices[i] ?? "0"), tick, i % 2 === 0 ? "buy" : "sell"), tick),
);
run("parse-round-format-tick-5", (i) =>
  formatToIncrement(roundPrice(parseDecimal(prices[i] ?? "0"), tickFive, "buy"), tickFive),
);
run("parse-round-format-tick-0.25", (i) =>
  formatToIncrement(roundPrice(parseDecimal(prices[i] ?? "0"), tickQuarter, "sell"), tickQuarter),
);
run("string-increments-round-format", (i) =>
  formatToIncrement(roundPrice(prices[i] ?? "0", "0.01", "buy"), "0.01"),
);
run("size-price-round-and-check", (i) => {
  const price = roundPrice(prices[i] ?? "0", tick, "buy");
  const size = roundSize(sizes[i] ?? "0", step);
  return checkOrderAgainstRules({ size, price }, rules).kind === "ok";
});
