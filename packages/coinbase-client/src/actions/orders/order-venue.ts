/**
 * A tiny stateful stand-in for Coinbase's order endpoints on a loopback port, for the order
 * actions' tests through the real client and transport. It keeps orders by `client_order_id` and
 * answers a reused id with the existing order, as Coinbase does. Each incoming `POST /orders` can
 * be given a fault: drop the connection before answering (after or before booking the order),
 * answer 503, or hang until the client gives up. Not exported from the package.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What happens to one `POST /orders`. */
type PostFault =
  /** Book the order, then destroy the socket without answering (the response is lost). */
  | "book-then-drop"
  /** Destroy the socket without booking (the request never reached the matching engine). */
  | "drop"
  /** Answer 503 without booking. */
  | "503"
  /** Book the order and never answer (the client times out). */
  | "book-then-hang"
  /** Book and answer normally. */
  | "ok";

/** A request as the venue saw it. */
interface VenueRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

/** The running venue. */
export interface OrderVenue {
  /** `http://127.0.0.1:<port>`, to pass as the client's `baseUrl`. */
  readonly url: string;
  /** Every request, in order. */
  readonly requests: VenueRequest[];
  /** Booked orders by `client_order_id`. */
  readonly orders: Map<string, Record<string, unknown>>;
  /** Resolves once the venue has received `count` requests in all. */
  received(count: number): Promise<void>;
  /** Faults for the coming `POST /orders` requests, used in order (then `"ok"`). */
  faults(...faults: PostFault[]): void;
  /** Stops the server, cutting any hanging connection. */
  close(): Promise<void>;
}

const PREFIX = "/api/v3/brokerage";

/** Starts the venue on 127.0.0.1 with an ephemeral port. */
export async function startOrderVenue(): Promise<OrderVenue> {
  const requests: VenueRequest[] = [];
  const orders = new Map<string, Record<string, unknown>>();
  let pending: PostFault[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];

  function book(body: Record<string, unknown>): Record<string, unknown> {
    const clientOrderId = String(body.client_order_id);
    const existing = orders.get(clientOrderId);
    if (existing !== undefined) return existing;
    const order = {
      order_id: randomUUID(),
      product_id: body.product_id,
      side: body.side,
      client_order_id: clientOrderId,
      status: "OPEN",
      order_configuration: body.order_configuration,
      created_time: new Date(0).toISOString(),
      filled_size: "0",
      fee: "",
      last_fill_time: null,
    };
    orders.set(clientOrderId, order);
    return order;
  }

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  function handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://venue");
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    const body = raw === "" ? undefined : (JSON.parse(raw) as unknown);
    requests.push({
      method: req.method ?? "",
      path,
      query: url.searchParams,
      body,
      authorization: req.headers.authorization,
    });
    for (const waiter of waiters.splice(0)) {
      if (requests.length >= waiter.count) waiter.resolve();
      else waiters.push(waiter);
    }
    if (req.method === "POST" && path === "/orders") {
      const fault = pending.shift() ?? "ok";
      const order = body as Record<string, unknown>;
      if (fault === "drop") {
        res.socket?.destroy();
        return;
      }
      if (fault === "503") {
        send(res, 503, { error: "UNKNOWN", message: "service unavailable" });
        return;
      }
      const booked = book(order);
      if (fault === "book-then-drop") {
        res.socket?.destroy();
        return;
      }
      if (fault === "book-then-hang") return;
      send(res, 200, {
        success: true,
        success_response: {
          order_id: booked.order_id,
          product_id: booked.product_id,
          side: booked.side,
          client_order_id: booked.client_order_id,
        },
        order_configuration: booked.order_configuration,
      });
      return;
    }
    if (req.method === "GET" && path === "/orders/historical/batch") {
      const products = url.searchParams.getAll("product_ids");
      const list = [...orders.values()]
        .filter((order) => products.length === 0 || products.includes(String(order.product_id)))
        .reverse();
      send(res, 200, { orders: list, sequence: "0", has_next: false, cursor: "" });
      return;
    }
    send(res, 404, { error: "NOT_FOUND", message: "no such route" });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handle(req, Buffer.concat(chunks).toString(), res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    orders,
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    faults(...faults) {
      pending = faults;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
