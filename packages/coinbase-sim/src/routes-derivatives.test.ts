import { ManualClock } from "@gpt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTX_PORTFOLIO_UUID } from "./account-state.js";
import { type Simulator, startSimulator } from "./server.js";
import { testClient } from "./test-client.js";
import { signedFetch } from "./test-http.js";
import { ecKey } from "./test-keys.js";

// A Saturday; the intraday window of a weekday is checked by moving the clock.
const T0 = Date.UTC(2026, 0, 10, 0, 30);

function clientFor(sim: Simulator, key: ReturnType<typeof ecKey>) {
  return testClient(sim.restUrl, key);
}

describe("CFM sweeps and intraday margin", { timeout: 60_000 }, () => {
  const key = ecKey();
  const clock = new ManualClock(T0);
  let sim: Simulator;
  let client: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, clock, keys: [key] });
    client = clientFor(sim, key);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it("schedules, lists and cancels a sweep; one at a time", async () => {
    expect((await client.listFuturesSweeps()).sweeps).toEqual([]);
    expect(await client.scheduleFuturesSweep({ usd_amount: "250" })).toEqual({ success: true });
    const { sweeps } = await client.listFuturesSweeps();
    expect(
      sweeps.map((s) => [s.requested_amount?.value, s.should_sweep_all, s.status, s.schedule_time]),
    ).toEqual([["250", false, "PENDING", "2026-01-10T22:00:00.000Z"]]);
    const second = await signedFetch(sim.restUrl, key, "POST", "/cfm/sweeps/schedule", {});
    expect(second).toMatchObject({ status: 400, body: { error: "INVALID_ARGUMENT" } });
    expect(await client.cancelPendingFuturesSweep()).toEqual({ success: true });
    expect((await client.listFuturesSweeps()).sweeps).toEqual([]);
    expect(await signedFetch(sim.restUrl, key, "DELETE", "/cfm/sweeps")).toMatchObject({ status: 400 });
    await client.scheduleFuturesSweep({});
    expect((await client.listFuturesSweeps()).sweeps[0]?.should_sweep_all).toBe(true);
    await client.cancelPendingFuturesSweep();
    const tooMuch = await signedFetch(sim.restUrl, key, "POST", "/cfm/sweeps/schedule", {
      usd_amount: "60000",
    });
    expect(tooMuch).toMatchObject({ status: 400 });
  });

  it("keeps the intraday margin setting and reports the margin window", async () => {
    expect((await client.getIntradayMarginSetting()).setting).toBe("INTRADAY_MARGIN_SETTING_STANDARD");
    expect(await client.setIntradayMarginSetting({ setting: "INTRADAY_MARGIN_SETTING_INTRADAY" })).toEqual(
      {},
    );
    expect((await client.getIntradayMarginSetting()).setting).toBe("INTRADAY_MARGIN_SETTING_INTRADAY");
    const bad = await signedFetch(sim.restUrl, key, "POST", "/cfm/intraday/margin_setting", {
      setting: "MAX",
    });
    expect(bad).toMatchObject({ status: 400, body: { error: "INVALID_ARGUMENT" } });
    const profile = { margin_profile_type: "MARGIN_PROFILE_TYPE_RETAIL_REGULAR" } as const;
    expect((await client.getCurrentMarginWindow(profile)).margin_window).toEqual({
      margin_window_type: "FCM_MARGIN_WINDOW_TYPE_WEEKEND",
      end_time: "2026-01-12T13:00:00.000Z",
    });
    clock.set(Date.UTC(2026, 0, 12, 15, 0));
    expect((await client.getCurrentMarginWindow(profile)).margin_window).toEqual({
      margin_window_type: "FCM_MARGIN_WINDOW_TYPE_INTRADAY",
      end_time: "2026-01-12T21:00:00.000Z",
    });
    clock.set(Date.UTC(2026, 0, 12, 23, 0));
    expect((await client.getCurrentMarginWindow(profile)).margin_window).toEqual({
      margin_window_type: "FCM_MARGIN_WINDOW_TYPE_OVERNIGHT",
      end_time: "2026-01-13T13:00:00.000Z",
    });
  });

  it("answers /cfm/* with 404 when no futures product is listed (raw HTTP)", async () => {
    const spotOnly = await startSimulator({ products: ["BTC-USD"], clock: new ManualClock(T0), keys: [key] });
    try {
      for (const path of ["/cfm/sweeps", "/cfm/intraday/margin_setting"]) {
        expect(await signedFetch(spotOnly.restUrl, key, "GET", path)).toMatchObject({
          status: 404,
          body: { error: "NOT_FOUND" },
        });
      }
    } finally {
      await spotOnly.close();
    }
  });
});

describe("INTX perpetuals (intx: true)", { timeout: 60_000 }, () => {
  const key = ecKey();
  let sim: Simulator;
  let client: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, intx: true, clock: new ManualClock(T0), keys: [key] });
    client = clientFor(sim, key);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it("lists the INTX portfolio and reports its positions, summary and balances", async () => {
    const { portfolios } = await client.listPortfolios({ portfolio_type: "INTX" });
    expect(portfolios.map((p) => p.uuid)).toEqual([INTX_PORTFOLIO_UUID]);
    const params = { portfolio_uuid: INTX_PORTFOLIO_UUID };
    expect((await client.listPerpetualsPositions(params)).positions).toEqual([]);
    const placed = await client.createOrder({
      product_id: "BTC-PERP-INTX",
      side: "BUY",
      order_configuration: { market_market_ioc: { base_size: "0.01" } },
      leverage: "2",
    });
    expect(placed.success).toBe(true);
    const { positions, portfolio_summary } = await client.listPerpetualsPositions(params);
    expect(positions.map((p) => [p.symbol, p.position_side, p.net_size])).toEqual([
      ["BTC-PERP-INTX", "POSITION_SIDE_LONG", "0.01"],
    ]);
    expect(portfolio_summary?.portfolio_uuid).toBe(INTX_PORTFOLIO_UUID);
    const one = await client.getPerpetualsPosition({ ...params, symbol: "BTC-PERP-INTX" });
    expect(one.position.symbol).toBe("BTC-PERP-INTX");
    const summary = await client.getPerpetualsPortfolioSummary(params);
    expect(summary.portfolios?.length).toBe(1);
    expect(summary.summary?.total_balance).toMatchObject({ currency: "USDC" });
    const balances = await client.getPortfolioBalances(params);
    expect(balances.portfolio_balances[0]?.balances?.[0]?.asset?.asset_name).toBe("USDC");
    expect(
      (await client.optInOutMultiAssetCollateral({ ...params, multi_asset_collateral_enabled: true }))
        .cross_collateral_enabled,
    ).toBe(true);
    expect(
      await client.allocatePortfolio({ ...params, symbol: "BTC-PERP-INTX", amount: "10", currency: "USDC" }),
    ).toEqual({});
    const preview = await client.previewOrders({
      product_id: "ETH-PERP-INTX",
      side: "SELL",
      order_configuration: { market_market_ioc: { base_size: "0.1" } },
    });
    expect(preview.errs).toEqual([]);
    expect(Number(preview.current_liquidation_buffer)).toBeGreaterThan(0);
    const closed = await client.closePosition({ product_id: "BTC-PERP-INTX" });
    expect(closed.success).toBe(true);
    expect((await client.listPerpetualsPositions(params)).positions).toEqual([]);
  });

  it("answers other portfolios, unknown symbols and a simulator without INTX with 404 (raw HTTP)", async () => {
    const other = "0f0e0d0c-0b0a-4909-8807-060504030201";
    expect(await signedFetch(sim.restUrl, key, "GET", `/intx/positions/${other}`)).toMatchObject({
      status: 404,
      body: { error: "NOT_FOUND" },
    });
    expect(
      await signedFetch(sim.restUrl, key, "GET", `/intx/positions/${INTX_PORTFOLIO_UUID}/ETH-PERP-INTX`),
    ).toMatchObject({ status: 404 });
    const plain = await startSimulator({ clock: new ManualClock(T0), keys: [key] });
    try {
      expect(
        await signedFetch(plain.restUrl, key, "GET", `/intx/portfolio/${INTX_PORTFOLIO_UUID}`),
      ).toMatchObject({
        status: 404,
      });
    } finally {
      await plain.close();
    }
  });
});
