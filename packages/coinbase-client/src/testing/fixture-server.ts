/**
 * A loopback `node:http` server that plays Coinbase from recorded payloads: each route maps an HTTP
 * method and a path pattern (after `/api/v3/brokerage`) to a JSON body (inline or a fixture file),
 * or to a handler for scripted behaviour. Every request is recorded for assertions. For tests and
 * benchmarks only; not exported from the package.
 *
 * ```ts
 * const server = await startFixtureServer({
 *   fixturesDir: requireShared("fixtures", "coinbase-advanced-trade", "rest"),
 *   routes: recordedFixtureRoutes(),
 * });
 * const client = createCoinbaseClient({ baseUrl: server.baseUrl });
 * ```
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { HttpMethod } from "../internal/context.js";

/** The REST prefix every Advanced Trade path sits under. */
const API_PREFIX = "/api/v3/brokerage";

/** One request as the server received it. */
interface FixtureRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The path after `/api/v3/brokerage` (still percent-encoded), e.g. `/products/BTC-USD/candles`. */
  readonly path: string;
  /** The query string, parsed (repeated keys stay repeated: use `getAll`). */
  readonly query: URLSearchParams;
  /** The request headers. */
  readonly headers: IncomingHttpHeaders;
  /** The raw body text (`""` when none). */
  readonly body: string;
  /** The path parameters the matched route's pattern captured (decoded). */
  readonly params: Readonly<Record<string, string>>;
}

/** A reply: a status, headers, and a JSON body or raw text. */
interface FixtureReply {
  /** The HTTP status; default 200. */
  readonly status?: number;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A value sent as JSON. */
  readonly json?: unknown;
  /** Text sent as is (an HTML error page, a truncated body); wins over `json`. */
  readonly raw?: string;
}

/** One route: what it matches and how it answers. */
export interface FixtureRoute {
  /** The HTTP method to match. */
  readonly method: HttpMethod;
  /** The path after the prefix, with `{name}` placeholders for path params (`/products/{product_id}`). */
  readonly path: string;
  /** Only requests whose query has these values (e.g. `{ product_type: "FUTURE" }`). */
  readonly query?: Readonly<Record<string, string>>;
  /** A fixture file name under `fixturesDir`, served as the JSON body. */
  readonly file?: string;
  /** An inline reply (used when there is no `file` and no `handle`). */
  readonly reply?: FixtureReply;
  /**
   * Answers the request itself (scripts: a status sequence, a hang, a dropped connection). Return a
   * reply to send it, or `undefined` after writing to (or deliberately not finishing) `res`.
   */
  readonly handle?: (
    request: FixtureRequest,
    res: ServerResponse,
  ) => FixtureReply | undefined | Promise<FixtureReply | undefined>;
}

/** Options of `startFixtureServer`. */
export interface FixtureServerOptions {
  /** The routes, tried in order: put specific overrides first. */
  readonly routes: readonly FixtureRoute[];
  /** The folder `file` names are read from (read once at start). */
  readonly fixturesDir?: string;
}

/** A running fixture server. */
export interface FixtureServer {
  /** `http://127.0.0.1:<port>`: pass it as the client's `baseUrl`. */
  readonly baseUrl: string;
  /** Every request received, in order (matched or not). */
  readonly requests: readonly FixtureRequest[];
  /** The requests for one path (after the prefix, without the query), in order. */
  requestsTo(path: string): FixtureRequest[];
  /** Resolves once `count` requests have arrived in all. */
  received(count: number): Promise<void>;
  /** Stops the server, closing open connections. */
  close(): Promise<void>;
}

interface CompiledRoute {
  readonly route: FixtureRoute;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly fileBody: string | undefined;
}

function compile(route: FixtureRoute, fixturesDir: string | undefined): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)
    .map((part) => {
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (name !== undefined) {
        names.push(name);
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  let fileBody: string | undefined;
  if (route.file !== undefined) {
    if (fixturesDir === undefined)
      throw new Error(`route ${route.method} ${route.path} names a file but no fixturesDir was given`);
    fileBody = readFileSync(join(fixturesDir, route.file), "utf8");
    JSON.parse(fileBody); // a broken fixture fails at start, not inside a test
  }
  return { route, pattern: new RegExp(`^${source}$`), names, fileBody };
}

/** Starts a fixture server on 127.0.0.1 with an ephemeral port. */
export async function startFixtureServer(options: FixtureServerOptions): Promise<FixtureServer> {
  const compiled = options.routes.map((route) => compile(route, options.fixturesDir));
  const requests: FixtureRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<import("node:net").Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fixture.local");
      const fullPath = url.pathname;
      const path = fullPath.startsWith(API_PREFIX) ? fullPath.slice(API_PREFIX.length) : fullPath;
      const method = req.method ?? "GET";
      let match: { compiled: CompiledRoute; params: Record<string, string> } | undefined;
      for (const candidate of compiled) {
        if (candidate.route.method !== method) continue;
        const found = candidate.pattern.exec(path);
        if (found === null) continue;
        const wanted = candidate.route.query ?? {};
        if (Object.entries(wanted).some(([key, value]) => url.searchParams.get(key) !== value)) continue;
        const params: Record<string, string> = {};
        candidate.names.forEach((name, index) => {
          params[name] = decodeURIComponent(found[index + 1] ?? "");
        });
        match = { compiled: candidate, params };
        break;
      }
      const request: FixtureRequest = {
        method,
        path,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        params: match?.params ?? {},
      };
      requests.push(request);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      void answer(match?.compiled, request, res);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function answer(
  compiled: CompiledRoute | undefined,
  request: FixtureRequest,
  res: ServerResponse,
): Promise<void> {
  if (compiled === undefined) {
    send(res, {
      status: 404,
      json: { error: "NOT_FOUND", message: `no fixture route for ${request.method} ${request.path}` },
    });
    return;
  }
  const { route, fileBody } = compiled;
  if (route.handle !== undefined) {
    try {
      const reply = await route.handle(request, res);
      if (reply !== undefined) send(res, reply);
    } catch (error) {
      send(res, { status: 500, json: { error: "INTERNAL", message: String(error) } });
    }
    return;
  }
  if (fileBody !== undefined) {
    send(res, { status: route.reply?.status ?? 200, headers: route.reply?.headers ?? {}, raw: fileBody });
    return;
  }
  send(res, route.reply ?? { json: {} });
}

function send(res: ServerResponse, reply: FixtureReply): void {
  const text = reply.raw ?? JSON.stringify(reply.json ?? {});
  const isJson = reply.raw === undefined || /^\s*[[{]/.test(reply.raw);
  res.writeHead(reply.status ?? 200, {
    "content-type": isJson ? "application/json" : "text/html",
    "content-length": Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}

/**
 * The recorded payloads of `../shared/fixtures/coinbase-advanced-trade/rest`, by endpoint. Private
 * product endpoints and their `/market` twins serve the same files. `GET /products?product_type=FUTURE`
 * serves the CFM futures list; other `GET /products` requests the spot list.
 */
export function recordedFixtureRoutes(): FixtureRoute[] {
  const routes: FixtureRoute[] = [
    { method: "GET", path: "/time", file: "GET_time.ccxt-comment.json" },
    { method: "GET", path: "/accounts", file: "GET_accounts.ccxt-comment.json" },
    { method: "GET", path: "/best_bid_ask", file: "GET_best_bid_ask.ccxt-comment.json" },
    { method: "GET", path: "/transaction_summary", file: "GET_transaction_summary.ccxt-comment.json" },
    {
      method: "GET",
      path: "/intx/positions/{portfolio_uuid}",
      file: "GET_intx_positions_PORTFOLIO.ccxt.json",
    },
    { method: "POST", path: "/portfolios/move_funds", file: "POST_portfolios_move_funds.ccxt.json" },
    {
      method: "GET",
      path: "/orders/historical/fills",
      file: "GET_orders_historical_fills.perp-intx.ccxt.json",
    },
    { method: "POST", path: "/orders", file: "POST_orders.success.ccxt-comment.json" },
    { method: "POST", path: "/orders/batch_cancel", file: "POST_orders_batch_cancel.ccxt-comment.json" },
  ];
  for (const prefix of ["", "/market"]) {
    routes.push(
      { method: "GET", path: `${prefix}/product_book`, file: "GET_product_book.BTC-USD.nautilus.json" },
      {
        method: "GET",
        path: `${prefix}/products`,
        query: { product_type: "FUTURE" },
        file: "GET_products.future-cfm.nautilus.json",
      },
      { method: "GET", path: `${prefix}/products`, file: "GET_products.spot.nautilus.json" },
      {
        method: "GET",
        path: `${prefix}/products/{product_id}/candles`,
        file: "GET_products_ID_candles.nautilus.json",
      },
      {
        method: "GET",
        path: `${prefix}/products/{product_id}/ticker`,
        file: "GET_products_ID_ticker.BTC-USD.nautilus.json",
      },
      {
        method: "GET",
        path: `${prefix}/products/{product_id}`,
        file: "GET_products_ID.BTC-USD.nautilus.json",
      },
    );
  }
  return routes;
}
