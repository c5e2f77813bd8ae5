/**
 * Helpers of the WebSocket tests: a simulator on a `ManualClock` with a fast tick, a
 * `@gpt/coinbase-client` stream on its two endpoints with an event log, waiting on conditions (no
 * sleeps), and the checks every test ends with (no client error, every frame sent passes the
 * client's `parseWsFrame`). For tests only.
 */
import { createCoinbaseClient, createWsJwt } from "@gpt/coinbase-client";
import {
  type CoinbaseStream,
  type CoinbaseStreamOptions,
  createCoinbaseStream,
  parseWsFrame,
  type StreamEvent,
  type StreamEventOf,
  type StreamEventType,
} from "@gpt/coinbase-client/ws";
import { ManualClock } from "@gpt/core";
import { type Simulator, type SimulatorOptions, startSimulator } from "../server.js";
import { ecKey } from "../test-keys.js";

/** The market time the tests start at: inside an hourly bar of the synthetic series. */
const T0 = Date.UTC(2026, 0, 10, 0, 30);

/** Resolves once `condition()` holds, checking every 5 ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A simulator, a REST client and a stream on it, with what the stream emitted. */
export interface WsRig {
  readonly sim: Simulator;
  readonly clock: ManualClock;
  readonly client: ReturnType<typeof createCoinbaseClient>;
  readonly stream: CoinbaseStream;
  readonly events: StreamEvent[];
  /** The events of one type, in order. */
  of<T extends StreamEventType>(type: T): StreamEventOf<T>[];
  /** The messages of one channel received on a connection, in order. */
  messages(channel: string, connection?: "market" | "user"): Record<string, unknown>[];
  /** Resolves with the first event of `type` matching `match` (counting from the start). */
  waitFor<T extends StreamEventType>(
    type: T,
    match?: (event: StreamEventOf<T>) => boolean,
  ): Promise<StreamEventOf<T>>;
  close(): Promise<void>;
}

/** Starts a simulator (seed 7, `ManualClock` at `T0`, 5 ms tick) and a stream with a JWT. */
export async function openRig(
  options: SimulatorOptions = {},
  streamOptions: CoinbaseStreamOptions = {},
): Promise<WsRig> {
  const key = ecKey();
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(T0);
  const sim = await startSimulator({
    seed: 7,
    clock,
    keys: [{ name: key.name, publicKey: key.publicKey }],
    ws: { tickMs: 5 },
    ...options,
  });
  const credentials = { keyName: key.name, privateKey: key.privateKey };
  const client = createCoinbaseClient({ baseUrl: sim.restUrl, credentials, rateLimit: false, retry: false });
  const stream = createCoinbaseStream({
    url: sim.wsUrl,
    userUrl: sim.wsUserUrl,
    jwt: createWsJwt(credentials),
    staleAfterMs: 0,
    reconnect: { initialDelayMs: 5, maxDelayMs: 50, jitter: 0 },
    ...streamOptions,
  });
  const events: StreamEvent[] = [];
  stream.onAny((event) => events.push(event));
  const of = <T extends StreamEventType>(type: T): StreamEventOf<T>[] =>
    events.filter((e): e is StreamEventOf<T> => e.type === type);
  return {
    sim,
    clock,
    client,
    stream,
    events,
    of,
    messages: (channel, connection) =>
      of("message")
        .filter(
          (e) => e.message.channel === channel && (connection === undefined || e.connection === connection),
        )
        .map((e) => e.message as unknown as Record<string, unknown>),
    async waitFor(type, match) {
      let found: StreamEventOf<typeof type> | undefined;
      await until(() => {
        found = of(type).find((e) => match === undefined || match(e));
        return found !== undefined;
      }, `a ${type} event`);
      return found as StreamEventOf<typeof type>;
    },
    async close() {
      await stream.close();
      await client.close();
      await sim.close();
    },
  };
}

/** Every frame the simulator sent, as the client's parser sees it: the ones that fail, with why. */
export function framesFailingTheClient(sim: Simulator): string[] {
  const failing: string[] = [];
  for (const entry of sim.audit.wsEntries({ direction: "sent" })) {
    const result = parseWsFrame(JSON.stringify(entry.message));
    if (!result.ok) failing.push(`${entry.channel}: ${result.error.message}`);
  }
  return failing;
}

/** A book's levels as numbers, best first (prices and sizes compared by value, not by text). */
export function numericLevels(
  levels: readonly { readonly price: string; readonly size: string }[],
): number[][] {
  return levels.map((l) => [Number(l.price), Number(l.size)]);
}
