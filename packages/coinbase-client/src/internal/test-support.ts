/**
 * Test helpers for the transport: a scripted loopback HTTP server and controllable timers.
 * Not exported from the package.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ClientTimers } from "../config.js";

/** A request as the server saw it. */
interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** Answers one request; may leave the response open (a hang) or destroy the socket. */
export type Handler = (req: SeenRequest, res: ServerResponse) => void;

/** A loopback server that answers each request with the next handler of its script. */
export interface ScriptServer {
  readonly url: string;
  readonly seen: SeenRequest[];
  /** Handlers used in order; the last one repeats when the script runs out. */
  script(...handlers: Handler[]): void;
  /** Resolves once the server has received `count` requests in all. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a scripted server on 127.0.0.1 with an ephemeral port. */
export async function startScriptServer(): Promise<ScriptServer> {
  let handlers: Handler[] = [json(200, {})];
  let next = 0;
  const seen: SeenRequest[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: SeenRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(request);
      open.add(res);
      res.on("close", () => open.delete(res));
      const handler = handlers[Math.min(next, handlers.length - 1)] as Handler;
      next++;
      handler(request, res);
      for (const waiter of waiters.splice(0)) {
        if (seen.length >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    script(...list) {
      handlers = list;
      next = 0;
    },
    received(count) {
      if (seen.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      for (const res of open) res.socket?.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A handler answering JSON with a status and optional headers. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
}

/** A handler answering raw text with a content type. */
export function text(status: number, body: string, contentType = "text/plain"): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": contentType });
    res.end(body);
  };
}

/** A handler that never answers (the client's timeout must end it). */
export const hang: Handler = () => {};

/** A handler that sends headers and part of the body, then stalls. */
export const slowBody: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
  res.write('{"accounts":[');
};

/** A handler that promises 100 bytes, sends 14 and cuts the connection. */
export const truncated: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
  res.write('{"accounts":[', () => res.socket?.destroy());
};

/**
 * Timers for tests. Waits shorter than `holdFromMs` (backoff, rate-limit turns) complete on the next
 * macrotask and advance the clock by their length (their lengths are recorded in `waits`); longer
 * ones (request timeouts) are held until `fireHeld()`.
 */
export interface TestTimers extends ClientTimers {
  readonly waits: number[];
  /** Fires every held timer (the pending request timeouts). Returns how many fired. */
  fireHeld(): number;
  /** Moves the clock forward by `ms` without firing anything. */
  advance(ms: number): void;
}

/** Creates `TestTimers` starting at `startMs`. */
export function testTimers(startMs: number, holdFromMs = 30_000): TestTimers {
  let now = startMs;
  let seq = 0;
  const held = new Map<number, () => void>();
  const cancelled = new Set<number>();
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    setTimeout(callback, ms) {
      const id = ++seq;
      if (ms >= holdFromMs) {
        held.set(id, callback);
        return id;
      }
      waits.push(ms);
      setImmediate(() => {
        if (cancelled.delete(id)) return;
        now += ms;
        callback();
      });
      return id;
    },
    clearTimeout(handle) {
      const id = handle as number;
      if (!held.delete(id)) cancelled.add(id);
    },
    fireHeld() {
      const callbacks = [...held.values()];
      held.clear();
      for (const callback of callbacks) callback();
      return callbacks.length;
    },
    advance(ms) {
      now += ms;
    },
  };
}

/** A fresh CDP-style EC key pair: the SEC1 PEM the client gets and the public key to verify with. */
export function ecTestKey(): { pem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return { pem: privateKey.export({ type: "sec1", format: "pem" }).toString(), publicKey };
}

/** A fresh Ed25519 key in Coinbase's base64 64-byte form, with its public key. */
export function edTestKey(): { secret: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const secret = Buffer.concat([
    Buffer.from(jwk.d ?? "", "base64url"),
    Buffer.from(jwk.x ?? "", "base64url"),
  ]);
  return { secret: secret.toString("base64"), publicKey };
}
