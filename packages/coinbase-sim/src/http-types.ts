import type { Exchange } from "./exchange.js";

/** What a route handler gets. */
export interface RouteContext {
  readonly exchange: Exchange;
  readonly method: string;
  /** Path parameters from the route pattern. */
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  /** The parsed JSON body (`{}` for GETs). */
  readonly body: Record<string, unknown>;
  /** Simulator (market) time, Unix milliseconds. */
  readonly nowMs: number;
  /** The funding rate per hour of futures, as a decimal string. */
  readonly fundingRate: string;
}

/** A handler's answer: status and JSON body. */
export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
}

/** One REST route. */
export interface Route {
  readonly method: string;
  /** Matched against the path after `/api/v3/brokerage`. */
  readonly pattern: RegExp;
  /** Whether it needs a JWT. */
  readonly private: boolean;
  readonly handler: (context: RouteContext) => RouteResult;
}

/** `200` with a body. */
export const ok = (body: unknown): RouteResult => ({ status: 200, body });

/** Coinbase's error body (`{error, error_details, message}`) with a status. */
function errorResult(status: number, error: string, message: string): RouteResult {
  return { status, body: { error, error_details: message, message } };
}

/** `400 INVALID_ARGUMENT`. */
export const invalid = (message: string): RouteResult => errorResult(400, "INVALID_ARGUMENT", message);

/** `404 NOT_FOUND`. */
export const notFound = (message: string): RouteResult => errorResult(404, "NOT_FOUND", message);

/** Reads a non-negative integer query parameter, or `fallback`; `undefined` when malformed. */
export function intParam(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}
