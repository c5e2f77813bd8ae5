import { bindAccountActions } from "./actions/accounts/bind.js";
import { bindConvertActions } from "./actions/convert/bind.js";
import { bindDataActions } from "./actions/data/bind.js";
import { bindFeeActions } from "./actions/fees/bind.js";
import { bindFuturesActions } from "./actions/futures/bind.js";
import { bindOrderActions } from "./actions/orders/bind.js";
import { bindPaymentMethodActions } from "./actions/payment-methods/bind.js";
import { bindPerpetualsActions } from "./actions/perpetuals/bind.js";
import { bindPortfolioActions } from "./actions/portfolios/bind.js";
import { bindProductActions } from "./actions/products/bind.js";
import { bindPublicActions } from "./actions/public/bind.js";
import type { CoinbaseClientConfig } from "./config.js";
import { createTransport } from "./internal/transport.js";

/**
 * A Coinbase Advanced Trade client: one method per endpoint (see the README's method table), each
 * taking its params and optional `CallOptions`, plus `close()`.
 */
export type CoinbaseClient = ReturnType<typeof bindAccountActions> &
  ReturnType<typeof bindProductActions> &
  ReturnType<typeof bindPublicActions> &
  ReturnType<typeof bindPortfolioActions> &
  ReturnType<typeof bindFuturesActions> &
  ReturnType<typeof bindPerpetualsActions> &
  ReturnType<typeof bindFeeActions> &
  ReturnType<typeof bindConvertActions> &
  ReturnType<typeof bindPaymentMethodActions> &
  ReturnType<typeof bindDataActions> &
  ReturnType<typeof bindOrderActions> & {
    /** Closes the client's keep-alive connections; calls made afterwards reject. Idempotent. */
    close(): Promise<void>;
  };

/**
 * Creates a client. Without `credentials` only the public endpoints work (`getPublicProductCandles`,
 * `getServerTime`, …); with them every request carries a freshly signed JWT.
 *
 * @throws CoinbaseClientError `invalid-config` for unusable options, `invalid-key` for a key that
 * cannot be parsed (the message never quotes it).
 *
 * @example
 * const client = createCoinbaseClient({
 *   credentials: { keyName: process.env.CDP_KEY_NAME ?? "", privateKey: process.env.CDP_PRIVATE_KEY ?? "" },
 * });
 */
export function createCoinbaseClient(config: CoinbaseClientConfig = {}): CoinbaseClient {
  const transport = createTransport(config);
  const ctx = transport.context;
  return {
    ...bindAccountActions(ctx),
    ...bindProductActions(ctx),
    ...bindPublicActions(ctx),
    ...bindPortfolioActions(ctx),
    ...bindFuturesActions(ctx),
    ...bindPerpetualsActions(ctx),
    ...bindFeeActions(ctx),
    ...bindConvertActions(ctx),
    ...bindPaymentMethodActions(ctx),
    ...bindDataActions(ctx),
    ...bindOrderActions(ctx),
    close: () => transport.close(),
  };
}
