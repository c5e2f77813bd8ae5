/**
 * A runner process: one contender per process, so that no client pays for another's garbage (V8's
 * background GC threads count in `process.cpuUsage()`), and each runs only when the parent asks.
 *
 * Protocol (IPC, `./processes.ts`): `{ type: "init", name, baseUrl, privateKeyPem, warmUp }` →
 * `{ type: "ready" }` after a checked call and `warmUp` calls per endpoint;
 * `{ type: "batch", endpoint, n }` → `{ type: "sample", cpuUs, wallUs }` (per request), after which
 * one more call is checked against the server's body.
 */
import { createPrivateKey } from "node:crypto";
import {
  type BenchKey,
  type Contender,
  ccxtContender,
  coinbaseApiContender,
  floorContender,
  oursContender,
} from "./contenders.js";
import { BENCH_ORDER_ID } from "./payloads.js";
import { serveParent } from "./processes.js";

/** The two measured calls. */
export type Endpoint = "getOrder" | "listFills";

/** The contenders, by name. */
export const CONTENDER_NAMES = ["ours", "floor", "ccxt", "coinbase-api"] as const;
/** A contender's name. */
export type ContenderName = (typeof CONTENDER_NAMES)[number];

/** A message to a runner. */
export type ToRunner =
  | {
      readonly type: "init";
      readonly name: ContenderName;
      readonly baseUrl: string;
      readonly privateKeyPem: string;
      readonly warmUp: number;
    }
  | { readonly type: "batch"; readonly endpoint: Endpoint; readonly n: number };

/** A runner's reply. */
export type FromRunner =
  | { readonly type: "ready" }
  | { readonly type: "sample"; readonly cpuUs: number; readonly wallUs: number }
  | { readonly type: "error"; readonly message: string };

async function create(name: ContenderName, baseUrl: string, key: BenchKey): Promise<Contender> {
  switch (name) {
    case "ours":
      return oursContender(baseUrl, key);
    case "floor":
      return floorContender(baseUrl, key);
    case "ccxt":
      return ccxtContender(baseUrl, key);
    case "coinbase-api":
      return coinbaseApiContender(baseUrl, key);
  }
}

/** Checks that a contender's answer is the body the server sent. */
function checkAnswer(contender: string, endpoint: Endpoint, body: unknown): void {
  const json = JSON.stringify(body);
  const ok =
    endpoint === "getOrder"
      ? json.includes(`"order_id":"${BENCH_ORDER_ID}"`) &&
        json.includes('"total_value_after_fees":"969.5305383"')
      : (json.match(/"trade_id":/g) ?? []).length === 100;
  if (!ok) throw new Error(`${contender} ${endpoint}: the answer is not the server's body`);
}

/** Runs this process as a runner. */
export function runBenchRunner(): void {
  let contender: Contender | undefined;
  const call = (c: Contender, endpoint: Endpoint): Promise<unknown> =>
    endpoint === "getOrder" ? c.getOrder(BENCH_ORDER_ID) : c.listFills();
  serveParent<ToRunner, FromRunner>(async (message) => {
    if (message.type === "init") {
      const key: BenchKey = {
        privateKeyPem: message.privateKeyPem,
        privateKey: createPrivateKey(message.privateKeyPem),
      };
      const c = await create(message.name, message.baseUrl, key);
      for (const endpoint of ["getOrder", "listFills"] as const) {
        checkAnswer(c.name, endpoint, await call(c, endpoint));
        for (let i = 0; i < message.warmUp; i++) await call(c, endpoint);
      }
      contender = c;
      // The parent closing the channel ends the run: release the connections and go.
      process.once("disconnect", () => {
        void c.close().finally(() => process.exit(0));
      });
      return { type: "ready" };
    }
    if (contender === undefined) throw new Error("batch before init");
    const c = contender;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < message.n; i++) await call(c, message.endpoint);
    const cpu = process.cpuUsage(cpu0);
    const wallUs = Number(process.hrtime.bigint() - t0) / 1000 / message.n;
    checkAnswer(c.name, message.endpoint, await call(c, message.endpoint));
    return { type: "sample", cpuUs: (cpu.user + cpu.system) / message.n, wallUs };
  });
}
