/**
 * Client CPU per request (sign + serialise + send + parse) for `getOrder` and a 100-fill
 * `listFills` page, against a loopback HTTP server in another process, for this client, a floor
 * (undici `request` + a node:crypto-signed JWT + `JSON.parse`, no validation), ccxt and
 * coinbase-api, side by side in the same run.
 *
 * Each contender runs in its own process (`./bench/runner.ts`) and only when asked, so none pays
 * for another's garbage. CPU is the runner's `process.cpuUsage()` (user + system, all its threads)
 * over a batch of sequential requests on a warm keep-alive connection, divided by the batch size;
 * each round runs every contender's batch in turn (in a fresh seeded-random order), and the figure
 * is the median over the rounds; the ratio to the floor is the median of the rounds' ratios (load
 * from other processes moves both batches of a round alike). Writes `bench-results/get-order.json`
 * and `bench-results/list-fills.json` (ours as the rounds; every contender's figures in `extra`).
 * Run with `pnpm bench` in this package.
 *
 * The bundle is also the server and the runners (`CB_BENCH_ROLE=server|runner`).
 * `CB_BENCH_ROUNDS`, `CB_BENCH_ORDER_BATCH` and `CB_BENCH_FILLS_BATCH` change the run's size;
 * `CB_BENCH_ONLY=ours,floor` runs a subset and writes no JSON; `CB_BENCH_TRACE=1` prints every batch.
 */
import { generateKeyPairSync } from "node:crypto";
import { copyFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Measurement, writeBenchResult } from "@gpt/testkit";
import { type FromServer, runBenchServer, type ToServer } from "./bench/loopback-server.js";
import { type BenchChild, forkRole } from "./bench/processes.js";
import {
  CONTENDER_NAMES,
  type ContenderName,
  type Endpoint,
  type FromRunner,
  runBenchRunner,
  type ToRunner,
} from "./bench/runner.js";

// The box is shared and noisy: many short rounds, so that the contenders' batches of one round
// run close together in time and see the same load.
const ROUNDS = Number(process.env.CB_BENCH_ROUNDS ?? 31);
const BATCH: Readonly<Record<Endpoint, number>> = {
  getOrder: Number(process.env.CB_BENCH_ORDER_BATCH ?? 200),
  listFills: Number(process.env.CB_BENCH_FILLS_BATCH ?? 75),
};
const WARM_UP = 200;
/** Ours should cost at most this much more CPU per request than the floor. */
const TARGET_RATIO = 1.2;
const ENDPOINTS = ["getOrder", "listFills"] as const;

interface Sample {
  readonly cpuUs: number;
  readonly wallUs: number;
}

/** A seeded generator in [0, 1) (an LCG): the same order of batches in every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

/**
 * A shuffled copy of `items`. A fresh order each round, not a rotation: rotating keeps neighbours
 * together, so one client would always run right after the heaviest one (whose server-side work
 * and cache pollution it would inherit).
 */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function ask(child: BenchChild<ToRunner, FromRunner>, message: ToRunner): Promise<FromRunner> {
  const reply = await child.ask(message);
  if (reply.type === "error") throw new Error(`bench runner: ${reply.message}`);
  return reply;
}

async function main(): Promise<void> {
  // The children run from a copy of this bundle: another `pnpm bench` in this package rewrites
  // and deletes the bundle's shared path, which would pull it from under a child still starting.
  const entry = fileURLToPath(import.meta.url).replace(/\.mjs$/, `.${process.pid}.bench.bundle.mjs`);
  copyFileSync(fileURLToPath(import.meta.url), entry);
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  const only = process.env.CB_BENCH_ONLY?.split(",");
  const names = CONTENDER_NAMES.filter((name) => only === undefined || only.includes(name));
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privateKeyPem = privateKey.export({ type: "sec1", format: "pem" }).toString();

  const server = forkRole<ToServer, FromServer>(entry, "server");
  const runners = new Map<ContenderName, BenchChild<ToRunner, FromRunner>>();
  const samples = new Map<string, Sample[]>();
  try {
    const listening = await server.ask({
      type: "start",
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    });
    if (listening.type !== "listening") throw new Error("bench server: unexpected reply");
    const baseUrl = `http://127.0.0.1:${listening.port}`;
    // One at a time, so that warming up one runner does not take CPU from another's start.
    for (const name of names) {
      const runner = forkRole<ToRunner, FromRunner>(entry, "runner");
      runners.set(name, runner);
      await ask(runner, { type: "init", name, baseUrl, privateKeyPem, warmUp: WARM_UP });
    }
    const random = seededRandom(20_261_206);
    for (let round = 0; round < ROUNDS; round++) {
      const order = shuffled(names, random);
      for (const endpoint of ENDPOINTS) {
        for (const name of order) {
          const runner = runners.get(name) as BenchChild<ToRunner, FromRunner>;
          const reply = await ask(runner, { type: "batch", endpoint, n: BATCH[endpoint] });
          if (reply.type !== "sample") throw new Error("bench runner: unexpected reply");
          if (process.env.CB_BENCH_TRACE !== undefined) {
            console.log(
              `round ${round + 1} ${endpoint} ${name}: ${reply.cpuUs.toFixed(0)} µs CPU, ${reply.wallUs.toFixed(0)} µs wall`,
            );
          }
          const id = `${endpoint}/${name}`;
          samples.set(id, [...(samples.get(id) ?? []), reply]);
        }
      }
    }
    const stats = await server.ask({ type: "stats" });
    if (stats.type !== "stats") throw new Error("bench server: unexpected reply");
    if (stats.stats.refused > 0) {
      throw new Error(
        `the server refused ${stats.stats.refused} requests: ${stats.stats.reasons.join("; ")}`,
      );
    }
    if (stats.stats.verified === 0) throw new Error("the server verified no signature");
  } finally {
    for (const runner of runners.values()) runner.stop();
    server.stop();
    rmSync(entry, { force: true });
  }

  for (const endpoint of ENDPOINTS) {
    const n = BATCH[endpoint];
    const of = (name: string, pick: (s: Sample) => number): number =>
      median((samples.get(`${endpoint}/${name}`) ?? []).map(pick));
    const cpu = (name: string): number => of(name, (s) => s.cpuUs);
    const floor = cpu("floor");
    // Load from other processes moves every contender's figure in the same round the same way:
    // the ratio of two batches of one round is steadier than the ratio of the medians.
    const pairedRatio = (name: string): number => {
      const mine = samples.get(`${endpoint}/${name}`) ?? [];
      const floors = samples.get(`${endpoint}/floor`) ?? [];
      return median(mine.map((s, i) => s.cpuUs / (floors[i]?.cpuUs ?? Number.NaN)));
    };
    const line = names
      .map(
        (name) =>
          `${name} ${cpu(name).toFixed(0)} µs${Number.isNaN(floor) ? "" : ` (×${pairedRatio(name).toFixed(2)})`}`,
      )
      .join(", ");
    const name = endpoint === "getOrder" ? "get-order" : "list-fills";
    console.log(`${name}: client CPU per request, median of ${ROUNDS} × ${n}: ${line}`);
    if (only !== undefined) continue;

    const extra: Record<string, number | string> = {
      measure:
        "client process CPU (process.cpuUsage user+system) per request; rounds[].elapsedMs is ours' CPU time, not wall time",
      rounds: ROUNDS,
      requestsPerRound: n,
      targetRatioToFloor: TARGET_RATIO,
    };
    for (const c of names) {
      extra[`cpuUs.${c}`] = Number(cpu(c).toFixed(1));
      extra[`cpuUsMin.${c}`] = Number(
        Math.min(...(samples.get(`${endpoint}/${c}`) ?? []).map((s) => s.cpuUs)).toFixed(1),
      );
      extra[`wallUs.${c}`] = Number(of(c, (s) => s.wallUs).toFixed(1));
      extra[`ratioToFloor.${c}`] = Number(pairedRatio(c).toFixed(2));
    }
    // A round's "elapsed" is ours' CPU time for the batch: perSecond is requests per CPU second.
    const rounds: Measurement[] = (samples.get(`${endpoint}/ours`) ?? []).map((s) => ({
      units: n,
      elapsedMs: (s.cpuUs * n) / 1000,
      perSecond: 1e6 / s.cpuUs,
    }));
    // The target is met when ours costs at most TARGET_RATIO × the floor by the paired ratio: the
    // target is the speed ours would have at that ratio, at the load this run saw.
    const ours = cpu("ours");
    const floorAtOursLoad = ours / pairedRatio("ours");
    writeBenchResult(packageDir, name, "requests", rounds, {
      target: 1e6 / (floorAtOursLoad * TARGET_RATIO),
      extra,
    });
  }
}

const role = process.env.CB_BENCH_ROLE;
if (role === "server") runBenchServer();
else if (role === "runner") runBenchRunner();
else await main();
