/**
 * The WebSocket bench's client runs, one process per contender (so none pays for another's
 * garbage), each over a fresh connection to the bench server:
 * - `floor`: `ws` + `JSON.parse` of each frame, nothing else;
 * - `ours`: `ws` + `parseWsFrame` (validated) + `SequenceChecker` + `OrderBook` applied;
 * - `ccxt`: ccxt pro's coinbase `watchOrderBook` awaited in a loop (its own JSON parse and book),
 *   markets set offline.
 * A run counts frames from the first one (the subscriptions ack) to `END_FRAME`; it reports wall
 * and process CPU time for the whole run and for its steady part (from the first update frame, so
 * the one-off 5 MB snapshot weighs the same for contenders run over different frame counts), and for `ours` the final book, sequence problems and (when asked) the heap
 * after a forced GC right after the snapshot and at the end, with the peak sampled in between.
 *
 * Protocol with the parent: `{ type: "run", name, url, heap }` → `{ type: "result", ... }`.
 */
import WebSocket from "ws";
import { serveParent } from "../../bench/processes.js";
import { type Level, OrderBook } from "../order-book.js";
import { parseWsFrame } from "../parse.js";
import { SequenceChecker } from "../sequence.js";
import { BENCH_PRODUCT, END_FRAME } from "./feed.js";

/** The contenders, in the order the bench runs them. */
export const WS_CONTENDERS = ["ours", "floor", "ccxt"] as const;
/** One contender's name. */
export type WsContender = (typeof WS_CONTENDERS)[number];

/** Messages from the parent. */
export type ToWsRunner = {
  readonly type: "run";
  readonly name: WsContender;
  readonly url: string;
  readonly heap: boolean;
};

/** Heap figures of a run (bytes). */
interface HeapReport {
  readonly afterSnapshot: number;
  readonly atEnd: number;
  readonly peak: number;
}

/** Replies to the parent. */
export type FromWsRunner =
  | {
      readonly type: "result";
      /** Frames received, the end marker excluded (ack + snapshot + updates). */
      readonly frames: number;
      readonly wallMs: number;
      readonly cpuMs: number;
      /** Wall and CPU time from the first update frame on (the ack and the snapshot excluded). */
      readonly steadyWallMs: number;
      readonly steadyCpuMs: number;
      readonly book?: { bids: Level[]; asks: Level[] };
      readonly sequenceProblems?: number;
      readonly invalidFrames?: number;
      readonly heap?: HeapReport;
    }
  | { readonly type: "error"; readonly message: string };

interface Clock {
  t0: bigint;
  c0: NodeJS.CpuUsage;
}

function startClock(): Clock {
  return { t0: process.hrtime.bigint(), c0: process.cpuUsage() };
}

function elapsed(clock: Clock): { wallMs: number; cpuMs: number } {
  const wallMs = Number(process.hrtime.bigint() - clock.t0) / 1e6;
  const c = process.cpuUsage(clock.c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/** The whole run's times and the steady part's (from the first update frame). */
function stopClock(
  clock: Clock,
  steady: Clock | undefined,
): { wallMs: number; cpuMs: number; steadyWallMs: number; steadyCpuMs: number } {
  const whole = elapsed(clock);
  const part = steady === undefined ? { wallMs: 0, cpuMs: 0 } : elapsed(steady);
  return { ...whole, steadyWallMs: part.wallMs, steadyCpuMs: part.cpuMs };
}

function gcHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const SUBSCRIBE = JSON.stringify({ type: "subscribe", product_ids: [BENCH_PRODUCT], channel: "level2" });

function runFloor(url: string): Promise<FromWsRunner> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    let clock: Clock | undefined;
    let steady: Clock | undefined;
    let frames = 0;
    let sink = 0;
    socket.on("open", () => socket.send(SUBSCRIBE));
    socket.on("error", reject);
    socket.on("message", (data: Buffer) => {
      clock ??= startClock();
      if (frames === 2) steady ??= startClock(); // the ack and the snapshot are behind
      const text = data.toString();
      if (text === END_FRAME) {
        const time = stopClock(clock, steady);
        socket.terminate();
        if (sink < 0) reject(new Error("unreachable"));
        resolve({ type: "result", frames, ...time });
        return;
      }
      sink += (JSON.parse(text) as { sequence_num: number }).sequence_num;
      frames++;
    });
  });
}

function runOurs(url: string, heap: boolean): Promise<FromWsRunner> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const book = new OrderBook(BENCH_PRODUCT);
    const sequence = new SequenceChecker();
    let clock: Clock | undefined;
    let steady: Clock | undefined;
    let frames = 0;
    let sequenceProblems = 0;
    let invalidFrames = 0;
    let afterSnapshot = 0;
    let peak = 0;
    let sampler: ReturnType<typeof setInterval> | undefined;
    socket.on("open", () => socket.send(SUBSCRIBE));
    socket.on("error", reject);
    socket.on("message", (data: Buffer) => {
      clock ??= startClock();
      if (frames === 2) steady ??= startClock(); // the ack and the snapshot are behind
      const result = parseWsFrame(data.toString());
      if (!result.ok) {
        if (result.raw === END_FRAME) {
          const time = stopClock(clock, steady);
          if (sampler !== undefined) clearInterval(sampler);
          const report = heap ? { afterSnapshot, atEnd: gcHeap(), peak } : undefined;
          socket.terminate();
          resolve({
            type: "result",
            frames,
            ...time,
            book: book.depth(Number.POSITIVE_INFINITY),
            sequenceProblems,
            invalidFrames,
            ...(report === undefined ? {} : { heap: report }),
          });
          return;
        }
        invalidFrames++;
        return;
      }
      frames++;
      const message = result.message;
      if (message.channel === "error") return;
      if (sequence.check(message.sequence_num).kind !== "ok") sequenceProblems++;
      if (message.channel !== "l2_data") return;
      for (const event of message.events) {
        if (event.type === "snapshot") {
          book.applySnapshot(event.updates);
          if (heap) {
            afterSnapshot = gcHeap();
            peak = afterSnapshot;
            sampler = setInterval(() => {
              peak = Math.max(peak, process.memoryUsage().heapUsed);
            }, 250);
          }
        } else book.applyUpdates(event.updates);
      }
      if (book.isCrossed()) book.invalidate("crossed");
    });
  });
}

interface CcxtLike {
  urls: { api: Record<string, unknown> };
  setMarkets(markets: unknown[]): unknown;
  loadHttpProxyAgent(): Promise<unknown>;
  watchOrderBook(symbol: string): Promise<unknown>;
  handleMessage(client: unknown, message: unknown): unknown;
  close(): Promise<unknown>;
}

async function runCcxt(url: string): Promise<FromWsRunner> {
  const name = "ccxt";
  const mod = (await import(name)) as { pro: Record<string, new (config: object) => CcxtLike> };
  const Coinbase = mod.pro.coinbase;
  if (Coinbase === undefined) throw new Error("ccxt has no pro coinbase class");
  const exchange = new Coinbase({ enableRateLimit: false });
  exchange.urls.api.ws = url;
  await exchange.loadHttpProxyAgent();
  exchange.setMarkets([
    {
      id: BENCH_PRODUCT,
      symbol: "BTC/USD",
      base: "BTC",
      quote: "USD",
      baseId: "BTC",
      quoteId: "USD",
      type: "spot",
      spot: true,
      active: true,
      precision: { amount: 1e-8, price: 0.01 },
      limits: {},
    },
  ]);
  const handle = exchange.handleMessage.bind(exchange);
  return new Promise((resolve, reject) => {
    let clock: Clock | undefined;
    let steady: Clock | undefined;
    let frames = 0;
    let done = false;
    exchange.handleMessage = (client, message) => {
      clock ??= startClock();
      if (frames === 2) steady ??= startClock(); // the ack and the snapshot are behind
      if ((message as { channel?: string }).channel === "bench_end") {
        const time = stopClock(clock, steady);
        done = true;
        exchange.close().catch(() => undefined);
        resolve({ type: "result", frames, ...time });
        return undefined;
      }
      frames++;
      return handle(client, message);
    };
    // How a ccxt user reads a book: await watchOrderBook in a loop (each await is a fresh future).
    const watch = async (): Promise<void> => {
      while (!done) await exchange.watchOrderBook("BTC/USD");
    };
    watch().catch((error: unknown) => {
      if (!done) reject(error);
    });
  });
}

/** Runs the runner role: answers the parent over IPC. */
export function runWsBenchRunner(): void {
  serveParent<ToWsRunner, FromWsRunner>(async (message) => {
    switch (message.name) {
      case "floor":
        return runFloor(message.url);
      case "ours":
        return runOurs(message.url, message.heap);
      case "ccxt":
        return runCcxt(message.url);
    }
  });
}
