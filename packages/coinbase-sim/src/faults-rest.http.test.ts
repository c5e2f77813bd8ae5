import {
  type CoinbaseClient,
  createCoinbaseClient,
  isCoinbaseClientError,
  type OrderConfiguration,
} from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CoinbaseSimError } from "./errors.js";
import type { SimFaults } from "./faults.js";
import type { SimTimers } from "./faults-rest.js";
import { type Simulator, type SimulatorOptions, startSimulator } from "./server.js";
import { ecKey } from "./test-keys.js";

const T0 = Date.UTC(2026, 0, 10, 0, 30);
/** How long a condition may take to come true on our busy shared machine. */
const WAIT = { timeout: 20_000, interval: 20 };
const key = ecKey();
const opened: { sim: Simulator; client: CoinbaseClient }[] = [];

async function open(
  faults: SimFaults,
  options: SimulatorOptions = {},
  clientOptions: { retry?: false; timeoutMs?: number } = {},
) {
  const clock = new ManualClock(T0);
  const sim = await startSimulator({
    seed: 3,
    clock,
    keys: [{ name: key.name, publicKey: key.publicKey }],
    faults,
    ...options,
  });
  const client = createCoinbaseClient({
    baseUrl: sim.restUrl,
    credentials: { keyName: key.name, privateKey: key.privateKey },
    rateLimit: false,
    retry: clientOptions.retry ?? { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 },
    ...(clientOptions.timeoutMs === undefined ? {} : { timeoutMs: clientOptions.timeoutMs }),
  });
  opened.push({ sim, client });
  return { sim, client, clock };
}

afterEach(async () => {
  for (const { sim, client } of opened.splice(0)) {
    await client.close();
    await sim.close();
  }
});

const statuses = (sim: Simulator, path: string) => sim.audit.entries({ path }).map((entry) => entry.status);

describe("REST faults", { timeout: 60_000 }, () => {
  it("a 429 burst: Coinbase's body and headers, the client's retries recover, the audit names the rule", async () => {
    const { sim, client } = await open({
      rest: [{ kind: "rate-limit", path: "/products", method: "GET", count: 2, resetSeconds: 0 }],
    });
    const { products } = await client.listProducts({});
    expect(products.length).toBe(4);
    expect(statuses(sim, "/products")).toEqual([429, 429, 200]);
    const limited = sim.audit.entries({ fault: "rate-limit" });
    expect(limited.map((entry) => entry.faults)).toEqual([
      [{ part: "rest", index: 0, kind: "rate-limit" }],
      [{ part: "rest", index: 0, kind: "rate-limit" }],
    ]);
    expect(limited[0]?.responseBody).toEqual({
      error: "RATE_LIMIT_EXCEEDED",
      code: 8,
      message: "Too many requests",
    });

    sim.setFaults({ rest: [{ kind: "rate-limit", body: "html", count: 1 }] });
    const raw = await fetch(`${sim.restUrl}/api/v3/brokerage/market/products`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get("content-type")).toBe("text/html");
    expect([
      raw.headers.get("x-ratelimit-limit"),
      raw.headers.get("x-ratelimit-remaining"),
      raw.headers.get("x-ratelimit-reset"),
    ]).toEqual(["10", "0", "1"]);
    expect(await raw.text()).toMatch(/^<html><head><title>Coinbase<\/title>/);
    expect((await fetch(`${sim.restUrl}/api/v3/brokerage/market/products`)).status).toBe(200);
  });

  it("5xx answers: Coinbase-like bodies; the client retries a GET through them and reports the last", async () => {
    const { sim, client } = await open({
      rest: [
        { kind: "server-error", status: 500, path: "/time", count: 1 },
        { kind: "server-error", status: 502, path: "/time", count: 1 },
        { kind: "server-error", status: 503, path: "/time", count: 1 },
      ],
    });
    expect((await client.getServerTime()).epochMillis).toBe(String(T0));
    expect(statuses(sim, "/time")).toEqual([500, 502, 503, 200]);
    expect(sim.audit.entries({ path: "/time" })[2]?.responseBody).toEqual({
      error: "UNAVAILABLE",
      error_details: "Service unavailable",
      message: "Service unavailable",
    });

    sim.setFaults({ rest: [{ kind: "server-error", status: 504, path: "/time" }] });
    const failure = await client.getServerTime().catch((error: unknown) => error);
    expect(isCoinbaseClientError(failure) && [failure.code, failure.status, failure.coinbaseCode]).toEqual([
      "http",
      504,
      "DEADLINE_EXCEEDED",
    ]);
    expect(statuses(sim, "/time").slice(4)).toEqual([504, 504, 504, 504]);
  });

  it("latency waits on the injected timer before the request is handled", async () => {
    const scheduled: { run: () => void; ms: number }[] = [];
    const timers: SimTimers = {
      setTimeout: (run, ms) => scheduled.push({ run, ms }),
      clearTimeout: () => undefined,
    };
    const { sim } = await open({ rest: [{ kind: "latency", ms: 1500, count: 1 }] }, { timers });
    let answered = false;
    const response = fetch(`${sim.restUrl}/api/v3/brokerage/time`).then((r) => {
      answered = true;
      return r;
    });
    await vi.waitFor(() => expect(scheduled.map((s) => s.ms)).toEqual([1500]), WAIT);
    expect(answered).toBe(false);
    expect(sim.audit.entries()).toEqual([]);
    scheduled[0]?.run();
    expect((await response).status).toBe(200);
    expect(sim.audit.entries()[0]?.faults).toEqual([{ part: "rest", index: 0, kind: "latency" }]);
    expect((await fetch(`${sim.restUrl}/api/v3/brokerage/time`)).status).toBe(200);
    expect(scheduled.length).toBe(1);
  });

  it("a hung request times out on the client with its typed error; closing the simulator ends the rest", async () => {
    const { sim, client } = await open(
      { rest: [{ kind: "hang", path: "/time", count: 1 }] },
      {},
      { retry: false, timeoutMs: 1_000 },
    );
    const failure = await client.getServerTime().catch((error: unknown) => error);
    expect(isCoinbaseClientError(failure) && failure.code).toBe("timeout");
    expect(sim.audit.entries({ fault: "hang" }).map((entry) => entry.status)).toEqual([0]);
    expect((await client.getServerTime()).epochMillis).toBe(String(T0));

    sim.setFaults({ rest: [{ kind: "hang" }] });
    const hung = fetch(`${sim.restUrl}/api/v3/brokerage/time`).then(
      () => "answered",
      () => "connection closed",
    );
    await vi.waitFor(() => expect(sim.audit.entries({ fault: "hang" }).length).toBe(2), WAIT);
    await sim.close();
    expect(await hung).toBe("connection closed");
  });

  it("refuses a bad script at start and in setFaults, naming the field", async () => {
    const error = await startSimulator({ faults: { rest: [{ kind: "hang", count: -1 }] } }).catch(
      (e: unknown) => e,
    );
    expect(error instanceof CoinbaseSimError && [error.code, error.context.field]).toEqual([
      "invalid-config",
      "faults.rest[0].count",
    ]);
    const { sim } = await open({});
    expect(() =>
      sim.setFaults({ orders: [{ kind: "reject", reason: "INSUFFICIENT_FUND", product: "XRP-USD" }] }),
    ).toThrow(/faults\.orders\[0\]\.product/);
  });
});

describe("lost create-order responses: the client's lookup and the audit log", { timeout: 60_000 }, () => {
  const order = (id: string) => ({
    client_order_id: id,
    product_id: "BTC-USD",
    side: "BUY" as const,
    order_configuration: { market_market_ioc: { base_size: "0.001" } },
  });

  it("a 5xx after the order was placed: the lookup finds it, placed once", async () => {
    const { sim, client } = await open({
      rest: [
        { kind: "server-error", status: 503, path: "/orders", method: "POST", count: 1, processed: true },
      ],
    });
    const placed = await client.createOrder(order("lost-503"));
    expect(placed.success && placed.resolvedBy).toBe("lookup");
    expect(sim.audit.clientOrders()).toEqual([
      { clientOrderId: "lost-503", orderId: placed.success ? placed.orderId : "", requests: 1 },
    ]);
    expect(sim.audit.duplicates()).toEqual([]);
    expect(statuses(sim, "/orders")).toEqual([503]);
    const { orders } = await client.listOrders({ product_ids: ["BTC-USD"] });
    expect(orders.filter((o) => o.client_order_id === "lost-503").length).toBe(1);
  });

  it("a 5xx before the order was placed: the lookup finds nothing, the client resends, placed once", async () => {
    const { sim, client } = await open({
      rest: [{ kind: "server-error", status: 500, path: "/orders", method: "POST", count: 1 }],
    });
    const placed = await client.createOrder(order("refused-500"));
    expect(placed.success && placed.resolvedBy).toBe("response");
    expect(statuses(sim, "/orders")).toEqual([500, 200]);
    expect(sim.audit.clientOrders().map((c) => [c.clientOrderId, c.requests])).toEqual([["refused-500", 1]]);
    const { orders } = await client.listOrders({ product_ids: ["BTC-USD"] });
    expect(orders.filter((o) => o.client_order_id === "refused-500").length).toBe(1);
  });

  it("a hung create after the order was placed: the client times out, looks it up, placed once", async () => {
    const { sim, client } = await open(
      { rest: [{ kind: "hang", path: "/orders", method: "POST", count: 1, processed: true }] },
      {},
      { timeoutMs: 1_500 },
    );
    const placed = await client.createOrder(order("hung"));
    expect(placed.success && placed.resolvedBy).toBe("lookup");
    expect(sim.audit.clientOrders().map((c) => c.requests)).toEqual([1]);
    expect(statuses(sim, "/orders")).toEqual([0]);
  });
});

describe("order faults", { timeout: 60_000 }, () => {
  it("rejects the next order for a product with the chosen reason, then lets orders through", async () => {
    const { sim, client } = await open({
      orders: [{ kind: "reject", reason: "INSUFFICIENT_FUND", product: "ETH-USD", count: 1 }],
    });
    const market = (id: string, product: string) =>
      client.createOrder({
        client_order_id: id,
        product_id: product,
        side: "BUY",
        order_configuration: { market_market_ioc: { base_size: "0.01" } },
      });
    expect((await market("btc", "BTC-USD")).success).toBe(true);
    const refused = await market("eth-1", "ETH-USD");
    expect(
      !refused.success && [refused.failureReason, refused.error_response?.preview_failure_reason],
    ).toEqual(["INSUFFICIENT_FUND", "PREVIEW_INSUFFICIENT_FUND"]);
    expect((await market("eth-2", "ETH-USD")).success).toBe(true);
    expect(sim.audit.entries({ fault: "reject" }).map((e) => e.faults)).toEqual([
      [{ part: "orders", index: 0, kind: "reject" }],
    ]);
    sim.setFaults({ orders: [{ kind: "reject", reason: "INVALID_LIMIT_PRICE_POST_ONLY" }] });
    const again = await market("eth-3", "ETH-USD");
    expect(!again.success && again.failureReason).toBe("INVALID_LIMIT_PRICE_POST_ONLY");
  });

  it("partial fills: IOC remainder canceled, GTC remainder rests until the book crosses it, FOK killed", async () => {
    const { sim, client, clock } = await open({
      orders: [{ kind: "partial-fill", fraction: 0.4, product: "BTC-USD" }],
    });
    const place = async (id: string, configuration: OrderConfiguration) => {
      const placed = await client.createOrder({
        client_order_id: id,
        product_id: "BTC-USD",
        side: "BUY",
        order_configuration: configuration,
      });
      if (!placed.success) throw new Error(`refused: ${placed.failureReason}`);
      return (await client.getOrder({ order_id: placed.orderId })).order;
    };
    const ioc = await place("ioc", { market_market_ioc: { base_size: "0.01" } });
    expect([ioc.status, ioc.filled_size]).toEqual(["CANCELLED", "0.004"]);
    const { pricebook } = await client.getProductBook({ product_id: "BTC-USD", limit: 1 });
    const through = (Number(pricebook.asks[0]?.price) + 500).toFixed(2);
    const gtc = await place("gtc", { limit_limit_gtc: { base_size: "0.02", limit_price: through } });
    expect([gtc.status, gtc.filled_size]).toEqual(["OPEN", "0.008"]);
    const fok = await place("fok", { limit_limit_fok: { base_size: "0.01", limit_price: through } });
    expect([fok.status, fok.filled_size]).toEqual(["CANCELLED", "0"]);
    // A resting limit is not marketable: no partial fill, nothing used.
    const resting = await place("rest", { limit_limit_gtc: { base_size: "0.01", limit_price: "1000.00" } });
    expect([resting.status, resting.filled_size]).toEqual(["OPEN", "0"]);
    expect(sim.audit.entries({ fault: "partial-fill" }).length).toBe(3);
    clock.advance(60_000);
    const later = await client.getOrder({ order_id: gtc.order_id });
    expect([later.order.status, later.order.filled_size]).toEqual(["FILLED", "0.02"]);
  });
});

describe("determinism", { timeout: 60_000 }, () => {
  it("the same seed, data, clock and fault script give the same responses", async () => {
    const script: SimFaults = {
      rest: [
        { kind: "rate-limit", path: "/orders", count: 1, resetSeconds: 0 },
        { kind: "server-error", status: 502, path: "/orders/historical/*", count: 1 },
      ],
      orders: [
        { kind: "partial-fill", fraction: 0.5, count: 1 },
        { kind: "reject", reason: "INSUFFICIENT_FUND", count: 1 },
      ],
    };
    const run = async () => {
      const { sim, client, clock } = await open(script);
      for (const id of ["a", "b", "c"]) {
        // The first create gets the 429: the client does not resend a create on its own.
        const placed = await client
          .createOrder({
            client_order_id: id,
            product_id: "ETH-USD",
            side: "SELL",
            order_configuration: { market_market_ioc: { base_size: "0.5" } },
          })
          .catch(() => undefined);
        if (placed?.success === true) await client.getOrder({ order_id: placed.orderId });
        clock.advance(5_000);
      }
      return sim.audit.entries().map(({ time, method, path, status, responseBody, faults }) => ({
        time,
        method,
        path,
        status,
        responseBody,
        faults,
      }));
    };
    const first = await run();
    const second = await run();
    expect(first.map((e) => e.status)).toContain(429);
    expect(first.map((e) => e.status)).toContain(502);
    expect(second).toEqual(first);
  });
});
