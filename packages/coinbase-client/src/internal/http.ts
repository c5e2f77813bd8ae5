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

/** Thrown by a sender when a response body passes its byte cap (the body is abandoned). */
export class ResponseTooLarge extends Error {
  override readonly name = "ResponseTooLarge";
  /** The cap that was passed, in bytes. */
  readonly limit: number;
  constructor(limit: number) {
    super(`response body larger than ${limit} bytes`);
    this.limit = limit;
  }
}

/** Reads `chunks` into one string, failing with `ResponseTooLarge` past `limit` bytes. */
async function readCapped(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) throw new ResponseTooLarge(limit);
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** A declared `content-length` already past the cap. */
function declaredTooLarge(length: string | undefined | null, limit: number): boolean {
  return length !== undefined && length !== null && Number(length) > limit;
}

/** A web stream as an async iterable (its reader released at the end, cancelled on an early exit). */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    while (true) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
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
        const declared = typeof length === "string" ? length : undefined;
        if (declaredTooLarge(declared, maxResponseBytes)) throw new ResponseTooLarge(maxResponseBytes);
        // A declared length within the cap is enforced by undici itself (a longer body is an
        // error): read it whole. Otherwise count the bytes as they come.
        body =
          declared === undefined
            ? await readCapped(response.body, maxResponseBytes)
            : await response.body.text();
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
      const stream = response.body;
      if (declaredTooLarge(response.headers.get("content-length"), maxResponseBytes)) {
        await stream?.cancel().catch(() => undefined);
        throw new ResponseTooLarge(maxResponseBytes);
      }
      let body: string;
      if (stream === undefined || stream === null) {
        // Without a stream the whole text is read first, then measured (memory is not bounded then).
        body = await response.text();
        if (body.length > maxResponseBytes || new TextEncoder().encode(body).byteLength > maxResponseBytes)
          throw new ResponseTooLarge(maxResponseBytes);
      } else if (response.headers.get("content-length") !== null) {
        // A declared length within the cap, which fetch itself enforces: read it whole.
        body = await response.text();
      } else {
        body = await readCapped(chunksOf(stream), maxResponseBytes);
      }
      return {
        status: response.status,
        header: (name) => response.headers.get(name) ?? undefined,
        body,
      };
    },
    close: async () => {},
  };
}
