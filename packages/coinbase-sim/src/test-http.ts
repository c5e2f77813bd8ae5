import { createPrivateKey } from "node:crypto";
import { SignJWT } from "jose";
import type { TestKey } from "./keys.js";

/**
 * Sends one signed request to a simulator the way a Coinbase client does (a fresh ES256 JWT for
 * `"<METHOD> <host><path>"`), for tests that look at raw answers: status and parsed JSON body.
 */
export async function signedFetch(
  restUrl: string,
  key: TestKey,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(`/api/v3/brokerage${path}`, restUrl);
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ uri: `${method} ${url.host}${url.pathname}` })
    .setProtectedHeader({ alg: "ES256", kid: key.name, nonce: "n", typ: "JWT" })
    .setIssuer("cdp")
    .setSubject(key.name)
    .setNotBefore(now)
    .setExpirationTime(now + 120)
    .sign(createPrivateKey(key.privateKey));
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${jwt}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (401 answers are plain text): keep the text.
  }
  return { status: response.status, body: parsed };
}
