/**
 * Hot-path throughput of the pure state machines: booking fills on a position (`applyFill`) and
 * driving orders through their lifecycle (`applyOrderEvent`). Run with `pnpm bench` in this package.
 */
import { fileURLToPath } from "node:url";
import { D } from "@gpt/quantize";
import { measure, writeBenchResult } from "@gpt/testkit";
import {
  applyFill,
  applyOrderEvent,
  clientOrderId,
  createEventIdGenerator,
  createSeededRng,
  initOrder,
  instrumentId,
  type Order,
  type OrderEvent,
  type Position,
  type PositionFill,
  strategyId,
  tradeId,
  venueOrderId,
} from "./index.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const N = 100_000;
const rng = createSeededRng(42);
const id = instrumentId("BTC-USD", "COINBASE");

// Fills: random side, quantity 0.001..1 on a 0.001 grid, price 60000..70000 on the 0.01 tick.
const fills: PositionFill[] = [];
for (let i = 0; i < N; i++) {
  fills.push({
    instrumentId: id,
    side: rng.next() < 0.5 ? "buy" : "sell",
    lastQty: D(1 + Math.floor(rng.next() * 1000)).div(1000),
    lastPrice: D(6_000_000 + Math.floor(rng.next() * 1_000_000)).div(100),
    commission: D(Math.floor(rng.next() * 100)).div(100),
    commissionCurrency: "USD",
    tsEvent: i,
  });
}

const fillRounds = measure(() => {
  let p: Position | undefined;
  for (const f of fills) p = applyFill(p, f);
  return fills.length;
});
const fillResult = writeBenchResult(packageDir, "apply-fill", "fills", fillRounds);

// Orders: initialized → submitted → accepted → 4 partial fills (7 events per order).
const ORDERS = 20_000;
const ids = createEventIdGenerator("b");
const lifecycles: OrderEvent[][] = [];
for (let o = 0; o < ORDERS; o++) {
  const coid = clientOrderId(`O-${o}`);
  const common = () => ({
    eventId: ids.next(),
    tsEvent: o,
    tsInit: o,
    clientOrderId: coid,
    instrumentId: id,
  });
  const events: OrderEvent[] = [
    {
      ...common(),
      type: "OrderInitialized",
      strategyId: strategyId("s"),
      order: {
        type: "limit",
        clientOrderId: coid,
        instrumentId: id,
        side: "buy",
        quantity: D("1"),
        price: D("65000"),
        timeInForce: "GTC",
        postOnly: false,
        reduceOnly: false,
      },
    },
    { ...common(), type: "OrderSubmitted" },
    { ...common(), type: "OrderAccepted", venueOrderId: venueOrderId(`V-${o}`) },
  ];
  for (let k = 0; k < 4; k++) {
    events.push({
      ...common(),
      type: "OrderFilled",
      venueOrderId: venueOrderId(`V-${o}`),
      tradeId: tradeId(`T-${o}-${k}`),
      side: "buy",
      lastQty: D("0.25"),
      lastPrice: D(65000 - k),
      commission: D("0.1"),
      commissionCurrency: "USD",
      liquiditySide: "maker",
    });
  }
  lifecycles.push(events);
}

const orderRounds = measure(() => {
  let count = 0;
  for (const events of lifecycles) {
    const [first, ...rest] = events;
    if (first?.type !== "OrderInitialized") throw new Error("bad fixture");
    let order: Order = initOrder(first);
    count += 1;
    for (const e of rest) {
      order = applyOrderEvent(order, e);
      count += 1;
    }
    if (order.status !== "filled") throw new Error(`expected filled, got ${order.status}`);
  }
  return count;
});
const orderResult = writeBenchResult(packageDir, "apply-order-event", "events", orderRounds);

console.log(
  `core: applyFill ${Math.round(fillResult.perSecond).toLocaleString("en-US")} fills/s, ` +
    `applyOrderEvent ${Math.round(orderResult.perSecond).toLocaleString("en-US")} events/s`,
);
