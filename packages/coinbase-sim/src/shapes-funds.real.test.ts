import { readFileSync } from "node:fs";
import { ManualClock } from "@gpt/core";
import { requireShared } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PORTFOLIO_UUID, INTX_PORTFOLIO_UUID } from "./account-state.js";
import { type Simulator, startSimulator } from "./server.js";
import { signedFetch } from "./test-http.js";
import { ecKey } from "./test-keys.js";

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(requireShared("fixtures", "coinbase-advanced-trade", "rest", name), "utf8"));
}

/**
 * The fields of the recorded `real` payload that `ours` lacks or sends with another JSON type
 * (null matches anything). Recurses into objects and into every element of arrays on our side.
 */
function differences(real: unknown, ours: unknown, path = "$"): string[] {
  if (real === null || ours === null) return [];
  if (Array.isArray(real)) {
    if (!Array.isArray(ours)) return [`${path}: array expected`];
    const sample = real[0];
    return sample === undefined ? [] : ours.flatMap((item, i) => differences(sample, item, `${path}[${i}]`));
  }
  if (typeof real === "object") {
    if (typeof ours !== "object" || Array.isArray(ours)) return [`${path}: object expected`];
    return Object.entries(real as Record<string, unknown>).flatMap(([key, value]) =>
      key in (ours as Record<string, unknown>)
        ? differences(value, (ours as Record<string, unknown>)[key], `${path}.${key}`)
        : [`${path}.${key}: missing`],
    );
  }
  return typeof real === typeof ours ? [] : [`${path}: ${typeof real} expected, got ${typeof ours}`];
}

describe("transfer, account and INTX payloads match the recorded Coinbase payloads", {
  timeout: 120_000,
}, () => {
  const key = ecKey();
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({
      intx: true,
      clock: new ManualClock(Date.UTC(2026, 0, 10, 12)),
      keys: [key],
    });
  });
  afterAll(() => sim.close());

  it("GET /accounts: every wallet and the futures account", async () => {
    const ours = await signedFetch(sim.restUrl, key, "GET", "/accounts");
    expect(ours.status).toBe(200);
    expect((ours.body as { accounts: unknown[] }).accounts.length).toBeGreaterThan(3);
    expect(differences(fixture("GET_accounts.ccxt-comment.json"), ours.body)).toEqual([]);
  });

  it("POST /portfolios/move_funds", async () => {
    const created = await signedFetch(sim.restUrl, key, "POST", "/portfolios", { name: "Shapes" });
    const target = (created.body as { portfolio: { uuid: string } }).portfolio.uuid;
    const ours = await signedFetch(sim.restUrl, key, "POST", "/portfolios/move_funds", {
      funds: { value: "10", currency: "USD" },
      source_portfolio_uuid: DEFAULT_PORTFOLIO_UUID,
      target_portfolio_uuid: target,
    });
    expect(ours.status).toBe(200);
    expect(differences(fixture("POST_portfolios_move_funds.ccxt.json"), ours.body)).toEqual([]);
  });

  it("GET /intx/positions/{portfolio_uuid} with an open position", async () => {
    const placed = await signedFetch(sim.restUrl, key, "POST", "/orders", {
      client_order_id: "shape-intx",
      product_id: "ETH-PERP-INTX",
      side: "SELL",
      order_configuration: { market_market_ioc: { base_size: "0.5" } },
    });
    expect(placed.body).toMatchObject({ success: true });
    const ours = await signedFetch(sim.restUrl, key, "GET", `/intx/positions/${INTX_PORTFOLIO_UUID}`);
    expect(ours.status).toBe(200);
    expect((ours.body as { positions: unknown[] }).positions.length).toBe(1);
    expect(differences(fixture("GET_intx_positions_PORTFOLIO.ccxt.json"), ours.body)).toEqual([]);
  });
});
