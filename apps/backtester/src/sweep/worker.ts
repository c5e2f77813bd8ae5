// The sweep worker thread: runs tasks of the pool's batches until none are left to claim.
import { parentPort, workerData } from "node:worker_threads";
import { BacktestError } from "../errors.js";
import type { FromWorker, ToWorker, WireError, WorkerInit } from "./protocol.js";
import { createTaskRunner } from "./task.js";

const init = workerData as WorkerInit;
const runTask = createTaskRunner(init.options, init.data);
const port = parentPort;

function toWire(error: unknown): WireError {
  if (error instanceof BacktestError) return { name: error.name, message: error.message, code: error.code };
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  return { name: "Error", message: String(error) };
}

if (port !== null) {
  port.on("message", (message: ToWorker) => {
    switch (message.type) {
      case "batch": {
        const counter = new Int32Array(message.counter);
        for (;;) {
          const index = Atomics.add(counter, 0, 1);
          const task = message.tasks[index];
          if (task === undefined) break;
          let reply: FromWorker;
          try {
            reply = { type: "result", batchId: message.batchId, index, stats: runTask(task) };
          } catch (error) {
            reply = { type: "failed", batchId: message.batchId, index, error: toWire(error) };
          }
          port.postMessage(reply);
        }
        break;
      }
      default: {
        const unknown: never = message.type;
        throw new Error(`sweep worker: unknown message ${String(unknown)}`);
      }
    }
  });
}
