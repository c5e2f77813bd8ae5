/**
 * Helpers of the WebSocket loopback tests: a stream wired to a `startWsServer` server with fast
 * reconnects, an event log the tests wait on (no sleeps: conditions are polled), and the
 * "book rebuilt from scratch" comparison. For tests only; not exported from the package.
 */
import { OrderBook } from "../ws/order-book.js";
import { type CoinbaseStream, createCoinbaseStream } from "../ws/stream.js";
import type {
  CoinbaseStreamOptions,
  StreamEvent,
  StreamEventOf,
  StreamEventType,
} from "../ws/stream-types.js";
import type { WsServer } from "./ws-server.js";

/** A stream under test and everything it emitted, in order. */
export interface LoopbackStream {
  readonly stream: CoinbaseStream;
  readonly events: StreamEvent[];
  /** The events of one type, in order. */
  of<T extends StreamEventType>(type: T): StreamEventOf<T>[];
  /** Resolves once an event of `type` matching `match` has been emitted (counting from the start). */
  waitForEvent<T extends StreamEventType>(
    type: T,
    match?: (event: StreamEventOf<T>) => boolean,
  ): Promise<StreamEventOf<T>>;
}

/** Opens a stream on the server's URL (both endpoints) with quick, jitter-free reconnects. */
export function loopbackStream(server: WsServer, options: CoinbaseStreamOptions = {}): LoopbackStream {
  const stream = createCoinbaseStream({
    url: server.url,
    userUrl: server.url,
    staleAfterMs: 0,
    reconnect: { initialDelayMs: 5, maxDelayMs: 50, jitter: 0 },
    ...options,
  });
  const events: StreamEvent[] = [];
  stream.onAny((event) => events.push(event));
  const of = <T extends StreamEventType>(type: T): StreamEventOf<T>[] =>
    events.filter((e): e is StreamEventOf<T> => e.type === type);
  return {
    stream,
    events,
    of,
    async waitForEvent(type, match) {
      let found: StreamEventOf<typeof type> | undefined;
      await server.waitFor(() => {
        found = of(type).find((e) => match === undefined || match(e));
        return found !== undefined;
      });
      return found as StreamEventOf<typeof type>;
    },
  };
}

/** A book's levels as `[price, size]` pairs (prices normalised: no trailing fraction zeros). */
export interface BookLevels {
  readonly bids: [string, string][];
  readonly asks: [string, string][];
}

function normal(price: string): string {
  return price.includes(".") ? price.replace(/0+$/, "").replace(/\.$/, "") : price;
}

/** Every level of a book, best first. */
export function levelsOf(book: OrderBook): BookLevels {
  const { bids, asks } = book.depth(Number.MAX_SAFE_INTEGER);
  return {
    bids: bids.map((l) => [normal(l.price), l.size]),
    asks: asks.map((l) => [normal(l.price), l.size]),
  };
}

/** A fresh book fed the server's truth book as one snapshot (the "rebuilt from scratch" book). */
function rebuiltFromServer(server: WsServer, productId: string): BookLevels {
  const truth = server.book(productId);
  const book = new OrderBook(productId);
  book.applySnapshot([
    ...truth.bids.map(([price_level, new_quantity]) => ({
      side: "bid" as const,
      price_level,
      new_quantity,
      event_time: "1970-01-01T00:00:00Z",
    })),
    ...truth.offers.map(([price_level, new_quantity]) => ({
      side: "offer" as const,
      price_level,
      new_quantity,
      event_time: "1970-01-01T00:00:00Z",
    })),
  ]);
  const rebuilt = levelsOf(book);
  // The rebuilt book must also be the server's truth itself, level for level.
  const truthLevels: BookLevels = {
    bids: truth.bids.map(([p, s]) => [normal(p), s]),
    asks: truth.offers.map(([p, s]) => [normal(p), s]),
  };
  if (JSON.stringify(rebuilt) !== JSON.stringify(truthLevels)) {
    throw new Error(`the rebuilt book of ${productId} differs from the server's truth`);
  }
  return rebuilt;
}

/** Resolves when the stream's book of `productId` is valid and equals the server's truth. */
export async function bookMatchesServer(
  server: WsServer,
  loop: LoopbackStream,
  productId: string,
  timeoutMs = 20_000,
): Promise<void> {
  const expected = JSON.stringify(rebuiltFromServer(server, productId));
  await server.waitFor(() => {
    const book = loop.stream.book(productId);
    return book?.valid === true && JSON.stringify(levelsOf(book)) === expected;
  }, timeoutMs);
}
