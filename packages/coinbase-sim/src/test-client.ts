import { type CoinbaseClient, createCoinbaseClient } from "@gpt/coinbase-client";
import type { TestKey } from "./keys.js";

/**
 * A `@gpt/coinbase-client` pointed at a simulator with `key`, for tests: no client-side rate limit
 * and no retries, so every call is one request the test can count.
 */
export function testClient(restUrl: string, key: TestKey): CoinbaseClient {
  return createCoinbaseClient({
    baseUrl: restUrl,
    credentials: { keyName: key.name, privateKey: key.privateKey },
    rateLimit: false,
    retry: false,
  });
}
