/**
 * The WebSocket bench's level-2 feed: a deterministic (seeded) BTC-USD snapshot and a ring of
 * update frames shaped like the real capture (about six updates per frame, sizes with up to 8
 * digits, a third of them removals). Bids stay below the mid and asks above it, so the book never
 * crosses. Frames are serialised once with a `sequence_num` placeholder that the server fills in.
 * `rebuildBook` is the offline reference the bench's final book must equal.
 */
import type { Level } from "../order-book.js";
import type { L2Update } from "../types.js";

/** The product of the bench feed. */
export const BENCH_PRODUCT = "BTC-USD";
/** The frame the server sends after the last update (not a Coinbase channel: runners stop on it). */
export const END_FRAME = '{"channel":"bench_end","sequence_num":-1,"events":[]}';
const SEQ = "__SEQ__";
const MID_CENTS = 6_508_366; // 65083.66
/**
 * Depth and update ranks calibrated on the real capture (`coinbase-advanced-ws-BTC-USD-ETH-USD-
 * 2026-08-09`): its BTC-USD snapshot holds 18,764 bids and 27,236 offers (5.4 MB), and an update's
 * rank from the best level has median 226 and 90th percentile 2,894. `rank = 1 + ⌊u^RANK_POWER ×
 * RANK_SPAN⌋` for uniform `u` gives the same median and 90th percentile.
 */
const BID_LEVELS = 18_764;
const ASK_LEVELS = 27_236;
const RANK_POWER = 4.34;
const RANK_SPAN = 4_570;
const TIME = "2026-08-09T21:05:48.170326Z";

/** mulberry32: a small seeded PRNG (the bench must replay the same feed in every process). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cents(n: number): string {
  const text = String(n);
  const int = text.slice(0, -2);
  const frac = text.slice(-2).replace(/0+$/, "");
  return frac === "" ? int : `${int}.${frac}`;
}

function size(random: () => number): string {
  const units = 1 + Math.floor(random() * 250_000_000); // up to 2.5 in satoshis
  const text = String(units).padStart(9, "0");
  const frac = text.slice(-8).replace(/0+$/, "");
  const int = text.slice(0, -8);
  return frac === "" ? int : `${int}.${frac}`;
}

function update(random: () => number, removeShare: number): L2Update {
  const bid = random() < 0.5;
  // Most activity near the top of the book, ranked like the real capture's updates.
  const offset = 1 + Math.floor(random() ** RANK_POWER * RANK_SPAN);
  const price = cents(bid ? MID_CENTS - offset : MID_CENTS + offset);
  return {
    side: bid ? "bid" : "offer",
    event_time: TIME,
    price_level: price,
    new_quantity: random() < removeShare ? "0" : size(random),
  };
}

/** The feed: the snapshot's levels, and a ring of update frames' updates. */
export interface BenchFeed {
  readonly snapshot: readonly L2Update[];
  readonly ring: readonly (readonly L2Update[])[];
}

/** Builds the feed from `seed`: a snapshot as deep as the real one, `ringSize` update frames. */
export function buildFeed(seed: number, ringSize: number): BenchFeed {
  const random = seeded(seed);
  const snapshot: L2Update[] = [];
  for (let i = 1; i <= Math.max(BID_LEVELS, ASK_LEVELS); i++) {
    if (i <= BID_LEVELS)
      snapshot.push({
        side: "bid",
        event_time: TIME,
        price_level: cents(MID_CENTS - i),
        new_quantity: size(random),
      });
    if (i <= ASK_LEVELS)
      snapshot.push({
        side: "offer",
        event_time: TIME,
        price_level: cents(MID_CENTS + i),
        new_quantity: size(random),
      });
  }
  const ring: L2Update[][] = [];
  for (let i = 0; i < ringSize; i++) {
    const n = 1 + Math.floor(random() * 11); // 1..11 updates, about 6 on average
    ring.push(Array.from({ length: n }, () => update(random, 1 / 3)));
  }
  return { snapshot, ring };
}

function frame(type: "snapshot" | "update", updates: readonly L2Update[]): string {
  return JSON.stringify({
    channel: "l2_data",
    client_id: "",
    timestamp: "2026-08-09T21:05:48.505350477Z",
    sequence_num: SEQ,
    events: [{ type, product_id: BENCH_PRODUCT, updates }],
  }).replace(`"${SEQ}"`, SEQ);
}

/** A frame split around its sequence number: `head + seq + tail`. */
export interface FrameTemplate {
  readonly head: string;
  readonly tail: string;
}

function template(text: string): FrameTemplate {
  const at = text.indexOf(SEQ);
  return { head: text.slice(0, at), tail: text.slice(at + SEQ.length) };
}

/** The snapshot frame and the ring's update frames as templates, plus the subscriptions ack. */
export function feedFrames(feed: BenchFeed): {
  readonly ack: FrameTemplate;
  readonly snapshot: FrameTemplate;
  readonly updates: readonly FrameTemplate[];
} {
  const ack = template(
    JSON.stringify({
      channel: "subscriptions",
      client_id: "",
      timestamp: "2026-08-09T21:05:48.228846629Z",
      sequence_num: SEQ,
      events: [{ subscriptions: { level2: [BENCH_PRODUCT] } }],
    }).replace(`"${SEQ}"`, SEQ),
  );
  return {
    ack,
    snapshot: template(frame("snapshot", feed.snapshot)),
    updates: feed.ring.map((u) => template(frame("update", u))),
  };
}

function compare(a: string, b: string): number {
  const [ai = "", af = ""] = a.split(".");
  const [bi = "", bf = ""] = b.split(".");
  const scale = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(scale, "0"));
  const y = BigInt(bi + bf.padEnd(scale, "0"));
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The book after the snapshot and the first `updateFrames` frames of the ring (cycled), rebuilt
 * offline with plain maps keyed by the price text (the feed writes each price one way), best first.
 */
export function rebuildBook(feed: BenchFeed, updateFrames: number): { bids: Level[]; asks: Level[] } {
  const sides = { bid: new Map<string, string>(), offer: new Map<string, string>() };
  const apply = (u: L2Update) => {
    if (u.new_quantity === "0") sides[u.side].delete(u.price_level);
    else sides[u.side].set(u.price_level, u.new_quantity);
  };
  feed.snapshot.forEach(apply);
  for (let i = 0; i < updateFrames; i++)
    (feed.ring[i % feed.ring.length] as readonly L2Update[]).forEach(apply);
  const levels = (map: Map<string, string>, dir: number): Level[] =>
    [...map].map(([price, size]) => ({ price, size })).sort((x, y) => dir * compare(x.price, y.price));
  return { bids: levels(sides.bid, -1), asks: levels(sides.offer, 1) };
}
