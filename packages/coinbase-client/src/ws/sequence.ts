/**
 * The per-connection sequence check. Coinbase numbers every message on a connection, across all
 * channels (the subscriptions ack and heartbeats included), one apart. Pure: no clock, no I/O.
 */

/**
 * What one `sequence_num` means:
 * - `ok`: the next number (or the first one seen);
 * - `gap`: numbers were skipped (`expected` is the one that should have come): messages were lost;
 * - `duplicate`: a number already seen (a replay): ignore the message;
 * - `out-of-order`: a number that was skipped earlier arrives late: it is not a duplicate, but the
 *   stream already moved past it.
 */
export type SequenceVerdict =
  | { readonly kind: "ok" }
  | { readonly kind: "gap"; readonly expected: number; readonly got: number }
  | { readonly kind: "duplicate"; readonly seq: number }
  | { readonly kind: "out-of-order"; readonly expected: number; readonly got: number };

/** How many skipped numbers the checker remembers, to tell a late message from a duplicate. */
const MISSING_LIMIT = 4096;
const OK: SequenceVerdict = Object.freeze({ kind: "ok" });

/**
 * Checks the `sequence_num` of each message on one connection. Make one per connection and
 * `reset()` it when the connection is replaced (a new connection starts its own count).
 *
 * @example
 * const seq = new SequenceChecker();
 * seq.check(0); // { kind: "ok" }
 * seq.check(2); // { kind: "gap", expected: 1, got: 2 }
 * seq.check(1); // { kind: "out-of-order", expected: 3, got: 1 }
 * seq.check(2); // { kind: "duplicate", seq: 2 }
 */
export class SequenceChecker {
  #last: number | undefined;
  /** Numbers skipped by a gap and not seen since (bounded; the oldest are forgotten first). */
  readonly #missing = new Set<number>();

  /** The last in-order number seen, or `undefined` before the first message. */
  get last(): number | undefined {
    return this.#last;
  }

  /** Classifies `seq` and, for `ok` and `gap`, advances to it. */
  check(seq: number): SequenceVerdict {
    const last = this.#last;
    if (last === undefined || seq === last + 1) {
      this.#last = seq;
      return OK;
    }
    if (seq > last + 1) {
      this.#remember(last + 1, seq);
      this.#last = seq;
      return { kind: "gap", expected: last + 1, got: seq };
    }
    if (this.#missing.delete(seq)) return { kind: "out-of-order", expected: last + 1, got: seq };
    return { kind: "duplicate", seq };
  }

  /** Forgets everything: the next number is accepted as the first. */
  reset(): void {
    this.#last = undefined;
    this.#missing.clear();
  }

  #remember(from: number, to: number): void {
    const start = Math.max(from, to - MISSING_LIMIT);
    for (let n = start; n < to; n++) this.#missing.add(n);
    if (this.#missing.size > MISSING_LIMIT) {
      for (const n of this.#missing) {
        this.#missing.delete(n);
        if (this.#missing.size <= MISSING_LIMIT) break;
      }
    }
  }
}
