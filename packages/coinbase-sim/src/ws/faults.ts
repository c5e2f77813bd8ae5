/**
 * WebSocket faults (owned by the WebSocket work; see ../faults.ts). Placeholder type until that
 * work fills it in.
 */

/** Faults in the WebSocket feeds. */
export type WsFaults = Record<string, never>;
