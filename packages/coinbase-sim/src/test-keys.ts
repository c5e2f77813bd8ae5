import { createTestKey, type TestKey } from "./keys.js";

export type { TestKey };

/** An EC P-256 key (ES256) named like a CDP ECDSA key. */
export function ecKey(id = "0001"): TestKey {
  return createTestKey("ES256", `organizations/sim-org/apiKeys/${id}`);
}

/** An Ed25519 key (EdDSA) named by a UUID, as CDP names them. */
export function edKey(name = "5f0e3b1c-8a4d-4c2e-9b7a-1d2e3f405162"): TestKey {
  return createTestKey("EdDSA", name);
}
