import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { CoinbaseClientError } from "../errors.js";

/** The JWT algorithm a CDP key signs with. */
export type JwtAlgorithm = "ES256" | "EdDSA";

/** A parsed signing key: the cached KeyObject and the algorithm it implies. */
export interface SigningKey {
  readonly algorithm: JwtAlgorithm;
  readonly key: KeyObject;
}

/** The DER prefix of an Ed25519 PKCS#8 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
/** Standard base64 (what Coinbase hands out for Ed25519 secrets), padding optional. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses a CDP private key: an EC P-256 PEM (SEC1 or PKCS#8), an Ed25519 PKCS#8 PEM, or Coinbase's
 * base64 Ed25519 secret (64 bytes of seed then public key, or a bare 32-byte seed). Literal `\n`
 * sequences are read as newlines and surrounding whitespace or quotes are ignored.
 *
 * @throws CoinbaseClientError `invalid-key`; the message describes the input by its shape only.
 */
export function parsePrivateKey(privateKey: unknown, operation = "createCoinbaseClient"): SigningKey {
  if (typeof privateKey !== "string" || privateKey.trim() === "") {
    throw keyError(operation, `must be a non-empty string (got ${kindOf(privateKey)})`);
  }
  const text = normaliseKeyText(privateKey);
  if (text.includes("-----BEGIN")) return parsePem(text, operation);
  const compact = text.replace(/\s+/g, "");
  if (!BASE64.test(compact)) {
    throw keyError(operation, "is neither a PEM key nor a base64 Ed25519 secret");
  }
  return parseEd25519Secret(Buffer.from(compact, "base64"), operation);
}

/** Undoes what env files and JSON copy-paste do to a key: literal `\n`, CRLF, surrounding quotes. */
function normaliseKeyText(raw: string): string {
  let text = raw.trim();
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0]) {
    text = text.slice(1, -1).trim();
  }
  return text.replace(/\\r\\n|\\n/g, "\n").replace(/\r\n/g, "\n");
}

function parsePem(pem: string, operation: string): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    // The cause is dropped on purpose: a parser's message could quote part of the key.
    throw keyError(operation, "is a PEM block that does not parse as a private key");
  }
  if (key.asymmetricKeyType === "ed25519") return { algorithm: "EdDSA", key };
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === "prime256v1") return { algorithm: "ES256", key };
    throw keyError(operation, `is an EC key on ${curve}, not P-256`);
  }
  throw keyError(operation, `is a ${key.asymmetricKeyType} key, not EC P-256 or Ed25519`);
}

function parseEd25519Secret(bytes: Buffer, operation: string): SigningKey {
  if (bytes.length !== 64 && bytes.length !== 32) {
    throw keyError(operation, `decodes to ${bytes.length} bytes, not 64 (Ed25519 seed and public key) or 32`);
  }
  const seed = bytes.subarray(0, 32);
  const key = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  if (bytes.length === 64) {
    const derived = createPublicKey(key).export({ format: "jwk" }).x;
    if (derived !== bytes.subarray(32).toString("base64url")) {
      throw keyError(operation, "is an Ed25519 secret whose public half does not match its seed");
    }
  }
  return { algorithm: "EdDSA", key };
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return "an empty string";
  return typeof value;
}

/** `credentials.privateKey <why>`: the key described by its shape, never quoted. */
function keyError(operation: string, why: string): CoinbaseClientError {
  return new CoinbaseClientError("invalid-key", `credentials.privateKey ${why}`, {
    operation,
    field: "credentials.privateKey",
  });
}
