/**
 * Throughput of the order path (all twelve pre-trade checks on a two-position portfolio; most
 * orders pass, so every check runs) and of the
 * state machine (equity updates, venue request records with a full error window). Run with
 * `pnpm bench` in this package.
 */
import { fileURLToPath } from "node:url";
import { D } from "@gpt/quantize";
import { measure, writeBenchResult } from "@gpt/testkit";
import {
  applyRiskInput,
  createRiskState,
  emptyOrderRateWindow,
  parseRiskConfig,
  recordOrder,
  runPreTradeChecks,
} from "./index.js";
import { BTC_PERP, ETH_PERP, perpBtc, T0 } from "./testing/fixtures.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const N = 20_000;

const config = parseRiskConfig({
  maxLeverage: "5",
  maxPositionNotional: "200000",
  maxTotalNotional: "400000",
  maxOrderNotional: "50000",
  maxNetLongNotional: "300000",
  maxNetShortNotional: "300000",
  maxOrdersPerMinute: 1000,
});

// Deterministic inputs (a small LCG, no Math.random).
let seed = 7;
function next(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const marks = Array.from({ length: N }, () => D((48_000 + next() * 4_000).toFixed(1)));
const quantities = Array.from({ length: N }, () => D((0.001 + next() * 0.5).toFixed(4)));
let orderRate = emptyOrderRateWindow();
for (let i = 0; i < 100; i++) orderRate = recordOrder(orderRate, T0 - 50_000 + i * 100);

function report(name: string, unit: string, fn: () => number): void {
  const rounds = measure(fn, 5);
  const result = writeBenchResult(packageDir, name, unit, rounds);
  console.log(
    `${name}: ${Math.round(result.perSecond).toLocaleString("en-US")} ${unit}/s (median of 5 × ${N})`,
  );
}

report("pre-trade-checks", "orders", () => {
  let approved = 0;
  for (let i = 0; i < N; i++) {
    const mark = marks[i] ?? D(50_000);
    const decision = runPreTradeChecks(
      {
        order: {
          instrumentId: BTC_PERP,
          side: i % 2 === 0 ? "buy" : "sell",
          quantity: quantities[i] ?? D("0.1"),
        },
        instrument: perpBtc,
        market: { markPrice: mark, tsMark: T0 },
        now: T0,
        tradingState: "active",
        orderRate,
      },
      {
        equity: D(150_000),
        positions: [
          { instrumentId: BTC_PERP, quantity: D("0.8"), markPrice: mark, liquidationPrice: D(20_000) },
          { instrumentId: ETH_PERP, quantity: D("-12"), markPrice: D(3_000) },
        ],
        openOrderCount: 4,
      },
      config,
    );
    if (decision.kind === "approved") approved += 1;
  }
  if (approved < N / 2) throw new Error(`bench inputs should mostly pass (${approved}/${N})`);
  return N;
});

report("state-machine-equity-updates", "updates", () => {
  let state = createRiskState({ now: T0, config, equity: "150000" });
  for (let i = 0; i < N; i++) {
    const equity = D(150_000).plus((marks[i] ?? D(50_000)).minus(50_000));
    state = applyRiskInput(state, { type: "EquityObserved", equity, tsEvent: T0 + i * 1_000 }, config).state;
  }
  return N;
});

report("state-machine-venue-requests", "requests", () => {
  let state = createRiskState({ now: T0, config, equity: "150000" });
  // 10 requests per second: the 60 s window holds about 600 entries.
  for (let i = 0; i < N; i++) {
    state = applyRiskInput(
      state,
      { type: "VenueRequestCompleted", ok: i % 7 !== 0, tsEvent: T0 + i * 100 },
      config,
    ).state;
  }
  return N;
});
