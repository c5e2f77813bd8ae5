/**
 * Level-2 messages per second from a loopback WebSocket server in another process, for our
 * pipeline (`parseWsFrame` validated + `SequenceChecker` + `OrderBook` applied), a bare `ws` +
 * `JSON.parse` floor, and ccxt pro's `watchOrderBook`, side by side in the same run; each
 * contender runs in its own process (`./bench/runner.ts`), each round over a fresh connection, in
 * an order that rotates per round. The feed is shaped like the real capture: a 46,000-level BTC-USD
 * snapshot (5.4 MB) and update frames of about six changes ranked from the top like the capture's.
 * The figure is update frames per second of the client's CPU (process `cpuUsage`, user + system:
 * "on one core") after the snapshot; the snapshot's cost is reported apart, and wall-clock rates
 * are kept too. Our final book must
 * equal the one rebuilt offline from the same frames, and no frame may be invalid or out of
 * sequence. A last run replays at full rate for `CB_WS_BENCH_SECONDS` (default 5; the issue's
 * memory check is 600) and reports the heap after the snapshot, the peak, and at the end.
 *
 * Writes `bench-results/ws-level2.json`. Env: `CB_WS_BENCH_ROUNDS` (5), `CB_WS_BENCH_FRAMES`
 * (100,000 update frames per round for ours and the floor), `CB_WS_BENCH_CCXT_FRAMES` (10,000),
 * `CB_WS_BENCH_SECONDS` (5), `CB_WS_BENCH_ONLY=ours,floor` (a subset; writes no JSON).
 * The bundle is also the server and the runners (`CB_BENCH_ROLE=ws-server|ws-runner`).
 */
import { copyFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { type Measurement, writeBenchResult } from "@gpt/testkit";
import { type BenchChild, forkRole } from "../bench/processes.js";
import { buildFeed, rebuildBook } from "./bench/feed.js";
import {
  type FromWsRunner,
  runWsBenchRunner,
  type ToWsRunner,
  WS_CONTENDERS,
  type WsContender,
} from "./bench/runner.js";
import { type FromWsServer, runWsBenchServer, type ToWsServer } from "./bench/server.js";

const ROUNDS = Number(process.env.CB_WS_BENCH_ROUNDS ?? 5);
const FRAMES = Number(process.env.CB_WS_BENCH_FRAMES ?? 100_000);
const CCXT_FRAMES = Number(process.env.CB_WS_BENCH_CCXT_FRAMES ?? 10_000);
const SECONDS = Number(process.env.CB_WS_BENCH_SECONDS ?? 5);
const SEED = 14;
const RING = 20_000;
/** The issue's targets: ≥ 150,000 msg/s on one core, ≥ 10× ccxt, ≥ 0.45× the floor. */
const TARGET = 150_000;

type Result = Extract<FromWsRunner, { type: "result" }>;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function run(runner: BenchChild<ToWsRunner, FromWsRunner>, message: ToWsRunner): Promise<Result> {
  const reply = await runner.ask(message);
  if (reply.type === "error") throw new Error(`ws bench runner ${message.name}: ${reply.message}`);
  return reply;
}

function mb(bytes: number): number {
  return Number((bytes / 1024 / 1024).toFixed(2));
}

async function main(): Promise<void> {
  // Children run from a copy of the bundle (another `pnpm bench` may rewrite the shared path).
  const entry = fileURLToPath(import.meta.url).replace(/\.mjs$/, `.${process.pid}.bench.bundle.mjs`);
  copyFileSync(fileURLToPath(import.meta.url), entry);
  const packageDir = fileURLToPath(new URL("../..", import.meta.url));
  const only = process.env.CB_WS_BENCH_ONLY?.split(",");
  const names = WS_CONTENDERS.filter((name) => only === undefined || only.includes(name));
  const feed = buildFeed(SEED, RING);
  const samples = new Map<WsContender, Result[]>();
  const problems: string[] = [];
  let memory: Result | undefined;

  const server = forkRole<ToWsServer, FromWsServer>(entry, "ws-server");
  const runners = new Map<WsContender, BenchChild<ToWsRunner, FromWsRunner>>();
  try {
    const listening = await server.ask({ type: "start", seed: SEED, ringSize: RING });
    if (listening.type !== "listening") throw new Error("ws bench server: unexpected reply");
    const url = `ws://127.0.0.1:${listening.port}`;
    for (const name of names)
      runners.set(name, forkRole(entry, "ws-runner", { NODE_OPTIONS: "--expose-gc" }));
    const check = (name: WsContender, result: Result, updateFrames: number): void => {
      if (result.frames !== updateFrames + 2)
        problems.push(`${name}: ${result.frames} frames, expected ${updateFrames + 2}`);
      if (name !== "ours") return;
      if (result.invalidFrames !== 0) problems.push(`ours: ${result.invalidFrames} invalid frames`);
      if (result.sequenceProblems !== 0) problems.push(`ours: ${result.sequenceProblems} sequence problems`);
      if (!isDeepStrictEqual(result.book, rebuildBook(feed, updateFrames))) {
        problems.push(`ours: the final book differs from the offline rebuild after ${updateFrames} frames`);
      }
    };
    // One warm-up run each (JIT), not counted.
    for (const name of names) {
      await server.ask({ type: "next", frames: Math.min(FRAMES, 5_000), seconds: 0 });
      await run(runners.get(name) as BenchChild<ToWsRunner, FromWsRunner>, {
        type: "run",
        name,
        url,
        heap: false,
      });
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length] as WsContender);
      for (const name of order) {
        const frames = name === "ccxt" ? CCXT_FRAMES : FRAMES;
        await server.ask({ type: "next", frames, seconds: 0 });
        const runner = runners.get(name) as BenchChild<ToWsRunner, FromWsRunner>;
        const result = await run(runner, { type: "run", name, url, heap: false });
        check(name, result, frames);
        if (process.env.CB_BENCH_TRACE !== undefined) {
          console.log(
            `round ${round + 1} ${name}: ${result.frames} frames, ${result.cpuMs.toFixed(0)} ms CPU, ${result.wallMs.toFixed(0)} ms wall`,
          );
        }
        samples.set(name, [...(samples.get(name) ?? []), result]);
      }
    }
    if (names.includes("ours") && SECONDS > 0) {
      await server.ask({ type: "next", frames: 0, seconds: SECONDS });
      memory = await run(runners.get("ours") as BenchChild<ToWsRunner, FromWsRunner>, {
        type: "run",
        name: "ours",
        url,
        heap: true,
      });
      check("ours", memory, memory.frames - 2);
    }
  } finally {
    for (const runner of runners.values()) runner.stop();
    server.stop();
    rmSync(entry, { force: true });
  }

  // Update frames per second of the steady part (the ack and the snapshot excluded: ccxt runs
  // fewer frames, and a one-off 5 MB snapshot would weigh more in its rate than in ours).
  const perCpu = (r: Result) => (r.frames - 2) / (r.steadyCpuMs / 1000);
  const perWall = (r: Result) => (r.frames - 2) / (r.steadyWallMs / 1000);
  const snapshotMs = (r: Result) => r.cpuMs - r.steadyCpuMs;
  const rate = (name: WsContender, pick: (r: Result) => number) =>
    median((samples.get(name) ?? []).map(pick));
  const line = names
    .map(
      (n) =>
        `${n} ${Math.round(rate(n, perCpu)).toLocaleString("en-US")}/s CPU (${Math.round(rate(n, perWall)).toLocaleString("en-US")}/s wall)`,
    )
    .join(", ");
  console.log(`ws level2 update frames per second after the snapshot, median of ${ROUNDS}: ${line}`);
  console.log(
    `snapshot (${feed.snapshot.length.toLocaleString("en-US")} levels) and ack, CPU ms: ${names
      .map((n) => `${n} ${Math.round(rate(n, snapshotMs))}`)
      .join(", ")}`,
  );
  const ours = rate("ours", perCpu);
  const ratios = {
    toCcxt: ours / rate("ccxt", perCpu),
    toFloor: ours / rate("floor", perCpu),
  };
  if (names.length === WS_CONTENDERS.length) {
    console.log(`ours ÷ ccxt ×${ratios.toCcxt.toFixed(1)}, ours ÷ floor ×${ratios.toFloor.toFixed(2)}`);
  }
  if (memory?.heap !== undefined) {
    const h = memory.heap;
    console.log(
      `memory replay ${SECONDS} s, ${memory.frames.toLocaleString("en-US")} frames: heap ${mb(h.afterSnapshot)} MB after the snapshot, peak ${mb(h.peak)} MB, ${mb(h.atEnd)} MB at the end (after GC)`,
    );
  }
  if (problems.length > 0) throw new Error(`ws bench: ${problems.join("; ")}`);
  if (only !== undefined) return;

  const extra: Record<string, number | string | boolean> = {
    measure:
      "level-2 update frames per second of client process CPU (user+system) after the snapshot; wall rates in perWall.*",
    rounds: ROUNDS,
    framesPerRound: FRAMES,
    ccxtFramesPerRound: CCXT_FRAMES,
    updatesPerFrame: Number((feed.ring.reduce((s, r) => s + r.length, 0) / feed.ring.length).toFixed(2)),
    snapshotLevels: feed.snapshot.length,
    bookEqualsOfflineRebuild: true,
    ratioToCcxt: Number(ratios.toCcxt.toFixed(2)),
    ratioToFloor: Number(ratios.toFloor.toFixed(2)),
  };
  for (const n of names) {
    extra[`perCpuSecond.${n}`] = Math.round(rate(n, perCpu));
    extra[`perWallSecond.${n}`] = Math.round(rate(n, perWall));
    extra[`snapshotCpuMs.${n}`] = Math.round(rate(n, snapshotMs));
  }
  if (memory?.heap !== undefined) {
    extra.memoryReplaySeconds = SECONDS;
    extra.memoryReplayFrames = memory.frames;
    extra.heapMbAfterSnapshot = mb(memory.heap.afterSnapshot);
    extra.heapMbPeak = mb(memory.heap.peak);
    extra.heapMbAtEnd = mb(memory.heap.atEnd);
  }
  const rounds: Measurement[] = (samples.get("ours") ?? []).map((r) => ({
    units: r.frames - 2,
    elapsedMs: r.steadyCpuMs,
    perSecond: perCpu(r),
  }));
  writeBenchResult(packageDir, "ws-level2", "frames", rounds, { target: TARGET, extra });
}

const role = process.env.CB_BENCH_ROLE;
if (role === "ws-server") runWsBenchServer();
else if (role === "ws-runner") runWsBenchRunner();
else await main();
