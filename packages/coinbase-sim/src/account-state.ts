/**
 * The account-level state beside the matching engines: portfolios, futures sweeps, the intraday
 * margin setting, convert trades, and a ledger of the funds that transfers moved.
 * The engines have no transfer operation, so money moved by `move_funds` or a convert is booked
 * here and added to the balances the simulator reports; the engines do not see it.
 */
import { D, type Decimal } from "@gpt/quantize";
import type { Exchange } from "./exchange.js";

/** The UUID of the default portfolio (the one every key belongs to). */
export const DEFAULT_PORTFOLIO_UUID = "5c0d1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d";

/** The UUID of the INTX portfolio (listed with `intx: true`). */
export const INTX_PORTFOLIO_UUID = "6d1e2c3b-4f5a-4b6c-9d7e-8f9a0b1c2d3e";

/** A portfolio. The default portfolio's funds are the engines'; the others hold only ledger funds. */
export interface PortfolioRecord {
  readonly uuid: string;
  name: string;
  readonly type: "DEFAULT" | "CONSUMER" | "INTX";
  deleted: boolean;
}

/** A scheduled sweep from the futures account to the spot USD wallet. */
export interface SweepRecord {
  readonly id: string;
  /** `undefined` sweeps everything. */
  readonly amount: Decimal | undefined;
  readonly scheduleMs: number;
}

/** A convert quote, committed or not. */
export interface ConvertRecord {
  readonly id: string;
  readonly fromCurrency: string;
  readonly toCurrency: string;
  readonly fromAccount: string;
  readonly toAccount: string;
  readonly amount: Decimal;
  readonly createdMs: number;
  readonly expiresMs: number;
  status: "TRADE_STATUS_CREATED" | "TRADE_STATUS_COMPLETED";
}

/** The state itself; one per exchange. */
export class AccountState {
  readonly portfolios: PortfolioRecord[];
  /** Ledger funds per portfolio uuid and currency (moved in minus moved out). */
  readonly ledger = new Map<string, Map<string, Decimal>>();
  readonly sweeps: SweepRecord[] = [];
  marginSetting = "INTRADAY_MARGIN_SETTING_STANDARD";
  readonly converts = new Map<string, ConvertRecord>();

  constructor(intx: boolean) {
    this.portfolios = [{ uuid: DEFAULT_PORTFOLIO_UUID, name: "Default", type: "DEFAULT", deleted: false }];
    if (intx) {
      this.portfolios.push({ uuid: INTX_PORTFOLIO_UUID, name: "Perpetuals", type: "INTX", deleted: false });
    }
  }

  /** A live (not deleted) portfolio by uuid. */
  portfolio(uuid: string): PortfolioRecord | undefined {
    return this.portfolios.find((p) => p.uuid === uuid && !p.deleted);
  }

  /** The ledger amount of `currency` in a portfolio (zero when none). */
  ledgerAmount(portfolioUuid: string, currency: string): Decimal {
    return this.ledger.get(portfolioUuid)?.get(currency) ?? D(0);
  }

  /** The currencies with a ledger entry in a portfolio. */
  ledgerCurrencies(portfolioUuid: string): string[] {
    return [...(this.ledger.get(portfolioUuid)?.keys() ?? [])];
  }

  /** Adds `delta` (negative to take away) to a portfolio's ledger. */
  book(portfolioUuid: string, currency: string, delta: Decimal): void {
    let entries = this.ledger.get(portfolioUuid);
    if (entries === undefined) {
      entries = new Map();
      this.ledger.set(portfolioUuid, entries);
    }
    entries.set(currency, (entries.get(currency) ?? D(0)).plus(delta));
  }
}

const states = new WeakMap<Exchange, AccountState>();

/** The account state of `exchange`, created on first use. */
export function accountStateOf(exchange: Exchange): AccountState {
  let state = states.get(exchange);
  if (state === undefined) {
    state = new AccountState([...exchange.products.values()].some((spec) => spec.kind === "intx"));
    states.set(exchange, state);
  }
  return state;
}

/**
 * The spot funds of the default portfolio in `currency`: the engine's free and held amounts, with
 * the ledger's transfers added to the free part.
 */
export function spotFunds(exchange: Exchange, currency: string): { free: Decimal; hold: Decimal } {
  const balance = exchange.spot.accountState().balances.find((b) => b.currency === currency);
  const ledger = accountStateOf(exchange).ledgerAmount(DEFAULT_PORTFOLIO_UUID, currency);
  return { free: (balance?.free ?? D(0)).plus(ledger), hold: balance?.locked ?? D(0) };
}
