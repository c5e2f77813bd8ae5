/**
 * WebSocket faults: the `ws` part of the fault script (see ../faults.ts), its validation
 * (`parseWsFaults`) and the per-script bookkeeping the WebSocket server uses to apply it
 * (`WsFaultRun`: which triggers fired how often).
 */
import { CoinbaseSimError } from "../errors.js";

/** The two WebSocket endpoints: market data (`wsUrl`) and user data (`wsUserUrl`). */
export type WsEndpoint = "market" | "user";

/**
 * When a counted fault fires. It fires on a connection when that connection has been sent
 * `afterMessages` messages since the script was set (or since it connected, if later), at most
 * `times` times in all across connections.
 */
export interface WsFaultTrigger {
  /** Only connections of this endpoint; default both. */
  readonly endpoint?: WsEndpoint;
  /** Messages a connection is sent before the fault hits it; default 0 (its next message). */
  readonly afterMessages?: number;
  /** How many times the fault fires in all; default 1. */
  readonly times?: number;
}

/** Dropped connections. */
export interface WsDropFault extends WsFaultTrigger {
  /**
   * `1006` (default): the TCP connection is cut with no close frame (the client sees 1006);
   * `1001`: a close frame "going away", as a server restart sends.
   */
  readonly code?: 1006 | 1001;
}

/** Sequence gaps. */
export interface WsGapFault extends WsFaultTrigger {
  /** How many sequence numbers are skipped; default 1. */
  readonly skip?: number;
}

/** A stale feed: the socket stays open and nothing (or only heartbeats) is sent. */
export interface WsStaleFault {
  /** Only connections of this endpoint; default both. */
  readonly endpoint?: WsEndpoint;
  /** Keep sending heartbeats while the data stops (a product watchdog's case); default false. */
  readonly heartbeats?: boolean;
}

/** Faults in the WebSocket feeds. Every part is optional; `{}` means none. */
export interface WsFaults {
  /** Cut or close connections (the client reconnects). */
  readonly drop?: WsDropFault;
  /** Skip sequence numbers (messages the client can never get: it resyncs). */
  readonly gap?: WsGapFault;
  /** Send a message twice with the same `sequence_num`. */
  readonly duplicate?: WsFaultTrigger;
  /** Hold a message back and send it after the next one. */
  readonly reorder?: WsFaultTrigger;
  /** Stop the feed while this is set, keeping the sockets open. */
  readonly stale?: WsStaleFault;
  /**
   * After every `user` subscribe, send the last this-many user updates again (what a reconnecting
   * client sees when the exchange replays recent events): the client must not count them twice.
   */
  readonly userReplay?: number;
}

const TRIGGER_KEYS = ["endpoint", "afterMessages", "times"] as const;
const FAULT_KEYS: readonly (keyof WsFaults)[] = [
  "drop",
  "gap",
  "duplicate",
  "reorder",
  "stale",
  "userReplay",
];

function fail(field: string, message: string, value?: unknown): never {
  const context: Record<string, string | number | boolean> = { field };
  if (typeof value === "number" || typeof value === "boolean") context.value = value;
  throw new CoinbaseSimError("invalid-config", `${field}: ${message}`, context);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    // Key names are echoed only when short and plain (they could be anything a caller passed).
    const shown = /^[A-Za-z0-9_]{1,40}$/.test(key) ? key : "(a key)";
    if (!allowed.includes(key)) fail(`${path}.${shown}`, "unknown key");
  }
}

function count(value: unknown, field: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    fail(field, `must be an integer >= ${min}`, value);
  }
  return value;
}

function endpoint(value: unknown, field: string): WsEndpoint | undefined {
  if (value === undefined) return undefined;
  if (value !== "market" && value !== "user") fail(field, 'must be "market" or "user"');
  return value;
}

function trigger(value: unknown, path: string, extra: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) fail(path, "must be an object");
  checkKeys(value, [...TRIGGER_KEYS, ...extra], path);
  const out: Record<string, unknown> = {};
  const ep = endpoint(value.endpoint, `${path}.endpoint`);
  if (ep !== undefined) out.endpoint = ep;
  const after = count(value.afterMessages, `${path}.afterMessages`, 0);
  if (after !== undefined) out.afterMessages = after;
  const times = count(value.times, `${path}.times`, 1);
  if (times !== undefined) out.times = times;
  return out;
}

/**
 * Validates the `ws` part of a fault script (untrusted input: JSON, a CLI flag) and returns a copy.
 *
 * @param path The field path used in messages; default `"faults.ws"`.
 * @throws CoinbaseSimError `invalid-config` naming the field (`faults.ws.gap.skip`): an unknown
 *   key, a count that is not a non-negative integer (`times` and `skip` at least 1), an endpoint
 *   other than `"market"`/`"user"`, a drop code other than 1006/1001.
 */
export function parseWsFaults(value: unknown, path = "faults.ws"): WsFaults {
  if (value === undefined) return {};
  if (!isPlainObject(value)) fail(path, "must be an object");
  checkKeys(value, FAULT_KEYS, path);
  const out: { -readonly [K in keyof WsFaults]: WsFaults[K] } = {};
  if (value.drop !== undefined) {
    const drop = trigger(value.drop, `${path}.drop`, ["code"]);
    const code = (value.drop as Record<string, unknown>).code;
    if (code !== undefined && code !== 1006 && code !== 1001)
      fail(`${path}.drop.code`, "must be 1006 or 1001", code);
    out.drop = { ...drop, ...(code === undefined ? {} : { code }) } as WsDropFault;
  }
  if (value.gap !== undefined) {
    const gap = trigger(value.gap, `${path}.gap`, ["skip"]);
    const skip = count((value.gap as Record<string, unknown>).skip, `${path}.gap.skip`, 1);
    out.gap = { ...gap, ...(skip === undefined ? {} : { skip }) } as WsGapFault;
  }
  if (value.duplicate !== undefined) out.duplicate = trigger(value.duplicate, `${path}.duplicate`, []);
  if (value.reorder !== undefined) out.reorder = trigger(value.reorder, `${path}.reorder`, []);
  if (value.stale !== undefined) {
    const stale = value.stale;
    if (!isPlainObject(stale)) fail(`${path}.stale`, "must be an object");
    checkKeys(stale, ["endpoint", "heartbeats"], `${path}.stale`);
    const ep = endpoint(stale.endpoint, `${path}.stale.endpoint`);
    if (stale.heartbeats !== undefined && typeof stale.heartbeats !== "boolean")
      fail(`${path}.stale.heartbeats`, "must be a boolean");
    out.stale = {
      ...(ep === undefined ? {} : { endpoint: ep }),
      ...(stale.heartbeats === undefined ? {} : { heartbeats: stale.heartbeats as boolean }),
    };
  }
  const replay = count(value.userReplay, `${path}.userReplay`, 0);
  if (replay !== undefined) out.userReplay = replay;
  return out;
}

/** The counted faults, by name. */
export type WsCountedFault = "drop" | "gap" | "duplicate" | "reorder";

/**
 * The bookkeeping of one script: how often each counted fault has fired. The WebSocket server makes
 * a new one whenever the script changes (counts start over with a new script).
 */
export class WsFaultRun {
  readonly faults: WsFaults;
  readonly #fired = new Map<WsCountedFault, number>();

  constructor(faults: WsFaults) {
    this.faults = faults;
  }

  /**
   * Whether `kind` fires now on a connection of `endpointName` that has been sent `sent` messages
   * under this script; counts the firing when it does.
   */
  take(kind: WsCountedFault, endpointName: WsEndpoint, sent: number): boolean {
    const fault = this.faults[kind];
    if (fault === undefined) return false;
    if (fault.endpoint !== undefined && fault.endpoint !== endpointName) return false;
    if (sent < (fault.afterMessages ?? 0)) return false;
    const fired = this.#fired.get(kind) ?? 0;
    if (fired >= (fault.times ?? 1)) return false;
    this.#fired.set(kind, fired + 1);
    return true;
  }

  /** Whether the feed of an `endpointName` connection is stale now (for a heartbeat or not). */
  stale(endpointName: WsEndpoint, heartbeat: boolean): boolean {
    const stale = this.faults.stale;
    if (stale === undefined) return false;
    if (stale.endpoint !== undefined && stale.endpoint !== endpointName) return false;
    return !(heartbeat && stale.heartbeats === true);
  }
}
