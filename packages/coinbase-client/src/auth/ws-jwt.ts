import type { CoinbaseCredentials } from "../config.js";
import { createJwtSigner, type JwtSignerOptions } from "./jwt.js";

/**
 * Turns CDP credentials into the `jwt` option of `createCoinbaseStream` (from
 * `@gpt/coinbase-client/ws`): each call signs a fresh WebSocket JWT (no `uri` claim, 120 s life).
 * The key is parsed once, here, and stays in the closure. Node only: keys never go to a browser.
 *
 * @throws CoinbaseClientError `invalid-key` when the key cannot be parsed or the key name is empty.
 *
 * @example
 * const stream = createCoinbaseStream({ jwt: createWsJwt({ keyName, privateKey }) });
 * stream.subscribe("user");
 */
export function createWsJwt(credentials: CoinbaseCredentials, options: JwtSignerOptions = {}): () => string {
  const signer = createJwtSigner(credentials, options);
  return () => signer.signWebSocket();
}
