/**
 * The trader's execution-event queue: a venue may emit events while the trader is still inside a
 * command or a market data event (the paper engine does, synchronously), so events are queued and
 * applied in order once the trader is no longer busy, never in the middle of a decision.
 */
import type { ExecutionEvent } from "@gpt/core";

/** @internal Queues execution events and applies them in order when the trader is not busy. */
export class ExecutionQueue {
  #queue: ExecutionEvent[] = [];
  #head = 0;
  #draining = false;
  #busy = 0;
  /** Execution events applied. */
  applied = 0;
  readonly #apply: (event: ExecutionEvent) => void;
  readonly #idle: () => void;

  /**
   * @param apply applies one event (the event applier).
   * @param idle runs after a drain when nothing holds the trader (risk's pending equity).
   */
  constructor(apply: (event: ExecutionEvent) => void, idle: () => void) {
    this.#apply = apply;
    this.#idle = idle;
  }

  /** Queues an event from the port; applied at once when nothing holds the trader. */
  push(event: ExecutionEvent): void {
    this.#queue.push(event);
    if (this.#busy === 0) this.drain();
  }

  /** The trader is busy (a command or market data is being handled): events wait. */
  hold(): void {
    this.#busy += 1;
  }

  /** Ends one `hold()` without draining (the caller drains). */
  unhold(): void {
    this.#busy -= 1;
  }

  /** Ends one `hold()` and drains what queued meanwhile. */
  release(): void {
    this.#busy -= 1;
    this.drain();
  }

  /** Applies queued events in order; a re-entrant call returns at once (the outer loop continues). */
  drain(): void {
    if (this.#draining) return;
    if (this.#queue.length === 0) {
      // Nothing queued (most bars): no loop, no try.
      if (this.#busy === 0) this.#idle();
      return;
    }
    this.#draining = true;
    try {
      while (this.#head < this.#queue.length) {
        const event = this.#queue[this.#head] as ExecutionEvent;
        this.#head += 1;
        this.applied += 1;
        this.#apply(event);
      }
      if (this.#head > 0) {
        this.#queue.length = 0;
        this.#head = 0;
      }
    } finally {
      this.#draining = false;
    }
    if (this.#busy === 0) this.#idle();
  }
}
