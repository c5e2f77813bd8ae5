import { createBar, createSpotInstrument, createStaticInstrumentProvider, ManualClock, MINUTE_MS } from "@gpt/core";
import { compareEventLogs, createMemoryEventLog, createTrader, toJsonLine } from "@gpt/kernel";
import { createPaperEngine } from "@gpt/paper-engine";
import { createStrategy } from "@gpt/strategies";

const btc = createSpotInstrument({
  symbol: "BTC-USD",
  venue: "SIM",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.0001",
  minSize: "0.0001",
  maxSize: "1000",
  minNotional: "1",
  makerFee: "0.004",
  takerFee: "0.006",
});

// The three things that differ between backtest and live: clock, market data, execution.
const clock = new ManualClock(Date.UTC(2026, 0, 1));
const venue = createPaperEngine({
  accountType: "cash",
  instruments: [btc],
  initialBalances: { USD: "10000" },
  clock,
  marketOrderBuffer: "0", // the engine holds qty × last price × (1 + fee) at submit
});
const log = createMemoryEventLog({ capacity: "unbounded" });
const trader = createTrader({
  clock,
  execution: venue,
  instruments: createStaticInstrumentProvider([btc]),
  strategy: createStrategy("sma-cross", { fast: 2, slow: 3, fraction: 1 }, { instrumentId: btc.id }),
  account: "10000",
  sizing: { method: { kind: "fixed-fraction", fraction: 1 } },
  risk: { maxDailyLossPct: "0.2" },
  spotBuyHeadroom: 0.006, // (1 + 0 buffer) × (1 + 0.006 fee) − 1: a fraction-1 buy fits the hold
  venueFeed: (event) => venue.onMarketData(event), // the venue sees each bar first: fills at its open
  eventLog: log,
});

// Replay: [open, close] per minute (a backtest sets the clock to each bar's close first).
const prices: [number, number][] = [[100, 100], [100, 100], [100, 101], [101, 103], [104, 104], [104, 101], [100, 99], [99, 98]];
const start = clock.now();
for (const [i, [open, close]] of prices.entries()) {
  const bar = createBar({
    instrumentId: btc.id,
    intervalMs: MINUTE_MS,
    tsOpen: start + i * MINUTE_MS,
    open,
    high: Math.max(open, close),
    low: Math.min(open, close),
    close,
    volume: 1,
  });
  clock.set(bar.tsEvent);
  trader.onBar(bar);
}

for (const event of log.events()) {
  if (event.type === "Decision") console.log(`${event.kind} ${event.reason}: ${event.message}`);
  if (event.type === "OrderFilled") console.log(`filled ${event.side} ${event.lastQty} @ ${event.lastPrice}, fee ${event.commission}`);
}
const account = trader.cache.account();
console.log(`cash ${account.cash.toFixed()}, equity ${account.equity.toFixed()}, engine ${venue.snapshot().equity.toFixed()}`);
const first = log.events()[0];
if (first !== undefined) console.log(toJsonLine(first).slice(0, 72));
console.log(compareEventLogs(log.events(), log.toJsonLines())); // what a parity test checks
