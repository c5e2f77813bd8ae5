import { randomUUID } from "node:crypto";
import type { CoinbaseClientConfig } from "../config.js";
import { CoinbaseClientError } from "../errors.js";
import type { CallOptions, ClientContext, RequestSpec } from "./context.js";

/** The API prefix every endpoint path sits under. */
export const API_PREFIX = "/api/v3/brokerage";

/** A transport: the context actions call, and `close` for its connections. */
export interface Transport {
  readonly context: ClientContext;
  close(): Promise<void>;
}

/** Builds the transport of a client (first cut: plain fetch, no auth; replaced by the full pipeline). */
export function createTransport(config: CoinbaseClientConfig): Transport {
  const baseUrl = (config.baseUrl ?? "https://api.coinbase.com").replace(/\/+$/, "");
  const send = config.fetch ?? globalThis.fetch;
  const context: ClientContext = {
    async request(spec: RequestSpec, options?: CallOptions): Promise<unknown> {
      const url = `${baseUrl}${API_PREFIX}${spec.path}${queryString(spec.query)}`;
      const headers: Record<string, string> = { accept: "application/json" };
      if (spec.body !== undefined) headers["content-type"] = "application/json";
      const response = await send(url, {
        method: spec.method,
        headers,
        ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
        signal: options?.signal ?? new AbortController().signal,
      });
      const text = await response.text();
      if (response.status < 200 || response.status > 299) {
        throw new CoinbaseClientError("http", `${spec.operation}: HTTP ${response.status}`, {
          operation: spec.operation,
          path: spec.path,
          status: response.status,
        });
      }
      return text === "" ? {} : JSON.parse(text);
    },
    newId: config.newId ?? randomUUID,
  };
  return { context, close: async () => {} };
}

/** `?a=1&b=x&b=y` from a query record: arrays as repeated keys, undefined dropped. */
export function queryString(query: RequestSpec["query"]): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
