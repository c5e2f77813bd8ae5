import { type CoinbaseClient, createJwtSigner } from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, type SimulatorOptions, startSimulator } from "./server.js";
import { testClient } from "./test-client.js";
import { ecKey } from "./test-keys.js";

const T0 = Date.UTC(2026, 0, 10, 0, 30);
const HOUR = 3_600_000;

/** Hourly bars: flat at 100, then a drop to 90 and a rise to 110 (a known path for fills). */
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

const running: { sim: Simulator; client: CoinbaseClient }[] = [];

async function open(options: SimulatorOptions = {}) {
  const key = ecKey();
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(T0);
  const sim = await startSimulator({
    seed: 3,
    clock,
    keys: [{ name: key.name, publicKey: key.publicKey }],
    ...options,
  });
  const client = testClient(sim.restUrl, key);
  running.push({ sim, client });
  return { sim, client, clock, key: { keyName: key.name, privateKey: key.privateKey } };
}

afterEach(async () => {
  for (const { sim, client } of running.splice(0)) {
    await client.close();
    await sim.close();
  }
});

describe("order types against a known path", { timeout: 60_000 }, () => {
  const options = (): SimulatorOptions => ({
    products: ["ETH-USD"],
    data: { "ETH-USD": CSV },
    clock: new ManualClock(BAR50),
  });

  it("fills a resting GTC limit as maker when the path trades through it", async () => {
    const { client, clock } = await open(options());
    const placed = await client.createOrder({
      client_order_id: "dip",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: { limit_limit_gtc: { base_size: "1", limit_price: "95", post_only: true } },
    });
    expect(placed.success).toBe(true);
    if (!placed.success) return;
    expect((await client.getOrder({ order_id: placed.orderId })).order.status).toBe("OPEN");
    clock.advance(HOUR);
    const { order } = await client.getOrder({ order_id: placed.orderId });
    expect([order.status, order.filled_size, order.average_filled_price]).toEqual(["FILLED", "1", "95"]);
    const { fills } = await client.listFills({ order_ids: [placed.orderId] });
    expect(fills.map((f) => [f.price, f.size, f.liquidity_indicator, f.commission])).toEqual([
      ["95", "1", "MAKER", "0.38"],
    ]);
  });

  it("refuses a post-only limit that would take", async () => {
    const { client } = await open(options());
    const result = await client.createOrder({
      client_order_id: "cross",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: { limit_limit_gtc: { base_size: "1", limit_price: "120", post_only: true } },
    });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.failureReason).toBe("INVALID_LIMIT_PRICE_POST_ONLY");
  });

  it("refuses a quote-sized market sell (raw HTTP: the client refuses to send one)", async () => {
    const { sim, key } = await open(options());
    const url = `${sim.restUrl}/api/v3/brokerage/orders`;
    const response = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${createJwtSigner(key).signRest("POST", url)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        client_order_id: "quote-sell",
        product_id: "ETH-USD",
        side: "SELL",
        order_configuration: { market_market_ioc: { quote_size: "50" } },
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { success: boolean; error_response: Record<string, string> };
    expect(body.success).toBe(false);
    expect(body.error_response.new_order_failure_reason).toBe("UNSUPPORTED_ORDER_CONFIGURATION");
    expect(body.error_response.preview_failure_reason).toBe("PREVIEW_INVALID_ORDER_CONFIG");
    expect(body.error_response.message).toContain("Market sells must be parameterized in base currency");
  });

  it("triggers a stop-limit on the way up", async () => {
    const { client, clock } = await open(options());
    const placed = await client.createOrder({
      client_order_id: "breakout",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        stop_limit_stop_limit_gtc: {
          base_size: "1",
          limit_price: "106",
          stop_price: "105",
          stop_direction: "STOP_DIRECTION_STOP_UP",
        },
      },
    });
    expect(placed.success).toBe(true);
    if (!placed.success) return;
    expect((await client.getOrder({ order_id: placed.orderId })).order.trigger_status).toBe("STOP_PENDING");
    clock.advance(2 * HOUR);
    const { order } = await client.getOrder({ order_id: placed.orderId });
    expect([order.status, order.trigger_status, order.order_type]).toEqual([
      "FILLED",
      "STOP_TRIGGERED",
      "STOP_LIMIT",
    ]);
  });

  it("expires a GTD limit at its end_time", async () => {
    const { client, clock } = await open(options());
    const placed = await client.createOrder({
      client_order_id: "gtd",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        limit_limit_gtd: {
          base_size: "1",
          limit_price: "50",
          end_time: new Date(BAR50 + HOUR / 2).toISOString(),
          post_only: false,
        },
      },
    });
    expect(placed.success).toBe(true);
    if (!placed.success) return;
    clock.advance(HOUR);
    expect((await client.getOrder({ order_id: placed.orderId })).order.status).toBe("EXPIRED");
  });

  it("kills a FOK limit that cannot fill at once", async () => {
    const { client } = await open(options());
    const placed = await client.createOrder({
      client_order_id: "fok",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: { limit_limit_fok: { base_size: "1", limit_price: "60" } },
    });
    expect(placed.success).toBe(true);
    if (!placed.success) return;
    expect((await client.getOrder({ order_id: placed.orderId })).order.status).toBe("CANCELLED");
  });

  it("edits a resting limit (price and size) and records the edit", async () => {
    const { client } = await open(options());
    const placed = await client.createOrder({
      client_order_id: "edit-me",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: { limit_limit_gtc: { base_size: "1", limit_price: "80", post_only: false } },
    });
    if (!placed.success) throw new Error("not placed");
    const edited = await client.editOrder({ order_id: placed.orderId, price: "81", size: "2" });
    expect(edited.success).toBe(true);
    const { order } = await client.getOrder({ order_id: placed.orderId });
    expect(order.order_configuration).toEqual({
      limit_limit_gtc: { base_size: "2", limit_price: "81", post_only: false },
    });
    expect(order.edit_history?.length).toBe(1);
    const again = await client.editOrder({ order_id: placed.orderId, price: "81", size: "2" });
    expect(again.success).toBe(false);
  });

  it("runs an attached bracket: entry, then the take-profit fills and the order completes", async () => {
    const { client, clock } = await open(options());
    const placed = await client.createOrder({
      client_order_id: "bracket",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { base_size: "1" } },
      attached_order_configuration: { trigger_bracket_gtc: { limit_price: "105", stop_trigger_price: "80" } },
    });
    expect(placed.success).toBe(true);
    if (!placed.success) return;
    const { order: entry } = await client.getOrder({ order_id: placed.orderId });
    expect(entry.status).toBe("FILLED");
    const attachedId = entry.attached_order_id ?? "";
    expect(attachedId).not.toBe("");
    clock.advance(2 * HOUR);
    const { order: legs } = await client.getOrder({ order_id: attachedId });
    expect([legs.order_type, legs.status, legs.side, legs.average_filled_price]).toEqual([
      "BRACKET",
      "FILLED",
      "SELL",
      "105",
    ]);
  });
});

describe("futures", { timeout: 60_000 }, () => {
  it("charges hourly funding on an open BIP position through the margin engine", async () => {
    const { sim, client, clock } = await open({ fundingRate: "0.001", rateLimit: false });
    const placed = await client.createOrder({
      client_order_id: "long-bip",
      product_id: "BIP-20DEC30-CDE",
      side: "BUY",
      order_configuration: { market_market_ioc: { base_size: "10" } },
      leverage: "2",
      margin_type: "CROSS",
    });
    expect(placed.success).toBe(true);
    const cash = async () =>
      Number((await client.getFuturesBalanceSummary()).balance_summary.cfm_usd_balance?.value);
    const before = await cash();
    clock.advance(3 * HOUR);
    const after = await cash();
    // Three hourly payments of 0.1 % on ~10 × 0.01 BTC ≈ $6,000 notional: about $18 paid by the long.
    expect(before - after).toBeGreaterThan(10);
    expect(before - after).toBeLessThan(30);
    const { position } = await client.getFuturesPosition({ product_id: "BIP-20DEC30-CDE" });
    expect([position.side, position.number_of_contracts]).toEqual(["LONG", "10"]);
    expect(sim.audit.entries({ path: "/orders", method: "POST" }).length).toBe(1);
    const closed = await client.closePosition({
      client_order_id: "close-bip",
      product_id: "BIP-20DEC30-CDE",
    });
    expect(closed.success).toBe(true);
    expect((await client.listFuturesPositions()).positions).toEqual([]);
    const again = await client.closePosition({
      client_order_id: "close-bip-2",
      product_id: "BIP-20DEC30-CDE",
    });
    expect(again.success).toBe(false);
  });
});

describe("pagination and determinism", { timeout: 60_000 }, () => {
  it("pages list orders and accounts with cursors", async () => {
    const { client } = await open();
    for (let i = 0; i < 5; i++) {
      await client.createOrder({
        client_order_id: `page-${i}`,
        product_id: "BTC-USD",
        side: "BUY",
        order_configuration: {
          limit_limit_gtc: { base_size: "0.001", limit_price: String(1000 + i), post_only: false },
        },
      });
    }
    const first = await client.listOrders({ limit: 2 });
    expect(first.orders.map((o) => o.client_order_id)).toEqual(["page-4", "page-3"]);
    expect(first.has_next).toBe(true);
    const second = await client.listOrders({ limit: 2, cursor: first.cursor ?? "" });
    expect(second.orders.map((o) => o.client_order_id)).toEqual(["page-2", "page-1"]);
    const accounts = await client.listAccounts({ limit: 1 });
    expect([accounts.accounts.length, accounts.has_next]).toEqual([1, true]);
  });

  it("gives the same ids, fills and bodies for the same seed and clock", async () => {
    const run = async () => {
      const { sim, client, clock } = await open({ seed: 11 });
      await client.createOrder({
        client_order_id: "same",
        product_id: "BTC-USD",
        side: "BUY",
        order_configuration: { market_market_ioc: { quote_size: "500" } },
      });
      clock.advance(HOUR);
      const fills = await client.listFills({});
      const book = await client.getProductBook({ product_id: "BTC-USD", limit: 3 });
      return {
        audit: sim.audit.entries({ path: "/orders" }).map((e) => e.responseBody),
        fills: fills.fills,
        book,
      };
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
  });
});
