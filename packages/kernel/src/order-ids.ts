/**
 * The trader's default client order ids across restarts: `<runId>-<n>` from a counter that
 * continues a snapshot's, and skips every `n` reconciliation saw at the venue or in the store
 * (orders sent after the snapshot, before a crash), so no id is ever handed out twice.
 */
import { type ClientOrderId, createClientOrderIdGenerator, type IdSequence } from "@gpt/core";

/** @internal The counter part of `id` when it is `<prefix>-<n>`, else undefined. */
export function runCounterOf(id: string, prefix: string): number | undefined {
  if (!id.startsWith(`${prefix}-`)) return undefined;
  const rest = id.slice(prefix.length + 1);
  if (!/^[0-9]{1,15}$/.test(rest)) return undefined;
  return Number(rest);
}

/** @internal `<prefix>-<n>` ids that skip every `n` up to a floor that `reserve` raises. */
export class RunOrderIds implements IdSequence<ClientOrderId> {
  readonly #prefix: string;
  readonly #base: IdSequence<ClientOrderId>;
  #floor = 0;

  constructor(prefix: string, start: number) {
    this.#prefix = prefix;
    this.#base = createClientOrderIdGenerator(prefix, start);
  }

  /** Ids handed out (skipped ones included) since the start. */
  get count(): number {
    return this.#base.count;
  }

  next(): ClientOrderId {
    for (;;) {
      const id = this.#base.next();
      const n = runCounterOf(id, this.#prefix);
      if (n === undefined || n > this.#floor) return id;
    }
  }

  /** Marks every id of this prefix among `ids` as taken. */
  reserve(ids: Iterable<string | undefined>): void {
    for (const id of ids) {
      if (id === undefined) continue;
      const n = runCounterOf(id, this.#prefix);
      if (n !== undefined && n > this.#floor) this.#floor = n;
    }
  }
}
