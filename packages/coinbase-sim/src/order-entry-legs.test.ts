import type { CoinbaseClient } from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./server.js";
import { testClient } from "./test-client.js";
import { ecKey } from "./test-keys.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Hourly bars: flat at 100, then a drop to 90 and a rise to 110 (the path of trading.test.ts). */
const CSV = [
  "time,open,high,low,close,volume",
  ...Array.from({ length: 60 }, (_, i) => {
    const t = Date.UTC(2026, 0, 8) / 1000 + i * 3600;
    if (i === 50) return `${t},100,100,90,92,10`;
    if (i === 51) return `${t},92,110,92,108,10`;
    return `${t},100,100.5,99.5,100,10`;
  }),
].join("\n");
const BAR50 = Date.UTC(2026, 0, 8) + 50 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const running: { sim: Simulator; client: CoinbaseClient }[] = [];

async function open(productIds: readonly string[] = ["ETH-USD"]) {
  const key = ecKey();
  const clock = new ManualClock(BAR50);
  const sim = await startSimulator({
    seed: 3,
    clock,
    products: [...productIds],
    data: Object.fromEntries(productIds.map((id) => [id, CSV])),
    keys: [{ name: key.name, publicKey: key.publicKey }],
  });
  const client = testClient(sim.restUrl, key);
  running.push({ sim, client });
  return { client, clock };
}

afterEach(async () => {
  for (const { sim, client } of running.splice(0)) {
    await client.close();
    await sim.close();
  }
});

async function placed(client: CoinbaseClient, request: Parameters<CoinbaseClient["createOrder"]>[0]) {
  const result = await client.createOrder(request);
  if (!result.success) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result.orderId;
}

async function available(client: CoinbaseClient, currency: string): Promise<string | undefined> {
  const { accounts } = await client.listAccounts({});
  return accounts.find((a) => a.currency === currency)?.available_balance.value;
}

describe("standalone trigger_bracket orders", { timeout: 60_000 }, () => {
  it("sells at the take-profit when the path rises to it", async () => {
    const { client, clock } = await open();
    const id = await placed(client, {
      client_order_id: "tp",
      product_id: "ETH-USD",
      side: "SELL",
      order_configuration: {
        trigger_bracket_gtc: { base_size: "1", limit_price: "105", stop_trigger_price: "80" },
      },
    });
    const before = (await client.getOrder({ order_id: id })).order;
    expect([before.order_type, before.status, before.time_in_force, before.trigger_status]).toEqual([
      "BRACKET",
      "OPEN",
      "GOOD_UNTIL_CANCELLED",
      "STOP_PENDING",
    ]);
    expect(before.order_configuration).toEqual({
      trigger_bracket_gtc: { base_size: "1", limit_price: "105", stop_trigger_price: "80" },
    });
    expect(await available(client, "ETH")).toBe("9");
    clock.advance(2 * HOUR);
    const { order } = await client.getOrder({ order_id: id });
    expect([order.status, order.filled_size, order.average_filled_price, order.trigger_status]).toEqual([
      "FILLED",
      "1",
      "105",
      "STOP_PENDING",
    ]);
    expect(await available(client, "ETH")).toBe("9");
  });

  it("closes at market when the path falls through the stop trigger", async () => {
    const { client, clock } = await open();
    const id = await placed(client, {
      client_order_id: "sl",
      product_id: "ETH-USD",
      side: "SELL",
      order_configuration: {
        trigger_bracket_gtc: { base_size: "1", limit_price: "120", stop_trigger_price: "95" },
      },
    });
    clock.advance(HOUR);
    const { order } = await client.getOrder({ order_id: id });
    expect([order.status, order.filled_size, order.trigger_status]).toEqual([
      "FILLED",
      "1",
      "STOP_TRIGGERED",
    ]);
    expect(Number(order.average_filled_price)).toBeLessThanOrEqual(95);
    expect(Number(order.average_filled_price)).toBeGreaterThanOrEqual(89); // the print at 90 triggers; the bid is a tick under it
    const { fills } = await client.listFills({ order_ids: [id] });
    expect(fills.map((f) => [f.size, f.liquidity_indicator, f.side])).toEqual([["1", "TAKER", "SELL"]]);
    expect(await available(client, "ETH")).toBe("9");
  });

  it("expires a trigger_bracket_gtd at its end_time and releases the hold", async () => {
    const { client, clock } = await open();
    const id = await placed(client, {
      client_order_id: "gtd",
      product_id: "ETH-USD",
      side: "SELL",
      order_configuration: {
        trigger_bracket_gtd: {
          base_size: "2",
          limit_price: "130",
          stop_trigger_price: "50",
          end_time: iso(BAR50 + 30 * MINUTE),
        },
      },
    });
    expect(await available(client, "ETH")).toBe("8");
    clock.advance(HOUR);
    const { order } = await client.getOrder({ order_id: id });
    expect([order.status, order.time_in_force, order.filled_size]).toEqual([
      "EXPIRED",
      "GOOD_UNTIL_DATE_TIME",
      "0",
    ]);
    expect(await available(client, "ETH")).toBe("10");
  });

  it("cancels: the take-profit leg leaves the book and the stop is disarmed", async () => {
    const { client, clock } = await open();
    const id = await placed(client, {
      client_order_id: "cx",
      product_id: "ETH-USD",
      side: "SELL",
      order_configuration: {
        trigger_bracket_gtc: { base_size: "1", limit_price: "120", stop_trigger_price: "95" },
      },
    });
    const cancel = await client.cancelOrders({ order_ids: [id] });
    expect(cancel.results.map((r) => r.success)).toEqual([true]);
    clock.advance(2 * HOUR);
    const { order } = await client.getOrder({ order_id: id });
    expect([order.status, order.filled_size, order.trigger_status]).toEqual([
      "CANCELLED",
      "0",
      "STOP_PENDING",
    ]);
    expect(await available(client, "ETH")).toBe("10");
  });

  it("closes a futures short with a BUY bracket whose take-profit sits below the price", async () => {
    const { client, clock } = await open(["ETH-USD", "BIP-20DEC30-CDE"]);
    await placed(client, {
      client_order_id: "short",
      product_id: "BIP-20DEC30-CDE",
      side: "SELL",
      order_configuration: { market_market_ioc: { base_size: "10" } },
      leverage: "2",
      margin_type: "CROSS",
    });
    const id = await placed(client, {
      client_order_id: "cover",
      product_id: "BIP-20DEC30-CDE",
      side: "BUY",
      order_configuration: {
        trigger_bracket_gtc: { base_size: "10", limit_price: "95", stop_trigger_price: "115" },
      },
      leverage: "2",
      margin_type: "CROSS",
    });
    clock.advance(HOUR);
    const { order } = await client.getOrder({ order_id: id });
    expect([
      order.status,
      order.filled_size,
      order.average_filled_price,
      order.leverage,
      order.margin_type,
    ]).toEqual(["FILLED", "10", "95", "2", "CROSS"]);
    expect((await client.listFuturesPositions()).positions).toEqual([]);
  });

  it("refuses prices on the wrong side and a stop already crossed", async () => {
    const { client } = await open();
    const inverted = await client.createOrder({
      client_order_id: "inv",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        trigger_bracket_gtc: { base_size: "1", limit_price: "120", stop_trigger_price: "95" },
      },
    });
    expect(inverted.success).toBe(false);
    if (inverted.success) return;
    expect(inverted.error_response?.preview_failure_reason).toBe("PREVIEW_INVALID_BRACKET_PRICES");
    const crossed = await client.createOrder({
      client_order_id: "crossed",
      product_id: "ETH-USD",
      side: "SELL",
      order_configuration: {
        trigger_bracket_gtc: { base_size: "1", limit_price: "120", stop_trigger_price: "101" },
      },
    });
    expect(crossed.success).toBe(false);
    if (crossed.success) return;
    expect([
      crossed.error_response?.new_order_failure_reason,
      crossed.error_response?.preview_failure_reason,
    ]).toEqual(["INVALID_REQUEST", "PREVIEW_INVALID_BRACKET_STOP_TRIGGER_PRICE"]);
    const broke = await client.createOrder({
      client_order_id: "broke",
      product_id: "ETH-USD",
      side: "SELL",
      order_configuration: {
        trigger_bracket_gtc: { base_size: "11", limit_price: "120", stop_trigger_price: "95" },
      },
    });
    expect(broke.success).toBe(false);
    if (broke.success) return;
    expect(broke.error_response?.new_order_failure_reason).toBe("INSUFFICIENT_FUND");
    expect((await client.listOrders({})).orders).toEqual([]);
  });
});

describe("scaled_limit_gtc", { timeout: 60_000 }, () => {
  it("builds a linear ladder from num_orders and fills it leg by leg as one order", async () => {
    const { client, clock } = await open();
    const id = await placed(client, {
      client_order_id: "ladder",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        scaled_limit_gtc: {
          base_size: "3",
          num_orders: 3,
          min_price: "91",
          max_price: "99",
          price_distribution: "FLAT",
          size_distribution: "LINEAR_INCREASING",
        },
      },
    });
    const before = (await client.getOrder({ order_id: id })).order;
    expect([before.order_type, before.status, before.time_in_force, before.filled_size]).toEqual([
      "SCALED",
      "OPEN",
      "GOOD_UNTIL_CANCELLED",
      "0",
    ]);
    // Holds: 0.5 × 91 + 1 × 95 + 1.5 × 99 = 289 USD plus the fee estimate.
    expect(Number(await available(client, "USD"))).toBeLessThan(100_000 - 289);
    const listed = await client.listOrders({ order_types: ["SCALED"] });
    expect(listed.orders.map((o) => o.order_id)).toEqual([id]);
    clock.advance(HOUR);
    const { order } = await client.getOrder({ order_id: id });
    expect([order.status, order.filled_size, order.number_of_fills]).toEqual([
      "FILLED",
      "3",
      expect.any(Number),
    ]);
    const { fills } = await client.listFills({ order_ids: [id] });
    const byPrice = new Map<string, Decimal>();
    for (const f of fills) byPrice.set(f.price, (byPrice.get(f.price) ?? D(0)).plus(f.size));
    expect([...byPrice].map(([price, size]) => [price, size.toFixed()]).sort()).toEqual([
      ["91", "0.5"],
      ["95", "1"],
      ["99", "1.5"],
    ]);
    expect(Number(order.average_filled_price)).toBeCloseTo(289 / 3, 6);
  });

  it("takes explicit legs, reports partial fills, and cancels the rest", async () => {
    const { client, clock } = await open();
    const id = await placed(client, {
      client_order_id: "legs",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        scaled_limit_gtc: {
          orders: [
            { limit_price: "95", base_size: "1", post_only: true },
            { limit_price: "80", quote_size: "160" },
          ],
        },
      },
    });
    clock.advance(HOUR);
    const partial = (await client.getOrder({ order_id: id })).order;
    expect([partial.status, partial.filled_size, partial.completion_percentage]).toEqual([
      "OPEN",
      "1",
      "33.33",
    ]);
    const cancel = await client.cancelOrders({ order_ids: [id] });
    expect(cancel.results.map((r) => r.success)).toEqual([true]);
    const { order } = await client.getOrder({ order_id: id });
    expect([order.status, order.filled_size]).toEqual(["CANCELLED", "1"]);
  });

  it("refuses an inverted ladder and a leg off the price increment", async () => {
    const { client } = await open();
    const inverted = await client.createOrder({
      client_order_id: "inv",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        scaled_limit_gtc: { base_size: "1", num_orders: 2, min_price: "99", max_price: "91" },
      },
    });
    expect(inverted.success ? "" : inverted.error_response?.new_order_failure_reason).toBe(
      "INVALID_LIMIT_PRICE",
    );
    const offTick = await client.createOrder({
      client_order_id: "tick",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: { scaled_limit_gtc: { orders: [{ limit_price: "90.001", base_size: "1" }] } },
    });
    expect(offTick.success ? "" : offTick.error_response?.new_order_failure_reason).toBe(
      "INVALID_PRICE_PRECISION",
    );
    expect((await client.listOrders({})).orders).toEqual([]);
  });
});

describe("twap_limit_gtd", { timeout: 60_000 }, () => {
  it("places one slice per bucket on the market clock and fills as the buckets run", async () => {
    const { client, clock } = await open();
    const id = await placed(client, {
      client_order_id: "twap",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        twap_limit_gtd: {
          base_size: "1",
          start_time: iso(BAR50),
          end_time: iso(BAR50 + HOUR),
          limit_price: "101",
          number_buckets: "4",
          bucket_size: "0.25",
          bucket_duration: "900s",
        },
      },
    });
    const first = (await client.getOrder({ order_id: id })).order;
    expect([first.order_type, first.time_in_force, first.status, first.filled_size]).toEqual([
      "TWAP",
      "GOOD_UNTIL_DATE_TIME",
      "OPEN",
      "0.25",
    ]);
    clock.advance(20 * MINUTE);
    const second = (await client.getOrder({ order_id: id })).order;
    expect([second.status, second.filled_size]).toEqual(["OPEN", "0.5"]);
    clock.advance(HOUR);
    const { order } = await client.getOrder({ order_id: id });
    expect([order.status, order.filled_size, order.number_of_fills]).toEqual(["FILLED", "1", 4]);
    const { fills } = await client.listFills({ order_ids: [id] });
    const times = fills.map((f) => Date.parse(f.trade_time ?? "")).sort((a, b) => a - b);
    expect(times.map((t) => Math.floor((t - BAR50) / (15 * MINUTE)))).toEqual([0, 1, 2, 3]);
  });

  it("expires with what it filled when the limit is never reached, and refuses a plan that does not fit", async () => {
    const { client, clock } = await open();
    const id = await placed(client, {
      client_order_id: "low",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        twap_limit_gtd: {
          quote_size: "100",
          start_time: iso(BAR50 + 10 * MINUTE),
          end_time: iso(BAR50 + HOUR),
          limit_price: "50",
          number_buckets: "2",
          bucket_size: "50",
          bucket_duration: "1200s",
        },
      },
    });
    const waiting = (await client.getOrder({ order_id: id })).order;
    expect([waiting.status, waiting.size_in_quote, waiting.filled_size]).toEqual(["OPEN", true, "0"]);
    clock.advance(2 * HOUR);
    const { order } = await client.getOrder({ order_id: id });
    expect([order.status, order.filled_size]).toEqual(["EXPIRED", "0"]);
    const tooLong = await client.createOrder({
      client_order_id: "long",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        twap_limit_gtd: {
          base_size: "1",
          start_time: iso(clock.now()),
          end_time: iso(clock.now() + HOUR),
          limit_price: "101",
          number_buckets: "5",
          bucket_size: "0.2",
          bucket_duration: "900s",
        },
      },
    });
    expect(tooLong.success ? "" : tooLong.error_response?.new_order_failure_reason).toBe(
      "UNSUPPORTED_ORDER_CONFIGURATION",
    );
  });
});
