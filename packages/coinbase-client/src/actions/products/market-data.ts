/**
 * The shared implementation of the product and market-data endpoints: each exists privately (JWT,
 * `view` permission) and publicly under `/market` (no JWT, cached by Coinbase for 1 s). The exported
 * actions in `products.ts` and `../public/public.ts` pick the side.
 */
import { CoinbaseClientError } from "../../errors.js";
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import {
  type GetMarketTradesResponse,
  type GetProductBookResponse,
  getMarketTradesResponseSchema,
  getProductBookResponseSchema,
} from "../../schemas/market.js";
import {
  type GetProductCandlesResponse,
  GRANULARITY_SECONDS,
  getProductCandlesResponseSchema,
  type ListProductsResponse,
  listProductsResponseSchema,
  MAX_CANDLES_PER_REQUEST,
  type Product,
  productSchema,
} from "../../schemas/products.js";
import {
  type GetMarketTradesParams,
  type GetProductBookParams,
  type GetProductCandlesParams,
  type GetProductParams,
  getMarketTradesParamsSchema,
  getProductBookParamsSchema,
  getProductCandlesParamsSchema,
  getProductParamsSchema,
  type ListProductsParams,
  listProductsParamsSchema,
} from "./params.js";

/** Which side of an endpoint pair: the private path or its public `/market` twin. */
export interface Side {
  /** The operation name (method name) for errors and the rate limiter. */
  readonly operation: string;
  /** `"public"` puts `/market` before the path and sends no JWT. */
  readonly auth: "private" | "public";
}

function pathFor(side: Side, path: string): string {
  return side.auth === "public" ? `/market${path}` : path;
}

/** `GET [/market]/product_book`. */
export async function productBook(
  client: ClientContext,
  side: Side,
  params: GetProductBookParams,
  options: CallOptions | undefined,
): Promise<GetProductBookResponse> {
  const p = parseParams(getProductBookParamsSchema, params, side.operation);
  const body = await client.request(
    {
      operation: side.operation,
      method: "GET",
      path: pathFor(side, "/product_book"),
      query: {
        product_id: p.product_id,
        limit: p.limit,
        aggregation_price_increment: p.aggregation_price_increment,
      },
      auth: side.auth,
    },
    options,
  );
  return parseResponse(getProductBookResponseSchema, body, side.operation);
}

/** `GET [/market]/products`. */
export async function products(
  client: ClientContext,
  side: Side,
  params: ListProductsParams,
  options: CallOptions | undefined,
): Promise<ListProductsResponse> {
  const p = parseParams(listProductsParamsSchema, params, side.operation);
  const body = await client.request(
    {
      operation: side.operation,
      method: "GET",
      path: pathFor(side, "/products"),
      query: {
        limit: p.limit,
        offset: p.offset,
        product_type: p.product_type,
        product_ids: p.product_ids,
        contract_expiry_type: p.contract_expiry_type,
        expiring_contract_status: p.expiring_contract_status,
        get_tradability_status: p.get_tradability_status,
        get_all_products: p.get_all_products,
      },
      auth: side.auth,
    },
    options,
  );
  return parseResponse(listProductsResponseSchema, body, side.operation);
}

/** Pages through `[/market]/products` by offset until a short or empty page. */
export async function* productPages(
  client: ClientContext,
  side: Side,
  params: Omit<ListProductsParams, "offset">,
  options: CallOptions | undefined,
): AsyncGenerator<Product, void, undefined> {
  const p = parseParams(listProductsParamsSchema, params, side.operation);
  const limit = p.limit ?? 250;
  let offset = 0;
  for (;;) {
    const page = await products(client, side, { ...p, limit, offset }, options);
    yield* page.products;
    if (page.products.length < limit) return;
    offset += page.products.length;
  }
}

/** `GET [/market]/products/{product_id}`: a bare product. */
export async function product(
  client: ClientContext,
  side: Side,
  params: GetProductParams,
  options: CallOptions | undefined,
): Promise<Product> {
  const p = parseParams(getProductParamsSchema, params, side.operation);
  const body = await client.request(
    {
      operation: side.operation,
      method: "GET",
      path: pathFor(side, `/products/${encodeURIComponent(p.product_id)}`),
      query: { get_tradability_status: p.get_tradability_status },
      auth: side.auth,
    },
    options,
  );
  return parseResponse(productSchema, body, side.operation);
}

/** `GET [/market]/products/{product_id}/candles`, refusing a window that could hold more than 350 candles. */
export async function candles(
  client: ClientContext,
  side: Side,
  params: GetProductCandlesParams,
  options: CallOptions | undefined,
): Promise<GetProductCandlesResponse> {
  const p = parseParams(getProductCandlesParamsSchema, params, side.operation);
  const start = Number(p.start);
  const end = Number(p.end);
  if (end <= start) invalidWindow(side.operation, "end must be after start");
  // Coinbase counts the candle starts in [start, end], both ends included, and refuses more than
  // 350: so `end - start` must stay under 350 candle lengths.
  if ((end - start) / GRANULARITY_SECONDS[p.granularity] >= MAX_CANDLES_PER_REQUEST) {
    invalidWindow(
      side.operation,
      `start to end spans ${MAX_CANDLES_PER_REQUEST} or more ${p.granularity} candle lengths (more than ${MAX_CANDLES_PER_REQUEST} candles); use the candle range helper`,
    );
  }
  const body = await client.request(
    {
      operation: side.operation,
      method: "GET",
      path: pathFor(side, `/products/${encodeURIComponent(p.product_id)}/candles`),
      query: { start: p.start, end: p.end, granularity: p.granularity, limit: p.limit },
      auth: side.auth,
    },
    options,
  );
  return parseResponse(getProductCandlesResponseSchema, body, side.operation);
}

function invalidWindow(operation: string, why: string): never {
  throw new CoinbaseClientError("invalid-request", `${operation}: invalid params at end: ${why}`, {
    operation,
    field: "end",
    retryable: false,
  });
}

/** `GET [/market]/products/{product_id}/ticker`: recent trades and the top of book. */
export async function marketTrades(
  client: ClientContext,
  side: Side,
  params: GetMarketTradesParams,
  options: CallOptions | undefined,
): Promise<GetMarketTradesResponse> {
  const p = parseParams(getMarketTradesParamsSchema, params, side.operation);
  const body = await client.request(
    {
      operation: side.operation,
      method: "GET",
      path: pathFor(side, `/products/${encodeURIComponent(p.product_id)}/ticker`),
      query: { limit: p.limit, start: p.start, end: p.end },
      auth: side.auth,
    },
    options,
  );
  return parseResponse(getMarketTradesResponseSchema, body, side.operation);
}
