/**
 * The bench's HTTP server, run in its own process (`child_process.fork`) so that its CPU time is
 * not the client's. It answers the two bench endpoints with fixed bodies over keep-alive
 * connections and checks every request's JWT the way Coinbase would (header `kid`, claims `sub`,
 * `uri` = method, host and path without the query; the ES256 signature on every `VERIFY_EVERY`-th
 * request), so a contender that skipped signing would be caught and the bench would fail.
 *
 * Protocol with the parent (IPC, `./processes.ts`): `{ type: "start", publicKeyPem }` →
 * `{ type: "listening", port }`; `{ type: "stats" }` → `{ type: "stats", stats }`. The parent ends
 * the child by closing the IPC channel.
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { BENCH_KEY_NAME, BENCH_ORDER_ID, fillsBody, orderBody } from "./payloads.js";
import { serveParent } from "./processes.js";

const PREFIX = "/api/v3/brokerage";
const ORDER_PATH = `${PREFIX}/orders/historical/${BENCH_ORDER_ID}`;
const FILLS_PATH = `${PREFIX}/orders/historical/fills`;
const VERIFY_EVERY = 16;

/** What the server saw, per path and in total. */
interface ServerStats {
  /** Requests answered with 200. */
  readonly ok: number;
  /** Requests refused: no bearer token, wrong claims, bad signature, unknown path. */
  readonly refused: number;
  /** Signatures verified (every `VERIFY_EVERY`-th request). */
  readonly verified: number;
  /** Up to five reasons for refusals, for the bench's error message. */
  readonly reasons: readonly string[];
}

/** A message from the parent. */
export type ToServer = { readonly type: "start"; readonly publicKeyPem: string } | { readonly type: "stats" };
/** A message to the parent. */
export type FromServer =
  | { readonly type: "listening"; readonly port: number }
  | { readonly type: "stats"; readonly stats: ServerStats };

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (segment === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Why the request's token is not acceptable, or undefined when it is. */
function checkToken(
  req: IncomingMessage,
  port: number,
  key: KeyObject,
  verifyNow: boolean,
): string | undefined {
  const auth = req.headers.authorization;
  if (auth === undefined || !auth.startsWith("Bearer ")) return "no bearer token";
  const parts = auth.slice(7).split(".");
  if (parts.length !== 3) return "not a JWT";
  const header = decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  if (header === undefined || claims === undefined) return "undecodable JWT";
  if (header.alg !== "ES256") return `alg ${String(header.alg)}`;
  if (header.kid !== BENCH_KEY_NAME || claims.sub !== BENCH_KEY_NAME) return "kid or sub is not the key name";
  const path = (req.url ?? "").split("?")[0] ?? "";
  const uri = claims.uri;
  // Only the port and path are compared: on a plain-http base URL, ccxt keeps the scheme in `uri`
  // ("GET http://127.0.0.1:…") and coinbase-api cuts 8 characters ("https://") off the URL.
  if (typeof uri !== "string" || !uri.startsWith(`${req.method} `) || !uri.endsWith(`:${port}${path}`)) {
    return `uri claim ${String(uri)} does not match ${req.method} 127.0.0.1:${port}${path}`;
  }
  const now = Math.floor(Date.now() / 1000);
  if (
    typeof claims.nbf !== "number" ||
    typeof claims.exp !== "number" ||
    claims.nbf > now + 5 ||
    claims.exp <= now
  ) {
    return "nbf/exp out of range";
  }
  if (verifyNow) {
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2] ?? "", "base64url");
    if (!verify("sha256", signed, { key, dsaEncoding: "ieee-p1363" }, signature)) return "bad signature";
  }
  return undefined;
}

/**
 * Starts the server; resolves with its port and `stop` once it listens. `counts` is updated as
 * requests arrive.
 */
export function startBenchServer(
  publicKeyPem: string,
  counts: Counts,
): Promise<{ readonly port: number; stop(): Promise<void> }> {
  const key = createPublicKey(publicKeyPem);
  const order = Buffer.from(orderBody());
  const fills = Buffer.from(fillsBody(100));
  let seen = 0;
  let port = 0;

  const reply = (res: ServerResponse, status: number, body: Buffer): void => {
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": body.length,
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    // Drain any body; the bench sends GETs only.
    req.resume();
    seen += 1;
    const verifyNow = seen % VERIFY_EVERY === 0;
    const path = (req.url ?? "").split("?")[0];
    const body = path === ORDER_PATH ? order : path === FILLS_PATH ? fills : undefined;
    const why = body === undefined ? `unknown path ${path}` : checkToken(req, port, key, verifyNow);
    if (why !== undefined || body === undefined) {
      counts.refused += 1;
      if (counts.reasons.length < 5) counts.reasons.push(why ?? "unknown");
      reply(res, 401, Buffer.from(JSON.stringify({ error: "UNAUTHENTICATED", message: why })));
      return;
    }
    if (verifyNow) counts.verified += 1;
    counts.ok += 1;
    reply(res, 200, body);
  });
  // Clients idle while the others run their batches: keep their connections open meanwhile.
  server.keepAliveTimeout = 600_000;
  server.headersTimeout = 601_000;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no TCP address");
      port = address.port;
      resolve({ port, stop });
    });
  });
}

/** What the server has seen so far. */
export interface Counts {
  ok: number;
  refused: number;
  verified: number;
  reasons: string[];
}

/** Runs the server in this (forked) process, started by the parent's `start` message. */
export function runBenchServer(): void {
  const counts: Counts = { ok: 0, refused: 0, verified: 0, reasons: [] };
  serveParent<ToServer, FromServer>(async (message) => {
    if (message.type === "stats")
      return { type: "stats", stats: { ...counts, reasons: [...counts.reasons] } };
    const server = await startBenchServer(message.publicKeyPem, counts);
    // The parent closing the channel ends the run.
    process.once("disconnect", () => {
      void server.stop().then(() => process.exit(0));
    });
    return { type: "listening", port: server.port };
  });
}
