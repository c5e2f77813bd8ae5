import { createPrivateKey } from "node:crypto";
import { ManualClock } from "@gpt/core";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./server.js";
import { ecKey, edKey, type TestKey } from "./test-keys.js";

const WALL = Date.UTC(2026, 11, 6, 12, 0, 0);

interface Claims {
  readonly method?: string;
  readonly path?: string;
  readonly nbf?: number;
  readonly exp?: number;
  readonly sub?: string;
  readonly iss?: string;
  readonly signWith?: TestKey;
}

describe("JWT checks on private requests (raw HTTP)", { timeout: 60_000 }, () => {
  const ec = ecKey();
  const ed = edKey();
  const wall = new ManualClock(WALL);
  let sim: Simulator;
  let host: string;

  beforeAll(async () => {
    sim = await startSimulator({
      clock: new ManualClock(Date.UTC(2026, 0, 10)),
      authClock: wall,
      keys: [
        { name: ec.name, publicKey: ec.publicKey },
        { name: ed.name, publicKey: ed.publicKey },
      ],
    });
    host = new URL(sim.restUrl).host;
  });
  afterAll(() => sim.close());

  async function token(key: TestKey, claims: Claims = {}): Promise<string> {
    const now = Math.floor(wall.now() / 1000);
    const alg = key === ed || key.name === ed.name ? "EdDSA" : "ES256";
    const signer = claims.signWith ?? key;
    return new SignJWT({
      uri: `${claims.method ?? "GET"} ${host}${claims.path ?? "/api/v3/brokerage/accounts"}`,
    })
      .setProtectedHeader({ alg, kid: key.name, nonce: "abc123", typ: "JWT" })
      .setIssuer(claims.iss ?? "cdp")
      .setSubject(claims.sub ?? key.name)
      .setNotBefore(claims.nbf ?? now)
      .setExpirationTime(claims.exp ?? now + 120)
      .sign(createPrivateKey(signer.privateKey));
  }

  async function call(
    jwt: string | undefined,
    method = "GET",
    path = "/api/v3/brokerage/accounts",
  ): Promise<Response> {
    return fetch(`${sim.restUrl}${path}`, {
      method,
      headers: jwt === undefined ? {} : { authorization: `Bearer ${jwt}` },
      ...(method === "POST" ? { body: JSON.stringify({ order_ids: ["x"] }) } : {}),
    });
  }

  it("accepts a good ES256 and a good EdDSA token", async () => {
    expect((await call(await token(ec))).status).toBe(200);
    expect((await call(await token(ed))).status).toBe(200);
  });

  const now = Math.floor(WALL / 1000);
  const cases: [string, () => Promise<string>, string][] = [
    ["expired", () => token(ec, { nbf: now - 300, exp: now - 180 }), "expired"],
    ["nbf in the future", () => token(ec, { nbf: now + 60, exp: now + 180 }), "not-yet-valid"],
    ["a lifetime over 120 s", () => token(ec, { nbf: now, exp: now + 600 }), "lifetime-too-long"],
    ["the wrong uri", () => token(ec, { path: "/api/v3/brokerage/orders/historical/batch" }), "wrong-uri"],
    ["the wrong method", () => token(ec, { method: "POST" }), "wrong-uri"],
    ["sub ≠ kid", () => token(ec, { sub: "someone-else" }), "wrong-subject"],
    ["the wrong issuer", () => token(ec, { iss: "nobody" }), "wrong-issuer"],
    ["a signature by another key", () => token(ec, { signWith: ecKey() }), "bad-signature"],
  ];
  it.each(cases)("refuses %s with 401 Unauthorized", async (_name, make, reason) => {
    const before = sim.audit.entries({ status: 401 }).length;
    const response = await call(await make());
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("Unauthorized");
    const entries = sim.audit.entries({ status: 401 });
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)?.authFailure).toBe(reason);
  });

  it("refuses a token for GET /accounts used on POST /orders/batch_cancel", async () => {
    const response = await call(await token(ec), "POST", "/api/v3/brokerage/orders/batch_cancel");
    expect(response.status).toBe(401);
  });

  it("needs no token for /time and /market/*", async () => {
    expect((await call(undefined, "GET", "/api/v3/brokerage/time")).status).toBe(200);
    expect((await call(undefined, "GET", "/api/v3/brokerage/market/products/BTC-USD")).status).toBe(200);
    expect((await call(undefined, "GET", "/api/v3/brokerage/products/BTC-USD")).status).toBe(401);
  });
});

describe("rate limits", { timeout: 60_000 }, () => {
  it("answers 429 with x-ratelimit-* headers past the limit, and recovers as the wall clock moves", async () => {
    const wall = new ManualClock(WALL);
    const sim = await startSimulator({
      clock: new ManualClock(Date.UTC(2026, 0, 10)),
      authClock: wall,
      rateLimit: { publicPerSecond: 2 },
    });
    try {
      const url = `${sim.restUrl}/api/v3/brokerage/time`;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(url)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const limited = await fetch(url);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({
        error: "RATE_LIMIT_EXCEEDED",
        code: 8,
        message: "Too many requests",
      });
      expect([
        limited.headers.get("x-ratelimit-limit"),
        limited.headers.get("x-ratelimit-remaining"),
      ]).toEqual(["2", "0"]);
      expect(limited.headers.get("x-ratelimit-reset")).toBe("1");
      wall.advance(1000);
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it("can be switched off", async () => {
    const sim = await startSimulator({ clock: new ManualClock(Date.UTC(2026, 0, 10)), rateLimit: false });
    try {
      const statuses = [];
      for (let i = 0; i < 15; i++)
        statuses.push((await fetch(`${sim.restUrl}/api/v3/brokerage/time`)).status);
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await sim.close();
    }
  });
});
