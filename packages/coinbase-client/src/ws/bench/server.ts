/**
 * The WebSocket bench's server, in its own process (so its CPU is not the client's). It must never
 * be the bottleneck, so it does not go through a WebSocket library: it answers the HTTP upgrade
 * itself and, before the run, writes every frame of the run (RFC 6455 text frames, unmasked as a
 * server sends them) into one buffer; on the client's first frame (its subscribe) it writes the
 * subscriptions ack, the level-2 snapshot, the update frames (`sequence_num` counting up) and
 * `END_FRAME` as fast as the socket drains. A timed run (`seconds > 0`, the memory check) builds
 * its frames in chunks while it streams.
 *
 * Protocol with the parent (IPC, `../../bench/processes.ts`): `{ type: "start", seed, ringSize }` →
 * `{ type: "listening", port }`; `{ type: "next", frames, seconds }` → `{ type: "ready" }` (the next
 * connection gets `frames` update frames, or as many as fit in `seconds` when `seconds > 0`).
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { Socket } from "node:net";
import { serveParent } from "../../bench/processes.js";
import { buildFeed, END_FRAME, type FrameTemplate, feedFrames } from "./feed.js";

/** Messages from the parent. */
export type ToWsServer =
  | { readonly type: "start"; readonly seed: number; readonly ringSize: number }
  | { readonly type: "next"; readonly frames: number; readonly seconds: number };

/** Replies to the parent. */
export type FromWsServer = { readonly type: "listening"; readonly port: number } | { readonly type: "ready" };

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const CHUNK_FRAMES = 4096;

/** One unmasked text frame (FIN + opcode 1) carrying `text`. */
function wsFrame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const n = payload.length;
  let header: Buffer;
  if (n < 126) header = Buffer.from([0x81, n]);
  else if (n < 65_536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(n, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([header, payload]);
}

function fill(t: FrameTemplate, seq: number): string {
  return t.head + seq + t.tail;
}

function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) {
      reject(new Error("socket closed"));
      return;
    }
    if (socket.write(data)) {
      resolve();
      return;
    }
    const onDrain = (): void => {
      socket.off("close", onClose);
      resolve();
    };
    const onClose = (): void => {
      socket.off("drain", onDrain);
      reject(new Error("socket closed"));
    };
    socket.once("drain", onDrain);
    socket.once("close", onClose);
  });
}

type Frames = ReturnType<typeof feedFrames>;

/** Frames `from`..`to` (exclusive) of the update ring as one buffer; update `i` has sequence `i + 2`. */
function updates(frames: Frames, from: number, to: number): Buffer {
  const parts: Buffer[] = [];
  const ring = frames.updates;
  for (let i = from; i < to; i++) parts.push(wsFrame(fill(ring[i % ring.length] as FrameTemplate, i + 2)));
  return Buffer.concat(parts);
}

async function stream(socket: Socket, frames: Frames, plan: Plan): Promise<void> {
  await write(socket, Buffer.concat([wsFrame(fill(frames.ack, 0)), wsFrame(fill(frames.snapshot, 1))]));
  if (plan.prebuilt !== undefined) {
    for (let at = 0; at < plan.prebuilt.length; at += 1 << 20) {
      await write(socket, plan.prebuilt.subarray(at, at + (1 << 20)));
    }
  } else {
    const until = Date.now() + plan.seconds * 1000;
    for (let sent = 0; Date.now() < until; sent += CHUNK_FRAMES) {
      await write(socket, updates(frames, sent, sent + CHUNK_FRAMES));
    }
  }
  await write(socket, wsFrame(END_FRAME));
}

interface Plan {
  readonly seconds: number;
  readonly prebuilt: Buffer | undefined;
}

/** Runs the server role: answers the parent over IPC. */
export function runWsBenchServer(): void {
  let frames: Frames | undefined;
  let plan: Plan = { seconds: 0, prebuilt: Buffer.alloc(0) };
  const sockets = new Set<Socket>();
  serveParent<ToWsServer, FromWsServer>(async (message) => {
    if (message.type === "next") {
      if (frames === undefined) throw new Error("the server was not started");
      plan =
        message.seconds > 0
          ? { seconds: message.seconds, prebuilt: undefined }
          : { seconds: 0, prebuilt: updates(frames, 0, message.frames) };
      return { type: "ready" };
    }
    frames = feedFrames(buildFeed(message.seed, message.ringSize));
    const server = createServer((_, res) => res.writeHead(426).end());
    server.on("upgrade", (req, socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
      const key = String(req.headers["sec-websocket-key"] ?? "");
      const accept = createHash("sha1")
        .update(key + GUID)
        .digest("base64");
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      const current = plan;
      // The first bytes from the client are its subscribe frame; anything after is ignored.
      socket.once("data", () => {
        if (frames !== undefined) stream(socket, frames, current).catch(() => socket.destroy());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.once("disconnect", () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });
    const address = server.address();
    if (typeof address !== "object" || address === null) throw new Error("no server address");
    return { type: "listening", port: address.port };
  });
}
