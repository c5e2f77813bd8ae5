import type { AuditFault } from "./faults-rest.js";

/** One HTTP exchange as the simulator saw it. */
export interface AuditEntry {
  /** Its position in the log, from 1. */
  readonly seq: number;
  /** Simulator (market) time when it arrived, Unix milliseconds. */
  readonly time: number;
  /** HTTP method. */
  readonly method: string;
  /** The path after `/api/v3/brokerage` (e.g. `/orders`), without the query string. */
  readonly path: string;
  /** The query string without `?` ("" when none). */
  readonly query: string;
  /** The parsed JSON body, if any. */
  readonly requestBody?: unknown;
  /** The key name that signed it, for private requests that passed the JWT check. */
  readonly keyName?: string;
  /** Why the JWT check refused it, for 401s. */
  readonly authFailure?: string;
  /** The HTTP status sent. */
  readonly status: number;
  /** The body sent (parsed JSON, or the text for non-JSON bodies). */
  readonly responseBody: unknown;
  /**
   * The fault-script rules this request got (a REST fault, an order fault), in script order. A hung
   * request is recorded when it starts hanging, with `status` 0 (no answer was sent).
   */
  readonly faults?: readonly AuditFault[];
}

/** What a `client_order_id` received: every create request and the order it maps to. */
export interface ClientOrderAudit {
  /** The client order id. */
  readonly clientOrderId: string;
  /** The order the first request made (absent when it was refused before an order existed). */
  readonly orderId?: string;
  /** How many create requests carried this id (more than 1: the client resent it). */
  readonly requests: number;
}

/** Filters of `AuditLog.entries`. */
export interface AuditQuery {
  /** Only this method. */
  readonly method?: string;
  /** Only this path (after `/api/v3/brokerage`). */
  readonly path?: string;
  /** Only this status. */
  readonly status?: number;
  /** Only requests that got a fault of this kind. */
  readonly fault?: AuditFault["kind"];
}

/** One WebSocket message as the simulator saw it, on one connection. */
export interface WsAuditEntry {
  /** Its position among the WebSocket entries, from 1. */
  readonly seq: number;
  /** Simulator (market) time, Unix milliseconds. */
  readonly time: number;
  /** The connection, numbered from 1 in order of arrival. */
  readonly connection: number;
  /** `market` (`wsUrl`) or `user` (`wsUserUrl`). */
  readonly endpoint: "market" | "user";
  /** `received` from the client, or `sent` to it. */
  readonly direction: "received" | "sent";
  /**
   * The message's `channel` (`l2_data`, `subscriptions`; `error` for error frames), or for a received
   * message the channel it names ("" when none).
   */
  readonly channel: string;
  /**
   * The message as parsed JSON (a received `jwt` replaced by `"[redacted]"`); a received text that
   * is not JSON is kept as a note of its length only.
   */
  readonly message: unknown;
  /** What the fault script did to this message: `gap` (numbers skipped before it), `duplicate` (sent twice), `reorder` (held back one message). */
  readonly fault?: "gap" | "duplicate" | "reorder";
}

/** Filters of `AuditLog.wsEntries`. */
export interface WsAuditQuery {
  /** Only this connection. */
  readonly connection?: number;
  /** Only this endpoint. */
  readonly endpoint?: "market" | "user";
  /** Only this direction. */
  readonly direction?: "received" | "sent";
  /** Only this channel. */
  readonly channel?: string;
}

/** One WebSocket connection's life. */
export interface WsConnectionAudit {
  /** The connection number (as in `WsAuditEntry.connection`). */
  readonly connection: number;
  /** `market` or `user`. */
  readonly endpoint: "market" | "user";
  /** Market time it opened. */
  readonly openedAt: number;
  /** Market time it closed, once closed. */
  readonly closedAt?: number;
  /** The close code (1006 when the TCP connection was cut), once closed. */
  readonly closeCode?: number;
  /**
   * Who ended it: `client`, `server` (the simulator stopped), `deadline` (no subscribe within 5 s)
   * or `fault` (a `drop` of the fault script).
   */
  readonly closedBy?: "client" | "server" | "deadline" | "fault";
}

/** Entries past the limit a log may hold before it trims them, all at once. */
const TRIM_SLICE = 1024;

/**
 * An append-only list that keeps its newest `limit` items. It is trimmed in slices, so an append
 * stays cheap when the simulator serves thousands of requests or frames a second.
 */
class NewestItems<T> {
  readonly #items: T[] = [];
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length > this.#limit + TRIM_SLICE)
      this.#items.splice(0, this.#items.length - this.#limit);
  }

  /** The newest `limit` items, oldest first (a fresh array). */
  list(): T[] {
    return this.#items.slice(-this.#limit);
  }
}

/**
 * Every request and response the simulator handled, in arrival order, and the create requests per
 * `client_order_id`, so a test can prove from the exchange's side that no order was placed twice.
 * Bounded: it keeps the newest `limit` entries (default 100,000).
 */
export class AuditLog {
  readonly #entries: NewestItems<AuditEntry>;
  readonly #clientOrders = new Map<string, { orderId?: string; requests: number }>();
  #seq = 0;
  readonly #ws: NewestItems<WsAuditEntry>;
  readonly #wsConnections = new Map<number, WsConnectionAudit>();
  #wsSeq = 0;

  constructor(limit = 100_000) {
    this.#entries = new NewestItems(limit);
    this.#ws = new NewestItems(limit);
  }

  /** Appends an entry (the simulator calls this once per response). */
  record(entry: Omit<AuditEntry, "seq">): void {
    this.#seq += 1;
    this.#entries.push({ ...entry, seq: this.#seq });
  }

  /** Counts a create request for `clientOrderId` and the order it maps to. */
  recordClientOrder(clientOrderId: string, orderId: string | undefined): void {
    const current = this.#clientOrders.get(clientOrderId);
    if (current === undefined) {
      this.#clientOrders.set(
        clientOrderId,
        orderId === undefined ? { requests: 1 } : { orderId, requests: 1 },
      );
    } else {
      current.requests += 1;
      if (current.orderId === undefined && orderId !== undefined) current.orderId = orderId;
    }
  }

  /** The entries matching `query`, oldest first. */
  entries(query: AuditQuery = {}): AuditEntry[] {
    return this.#entries
      .list()
      .filter(
        (entry) =>
          (query.method === undefined || entry.method === query.method) &&
          (query.path === undefined || entry.path === query.path) &&
          (query.status === undefined || entry.status === query.status) &&
          (query.fault === undefined || entry.faults?.some((fault) => fault.kind === query.fault) === true),
      );
  }

  /** What each `client_order_id` received, in first-seen order. */
  clientOrders(): ClientOrderAudit[] {
    return [...this.#clientOrders].map(([clientOrderId, value]) => ({ clientOrderId, ...value }));
  }

  /** The client order ids that arrived more than once. */
  duplicates(): ClientOrderAudit[] {
    return this.clientOrders().filter((entry) => entry.requests > 1);
  }

  /** Appends a WebSocket message (the WebSocket server calls this for every frame in and out). */
  recordWs(entry: Omit<WsAuditEntry, "seq">): void {
    this.#wsSeq += 1;
    this.#ws.push({ ...entry, seq: this.#wsSeq });
  }

  /** Records a WebSocket connection opening or closing (a later call for the same number merges in). */
  recordWsConnection(entry: WsConnectionAudit): void {
    const before = this.#wsConnections.get(entry.connection);
    this.#wsConnections.set(entry.connection, { ...before, ...entry });
  }

  /** The WebSocket messages matching `query`, oldest first (the newest `limit` are kept). */
  wsEntries(query: WsAuditQuery = {}): WsAuditEntry[] {
    return this.#ws
      .list()
      .filter(
        (entry) =>
          (query.connection === undefined || entry.connection === query.connection) &&
          (query.endpoint === undefined || entry.endpoint === query.endpoint) &&
          (query.direction === undefined || entry.direction === query.direction) &&
          (query.channel === undefined || entry.channel === query.channel),
      );
  }

  /** Every WebSocket connection so far, in order of arrival. */
  wsConnections(): WsConnectionAudit[] {
    return [...this.#wsConnections.values()];
  }
}
