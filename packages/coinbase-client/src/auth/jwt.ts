import { sign as cryptoSign, randomBytes } from "node:crypto";
import type { CoinbaseCredentials } from "../config.js";
import { CoinbaseClientError } from "../errors.js";
import { type JwtAlgorithm, parsePrivateKey } from "./keys.js";

/** How long a CDP JWT lives: `exp = nbf + 120` seconds. */
const JWT_LIFETIME_SECONDS = 120;

/** Options of `createJwtSigner` (for tests: a fixed clock and nonce). */
export interface JwtSignerOptions {
  /** Milliseconds since the epoch; default `Date.now`. */
  readonly now?: () => number;
  /** The header's `nonce`; default 16 random bytes as hex. */
  readonly nonce?: () => string;
}

/**
 * Signs CDP JWTs with a key parsed once. Each call makes a fresh token (a token is bound to one
 * method and path and lives 120 s). The key and key name are held in a closure: the signer prints
 * as an empty object.
 */
export interface JwtSigner {
  /** The algorithm the key signs with. */
  readonly algorithm: JwtAlgorithm;
  /**
   * A token for one REST request: `uri` is `"<METHOD> <host><path>"`, without scheme or query string.
   *
   * @param method The HTTP method (upper-cased here).
   * @param url The request URL (`https://api.coinbase.com/api/v3/brokerage/accounts?limit=5`) or `host/path`.
   */
  signRest(method: string, url: string): string;
  /** A token for a WebSocket subscribe or unsubscribe message (no `uri` claim). */
  signWebSocket(): string;
}

/**
 * Builds a signer from CDP credentials; the key is parsed here, once.
 *
 * @throws CoinbaseClientError `invalid-key` when the key cannot be parsed or the key name is empty.
 *
 * @example
 * const signer = createJwtSigner({ keyName: "organizations/o/apiKeys/k", privateKey: pem });
 * const token = signer.signRest("GET", "https://api.coinbase.com/api/v3/brokerage/accounts");
 */
export function createJwtSigner(credentials: CoinbaseCredentials, options: JwtSignerOptions = {}): JwtSigner {
  const keyName: unknown = (credentials as { keyName?: unknown } | undefined)?.keyName;
  if (typeof keyName !== "string" || keyName.trim() === "" || /[\r\n]/.test(keyName)) {
    throw new CoinbaseClientError(
      "invalid-key",
      "credentials.keyName must be a non-empty single-line string",
      {
        operation: "createCoinbaseClient",
      },
    );
  }
  const { algorithm, key } = parsePrivateKey((credentials as { privateKey?: unknown }).privateKey);
  const now = options.now ?? Date.now;
  const nonce = options.nonce ?? (() => randomBytes(16).toString("hex"));
  const name = keyName.trim();
  const header = (): string => encode({ alg: algorithm, kid: name, nonce: nonce(), typ: "JWT" });

  function sign(claims: Record<string, unknown>): string {
    const nbf = Math.floor(now() / 1000);
    const input = `${header()}.${encode({ iss: "cdp", sub: name, nbf, exp: nbf + JWT_LIFETIME_SECONDS, ...claims })}`;
    const data = Buffer.from(input);
    const signature =
      algorithm === "ES256"
        ? cryptoSign("sha256", data, { key, dsaEncoding: "ieee-p1363" })
        : cryptoSign(null, data, key);
    return `${input}.${signature.toString("base64url")}`;
  }

  return {
    algorithm,
    signRest: (method, url) => sign({ uri: jwtUri(method, url) }),
    signWebSocket: () => sign({}),
  };
}

/**
 * The `uri` claim of a REST JWT: `"GET api.coinbase.com/api/v3/brokerage/accounts"` — the method in
 * upper case, then host (and port) and path, with no scheme and no query string.
 */
export function jwtUri(method: string, url: string): string {
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const end = withoutScheme.search(/[?#]/);
  return `${method.toUpperCase()} ${end === -1 ? withoutScheme : withoutScheme.slice(0, end)}`;
}

function encode(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
