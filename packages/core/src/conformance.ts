// The `@gpt/core/conformance` entry: the ExecutionPort conformance suite any venue runs.
import { CHECKS } from "./conformance/checks.js";
import { ConformanceSession } from "./conformance/session.js";
import {
  CONFORMANCE_CAPABILITIES,
  type ConformanceCapability,
  type ConformanceResult,
  type ExecutionConformanceFactory,
  type ExecutionConformanceOptions,
} from "./conformance/types.js";

export type {
  ConformanceCapability,
  ConformanceDriver,
  ConformanceMarket,
  ConformanceResult,
  ConformanceStatus,
  ConformanceVenue,
  ExecutionConformanceFactory,
  ExecutionConformanceOptions,
} from "./conformance/types.js";
export { CONFORMANCE_CAPABILITIES };

/** The suite's checks: name, and the capability each needs (`core`: every venue). */
export const EXECUTION_CONFORMANCE_CHECKS: readonly {
  readonly name: string;
  readonly capability: ConformanceCapability | "core";
}[] = CHECKS.map((c) => ({ name: c.name, capability: c.capability }));

/** The message of whatever a check caught. */
function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : "the check threw a value that is not an Error";
}

/**
 * Runs the `ExecutionPort` conformance suite on the venue `factory` builds: one fresh venue per
 * check, in order, one at a time. Needs no test runner: it resolves to one result per check
 * (`passed`, `failed` with the reason, or `unsupported` when the factory declares the check's
 * capability `false`); it never rejects for a failing venue. A capability the factory does not
 * declare at all makes its check fail (nothing is skipped silently).
 */
export async function runExecutionConformance(
  factory: ExecutionConformanceFactory,
  options: ExecutionConformanceOptions = {},
): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const check of CHECKS) {
    if (options.only !== undefined && !options.only.includes(check.name)) continue;
    const base = { name: check.name, capability: check.capability };
    if (check.capability !== "core") {
      const declared = factory.capabilities[check.capability] as unknown;
      if (declared === false) {
        results.push({
          ...base,
          status: "unsupported",
          detail: `${factory.name} declares no ${check.capability} capability`,
        });
        continue;
      }
      if (declared !== true) {
        results.push({
          ...base,
          status: "failed",
          detail: `${factory.name} does not declare the ${check.capability} capability (true or false)`,
        });
        continue;
      }
    }
    let session: ConformanceSession | undefined;
    try {
      const venue = await factory.create(check.market);
      session = new ConformanceSession(venue);
      await check.run(session);
      results.push({ ...base, status: "passed" });
    } catch (error) {
      results.push({ ...base, status: "failed", detail: describeFailure(error), error });
    } finally {
      session?.close();
      try {
        await session?.venue.close?.();
      } catch {
        // A venue that fails to close does not change the check's result.
      }
    }
  }
  return results;
}
