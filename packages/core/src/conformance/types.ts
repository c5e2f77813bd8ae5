// Core is imported by its package name, not by path: the built entry then shares the main
// entry's code and types instead of carrying a copy (the package's install size stays small).
import type { ExecutionPort, Instrument, UnixMillis } from "@gpt/core";
import type { Decimal } from "@gpt/quantize";

/**
 * What a venue may or may not be able to do in the suite. `core` checks (submit, accept, fill,
 * cancel, reject, event order) run on every venue; each other check runs only when its capability
 * is declared, and is reported `unsupported` (never `passed`) when it is not.
 */
export type ConformanceCapability =
  | "partial-fill"
  | "modify"
  | "outcome-unknown"
  | "mass-status"
  | "liquidation";

/** Every `ConformanceCapability`, for iteration. */
export const CONFORMANCE_CAPABILITIES: readonly ConformanceCapability[] = [
  "partial-fill",
  "modify",
  "outcome-unknown",
  "mass-status",
  "liquidation",
];

/** The market a check needs: a spot-like one (any instrument), or a perpetual on a margin account. */
export type ConformanceMarket = "spot" | "perp";

/**
 * Moves the market of a venue under test and waits for its events. The suite calls nothing else
 * on the venue than its `ExecutionPort` and this driver.
 */
export interface ConformanceDriver {
  /**
   * The market trades at `price`: buy orders at or above it and sell orders at or below it become
   * executable (a resting buy limit above `price` fills; a market order fills near `price`).
   * With `quantity`, at most that much trades (all executable orders together): the way the suite
   * produces a partial fill. Without it, liquidity is ample.
   */
  trade(price: Decimal, quantity?: Decimal): void | Promise<void>;
  /**
   * Resolves once the venue has delivered every event caused by the commands and trades so far
   * (a synchronous venue resolves at once; an asynchronous one waits for its deliveries).
   */
  settle(): Promise<void>;
  /** The venue's current time, for commands' `tsInit`. */
  now(): UnixMillis;
  /**
   * Makes the next request of `operation` end without an answer (a timeout, HTTP 5xx,
   * disconnect). Required when the venue declares `outcome-unknown`.
   */
  loseNextAnswer?(operation: "submit" | "modify" | "cancel"): void;
}

/** One fresh venue for one check. */
export interface ConformanceVenue {
  /** The port under test. */
  readonly port: ExecutionPort;
  /** Feeds and waits for the venue. */
  readonly driver: ConformanceDriver;
  /** The instrument the check trades: a perpetual for the `perp` market. */
  readonly instrument: Instrument;
  /**
   * The price the market stands at when the venue is handed over (already traded there: a
   * market order can fill at once).
   */
  readonly price: Decimal;
  /**
   * An order size (on the size increment, at least the minimum) the account can buy at `price`
   * at least twice over (with a second order working); for `perp`, the account holds less than
   * half the position's notional, so a fall of the price to half liquidates the position.
   */
  readonly quantity: Decimal;
  /** Releases the venue's resources after the check (optional). */
  close?(): void | Promise<void>;
}

/** Builds fresh venues for the suite; declares what the venue can do. */
export interface ExecutionConformanceFactory {
  /** Name of the venue, for reports. */
  readonly name: string;
  /** Every optional capability, declared supported (`true`) or not (`false`). */
  readonly capabilities: Readonly<Record<ConformanceCapability, boolean>>;
  /** A fresh venue, its account funded, for one check. */
  create(market: ConformanceMarket): ConformanceVenue | Promise<ConformanceVenue>;
}

/** How one check ended. `unsupported`: the venue declared the capability unsupported; not a pass. */
export type ConformanceStatus = "passed" | "failed" | "unsupported";

/** The result of one named check. */
export interface ConformanceResult {
  /** The check's name (stable; see `EXECUTION_CONFORMANCE_CHECKS`). */
  readonly name: string;
  /** The capability the check needs, or `core` for the checks every venue must pass. */
  readonly capability: ConformanceCapability | "core";
  /** Passed, failed or unsupported. */
  readonly status: ConformanceStatus;
  /** Why it failed, or which capability is missing; absent when passed. */
  readonly detail?: string;
  /** The error a failed check caught (a failed expectation or an error from the venue). */
  readonly error?: unknown;
}

/** Options of `runExecutionConformance`. */
export interface ExecutionConformanceOptions {
  /** Run only the checks with these names (default: all). */
  readonly only?: readonly string[];
}
