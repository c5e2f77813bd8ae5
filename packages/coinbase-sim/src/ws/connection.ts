/**
 * One WebSocket connection to the simulator: its subscriptions, its `sequence_num`, the level-2
 * books it was last sent, and the one place its frames go out, where the fault script acts (stale,
 * drop, gap, duplicate, reorder) and every frame is written to the audit log.
 */
import type { WebSocket } from "ws";
import type { AuditLog, WsConnectionAudit } from "../audit.js";
import type { WsEndpoint, WsFaultRun } from "./faults.js";
import type { BookText } from "./market-frames.js";
import { wsTimestamp } from "./market-frames.js";

/** What a connection needs from its server. */
export interface ConnectionContext {
  /** Market time now. */
  now(): number;
  /** The fault script in force, with its counts. */
  faults(): WsFaultRun;
  readonly audit: AuditLog;
}

/** One client connection (see the file comment). */
export class FeedConnection {
  /** Its number in the audit log, from 1. */
  readonly id: number;
  readonly endpoint: WsEndpoint;
  readonly socket: WebSocket;
  /** Channel → product ids held (an empty set: the channel without products). */
  readonly subscriptions = new Map<string, Set<string>>();
  /** The level-2 book each subscribed product was last sent (updates are diffs against it). */
  readonly books = new Map<string, BookText>();
  /** Market time of the last heartbeat sent. */
  lastHeartbeatMs = 0;
  /** The `heartbeat_counter` of the next heartbeat. */
  heartbeatCounter = 0;
  /** A subscribe was accepted (the 5-second rule is met). */
  subscribed = false;
  /** The 5-second timer, until a subscribe arrives. */
  deadline: unknown;
  /** Received messages are handled one at a time, in order (a JWT check is asynchronous). */
  queue: Promise<void> = Promise.resolve();
  readonly #context: ConnectionContext;
  #open = true;
  #openedAt = 0;
  #seq = 0;
  /** Messages sent since the fault script was set (or since this connection opened). */
  #sentUnderScript = 0;
  /** A frame held back by a `reorder` fault, sent after the next one. */
  #held: { text: string; frame: Record<string, unknown> } | undefined;

  constructor(id: number, endpoint: WsEndpoint, socket: WebSocket, context: ConnectionContext) {
    this.id = id;
    this.endpoint = endpoint;
    this.socket = socket;
    this.#context = context;
  }

  /** Whether it is still open (as far as the simulator knows). */
  get open(): boolean {
    return this.#open;
  }

  /** A new fault script: its counts start from this connection's next message. */
  restartFaultCount(): void {
    this.#sentUnderScript = 0;
  }

  /** The products of `channel` held (empty when the channel is held without products). */
  products(channel: string): ReadonlySet<string> | undefined {
    return this.subscriptions.get(channel);
  }

  /** Whether `channel` is held for `productId` (a channel held without products covers them all). */
  wants(channel: string, productId: string): boolean {
    const ids = this.subscriptions.get(channel);
    return ids !== undefined && (ids.size === 0 || ids.has(productId));
  }

  /**
   * Sends one message (`channel`, `events`) with the next `sequence_num`, through the fault
   * script: no data while the feed is stale, the connection cut by a `drop`, numbers skipped by a
   * `gap`, the frame sent twice by a `duplicate` or held back one message by a `reorder`. Returns
   * whether the message went out (or will, right after the next one).
   */
  send(channel: string, events: readonly unknown[]): boolean {
    if (!this.#open) return false;
    const run = this.#context.faults();
    // A stale feed keeps answering requests: only data (and heartbeats, unless kept) stop.
    if (channel !== "subscriptions" && run.stale(this.endpoint, channel === "heartbeats")) return false;
    if (run.take("drop", this.endpoint, this.#sentUnderScript)) {
      this.drop(run.faults.drop?.code ?? 1006);
      return false;
    }
    let fault: "gap" | undefined;
    if (run.take("gap", this.endpoint, this.#sentUnderScript)) {
      this.#seq += run.faults.gap?.skip ?? 1;
      fault = "gap";
    }
    const frame: Record<string, unknown> = {
      channel,
      client_id: "",
      timestamp: wsTimestamp(this.#context.now()),
      sequence_num: this.#seq,
      events,
    };
    this.#seq += 1;
    const text = JSON.stringify(frame);
    const count = this.#sentUnderScript;
    this.#sentUnderScript += 1;
    if (this.#held === undefined && run.take("reorder", this.endpoint, count)) {
      this.#held = { text, frame };
      return true;
    }
    this.#write(text, frame, channel, fault);
    if (run.take("duplicate", this.endpoint, count)) this.#write(text, frame, channel, "duplicate");
    const held = this.#held;
    if (held !== undefined) {
      this.#held = undefined;
      this.#write(held.text, held.frame, channel, "reorder");
    }
    return true;
  }

  /** Sends Coinbase's error frame `{type: "error", message}` (it carries no sequence number). */
  sendError(message: string): void {
    if (!this.#open) return;
    const frame = { type: "error", message };
    this.#write(JSON.stringify(frame), frame, "error", undefined);
  }

  /** Ends the connection: `1006` cuts the TCP connection, any other code sends a close frame. */
  drop(code: number, by: WsConnectionAudit["closedBy"] = "fault", reason = "going away"): void {
    if (!this.#open) return;
    this.markClosed(code, by);
    if (code === 1006) this.socket.terminate();
    else this.socket.close(code, reason);
  }

  /** Records the opening in the audit log. */
  markOpened(): void {
    this.#openedAt = this.#context.now();
    this.#context.audit.recordWsConnection({
      connection: this.id,
      endpoint: this.endpoint,
      openedAt: this.#openedAt,
    });
  }

  /** Records the end (once): the socket closed, or the simulator ended it. */
  markClosed(code: number, by: NonNullable<WsConnectionAudit["closedBy"]>): void {
    if (!this.#open) return;
    this.#open = false;
    this.#context.audit.recordWsConnection({
      connection: this.id,
      endpoint: this.endpoint,
      openedAt: this.#openedAt,
      closedAt: this.#context.now(),
      closeCode: code,
      closedBy: by,
    });
  }

  #write(
    text: string,
    frame: Record<string, unknown>,
    channel: string,
    fault: "gap" | "duplicate" | "reorder" | undefined,
  ): void {
    this.socket.send(text);
    this.#context.audit.recordWs({
      time: this.#context.now(),
      connection: this.id,
      endpoint: this.endpoint,
      direction: "sent",
      channel: typeof frame.channel === "string" ? frame.channel : channel,
      message: frame,
      ...(fault === undefined ? {} : { fault }),
    });
  }
}
