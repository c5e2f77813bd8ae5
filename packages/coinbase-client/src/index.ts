// ---- client, config, errors (C1) ----

// ---- auth (C1) ----
export type { JwtSigner, JwtSignerOptions } from "./auth/jwt.js";
export { createJwtSigner, jwtUri } from "./auth/jwt.js";
export type { JwtAlgorithm } from "./auth/keys.js";
export type { CoinbaseClient, CoinbaseContext } from "./client.js";
export { createCoinbaseClient, createCoinbaseContext } from "./client.js";
export type {
  ClientTimers,
  CoinbaseClientConfig,
  CoinbaseClientLogger,
  CoinbaseCredentials,
  FetchLike,
  FetchRequestInit,
  FetchResponseLike,
  RateLimitOptions,
  RetryOptions,
} from "./config.js";
export type { CoinbaseClientErrorCode, CoinbaseClientErrorDetails } from "./errors.js";
export { CoinbaseClientError, isCoinbaseClientError } from "./errors.js";
export type { CallOptions, ClientContext, HttpMethod, QueryValue, RequestSpec } from "./internal/context.js";

// ---- accounts (C2) ----

// ---- products (C2) ----

// ---- public (C2) ----

// ---- portfolios (C2) ----

// ---- futures (C2) ----

// ---- perpetuals (C2) ----

// ---- fees (C2) ----

// ---- convert (C2) ----

// ---- payment-methods (C2) ----

// ---- data (C2) ----

// ---- orders (C3) ----
