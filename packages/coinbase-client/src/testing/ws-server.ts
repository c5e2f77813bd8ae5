/**
 * A loopback WebSocket server that speaks enough of the Coinbase Advanced Trade WebSocket protocol
 * for tests: subscribe/unsubscribe with a `subscriptions` ack, a JWT check for the channels that need
 * one, a per-connection `sequence_num`, heartbeats, a level-2 snapshot on every (re)subscribe from a
 * server-side "truth" book, the user channel's snapshot and replay, and a fault script (disconnect,
 * close codes, gap, duplicate, out-of-order, malformed and oversized frames, subscribe errors,
 * silence, bursts). Replays recorded frames (the capture in ../shared or inline ones). For tests and
 * benchmarks only; not exported from the package.
 *
 * ```ts
 * const server = await startWsServer();
 * // connect a client to server.url, subscribe to level2 BTC-USD …
 * await server.waitFor(() => server.subscribers("level2", "BTC-USD").length === 1);
 * server.l2Update("BTC-USD", [{ side: "bid", price_level: "100.5", new_quantity: "2" }]);
 * ```
 */
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type {
  WsClientMessage,
  WsFaults,
  WsJwtCheck,
  WsL2Change,
  WsServer,
  WsServerConnection,
  WsServerOptions,
} from "./ws-server-types.js";

export type { WsL2Change, WsServer, WsServerOptions } from "./ws-server-types.js";

/** The channels a client may subscribe to (level2 messages arrive as `l2_data`). */
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

/** Channels that carry no product ids (their ack lists a fixed name). */
const PRODUCTLESS = new Set(["heartbeats", "user", "futures_balance_summary"]);

/** Channels Coinbase refuses without a JWT. */
const AUTH_CHANNELS = new Set(["user", "futures_balance_summary"]);

/** The `channel` of an envelope for each subscribe name. */
function messageChannel(channel: string): string {
  return channel === "level2" ? "l2_data" : channel;
}

/** The subscribe name for an envelope's `channel`. */
function subscribeChannel(channel: string): string {
  return channel === "l2_data" ? "level2" : channel;
}

interface ConnState extends WsServerConnection {
  gapBy: number;
  swapPending: boolean;
  held: string | undefined;
  lastFrame: string | undefined;
  heartbeatCounter: number;
  deadline: ReturnType<typeof setTimeout> | undefined;
}

type BookSide = Map<string, string>;

function cmpDecimal(a: string, b: string): number {
  // Exact comparison of non-negative decimal strings without floats.
  const [ai = "0", af = ""] = a.split(".");
  const [bi = "0", bf = ""] = b.split(".");
  const ain = ai.replace(/^0+/, "");
  const bin = bi.replace(/^0+/, "");
  if (ain.length !== bin.length) return ain.length - bin.length;
  if (ain !== bin) return ain < bin ? -1 : 1;
  const len = Math.max(af.length, bf.length);
  const afp = af.padEnd(len, "0");
  const bfp = bf.padEnd(len, "0");
  return afp === bfp ? 0 : afp < bfp ? -1 : 1;
}

function isZero(size: string): boolean {
  return /^0*(\.0*)?$/.test(size);
}

/** Decodes a JWT's payload without checking the signature. */
function jwtPayload(jwt: string): Record<string, unknown> | undefined {
  const part = jwt.split(".")[1];
  if (part === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function defaultVerifyJwt(jwt: string, now: number): WsJwtCheck {
  const payload = jwtPayload(jwt);
  if (payload === undefined) return { ok: false, message: "authentication failure" };
  const seconds = now / 1000;
  if (typeof payload.exp !== "number" || payload.exp <= seconds) return { ok: false, message: "jwt expired" };
  if (typeof payload.nbf === "number" && payload.nbf > seconds + 5)
    return { ok: false, message: "jwt not yet valid" };
  return { ok: true };
}

function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000000Z");
}

/** Starts a loopback server on a free port of 127.0.0.1. */
export async function startWsServer(options: WsServerOptions = {}): Promise<WsServer> {
  const heartbeatMs = options.heartbeatIntervalMs ?? 1000;
  const deadlineMs = options.subscribeDeadlineMs ?? 5000;
  const now = options.now ?? Date.now;
  const verifyJwt = options.verifyJwt ?? defaultVerifyJwt;
  const userReplay = options.userReplay ?? 0;
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const port = (wss.address() as AddressInfo).port;
  const connections: ConnState[] = [];
  const books = new Map<string, { bids: BookSide; offers: BookSide }>();
  const userOrders = new Map<string, Readonly<Record<string, unknown>>>();
  const userHistory: Readonly<Record<string, unknown>>[] = [];
  const waiters = new Set<() => void>();
  let silent = false;

  const notify = (): void => {
    for (const w of [...waiters]) w();
  };

  const bookOf = (productId: string): { bids: BookSide; offers: BookSide } => {
    let b = books.get(productId);
    if (b === undefined) {
      b = { bids: new Map(), offers: new Map() };
      books.set(productId, b);
    }
    return b;
  };

  const applyChanges = (productId: string, changes: readonly WsL2Change[]): void => {
    const b = bookOf(productId);
    for (const c of changes) {
      const side = c.side === "bid" ? b.bids : b.offers;
      if (isZero(c.new_quantity)) side.delete(c.price_level);
      else side.set(c.price_level, c.new_quantity);
    }
  };

  const sortedBook = (productId: string): { bids: [string, string][]; offers: [string, string][] } => {
    const b = bookOf(productId);
    return {
      bids: [...b.bids.entries()].sort((x, y) => cmpDecimal(y[0], x[0])),
      offers: [...b.offers.entries()].sort((x, y) => cmpDecimal(x[0], y[0])),
    };
  };

  /** Sends one frame through the fault filters (gap, swap), stamping the sequence number. */
  const sendEnvelope = (conn: ConnState, channel: string, events: readonly unknown[]): void => {
    if (!conn.open || silent) return;
    conn.nextSequence += conn.gapBy;
    conn.gapBy = 0;
    const frame = JSON.stringify({
      channel,
      client_id: "",
      timestamp: timestamp(now()),
      sequence_num: conn.nextSequence++,
      events,
    });
    sendFrame(conn, frame);
  };

  const sendFrame = (conn: ConnState, frame: string): void => {
    if (conn.swapPending) {
      conn.swapPending = false;
      conn.held = frame;
      return;
    }
    rawSend(conn, frame);
    conn.lastFrame = frame;
    if (conn.held !== undefined) {
      const held = conn.held;
      conn.held = undefined;
      rawSend(conn, held);
      conn.lastFrame = held;
    }
  };

  const rawSend = (conn: ConnState, text: string): void => {
    conn.sent.chars += text.length;
    conn.sent.largestFrame = Math.max(conn.sent.largestFrame, text.length);
    conn.socket.send(text);
  };

  const sendError = (conn: ConnState, message: string): void => {
    rawSend(conn, JSON.stringify({ type: "error", message }));
    if (options.closeAfterError) conn.socket.close(1000, "error");
  };

  const ackSubscriptions = (conn: ConnState): void => {
    const subscriptions: Record<string, string[]> = {};
    for (const [channel, ids] of [...conn.subscriptions.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (ids.size > 0) subscriptions[channel] = [...ids];
    }
    sendEnvelope(conn, "subscriptions", [{ subscriptions }]);
  };

  const l2SnapshotTo = (conn: ConnState, productId: string): void => {
    const { bids, offers } = sortedBook(productId);
    const time = timestamp(now());
    const updates = [
      ...bids.map(([price_level, new_quantity]) => ({
        side: "bid",
        event_time: time,
        price_level,
        new_quantity,
      })),
      ...offers.map(([price_level, new_quantity]) => ({
        side: "offer",
        event_time: time,
        price_level,
        new_quantity,
      })),
    ];
    sendEnvelope(conn, "l2_data", [{ type: "snapshot", product_id: productId, updates }]);
  };

  const onSubscribe = (conn: ConnState, msg: WsClientMessage): void => {
    const channel = msg.channel;
    if (channel === undefined || !CHANNELS.has(channel)) {
      sendError(conn, `Failed to subscribe: unknown channel ${String(channel)}`);
      return;
    }
    const rejected = options.rejectSubscribe?.(msg);
    if (rejected !== undefined) {
      sendError(conn, rejected);
      return;
    }
    if (AUTH_CHANNELS.has(channel) || msg.jwt !== undefined) {
      if (msg.jwt === undefined || msg.jwt === "") {
        sendError(conn, "authentication failure");
        return;
      }
      const check = verifyJwt(msg.jwt, now());
      if (!check.ok) {
        sendError(conn, check.message);
        return;
      }
    }
    const products = PRODUCTLESS.has(channel)
      ? [channel === "user" ? "user" : channel]
      : [...(msg.product_ids ?? [])];
    if (products.length === 0) {
      sendError(conn, `Failed to subscribe: ${channel} needs product_ids`);
      return;
    }
    if (msg.type === "unsubscribe") {
      const set = conn.subscriptions.get(channel);
      if (set !== undefined) {
        if (msg.product_ids === undefined || PRODUCTLESS.has(channel)) set.clear();
        else for (const p of products) set.delete(p);
      }
      ackSubscriptions(conn);
      return;
    }
    if (conn.deadline !== undefined) {
      clearTimeout(conn.deadline);
      conn.deadline = undefined;
    }
    let set = conn.subscriptions.get(channel);
    if (set === undefined) {
      set = new Set();
      conn.subscriptions.set(channel, set);
    }
    for (const p of products) set.add(p);
    if (channel === "level2") for (const p of products) l2SnapshotTo(conn, p);
    if (channel === "user") {
      const open = [...userOrders.values()].filter((o) => o.status === "OPEN" || o.status === "PENDING");
      for (let i = 0; i === 0 || i < open.length; i += 50) {
        sendEnvelope(conn, "user", [
          {
            type: i === 0 ? "snapshot" : "update",
            orders: open.slice(i, i + 50),
            positions: emptyPositions(),
          },
        ]);
      }
      if (userReplay > 0) {
        for (const o of userHistory.slice(-userReplay))
          sendEnvelope(conn, "user", [{ type: "update", orders: [o] }]);
      }
    }
    ackSubscriptions(conn);
  };

  wss.on("connection", (socket: WebSocket) => {
    const conn: ConnState = {
      id: connections.length,
      received: [],
      subscriptions: new Map(),
      nextSequence: 0,
      open: true,
      sent: { chars: 0, largestFrame: 0 },
      socket,
      gapBy: 0,
      swapPending: false,
      held: undefined,
      lastFrame: undefined,
      heartbeatCounter: 0,
      deadline:
        deadlineMs > 0
          ? setTimeout(() => {
              if (conn.open) socket.close(1008, "subscribe timeout");
            }, deadlineMs)
          : undefined,
    };
    connections.push(conn);
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? "" : String(data);
      let msg: WsClientMessage;
      try {
        const parsed: unknown = JSON.parse(text);
        msg = typeof parsed === "object" && parsed !== null ? (parsed as WsClientMessage) : { type: text };
      } catch {
        msg = { type: text };
      }
      conn.received.push(msg);
      if (msg.type === "subscribe" || msg.type === "unsubscribe") onSubscribe(conn, msg);
      else sendError(conn, `Failed to parse message: ${msg.type.slice(0, 40)}`);
      notify();
    });
    socket.on("close", (code) => {
      conn.open = false;
      conn.closeCode = code;
      if (conn.deadline !== undefined) clearTimeout(conn.deadline);
      notify();
    });
    socket.on("error", () => {
      // An abrupt client disconnect; the close handler records it.
    });
    notify();
  });

  const heartbeatTimer =
    heartbeatMs > 0
      ? setInterval(() => {
          server.heartbeat();
        }, heartbeatMs)
      : undefined;

  const targets = (connection?: WsServerConnection): ConnState[] =>
    connection === undefined
      ? connections.filter((c) => c.open)
      : connections.filter((c) => c === connection && c.open);

  const subscribers = (channel: string, productId?: string): ConnState[] =>
    connections.filter((c) => {
      if (!c.open) return false;
      const set = c.subscriptions.get(channel);
      if (set === undefined || set.size === 0) return false;
      return productId === undefined || set.has(productId);
    });

  const faults: WsFaults = {
    disconnect(code, connection) {
      for (const c of targets(connection)) {
        if (code === 1006) c.socket.terminate();
        else c.socket.close(code, "scripted");
      }
    },
    gap(by = 1, connection) {
      for (const c of targets(connection)) c.gapBy += by;
    },
    duplicateLast(connection) {
      for (const c of targets(connection)) if (c.lastFrame !== undefined) rawSend(c, c.lastFrame);
    },
    swapNext(connection) {
      for (const c of targets(connection)) c.swapPending = true;
    },
    raw(text, connection) {
      for (const c of targets(connection)) rawSend(c, text);
    },
    oversizedSnapshot(productId, levels) {
      const changes: WsL2Change[] = [];
      for (let i = 1; i <= levels; i++) {
        changes.push({
          side: "bid",
          price_level: `${50_000 - i / 100}`,
          new_quantity: `0.${String(i).padStart(8, "0")}`,
        });
        changes.push({
          side: "offer",
          price_level: `${50_000 + i / 100}`,
          new_quantity: `1.${String(i).padStart(8, "0")}`,
        });
      }
      server.setBook(productId, changes);
      server.l2Snapshot(productId);
    },
    silence() {
      silent = true;
    },
    resume() {
      silent = false;
    },
  };

  const server: WsServer = {
    url: `ws://127.0.0.1:${port}`,
    connections,
    subscribers,
    waitFor(condition, timeoutMs = 20_000) {
      if (condition()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (condition()) done(undefined);
        };
        const done = (error: Error | undefined): void => {
          waiters.delete(check);
          clearInterval(poll);
          clearTimeout(timer);
          if (error === undefined) resolve();
          else reject(error);
        };
        const poll = setInterval(check, 5);
        const timer = setTimeout(
          () => done(new Error(`ws-server: condition not met in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.add(check);
      });
    },
    setBook(productId, changes) {
      books.delete(productId);
      applyChanges(productId, changes);
    },
    book: sortedBook,
    l2Update(productId, changes) {
      applyChanges(productId, changes);
      const time = timestamp(now());
      const updates = changes.map((c) => ({ event_time: time, ...c }));
      for (const c of subscribers("level2", productId)) {
        sendEnvelope(c, "l2_data", [{ type: "update", product_id: productId, updates }]);
      }
    },
    l2Snapshot(productId, connection) {
      for (const c of subscribers("level2", productId)) {
        if (connection === undefined || c === connection) l2SnapshotTo(c, productId);
      }
    },
    ticker(productId, fields = {}) {
      const ticker = {
        type: "ticker",
        product_id: productId,
        price: "100",
        volume_24_h: "1000",
        low_24_h: "90",
        high_24_h: "110",
        low_52_w: "50",
        high_52_w: "150",
        price_percent_chg_24_h: "1.5",
        best_bid: "99.99",
        best_bid_quantity: "1",
        best_ask: "100.01",
        best_ask_quantity: "1",
        ...fields,
      };
      server.publish("ticker", [{ type: "update", tickers: [ticker] }], productId);
    },
    publish(channel, events, productId) {
      const name = messageChannel(channel);
      for (const c of subscribers(subscribeChannel(channel), productId)) sendEnvelope(c, name, events);
    },
    userOrder(order) {
      const id = String(order.order_id);
      userOrders.set(id, order);
      userHistory.push(order);
      for (const c of subscribers("user")) sendEnvelope(c, "user", [{ type: "update", orders: [order] }]);
    },
    heartbeat() {
      for (const c of subscribers("heartbeats")) {
        const t = now();
        sendEnvelope(c, "heartbeats", [
          {
            current_time: `${new Date(t).toISOString().replace("T", " ").replace("Z", "")} +0000 UTC m=+1.0`,
            heartbeat_counter: c.heartbeatCounter++,
          },
        ]);
      }
    },
    replay(messages) {
      for (const m of messages) {
        const channel = typeof m.channel === "string" ? m.channel : "";
        if (channel === "subscriptions" || !Array.isArray(m.events)) continue;
        const events = m.events as readonly Record<string, unknown>[];
        if (channel === "l2_data") {
          for (const e of events) {
            const productId = String(e.product_id);
            const changes = e.updates as readonly WsL2Change[];
            if (e.type === "snapshot") books.delete(productId);
            applyChanges(productId, changes);
            for (const c of subscribers("level2", productId)) sendEnvelope(c, "l2_data", [e]);
          }
          continue;
        }
        const sub = subscribeChannel(channel);
        const productId = PRODUCTLESS.has(sub) ? undefined : firstProduct(events);
        for (const c of subscribers(sub, productId)) sendEnvelope(c, channel, events);
      }
    },
    faults,
    async close() {
      if (heartbeatTimer !== undefined) clearInterval(heartbeatTimer);
      for (const c of connections) {
        if (c.deadline !== undefined) clearTimeout(c.deadline);
        if (c.open) c.socket.terminate();
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  return server;
}

function emptyPositions(): Record<string, unknown[]> {
  return { perpetual_futures_positions: [], expiring_futures_positions: [] };
}

/** The first product id named in a recorded message's events (tickers, trades, candles). */
function firstProduct(events: readonly Record<string, unknown>[]): string | undefined {
  for (const e of events) {
    if (typeof e.product_id === "string") return e.product_id;
    for (const key of ["tickers", "trades", "candles"]) {
      const list = e[key];
      if (Array.isArray(list) && list.length > 0) {
        const first = list[0] as Record<string, unknown>;
        if (typeof first.product_id === "string") return first.product_id;
      }
    }
  }
  return undefined;
}

/** Builds an unsigned test JWT whose payload carries `exp`/`nbf` (seconds) for the default check. */
export function testJwt(expSeconds: number, nbfSeconds = expSeconds - 120): string {
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${enc({ alg: "ES256", kid: "test", typ: "JWT" })}.${enc({ sub: "test", iss: "cdp", nbf: nbfSeconds, exp: expSeconds })}.c2ln`;
}
