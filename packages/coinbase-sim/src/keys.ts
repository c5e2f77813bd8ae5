import { generateKeyPairSync } from "node:crypto";

/**
 * A freshly generated CDP-style API key for local use: give `{ name, publicKey }` (or the whole
 * object) to the simulator and `{ keyName: name, privateKey }` to a client.
 */
export interface TestKey {
  /** `organizations/sim/apiKeys/<id>` for ES256 keys, a UUID for EdDSA keys (as CDP names them). */
  readonly name: string;
  /** The private key as PEM (SEC1 `EC PRIVATE KEY` for ES256, PKCS#8 for EdDSA). Test use only. */
  readonly privateKey: string;
  /** The public key as SPKI PEM. */
  readonly publicKey: string;
}

let counter = 0;

/**
 * Generates a key pair for the simulator: `ES256` (EC P-256, the legacy CDP format) or `EdDSA`
 * (Ed25519, what CDP issues now). `name` defaults to a fresh CDP-style name.
 */
export function createTestKey(algorithm: "ES256" | "EdDSA" = "ES256", name?: string): TestKey {
  counter += 1;
  const id = `${counter.toString(16).padStart(8, "0")}-0000-4000-8000-${Date.UTC(2026, 0, 1).toString(16).padStart(12, "0")}`;
  if (algorithm === "EdDSA") {
    const pair = generateKeyPairSync("ed25519");
    return {
      name: name ?? id,
      privateKey: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      publicKey: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
  }
  const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    name: name ?? `organizations/sim/apiKeys/${id}`,
    privateKey: pair.privateKey.export({ type: "sec1", format: "pem" }).toString(),
    publicKey: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}
