import type { ClientTimers } from "../config.js";

/** The real clock and timers. */
export const realTimers: ClientTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Thrown (internally) when a wait is cut short by its signal; carries the signal's reason. */
export class WaitAborted extends Error {
  override readonly name = "WaitAborted";
}

/** Waits `ms` on the given timers; rejects with `WaitAborted` when `signal` fires first. */
export function wait(timers: ClientTimers, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(new WaitAborted("aborted", { cause: signal.reason }));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timers.clearTimeout(handle);
      reject(new WaitAborted("aborted", { cause: signal?.reason }));
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
