/**
 * Client CPU per request (sign + serialise + send + parse) for `getOrder` and a 100-fill
 * `listFills` page, against a loopback HTTP server in another process, for this client, a floor
 * (undici `request` + a node:crypto-signed JWT + `JSON.parse`, no validation), ccxt and
 * coinbase-api, side by side in the same run. CPU is the client process's `process.cpuUsage()`
 * (user + system) over a batch of sequential requests, divided by the batch size; each round runs
 * every contender's batch in turn (a different order each round), and the figure is the median
 * over the rounds. Writes `bench-results/get-order.json` and `bench-results/list-fills.json`.
 * Run with `pnpm bench` in this package.
 *
 * The same bundle is the server: started with `CB_BENCH_ROLE=server`, it runs `runBenchServer`.
 */
import { fork } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { fileURLToPath } from "node:url";
import { type Measurement, writeBenchResult } from "@gpt/testkit";
import {
  type BenchKey,
  type Contender,
  ccxtContender,
  coinbaseApiContender,
  floorContender,
} from "./bench/contenders.js";
import { type FromServer, runBenchServer, type ServerStats, type ToServer } from "./bench/loopback-server.js";
import { BENCH_ORDER_ID } from "./bench/payloads.js";

const ROUNDS = Number(process.env.CB_BENCH_ROUNDS ?? 7);
const ORDER_BATCH = Number(process.env.CB_BENCH_ORDER_BATCH ?? 400);
const FILLS_BATCH = Number(process.env.CB_BENCH_FILLS_BATCH ?? 150);
const WARM_UP = 150;
/** Ours should cost at most this much more CPU per request than the floor. */
const TARGET_RATIO = 1.2;

type Endpoint = "getOrder" | "listFills";

interface Server {
  readonly baseUrl: string;
  stats(): Promise<ServerStats>;
  stop(): void;
}

async function startServer(publicKeyPem: string): Promise<Server> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, CB_BENCH_ROLE: "server" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = (): Promise<FromServer> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`bench server exited (${code})`));
      child.once("exit", onExit);
      child.once("message", (message: FromServer) => {
        child.off("exit", onExit);
        resolve(message);
      });
    });
  const listening = next();
  child.send({ type: "start", publicKeyPem } satisfies ToServer);
  const first = await listening;
  if (first.type !== "listening") throw new Error("bench server: unexpected first message");
  return {
    baseUrl: `http://127.0.0.1:${first.port}`,
    stats: async () => {
      const reply = next();
      child.send({ type: "stats" } satisfies ToServer);
      const message = await reply;
      if (message.type !== "stats") throw new Error("bench server: unexpected reply");
      return message.stats;
    },
    stop: () => {
      if (child.connected) child.disconnect();
    },
  };
}

/** Checks that a contender's answer is the body the server sent (once per batch, outside the timing). */
function checkAnswer(contender: string, endpoint: Endpoint, body: unknown): void {
  const json = JSON.stringify(body);
  const ok =
    endpoint === "getOrder"
      ? json.includes(`"order_id":"${BENCH_ORDER_ID}"`) &&
        json.includes('"total_value_after_fees":"969.5305383"')
      : (json.match(/"trade_id":/g) ?? []).length === 100;
  if (!ok) throw new Error(`${contender} ${endpoint}: the answer is not the server's body`);
}

/** CPU and wall microseconds per request over `n` sequential requests. */
async function batch(call: () => Promise<unknown>, n: number): Promise<{ cpuUs: number; wallUs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await call();
  const cpu = process.cpuUsage(cpu0);
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000 / n;
  return { cpuUs: (cpu.user + cpu.system) / n, wallUs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const key: BenchKey = {
    privateKeyPem: privateKey.export({ type: "sec1", format: "pem" }).toString(),
    privateKey,
  };
  const server = await startServer(publicKey.export({ type: "spki", format: "pem" }).toString());
  const contenders: Contender[] = [
    floorContender(server.baseUrl, key),
    await ccxtContender(server.baseUrl, key),
    await coinbaseApiContender(server.baseUrl, key),
  ];
  const call = (c: Contender, endpoint: Endpoint): (() => Promise<unknown>) =>
    endpoint === "getOrder" ? () => c.getOrder(BENCH_ORDER_ID) : () => c.listFills();
  const samples = new Map<string, { cpuUs: number; wallUs: number }[]>();
  try {
    for (const endpoint of ["getOrder", "listFills"] as const) {
      for (const c of contenders) {
        checkAnswer(c.name, endpoint, await call(c, endpoint)());
        await batch(call(c, endpoint), WARM_UP);
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so that no contender always runs right after another one's garbage.
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
      for (const endpoint of ["getOrder", "listFills"] as const) {
        for (const c of order) {
          const n = endpoint === "getOrder" ? ORDER_BATCH : FILLS_BATCH;
          const sample = await batch(call(c, endpoint), n);
          checkAnswer(c.name, endpoint, await call(c, endpoint)());
          const id = `${endpoint}/${c.name}`;
          samples.set(id, [...(samples.get(id) ?? []), sample]);
        }
      }
    }
    const stats = await server.stats();
    if (stats.refused > 0) {
      throw new Error(`the server refused ${stats.refused} requests: ${stats.reasons.join("; ")}`);
    }
    if (stats.verified === 0) throw new Error("the server verified no signature");
  } finally {
    for (const c of contenders) await c.close();
    server.stop();
  }

  for (const endpoint of ["getOrder", "listFills"] as const) {
    const n = endpoint === "getOrder" ? ORDER_BATCH : FILLS_BATCH;
    const cpu = (name: string): number =>
      median((samples.get(`${endpoint}/${name}`) ?? []).map((s) => s.cpuUs));
    const wall = (name: string): number =>
      median((samples.get(`${endpoint}/${name}`) ?? []).map((s) => s.wallUs));
    const ours = samples.get(`${endpoint}/ours`) ?? [];
    // A round's "elapsed" is the client CPU time of its batch (not wall time): perSecond is
    // requests per CPU second of the client process.
    const rounds: Measurement[] = ours.map((s) => ({
      units: n,
      elapsedMs: (s.cpuUs * n) / 1000,
      perSecond: 1e6 / s.cpuUs,
    }));
    const floor = cpu("floor");
    const extra: Record<string, number | string> = {
      measure: "client process CPU (process.cpuUsage user+system) per request, median of rounds",
      rounds: ROUNDS,
      requestsPerRound: n,
      targetRatioToFloor: TARGET_RATIO,
    };
    for (const c of contenders) {
      extra[`cpuUs.${c.name}`] = Number(cpu(c.name).toFixed(1));
      extra[`wallUs.${c.name}`] = Number(wall(c.name).toFixed(1));
      extra[`ratioToFloor.${c.name}`] = Number((cpu(c.name) / floor).toFixed(2));
    }
    const name = endpoint === "getOrder" ? "get-order" : "list-fills";
    writeBenchResult(packageDir, name, "requests", rounds, {
      target: 1e6 / (floor * TARGET_RATIO),
      extra,
    });
    const line = contenders
      .map((c) => `${c.name} ${cpu(c.name).toFixed(0)} µs (×${(cpu(c.name) / floor).toFixed(2)})`)
      .join(", ");
    console.log(`${name}: client CPU per request, median of ${ROUNDS} × ${n}: ${line}`);
  }
}

if (process.env.CB_BENCH_ROLE === "server") {
  runBenchServer();
} else {
  await main();
}
