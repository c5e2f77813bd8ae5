import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import { createJwtSigner, jwtUri } from "./jwt.js";

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const KEY_NAME = "organizations/org-1/apiKeys/key-1";

function ecKeys() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    publicKey,
    sec1: privateKey.export({ type: "sec1", format: "pem" }).toString(),
    pkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function edKeys() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d ?? "", "base64url");
  const pub = Buffer.from(jwk.x ?? "", "base64url");
  return {
    publicKey,
    secret64: Buffer.concat([seed, pub]).toString("base64"),
    seed32: seed.toString("base64"),
    pkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

async function verifyRest(token: string, publicKey: KeyObject, alg: string, uri: string) {
  const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
    algorithms: [alg],
    issuer: "cdp",
    subject: KEY_NAME,
    currentDate: new Date(NOW + 1_000),
  });
  expect(protectedHeader).toEqual({
    alg,
    kid: KEY_NAME,
    nonce: expect.stringMatching(/^[0-9a-f]{32}$/),
    typ: "JWT",
  });
  const nbf = Math.floor(NOW / 1000);
  expect(payload).toEqual({ iss: "cdp", sub: KEY_NAME, nbf, exp: nbf + 120, uri });
}

const URL_WITH_QUERY = "https://api.coinbase.com/api/v3/brokerage/orders/historical/fills?cursor=abc&limit=5";
const URI = "GET api.coinbase.com/api/v3/brokerage/orders/historical/fills";

describe("createJwtSigner", () => {
  it("signs ES256 tokens with a SEC1 key that jose verifies, every claim checked", async () => {
    const keys = ecKeys();
    const signer = createJwtSigner({ keyName: KEY_NAME, privateKey: keys.sec1 }, { now: () => NOW });
    expect(signer.algorithm).toBe("ES256");
    await verifyRest(signer.signRest("get", URL_WITH_QUERY), keys.publicKey, "ES256", URI);
  });

  it("signs with a PKCS#8 EC key and with a key whose newlines are literal \\n", async () => {
    const keys = ecKeys();
    for (const privateKey of [
      keys.pkcs8,
      keys.sec1.replace(/\n/g, "\\n"),
      `"${keys.sec1.replace(/\n/g, "\\n")}"`,
    ]) {
      const signer = createJwtSigner({ keyName: KEY_NAME, privateKey }, { now: () => NOW });
      await verifyRest(
        signer.signRest("POST", "https://api.coinbase.com/api/v3/brokerage/orders"),
        keys.publicKey,
        "ES256",
        "POST api.coinbase.com/api/v3/brokerage/orders",
      );
    }
  });

  it("signs EdDSA tokens with Coinbase's 64-byte base64 secret, a 32-byte seed and a PKCS#8 PEM", async () => {
    const keys = edKeys();
    for (const privateKey of [keys.secret64, keys.seed32, keys.pkcs8, keys.pkcs8.replace(/\n/g, "\\n")]) {
      const signer = createJwtSigner({ keyName: KEY_NAME, privateKey }, { now: () => NOW });
      expect(signer.algorithm).toBe("EdDSA");
      await verifyRest(signer.signRest("GET", URL_WITH_QUERY), keys.publicKey, "EdDSA", URI);
    }
  });

  it("makes a fresh token (new nonce) per call and a WebSocket token without uri", async () => {
    const keys = edKeys();
    const signer = createJwtSigner({ keyName: KEY_NAME, privateKey: keys.secret64 }, { now: () => NOW });
    const a = signer.signRest("GET", URL_WITH_QUERY);
    const b = signer.signRest("GET", URL_WITH_QUERY);
    expect(a).not.toBe(b);
    expect(decodeProtectedHeader(a).nonce).not.toBe(decodeProtectedHeader(b).nonce);
    const { payload } = await jwtVerify(signer.signWebSocket(), keys.publicKey, {
      currentDate: new Date(NOW),
    });
    expect(payload.uri).toBeUndefined();
    expect(payload.exp).toBe(Math.floor(NOW / 1000) + 120);
  });

  it("rejects a token once it is past exp (jose agrees on the lifetime)", async () => {
    const keys = ecKeys();
    const signer = createJwtSigner({ keyName: KEY_NAME, privateKey: keys.sec1 }, { now: () => NOW });
    const token = signer.signRest("GET", URL_WITH_QUERY);
    await expect(jwtVerify(token, keys.publicKey, { currentDate: new Date(NOW + 121_000) })).rejects.toThrow(
      /exp/,
    );
  });

  it("prints as nothing secret", () => {
    const keys = ecKeys();
    const signer = createJwtSigner({ keyName: KEY_NAME, privateKey: keys.sec1 });
    expect(JSON.stringify(signer)).toBe('{"algorithm":"ES256"}');
  });
});

describe("bad keys", () => {
  const cases: Array<[string, unknown]> = [
    ["empty", ""],
    ["not a string", 42],
    [
      "garbage PEM",
      "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END EC PRIVATE KEY-----\n",
    ],
    ["random words", "this is not a key at all"],
    ["wrong base64 length", Buffer.alloc(48, 7).toString("base64")],
    [
      "RSA key",
      generateKeyPairSync("rsa", { modulusLength: 1024 })
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString(),
    ],
    [
      "P-384 key",
      generateKeyPairSync("ec", { namedCurve: "secp384r1" })
        .privateKey.export({ type: "sec1", format: "pem" })
        .toString(),
    ],
    [
      "64 bytes whose public half does not match",
      Buffer.concat([Buffer.alloc(32, 1), Buffer.alloc(32, 2)]).toString("base64"),
    ],
  ];
  for (const [label, privateKey] of cases) {
    it(`rejects ${label} with invalid-key, never quoting the key`, () => {
      let caught: unknown;
      try {
        createJwtSigner({ keyName: KEY_NAME, privateKey: privateKey as string });
      } catch (error) {
        caught = error;
      }
      expect(isCoinbaseClientError(caught)).toBe(true);
      if (!isCoinbaseClientError(caught)) return;
      expect(caught.code).toBe("invalid-key");
      expect(caught.cause).toBeUndefined();
      if (typeof privateKey === "string" && privateKey.length > 0) {
        const body = privateKey.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
        for (const text of [caught.message, JSON.stringify(caught), String(caught.stack)]) {
          expect(text).not.toContain(body.slice(0, 16));
        }
      }
    });
  }

  it("rejects an empty key name", () => {
    expect(() => createJwtSigner({ keyName: " ", privateKey: ecKeys().sec1 })).toThrow(/keyName/);
  });
});

describe("jwtUri", () => {
  it("keeps method, host, port and path; drops scheme, query and fragment", () => {
    expect(jwtUri("get", "http://127.0.0.1:8080/api/v3/brokerage/accounts?limit=1#x")).toBe(
      "GET 127.0.0.1:8080/api/v3/brokerage/accounts",
    );
    expect(jwtUri("DELETE", "api.coinbase.com/api/v3/brokerage/portfolios/abc")).toBe(
      "DELETE api.coinbase.com/api/v3/brokerage/portfolios/abc",
    );
  });
});
