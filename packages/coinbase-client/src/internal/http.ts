import type { Dispatcher, Pool } from "undici";
import type { FetchLike } from "../config.js";

/** One HTTP exchange as the transport sees it. */
export interface RawRequest {
  readonly method: string;
  /** The path and query string, starting with `/`. */
  readonly pathAndQuery: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal: AbortSignal;
}

/** A complete response: status, a header reader and the whole body as text. */
export interface RawResponse {
  readonly status: number;
  header(name: string): string | undefined;
  readonly body: string;
}

/**
 * Thrown by a sender (never past the transport) when a response body passes its byte cap; the
 * transport turns it into `invalid-response`. One shared instance: it carries nothing of its own.
 */
export const RESPONSE_TOO_LARGE: Error = new Error("response body past maxResponseBytes");

/** Reads a body of unknown length, failing with `RESPONSE_TOO_LARGE` past `limit` bytes. */
async function readCapped(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) throw RESPONSE_TOO_LARGE;
    parts.push(chunk);
  }
  return Buffer.concat(parts, size).toString("utf8");
}

/** Sends requests to one origin; `close` releases its connections. */
export interface HttpSender {
  send(request: RawRequest): Promise<RawResponse>;
  close(): Promise<void>;
}

/**
 * The default sender: an undici `Pool` to the API origin with keep-alive connections, so
 * consecutive requests skip the TCP and TLS handshakes. undici is loaded on the first request (a
 * dynamic import), so code that never sends (an application importing only a schema or an action
 * with its own `fetch`) does not pull undici into its bundle.
 */
export function createPoolSender(origin: string, maxResponseBytes: number): HttpSender {
  let pool: Pool | undefined;
  let loading: Promise<Pool> | undefined;
  let closing: Promise<void> | undefined;
  const getPool = (): Pool | Promise<Pool> => {
    if (pool !== undefined) return pool;
    loading ??= import("undici").then(({ Pool: PoolClass }) => {
      pool = new PoolClass(origin, {
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connections: 16,
      });
      return pool;
    });
    return loading;
  };
  return {
    async send(request) {
      if (closing !== undefined) throw new Error("the connection pool is closed");
      const ready = getPool();
      const dispatcher = ready instanceof Promise ? await ready : ready;
      const response = await dispatcher.request({
        method: request.method as Dispatcher.HttpMethod,
        path: request.pathAndQuery,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: request.signal,
        // Our own timer covers the whole exchange; undici's own timeouts are off.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const headers = response.headers;
      const length = headers["content-length"];
      let body: string;
      try {
        // A declared length past the cap is refused unread; within it, undici enforces it (a longer
        // body is an error), so it is read whole. Otherwise the bytes are counted as they come.
        if (Number(length) > maxResponseBytes) throw RESPONSE_TOO_LARGE;
        body =
          typeof length === "string"
            ? await response.body.text()
            : await readCapped(response.body, maxResponseBytes);
      } catch (error) {
        response.body.destroy();
        throw error;
      }
      return {
        status: response.statusCode,
        header(name) {
          const value = headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(", ") : value;
        },
        body,
      };
    },
    close() {
      closing ??= loading === undefined ? Promise.resolve() : loading.then((p) => p.close());
      return closing;
    },
  };
}

/** A sender over a caller's `fetch` (`config.fetch`). */
export function createFetchSender(origin: string, fetchFn: FetchLike, maxResponseBytes: number): HttpSender {
  return {
    async send(request) {
      const response = await fetchFn(`${origin}${request.pathAndQuery}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: request.signal,
      });
      // A declared length past the cap is refused unread; within it, fetch enforces it. Without
      // one, the text is read and then measured (memory is bounded by the cap only with a length).
      const length = response.headers.get("content-length");
      if (Number(length) > maxResponseBytes) throw RESPONSE_TOO_LARGE;
      const body = await response.text();
      if (length === null && Buffer.byteLength(body) > maxResponseBytes) throw RESPONSE_TOO_LARGE;
      return {
        status: response.status,
        header: (name) => response.headers.get(name) ?? undefined,
        body,
      };
    },
    close: async () => {},
  };
}
