/**
 * The bench's processes: the bundle forks itself with `CB_BENCH_ROLE` set (`server` or `runner`),
 * and parent and child talk over IPC, one request and one reply at a time.
 */
import { fork } from "node:child_process";

/** A child process of the bench. */
export interface BenchChild<Request, Reply> {
  /** Sends `message` and resolves with the child's next message; rejects if the child exits first. */
  ask(message: Request): Promise<Reply>;
  /** Closes the IPC channel; the child ends once its work is done. */
  stop(): void;
}

/** Forks the current bundle (`entry`) in role `role`. */
export function forkRole<Request, Reply>(
  entry: string,
  role: string,
  env: Record<string, string> = {},
): BenchChild<Request, Reply> {
  const child = fork(entry, [], {
    env: { ...process.env, ...env, CB_BENCH_ROLE: role },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return {
    ask: (message) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null): void => {
          child.off("message", onMessage);
          reject(new Error(`bench ${role} exited (${code})`));
        };
        const onMessage = (reply: Reply): void => {
          child.off("exit", onExit);
          resolve(reply);
        };
        child.once("exit", onExit);
        child.once("message", onMessage);
        child.send(message as object);
      }),
    stop: () => {
      if (child.connected) child.disconnect();
    },
  };
}

/** In a child: answers each message from the parent with `handle`'s result, one at a time. */
export function serveParent<Request, Reply>(handle: (message: Request) => Promise<Reply> | Reply): void {
  let queue = Promise.resolve();
  process.on("message", (message: Request) => {
    queue = queue.then(async () => {
      try {
        process.send?.(await handle(message));
      } catch (error) {
        process.send?.({ type: "error", message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
}
