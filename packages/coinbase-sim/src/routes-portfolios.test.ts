import type { CoinbaseClient } from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PORTFOLIO_UUID } from "./account-state.js";
import { type Simulator, startSimulator } from "./server.js";
import { testClient } from "./test-client.js";
import { signedFetch } from "./test-http.js";
import { ecKey } from "./test-keys.js";

const T0 = Date.UTC(2026, 0, 10, 0, 30);

describe("portfolios, funds, convert, payment methods and key permissions", { timeout: 60_000 }, () => {
  const key = ecKey();
  const clock = new ManualClock(T0);
  let sim: Simulator;
  let client: CoinbaseClient;

  beforeAll(async () => {
    // The requests of these tests come faster than the 30 a second of the default limit.
    sim = await startSimulator({ seed: 3, clock, keys: [key], rateLimit: false });
    client = testClient(sim.restUrl, key);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  const usdFree = async () =>
    (await client.listAccounts({})).accounts.find(
      (a) => a.currency === "USD" && a.platform === "ACCOUNT_PLATFORM_CONSUMER",
    )?.available_balance.value;

  it("says what the key may do and which portfolio it belongs to", async () => {
    expect(await client.getApiKeyPermissions()).toEqual({
      can_view: true,
      can_trade: true,
      can_transfer: true,
      portfolio_uuid: DEFAULT_PORTFOLIO_UUID,
      portfolio_type: "DEFAULT",
    });
  });

  it("lists the spot wallets and the futures account", async () => {
    const { accounts } = await client.listAccounts({});
    const futures = accounts.filter((a) => a.platform === "ACCOUNT_PLATFORM_CFM_CONSUMER");
    expect(futures.map((a) => [a.currency, a.available_balance.value, a.hold?.value])).toEqual([
      ["USD", "50000", "0"],
    ]);
    expect(accounts.every((a) => a.retail_portfolio_id === DEFAULT_PORTFOLIO_UUID)).toBe(true);
  });

  it("creates, renames, breaks down, funds and deletes a portfolio", async () => {
    const { portfolio } = await client.createPortfolio({ name: "Bot" });
    expect(portfolio).toMatchObject({ name: "Bot", type: "CONSUMER", deleted: false });
    const renamed = await client.editPortfolio({ portfolio_uuid: portfolio.uuid, name: "Bot 2" });
    expect(renamed.portfolio.name).toBe("Bot 2");
    expect((await client.listPortfolios({})).portfolios.map((p) => [p.name, p.type])).toEqual([
      ["Default", "DEFAULT"],
      ["Bot 2", "CONSUMER"],
    ]);
    expect((await client.listPortfolios({ portfolio_type: "CONSUMER" })).portfolios.length).toBe(1);

    const moved = await client.movePortfolioFunds({
      funds: { value: "250", currency: "USD" },
      source_portfolio_uuid: DEFAULT_PORTFOLIO_UUID,
      target_portfolio_uuid: portfolio.uuid,
    });
    expect(moved).toEqual({
      source_portfolio_uuid: DEFAULT_PORTFOLIO_UUID,
      target_portfolio_uuid: portfolio.uuid,
    });
    expect(await usdFree()).toBe("99750");
    const bot = await client.getPortfolioBreakdown({ portfolio_uuid: portfolio.uuid, currency: "USD" });
    expect(bot.breakdown.portfolio_balances?.total_balance?.value).toBe("250");
    expect(bot.breakdown.spot_positions?.map((p) => p.asset)).toEqual(["USD"]);
    const main = await client.getPortfolioBreakdown({ portfolio_uuid: DEFAULT_PORTFOLIO_UUID });
    expect(main.breakdown.portfolio_balances?.total_cash_equivalent_balance?.value).toBe("99750");
    expect(Number(main.breakdown.portfolio_balances?.total_crypto_balance?.value)).toBeGreaterThan(0);
    expect(main.breakdown.portfolio_balances?.total_futures_balance?.value).toBe("50000");

    // Not empty: refused; emptied: deleted and gone from the list.
    const refused = await signedFetch(sim.restUrl, key, "DELETE", `/portfolios/${portfolio.uuid}`);
    expect(refused).toMatchObject({ status: 400, body: { error: "INVALID_ARGUMENT" } });
    await client.movePortfolioFunds({
      funds: { value: "250", currency: "USD" },
      source_portfolio_uuid: portfolio.uuid,
      target_portfolio_uuid: DEFAULT_PORTFOLIO_UUID,
    });
    expect(await usdFree()).toBe("100000");
    expect(await client.deletePortfolio({ portfolio_uuid: portfolio.uuid })).toEqual({});
    expect((await client.listPortfolios({})).portfolios.map((p) => p.name)).toEqual(["Default"]);
  });

  it("refuses bad portfolio requests with Coinbase's error bodies (raw HTTP)", async () => {
    const unknown = "0f0e0d0c-0b0a-4909-8807-060504030201";
    expect(await signedFetch(sim.restUrl, key, "GET", `/portfolios/${unknown}`)).toMatchObject({
      status: 404,
      body: { error: "NOT_FOUND" },
    });
    expect(await signedFetch(sim.restUrl, key, "POST", "/portfolios", { name: "" })).toMatchObject({
      status: 400,
      body: { error: "INVALID_ARGUMENT" },
    });
    expect(await signedFetch(sim.restUrl, key, "POST", "/portfolios", { name: "Default" })).toMatchObject({
      status: 400,
    });
    expect(
      await signedFetch(sim.restUrl, key, "DELETE", `/portfolios/${DEFAULT_PORTFOLIO_UUID}`),
    ).toMatchObject({
      status: 400,
    });
    const { portfolio } = await client.createPortfolio({ name: "Empty" });
    const tooMuch = await signedFetch(sim.restUrl, key, "POST", "/portfolios/move_funds", {
      funds: { value: "1", currency: "USD" },
      source_portfolio_uuid: portfolio.uuid,
      target_portfolio_uuid: DEFAULT_PORTFOLIO_UUID,
    });
    expect(tooMuch).toMatchObject({ status: 400, body: { error: "INVALID_ARGUMENT" } });
    expect(await signedFetch(sim.restUrl, key, "GET", "/portfolios?portfolio_type=NOPE")).toMatchObject({
      status: 400,
    });
  });

  it("quotes, commits and looks up a USD to USDC convert", async () => {
    const quote = await client.createConvertQuote({ from_account: "USD", to_account: "USDC", amount: "100" });
    expect(quote.trade).toMatchObject({
      status: "TRADE_STATUS_CREATED",
      amount: { value: "100", currency: "USD" },
      source_currency: "USD",
      target_currency: "USDC",
    });
    const params = { trade_id: quote.trade.id, from_account: "USD", to_account: "USDC" };
    expect((await client.getConvertTrade(params)).trade.status).toBe("TRADE_STATUS_CREATED");
    const done = await client.commitConvertTrade(params);
    expect(done.trade.status).toBe("TRADE_STATUS_COMPLETED");
    const { accounts } = await client.listAccounts({});
    expect(accounts.find((a) => a.currency === "USDC")?.available_balance.value).toBe("100");
    expect(await usdFree()).toBe("99900");
    // Committing again changes nothing.
    await client.commitConvertTrade(params);
    expect(await usdFree()).toBe("99900");
  });

  it("refuses converts it cannot make, and expired quotes (raw HTTP)", async () => {
    expect(
      await signedFetch(sim.restUrl, key, "POST", "/convert/quote", {
        from_account: "USD",
        to_account: "BTC",
        amount: "1",
      }),
    ).toMatchObject({ status: 400, body: { error: "INVALID_ARGUMENT" } });
    expect(
      await signedFetch(sim.restUrl, key, "POST", "/convert/quote", {
        from_account: "USDC",
        to_account: "USD",
        amount: "1000000",
      }),
    ).toMatchObject({ status: 400 });
    expect(
      await signedFetch(sim.restUrl, key, "GET", "/convert/trade/nope?from_account=USD&to_account=USDC"),
    ).toMatchObject({
      status: 404,
    });
    const quote = await client.createConvertQuote({ from_account: "USD", to_account: "USDC", amount: "5" });
    clock.advance(11 * 60_000);
    const late = await signedFetch(sim.restUrl, key, "POST", `/convert/trade/${quote.trade.id}`, {
      from_account: "USD",
      to_account: "USDC",
    });
    expect(late).toMatchObject({ status: 400, body: { message: "the quote has expired" } });
  });

  it("lists and gets payment methods", async () => {
    const { payment_methods } = await client.listPaymentMethods();
    expect(payment_methods.map((m) => m.type)).toEqual(["COINBASE_FIAT_ACCOUNT", "ACH"]);
    const first = payment_methods[0];
    if (first === undefined) throw new Error("no payment method");
    expect((await client.getPaymentMethod({ payment_method_id: first.id })).payment_method).toEqual(first);
    expect(await signedFetch(sim.restUrl, key, "GET", "/payment_methods/unknown")).toMatchObject({
      status: 404,
    });
  });
});
