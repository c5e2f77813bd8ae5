import { createPublicKey, type KeyObject } from "node:crypto";
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import { CoinbaseSimError } from "./errors.js";

/**
 * A key the simulator accepts: its name (the JWT's `kid` and `sub`; `organizations/…/apiKeys/…`
 * for ECDSA keys, a UUID for Ed25519 keys) and its public key (a `KeyObject`, an SPKI PEM, or the
 * private key's PEM, from which the public half is derived).
 */
export interface SimKey {
  /** The key name. */
  readonly name: string;
  /** The public key (or a private key to derive it from). */
  readonly publicKey: KeyObject | string;
}

/** Why a request's JWT was refused (kept in the audit log; the client only sees `Unauthorized`). */
export type AuthFailure =
  | "missing-token"
  | "malformed-token"
  | "unknown-key"
  | "wrong-algorithm"
  | "bad-signature"
  | "expired"
  | "not-yet-valid"
  | "lifetime-too-long"
  | "wrong-issuer"
  | "wrong-subject"
  | "wrong-uri";

/** The issuers Coinbase accepts: `cdp`, and `coinbase-cloud` from older SDKs. */
const ISSUERS = ["cdp", "coinbase-cloud"];
/** Tolerated clock skew, seconds. */
const SKEW_SECONDS = 5;
/** Coinbase's REST JWTs live at most two minutes. */
const MAX_LIFETIME_SECONDS = 120;

interface StoredKey {
  readonly key: KeyObject;
  readonly algorithm: "ES256" | "EdDSA";
}

/** The registered keys and the JWT check of each private request. */
export class KeyRing {
  readonly #keys = new Map<string, StoredKey>();

  /**
   * Registers a key (replacing one of the same name).
   *
   * @throws CoinbaseSimError `invalid-key` when the key is not an EC P-256 or Ed25519 key.
   */
  add(key: SimKey): void {
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(key.publicKey);
    } catch (cause) {
      throw new CoinbaseSimError(
        "invalid-key",
        "addKey: the public key cannot be read",
        { key: key.name },
        { cause },
      );
    }
    const type = publicKey.asymmetricKeyType;
    const curve = publicKey.asymmetricKeyDetails?.namedCurve;
    if (type === "ed25519") {
      this.#keys.set(key.name, { key: publicKey, algorithm: "EdDSA" });
    } else if (type === "ec" && curve === "prime256v1") {
      this.#keys.set(key.name, { key: publicKey, algorithm: "ES256" });
    } else {
      throw new CoinbaseSimError("invalid-key", "addKey: only EC P-256 and Ed25519 keys are accepted", {
        key: key.name,
      });
    }
  }

  /** The number of registered keys. */
  get size(): number {
    return this.#keys.size;
  }

  /**
   * Checks a request's `Authorization` header as Coinbase does: the signature against the key named
   * by `kid`, `iss`, `sub === kid`, `nbf`/`exp` against `nowMs` (5 s of skew), a lifetime of at
   * most 120 s, and `uri === "<METHOD> <host><path>"` (or `"<METHOD> http://<host><path>"`). Resolves to the key name, or the failure.
   * With `expectedUri` `undefined` the token is a WebSocket JWT (made without `uri`): `uri` is not checked.
   */
  async verify(
    authorization: string | undefined,
    expectedUri: string | undefined,
    nowMs: number,
  ): Promise<
    { readonly ok: true; readonly keyName: string } | { readonly ok: false; readonly reason: AuthFailure }
  > {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    const token = match?.[1];
    if (token === undefined) return { ok: false, reason: "missing-token" };
    let kid: string | undefined;
    let alg: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      kid = header.kid;
      alg = header.alg;
    } catch {
      return { ok: false, reason: "malformed-token" };
    }
    const stored = kid === undefined ? undefined : this.#keys.get(kid);
    if (stored === undefined || kid === undefined) return { ok: false, reason: "unknown-key" };
    if (alg !== stored.algorithm) return { ok: false, reason: "wrong-algorithm" };
    try {
      const { payload } = await jwtVerify(token, stored.key, {
        algorithms: [stored.algorithm],
        currentDate: new Date(nowMs),
        clockTolerance: SKEW_SECONDS,
      });
      if (typeof payload.iss !== "string" || !ISSUERS.includes(payload.iss))
        return { ok: false, reason: "wrong-issuer" };
      if (payload.sub !== kid) return { ok: false, reason: "wrong-subject" };
      if (typeof payload.exp !== "number" || typeof payload.nbf !== "number")
        return { ok: false, reason: "malformed-token" };
      if (payload.exp - payload.nbf > MAX_LIFETIME_SECONDS) return { ok: false, reason: "lifetime-too-long" };
      // A WebSocket JWT is made without `uri`; one that carries it anyway is not refused for it.
      if (expectedUri === undefined) return { ok: true, keyName: kid };
      // The simulator is served over plain http: a client that strips only "https://" from the
      // URL it calls (ccxt does) signs "<METHOD> http://<host><path>"; the same method, host and path.
      const schemed = expectedUri.replace(" ", " http://");
      const bound = (uri: unknown) => uri === expectedUri || uri === schemed;
      // CDP's Ed25519 tokens may name the request in a `uris` list instead (ccxt signs them so).
      const uris: unknown = payload.uris;
      if (!bound(payload.uri) && !(Array.isArray(uris) && uris.some(bound)))
        return { ok: false, reason: "wrong-uri" };
      return { ok: true, keyName: kid };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: "expired" };
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === "nbf") {
        return { ok: false, reason: "not-yet-valid" };
      }
      if (error instanceof joseErrors.JWSSignatureVerificationFailed)
        return { ok: false, reason: "bad-signature" };
      return { ok: false, reason: "malformed-token" };
    }
  }
}
