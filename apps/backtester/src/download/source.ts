/**
 * The candle source of `download`: `@gpt/coinbase-client` without a key, on the public candles
 * endpoint (`GET /market/products/{product_id}/candles`). The client splits a long range into
 * requests of at most 350 candles, stitches them in order without duplicates, keeps under the
 * public rate limit and retries 429s, 5xx and network errors.
 */
import { createCoinbaseClient } from "@gpt/coinbase-client";
import type { CandleRequest, CandleSource } from "./command.js";

/** A candle source on the Coinbase API at `baseUrl`. */
export function clientCandleSource(baseUrl: string): CandleSource {
  const client = createCoinbaseClient({ baseUrl });
  return {
    candles: (request: CandleRequest) =>
      client.iteratePublicProductCandles({
        product_id: request.productId,
        granularity: request.granularity,
        start: request.start,
        end: request.end,
      }),
    close: () => client.close(),
  };
}
