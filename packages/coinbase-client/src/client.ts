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
import type { ClientContext } from "./internal/context.js";
import { createTransport } from "./internal/transport.js";

/**
 * A bare client: the transport (auth, rate limit, retries) without bound methods. Pass it to the
 * action functions (`getPublicProductCandles(context, params)`) so a bundler keeps only the actions
 * and schemas you import.
 */
export interface CoinbaseContext extends ClientContext {
  /** Closes the keep-alive connections; calls made afterwards reject with `aborted`. Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates a bare client (see `CoinbaseContext`): same options and checks as `createCoinbaseClient`,
 * no methods bound, so an application that imports a few actions bundles only those.
 *
 * @throws CoinbaseClientError `invalid-config` or `invalid-key`, as `createCoinbaseClient`.
 *
 * @example
 * const context = createCoinbaseContext();
 * const { candles } = await getPublicProductCandles(context, {
 *   product_id: "BTC-USD", granularity: "ONE_HOUR", start: 1712188800, end: 1712192400,
 * });
 */
export function createCoinbaseContext(config: CoinbaseClientConfig = {}): CoinbaseContext {
  const transport = createTransport(config);
  const { request, newId } = transport.context;
  return { request, newId, close: () => transport.close() };
}

/**
 * A Coinbase Advanced Trade client: one method per endpoint (see the README's method table), each
 * taking its params and optional `CallOptions`, plus `close()`. It is also a `CoinbaseContext`, so
 * the action functions accept it too.
 */
export type CoinbaseClient = CoinbaseContext &
  ReturnType<typeof bindAccountActions> &
  ReturnType<typeof bindProductActions> &
  ReturnType<typeof bindPublicActions> &
  ReturnType<typeof bindPortfolioActions> &
  ReturnType<typeof bindFuturesActions> &
  ReturnType<typeof bindPerpetualsActions> &
  ReturnType<typeof bindFeeActions> &
  ReturnType<typeof bindConvertActions> &
  ReturnType<typeof bindPaymentMethodActions> &
  ReturnType<typeof bindDataActions> &
  ReturnType<typeof bindOrderActions>;

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
  const ctx = createCoinbaseContext(config);
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
    request: ctx.request,
    newId: ctx.newId,
    close: ctx.close,
  };
}
