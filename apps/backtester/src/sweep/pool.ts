import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { RunOptions } from "../cli/options.js";
import { BacktestError } from "../errors.js";
import type { LoadedData } from "../run.js";
import type { PointStats } from "./metric.js";
import type { FromWorker, ToWorker, WireError, WorkerInit } from "./protocol.js";
import { createTaskRunner, type SweepTask, shareData } from "./task.js";

/** Most workers `--workers` accepts. */
export const MAX_WORKERS = 64;

/** The default `--workers`: the number of cores Node may use. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
}

/**
 * Work (bars replayed over all backtests) below which `--workers` left unset runs in-process.
 * Starting a worker thread costs its module load and its own JIT warm-up, which a small search
 * does not win back: on the 2-core build machine, through the bundling launcher, 16 points × 20,000
 * bars finished faster in-process (2.1 s against 2.2 s for the whole CLI), 64 × 20,000 faster on 2
 * workers (4.0 s against 4.4 s). (Through tsx, where a thread also compiles the sources: 2.4 s
 * against 2.9 s, and 5.4 s against 6.3 s.)
 */
export const THREADS_PAY_OFF_BARS = 600_000;

/**
 * The worker count when `--workers` is not given: 1 (in-process) for less than
 * `THREADS_PAY_OFF_BARS` of work, else the core count.
 */
export function autoWorkers(barsToReplay: number): number {
  return barsToReplay < THREADS_PAY_OFF_BARS ? 1 : defaultWorkers();
}

/** How a pool runs its tasks. */
export interface PoolOptions {
  /** Parallel runners (≥ 1). */
  readonly workers: number;
  /**
   * When true (the default) the calling thread is one of the runners and `workers - 1` worker
   * threads are started, so `workers: 1` runs in-process and no runner waits for a thread to boot.
   * When false, `workers` threads run everything (tests use it to exercise the threads).
   */
  readonly useMainThread?: boolean;
}

/** One finished task. */
interface TaskOutcome {
  /** The run's `stats.json` numbers. */
  readonly stats: PointStats;
  /** Which runner ran it: 0 the calling thread, 1.. a worker thread. */
  readonly runner: number;
}

/** Runs batches of sweep tasks in parallel on one loaded data set. */
export interface SweepPool {
  /** The number of parallel runners. */
  readonly workers: number;
  /**
   * Runs the tasks (any order, any runner) and resolves with their outcomes in task order.
   * `onDone(done, total)` is called as tasks finish. Rejects with the first task's error (a
   * `BacktestError` keeps its code). One batch at a time.
   */
  run(tasks: readonly SweepTask[], onDone?: (done: number, total: number) => void): Promise<TaskOutcome[]>;
  /** Stops the worker threads. The pool cannot run afterwards. */
  close(): Promise<void>;
}

interface Batch {
  readonly id: number;
  readonly tasks: readonly SweepTask[];
  readonly counter: Int32Array;
  readonly outcomes: (TaskOutcome | undefined)[];
  readonly onDone: ((done: number, total: number) => void) | undefined;
  readonly resolve: (outcomes: TaskOutcome[]) => void;
  readonly reject: (error: Error) => void;
  done: number;
  settled: boolean;
}

function fromWire(error: WireError): Error {
  if (error.code !== undefined) return new BacktestError(error.code, error.message);
  const rebuilt = new Error(`sweep worker: ${error.name}: ${error.message}`);
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}

/**
 * Starts one worker thread. From a bundle (how `bin/gpt-backtest.mjs` runs the CLI) the worker is the
 * bundled `worker.js` next to it. From TypeScript source (tests under vitest, GPT_BACKTEST_LOADER=tsx) the
 * thread first registers tsx's loader and then imports `worker.ts`: Node 20 does not apply an
 * inherited `--import tsx` to a worker's entry module, so the entry must be plain JavaScript. The
 * `@gpt/source` condition resolves the workspace packages to their source, as in the main thread.
 */
function startThread(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./worker.js", here), { workerData: init });
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./worker.ts", here).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: init, execArgv: ["--conditions=@gpt/source"] });
}

/**
 * A pool of `workers` runners over one data set. Worker threads are started on the first batch
 * that has work for them and kept for later batches; they share the bars through
 * `SharedArrayBuffer`s and claim tasks from a shared atomic counter, so a fast runner never waits
 * for a slow one and the calling thread starts at once while the threads boot.
 */
export function createSweepPool(options: RunOptions, data: LoadedData, poolOptions: PoolOptions): SweepPool {
  const workers = poolOptions.workers;
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new BacktestError(
      "bad-argument",
      `--workers ${workers}: must be a whole number from 1 to ${MAX_WORKERS}`,
    );
  }
  const useMainThread = poolOptions.useMainThread ?? true;
  const threadTarget = useMainThread ? workers - 1 : workers;
  const runLocal = useMainThread ? createTaskRunner(options, data) : undefined;
  const threads: Worker[] = [];
  let init: WorkerInit | undefined;
  let current: Batch | undefined;
  let nextBatchId = 1;
  let broken: Error | undefined;
  let closing = false;

  const settle = (batch: Batch, error?: Error): void => {
    if (batch.settled) return;
    batch.settled = true;
    if (current === batch) current = undefined;
    if (error !== undefined) {
      Atomics.store(batch.counter, 0, batch.tasks.length); // nobody claims more of this batch
      batch.reject(error);
    } else {
      batch.resolve(batch.outcomes as TaskOutcome[]);
    }
  };

  const record = (batch: Batch, index: number, outcome: TaskOutcome): void => {
    if (batch.settled || batch.outcomes[index] !== undefined) return;
    batch.outcomes[index] = outcome;
    batch.done++;
    batch.onDone?.(batch.done, batch.tasks.length);
    if (batch.done === batch.tasks.length) settle(batch);
  };

  const fatal = (error: Error): void => {
    broken ??= error;
    if (current !== undefined) settle(current, error);
  };

  const ensureThreads = (wanted: number): void => {
    if (threads.length >= wanted) return;
    init ??= { options, data: shareData(data) };
    while (threads.length < wanted) {
      const runner = threads.length + 1;
      const thread = startThread(init);
      thread.on("message", (message: FromWorker) => {
        const batch = current;
        if (batch === undefined || message.batchId !== batch.id) return; // a settled batch's leftovers
        switch (message.type) {
          case "result":
            record(batch, message.index, { stats: message.stats, runner });
            break;
          case "failed":
            settle(batch, fromWire(message.error));
            break;
          default: {
            const unknown: never = message;
            throw new Error(`sweep pool: unknown message ${JSON.stringify(unknown)}`);
          }
        }
      });
      thread.on("error", (error) =>
        fatal(new Error(`sweep worker ${runner} failed: ${error.message}`, { cause: error })),
      );
      thread.on("exit", (code) => {
        if (!closing) fatal(new Error(`sweep worker ${runner} exited unexpectedly (code ${code})`));
      });
      threads.push(thread);
    }
  };

  const runMain = async (batch: Batch): Promise<void> => {
    if (runLocal === undefined) return;
    for (;;) {
      if (batch.settled) return;
      const index = Atomics.add(batch.counter, 0, 1);
      const task = batch.tasks[index];
      if (task === undefined) return;
      try {
        record(batch, index, { stats: runLocal(task), runner: 0 });
      } catch (error) {
        settle(batch, error instanceof Error ? error : new Error(String(error)));
        return;
      }
      // Let the threads' results (and progress) through between two tasks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  return {
    workers,
    run(tasks, onDone) {
      if (broken !== undefined) return Promise.reject(broken);
      if (closing) return Promise.reject(new Error("sweep pool: closed"));
      if (current !== undefined) return Promise.reject(new Error("sweep pool: one batch at a time"));
      if (tasks.length === 0) return Promise.resolve([]);
      return new Promise<TaskOutcome[]>((resolve, reject) => {
        const counter = new Int32Array(new SharedArrayBuffer(4));
        const batch: Batch = {
          id: nextBatchId++,
          tasks,
          counter,
          outcomes: new Array<TaskOutcome | undefined>(tasks.length).fill(undefined),
          onDone,
          resolve,
          reject,
          done: 0,
          settled: false,
        };
        current = batch;
        // With the calling thread running too, a one-task batch needs no thread.
        ensureThreads(Math.min(threadTarget, tasks.length - (useMainThread ? 1 : 0)));
        const message: ToWorker = {
          type: "batch",
          batchId: batch.id,
          tasks,
          counter: counter.buffer as SharedArrayBuffer,
        };
        for (const thread of threads) thread.postMessage(message);
        void runMain(batch);
      });
    },
    async close() {
      closing = true;
      await Promise.all(threads.map((t) => t.terminate()));
      threads.length = 0;
    },
  };
}
