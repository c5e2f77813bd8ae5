/**
 * REST and order faults (owned by the fault-injection work; see faults.ts). Placeholder types until
 * that work fills them in.
 */

/** Faults in HTTP answers. */
export type RestFaults = Record<string, never>;

/** Faults in how orders are accepted and filled. */
export type OrderFaults = Record<string, never>;
