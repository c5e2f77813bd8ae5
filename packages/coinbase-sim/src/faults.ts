/**
 * The fault script: what the simulator does wrong on purpose, set at start (`faults`) or at run
 * time (`setFaults`). Three parts, each owned by the component that applies it: `rest` (HTTP
 * answers: 429 bursts, 5xx, latency, hung requests), `orders` (partial fills, rejects with a chosen
 * reason) and `ws` (dropped connections, sequence gaps, duplicated and reordered messages, a stale
 * feed, a user-channel replay after reconnect). A `setFaults` call replaces the whole script.
 */
import { CoinbaseSimError } from "./errors.js";
import { type FaultParseContext, parseOrderFaults, parseRestFaults } from "./faults-parse.js";
import type { OrderFaults, RestFaults } from "./faults-rest.js";
import { parseWsFaults, type WsFaults } from "./ws/faults.js";

/** The whole fault script. Every part is optional; `{}` means no faults. */
export interface SimFaults {
  /** Faults in HTTP answers. */
  readonly rest?: RestFaults;
  /** Faults in how orders are accepted and filled. */
  readonly orders?: OrderFaults;
  /** Faults in the WebSocket feeds. */
  readonly ws?: WsFaults;
}

/**
 * Validates a fault script given by a user (JSON from a file, an object from a test) and returns a
 * fresh copy: unknown keys, wrong types and negative counts are refused, naming the field path
 * (`faults.rest[0].count`) and the value. With `context.products`, an order rule's `product` must be
 * one of them. The `ws` part is checked by the WebSocket feeds' parser (`parseWsFaults`).
 *
 * @throws CoinbaseSimError `invalid-config`.
 */
export function parseSimFaults(input: unknown, context: FaultParseContext = {}): SimFaults {
  try {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new CoinbaseSimError("invalid-config", "faults: must be an object with rest, orders or ws", {
        field: "faults",
      });
    }
    const value = input as Readonly<Record<string, unknown>>;
    for (const key of Object.keys(value)) {
      if (key !== "rest" && key !== "orders" && key !== "ws") {
        const shown = /^[A-Za-z0-9_]{1,40}$/.test(key) ? key : "(a key)";
        throw new CoinbaseSimError(
          "invalid-config",
          `faults.${shown}: unknown key (expected rest, orders or ws)`,
          {
            field: `faults.${shown}`,
          },
        );
      }
    }
    return {
      ...(value.rest === undefined ? {} : { rest: parseRestFaults(value.rest) }),
      ...(value.orders === undefined
        ? {}
        : { orders: parseOrderFaults(value.orders, "faults.orders", context) }),
      ...(value.ws === undefined ? {} : { ws: parseWsFaults(value.ws, "faults.ws") }),
    };
  } catch (cause) {
    if (cause instanceof CoinbaseSimError) throw cause;
    throw new CoinbaseSimError(
      "invalid-config",
      "faults: the script could not be read",
      { field: "faults" },
      { cause },
    );
  }
}

/** Listener told when the script changes. */
type FaultListener = (faults: SimFaults) => void;

/**
 * The current fault script, shared by the REST server, the order entry and the WebSocket server.
 * Components read `current` when they act, or subscribe to be told of a change.
 */
export class FaultState {
  #current: SimFaults;
  readonly #listeners = new Set<FaultListener>();

  constructor(initial: SimFaults = {}) {
    this.#current = initial;
  }

  /** The script in force. */
  get current(): SimFaults {
    return this.#current;
  }

  /** Replaces the script (already validated) and tells the listeners. */
  set(faults: SimFaults): void {
    this.#current = faults;
    for (const listener of this.#listeners) listener(faults);
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: FaultListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
