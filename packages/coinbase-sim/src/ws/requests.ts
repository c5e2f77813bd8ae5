/**
 * What a client sends on the WebSocket: `subscribe` and `unsubscribe`, checked as Coinbase does
 * (one channel a message, product ids for the market channels, a valid JWT for `user` and
 * `futures_balance_summary`), answered with the channel's snapshots and a `subscriptions` ack, or
 * with an error frame.
 */
import type { KeyRing } from "../auth.js";
import type { FillRecord } from "../exchange.js";
import type { SimProductSpec } from "../products.js";
import type { FeedConnection } from "./connection.js";
import type { MarketFeed } from "./feed.js";
import { l2Snapshot, statusProduct, wsTimestamp } from "./market-frames.js";
import type { UserFeed } from "./user-feed.js";

/** Every channel a client may subscribe to. */
const CHANNELS = new Set([
  "heartbeats",
  "candles",
  "status",
  "ticker",
  "ticker_batch",
  "level2",
  "market_trades",
  "user",
  "futures_balance_summary",
]);
/** Channels served by the user endpoint (the market endpoint serves them too, as a failover). */
const USER_ENDPOINT_CHANNELS = new Set(["heartbeats", "user", "futures_balance_summary"]);
/** Channels that need a JWT. */
const AUTH_CHANNELS = new Set(["user", "futures_balance_summary"]);
/** Channels that need product ids. */
const PRODUCT_CHANNELS = new Set(["candles", "ticker", "ticker_batch", "level2", "market_trades"]);
/** Channels whose product ids are ignored. */
const PRODUCTLESS = new Set(["heartbeats", "futures_balance_summary"]);
/** The user id the acks name for the user channels held without products. */
const USER_ID = "sim-user";
/** Orders per message in a `user` snapshot. */
const USER_BATCH = 50;

/** What handling a request needs from the WebSocket server. */
export interface RequestContext {
  readonly products: ReadonlyMap<string, SimProductSpec>;
  readonly keys: KeyRing;
  readonly feed: MarketFeed;
  readonly user: UserFeed;
  /** The fills of the simulator's own orders, in the order they happened. */
  fills(): readonly FillRecord[];
  /** The clock JWTs are checked against. */
  authNow(): number;
  /** Market time now. */
  now(): number;
  /** Brings the feeds up to the clock (so snapshots are current). */
  pump(): void;
  /** How many recent user updates to send again after a `user` subscribe (the `userReplay` fault). */
  userReplay(): number;
  /** The first subscribe arrived: the 5-second rule is met. */
  subscribed(connection: FeedConnection): void;
}

interface Request {
  readonly type: "subscribe" | "unsubscribe";
  readonly channel: string;
  readonly productIds: readonly string[];
  readonly jwt: string | undefined;
}

/** The request, or the error text to answer it with. */
function parseRequest(value: unknown, connection: FeedConnection, ctx: RequestContext): Request | string {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return "malformed message: expected a JSON object";
  const message = value as Record<string, unknown>;
  if (message.type !== "subscribe" && message.type !== "unsubscribe")
    return "unknown message type: expected subscribe or unsubscribe";
  const channel = message.channel;
  if (typeof channel !== "string" || !CHANNELS.has(channel)) return "Failed to subscribe: unknown channel";
  if (connection.endpoint === "user" && !USER_ENDPOINT_CHANNELS.has(channel))
    return `Failed to subscribe: ${channel} is not served on the user endpoint`;
  const raw = message.product_ids;
  if (raw !== undefined && (!Array.isArray(raw) || raw.some((id) => typeof id !== "string")))
    return "Failed to subscribe: product_ids must be an array of strings";
  let ids = PRODUCTLESS.has(channel) ? [] : [...new Set((raw ?? []) as string[])];
  for (const id of ids) {
    if (!ctx.products.has(id)) return `Failed to subscribe: unknown product id ${id.slice(0, 40)}`;
  }
  if (message.type === "subscribe" && PRODUCT_CHANNELS.has(channel) && ids.length === 0)
    return `Failed to subscribe: ${channel} needs product_ids`;
  // A status subscribe without products is for every product.
  if (channel === "status" && ids.length === 0 && message.type === "subscribe")
    ids = [...ctx.products.keys()];
  const jwt = message.jwt;
  if (jwt !== undefined && typeof jwt !== "string") return "authentication failure";
  return { type: message.type, channel, productIds: ids, jwt };
}

/** A received message as the audit log keeps it: parsed, with a JWT replaced (or, if not JSON, its length). */
export function redacted(text: string): { value: unknown; channel: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { value, channel: "" };
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (copy.jwt !== undefined) copy.jwt = "[redacted]";
    return { value: copy, channel: typeof copy.channel === "string" ? copy.channel : "" };
  } catch {
    // Text that is not JSON could hold anything (a bare token): only its length is kept.
    return { value: `(not JSON, ${text.length} characters)`, channel: "" };
  }
}

/** Handles one client message: a subscribe or unsubscribe, or an error frame. */
export async function handleRequest(
  ctx: RequestContext,
  connection: FeedConnection,
  text: string,
): Promise<void> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    connection.sendError("malformed message: not JSON");
    return;
  }
  const request = parseRequest(value, connection, ctx);
  if (typeof request === "string") {
    connection.sendError(request);
    return;
  }
  if (request.jwt !== undefined || (request.type === "subscribe" && AUTH_CHANNELS.has(request.channel))) {
    const verdict = await ctx.keys.verify(
      request.jwt === undefined ? undefined : `Bearer ${request.jwt}`,
      undefined,
      ctx.authNow(),
    );
    if (!verdict.ok) {
      connection.sendError(`authentication failure (${verdict.reason})`);
      return;
    }
  }
  if (!connection.open) return;
  ctx.pump();
  if (request.type === "unsubscribe") unsubscribe(connection, request);
  else {
    subscribe(connection, request);
    sendSnapshots(ctx, connection, request);
    ctx.subscribed(connection);
  }
  connection.send("subscriptions", [{ subscriptions: ackOf(connection) }]);
}

function subscribe(connection: FeedConnection, request: Request): void {
  const held = connection.subscriptions.get(request.channel);
  if (held === undefined) {
    connection.subscriptions.set(request.channel, new Set(request.productIds));
    return;
  }
  // A channel held for all products (user without product ids) stays so.
  if (held.size === 0) return;
  if (request.productIds.length === 0) held.clear();
  else for (const id of request.productIds) held.add(id);
}

function unsubscribe(connection: FeedConnection, request: Request): void {
  const held = connection.subscriptions.get(request.channel);
  if (held === undefined) return;
  const dropped = request.productIds.length === 0 ? [...held] : request.productIds;
  for (const id of dropped) held.delete(id);
  if (request.productIds.length === 0 || held.size === 0) connection.subscriptions.delete(request.channel);
  if (request.channel === "level2") for (const id of dropped) connection.books.delete(id);
}

/** The `subscriptions` of an ack: every channel held and its products. */
function ackOf(connection: FeedConnection): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [channel, ids] of connection.subscriptions) {
    if (ids.size > 0) out[channel] = [...ids];
    else if (channel === "heartbeats") out[channel] = ["heartbeats"];
    else out[channel] = [USER_ID];
  }
  return out;
}

function sendSnapshots(ctx: RequestContext, connection: FeedConnection, request: Request): void {
  const { channel } = request;
  const time = wsTimestamp(ctx.now());
  switch (channel) {
    case "level2":
      for (const id of request.productIds) {
        const book = ctx.feed.book(id);
        // Without a baseline (a stale feed kept the snapshot back) the next market step sends it.
        connection.books.delete(id);
        if (
          connection.send("l2_data", [{ type: "snapshot", product_id: id, updates: l2Snapshot(book, time) }])
        )
          connection.books.set(id, book);
      }
      return;
    case "ticker":
    case "ticker_batch":
      for (const id of request.productIds) {
        const ticker = ctx.feed.tickerSnapshot(id, channel === "ticker");
        if (ticker !== undefined) connection.send(channel, [{ type: "snapshot", tickers: [ticker] }]);
      }
      return;
    case "market_trades":
      for (const id of request.productIds)
        connection.send(channel, [{ type: "snapshot", trades: ctx.feed.tradeSnapshot(id, ctx.fills()) }]);
      return;
    case "candles":
      for (const id of request.productIds)
        connection.send(channel, [{ type: "snapshot", candles: ctx.feed.candleSnapshot(id) }]);
      return;
    case "status": {
      const products = request.productIds.flatMap((id) => {
        const spec = ctx.products.get(id);
        return spec === undefined ? [] : [statusProduct(spec)];
      });
      connection.send(channel, [{ type: "snapshot", products }]);
      return;
    }
    case "user":
      userSnapshot(ctx, connection);
      return;
    case "futures_balance_summary": {
      const summary = ctx.user.balance() ?? {};
      connection.send(channel, [{ type: "snapshot", fcm_balance_summary: summary }]);
      return;
    }
    default:
      // heartbeats: the first one comes a second from now.
      connection.lastHeartbeatMs = ctx.now();
  }
}

/**
 * The open orders in messages of 50 (the first a `snapshot` with the positions, the rest updates;
 * a short message ends the load), then, under a `userReplay` fault, recent updates sent again.
 */
function userSnapshot(ctx: RequestContext, connection: FeedConnection): void {
  const wanted = (productId: string) => connection.wants("user", productId);
  const open = ctx.user.openOrders(wanted);
  for (let index = 0; index === 0 || index <= open.length; index += USER_BATCH) {
    const orders = open.slice(index, index + USER_BATCH);
    connection.send("user", [
      index === 0
        ? { type: "snapshot", orders, positions: ctx.user.positions() }
        : { type: "update", orders },
    ]);
    if (orders.length < USER_BATCH) break;
  }
  const replay = ctx.user.recent(ctx.userReplay(), wanted);
  if (replay.length > 0) connection.send("user", [{ type: "update", orders: replay }]);
}
