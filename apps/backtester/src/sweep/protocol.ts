import type { RunOptions } from "../cli/options.js";
import type { BacktestErrorCode } from "../errors.js";
import type { LoadedData } from "../run.js";
import type { PointStats } from "./metric.js";
import type { SweepTask } from "./task.js";

/** What a sweep worker thread is started with (its `workerData`). */
export interface WorkerInit {
  readonly options: RunOptions;
  /** The bars, in shared memory. */
  readonly data: LoadedData;
}

/** Messages from the pool to a worker thread. */
export type ToWorker = {
  readonly type: "batch";
  readonly batchId: number;
  readonly tasks: readonly SweepTask[];
  /** One Int32: the next task index to claim (`Atomics.add`), shared by every thread of the pool. */
  readonly counter: SharedArrayBuffer;
};

/** An error crossing the thread boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  /** Set when it was a `BacktestError`. */
  readonly code?: BacktestErrorCode;
  readonly stack?: string;
}

/** Messages from a worker thread to the pool. */
export type FromWorker =
  | { readonly type: "result"; readonly batchId: number; readonly index: number; readonly stats: PointStats }
  | { readonly type: "failed"; readonly batchId: number; readonly index: number; readonly error: WireError };
