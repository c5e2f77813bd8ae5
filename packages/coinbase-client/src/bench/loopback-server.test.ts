import { generateKeyPairSync } from "node:crypto";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { floorContender, oursContender } from "./contenders.js";
import { type Counts, startBenchServer } from "./loopback-server.js";
import { BENCH_ORDER_ID } from "./payloads.js";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const key = { privateKeyPem: privateKey.export({ type: "sec1", format: "pem" }).toString(), privateKey };
const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function server(): Promise<{ baseUrl: string; counts: Counts }> {
  const counts: Counts = { ok: 0, refused: 0, verified: 0, reasons: [] };
  const started = await startBenchServer(publicKeyPem, counts);
  stops.push(started.stop);
  return { baseUrl: `http://127.0.0.1:${started.port}`, counts };
}

describe("the bench server", () => {
  it("answers signed requests with the order and a 100-fill page, verifying signatures", async () => {
    const { baseUrl, counts } = await server();
    for (const contender of [floorContender(baseUrl, key), oursContender(baseUrl, key)]) {
      stops.push(() => contender.close());
      for (let i = 0; i < 16; i++) {
        const order = (await contender.getOrder(BENCH_ORDER_ID)) as { order: { order_id: string } };
        expect(order.order.order_id).toBe(BENCH_ORDER_ID);
      }
      const page = (await contender.listFills()) as { fills: unknown[] };
      expect(page.fills).toHaveLength(100);
    }
    expect(counts.refused).toBe(0);
    expect(counts.ok).toBe(34);
    expect(counts.verified).toBeGreaterThanOrEqual(2);
  });

  it("refuses a request without a valid token, so a client that skips signing fails the bench", async () => {
    const { baseUrl, counts } = await server();
    const path = `/api/v3/brokerage/orders/historical/${BENCH_ORDER_ID}`;
    const unsigned = await request(`${baseUrl}${path}`);
    await unsigned.body.text();
    expect(unsigned.statusCode).toBe(401);
    // A token signed by another key: caught on the verified request.
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    const forger = floorContender(baseUrl, { privateKeyPem: "", privateKey: other });
    stops.push(() => forger.close());
    const outcomes = await Promise.allSettled(
      Array.from({ length: 16 }, () => forger.getOrder(BENCH_ORDER_ID)),
    );
    expect(outcomes.some((o) => o.status === "rejected")).toBe(true);
    expect(counts.refused).toBeGreaterThanOrEqual(2);
    expect(counts.reasons).toContain("no bearer token");
    expect(counts.reasons).toContain("bad signature");
  });
});
