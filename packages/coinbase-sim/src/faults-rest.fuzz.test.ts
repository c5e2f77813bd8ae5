import { expectShown, expectTypedOutcome, fuzz, hostile, mutated, secretArb } from "@gpt/testkit/fuzz";
import { describe, expect } from "vitest";
import { CoinbaseSimError } from "./errors.js";
import { parseSimFaults } from "./faults.js";

/**
 * Property for the fault-script parser (the script comes from a user: JSON from a file, a test's
 * object): it returns a script or throws `CoinbaseSimError` `invalid-config`, and no message repeats
 * a secret it was fed.
 */
const isTyped = (error: unknown): boolean =>
  error instanceof CoinbaseSimError && error.code === "invalid-config";
const context = { products: ["BTC-USD", "ETH-USD"] };

const RATE = {
  kind: "rate-limit",
  path: "/orders*",
  method: "POST",
  count: 2,
  body: "legacy",
  resetSeconds: 0,
};
const SERVER = { kind: "server-error", status: 503, path: "/time", count: 1, body: "html", processed: true };
const LATENCY = { kind: "latency", ms: 250, method: "GET", count: 3 };
const HANG = { kind: "hang", path: "/orders", processed: false, count: 1 };
const PARTIAL = { kind: "partial-fill", fraction: 0.5, product: "BTC-USD", count: 1 };
const REJECT = { kind: "reject", reason: "INSUFFICIENT_FUND", product: "ETH-USD", message: "no", count: 1 };

describe("fault script parser on hostile input", () => {
  fuzz("parseSimFaults: anything at all", [hostile()], (input) => {
    expectTypedOutcome(() => parseSimFaults(input, context), isTyped);
  });

  fuzz(
    "parseSimFaults: every rule kind with fields gone wrong",
    [
      mutated(RATE),
      mutated(SERVER),
      mutated(LATENCY),
      mutated(HANG),
      mutated(PARTIAL),
      mutated(REJECT),
      mutated({ rest: [RATE], orders: [REJECT], ws: {} }),
    ],
    (rate, server, latency, hang, partial, reject, script) => {
      expectTypedOutcome(
        () => parseSimFaults({ rest: [rate, server, latency, hang], orders: [partial, reject] }, context),
        isTyped,
      );
      expectTypedOutcome(() => parseSimFaults(script, context), isTyped);
    },
    { weight: 2 },
  );

  fuzz("a secret in a string field is never printed, a short number is", [secretArb()], (secret) => {
    // A path may be secret-shaped and still valid (`/` + marker): accepted or refused, never printed.
    expectTypedOutcome(() => parseSimFaults({ rest: [{ ...HANG, path: secret }] }, context), isTyped);
    for (const script of [
      { rest: [{ ...RATE, method: secret }] },
      { rest: [{ ...SERVER, body: secret }] },
      { rest: [{ kind: secret }] },
      { orders: [{ ...REJECT, reason: secret }] },
      { orders: [{ ...PARTIAL, product: secret }] },
    ]) {
      expectTypedOutcome(() => {
        parseSimFaults(script, context);
        throw new Error("accepted a secret-shaped value");
      }, isTyped);
    }
    let shown: unknown;
    try {
      parseSimFaults({ rest: [{ ...LATENCY, ms: -25 }] });
    } catch (error) {
      shown = error;
    }
    expect(shown).toBeInstanceOf(CoinbaseSimError);
    expectShown(shown, "-25");
  });
});
