import { generateKeyPairSync } from "node:crypto";

/** A generated CDP-style key pair for tests: the name, the private PEM for the client, the public key for the simulator. */
export interface TestKey {
  readonly name: string;
  readonly privateKey: string;
  readonly publicKey: string;
}

/** An EC P-256 key (ES256) named like a CDP ECDSA key. */
export function ecKey(id = "0001"): TestKey {
  const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    name: `organizations/sim-org/apiKeys/${id}`,
    privateKey: pair.privateKey.export({ type: "sec1", format: "pem" }).toString(),
    publicKey: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** An Ed25519 key (EdDSA) named by a UUID, as CDP names them. */
export function edKey(name = "5f0e3b1c-8a4d-4c2e-9b7a-1d2e3f405162"): TestKey {
  const pair = generateKeyPairSync("ed25519");
  return {
    name,
    privateKey: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}
