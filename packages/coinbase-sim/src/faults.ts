/**
 * The fault script: what the simulator does wrong on purpose, set at start (`faults`) or at run
 * time (`setFaults`). Three parts, each owned by the component that applies it: `rest` (HTTP
 * answers: 429 bursts, 5xx, latency, hung requests), `orders` (partial fills, rejects with a chosen
 * reason) and `ws` (dropped connections, sequence gaps, duplicated and reordered messages, a stale
 * feed, a user-channel replay after reconnect). A `setFaults` call replaces the whole script.
 */
import type { OrderFaults, RestFaults } from "./faults-rest.js";
import type { WsFaults } from "./ws/faults.js";

/** The whole fault script. Every part is optional; `{}` means no faults. */
export interface SimFaults {
  /** Faults in HTTP answers. */
  readonly rest?: RestFaults;
  /** Faults in how orders are accepted and filled. */
  readonly orders?: OrderFaults;
  /** Faults in the WebSocket feeds. */
  readonly ws?: WsFaults;
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
