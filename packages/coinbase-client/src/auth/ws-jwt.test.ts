import { generateKeyPairSync } from "node:crypto";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import { createWsJwt } from "./ws-jwt.js";

const KEY_NAME = "organizations/org-1/apiKeys/key-1";

describe("createWsJwt", () => {
  it("signs a fresh WebSocket JWT per call, without a uri claim", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    let now = Date.UTC(2026, 0, 2, 3, 4, 5);
    let nonce = 0;
    const jwt = createWsJwt(
      { keyName: KEY_NAME, privateKey: pem },
      { now: () => now, nonce: () => `n${++nonce}` },
    );
    const first = jwt();
    now += 30_000;
    const second = jwt();
    expect(second).not.toBe(first);
    const { payload } = await jwtVerify(second, publicKey, {
      algorithms: ["ES256"],
      issuer: "cdp",
      subject: KEY_NAME,
      currentDate: new Date(now),
    });
    expect(payload.uri).toBeUndefined();
    expect((payload.exp ?? 0) - (payload.nbf ?? 0)).toBe(120);
  });

  it("rejects unusable credentials up front, without echoing the key", () => {
    let caught: unknown;
    try {
      createWsJwt({ keyName: KEY_NAME, privateKey: "not-a-key-SECRET" });
    } catch (error) {
      caught = error;
    }
    expect(isCoinbaseClientError(caught) && caught.code).toBe("invalid-key");
    expect(String((caught as Error).message)).not.toContain("SECRET");
  });
});
