// Child processes for the release rehearsal: run a command to completion and capture its output,
// with a generous timeout (the CI machine is a busy 2-core box). One error class for every failure
// of the rehearsal, so the summary can tell an expected check failure from a crash.
import { spawn } from "node:child_process";

/** A failed step of the release rehearsal: what was being done, the command and its output. */
export class ReleaseCheckError extends Error {
  name = "ReleaseCheckError";
  /**
   * @param {string} message
   * @param {{ step?: string, command?: string, output?: string, cause?: unknown }} [context]
   */
  constructor(message, context = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    /** The rehearsal step that failed (e.g. "publish @gpt/risk"). */
    this.step = context.step;
    /** The command line that failed, when a command failed. */
    this.command = context.command;
    /** The tail of the command's output (stdout and stderr). */
    this.output = context.output;
  }
}

/** The last `max` characters of a text, marked when cut. */
export function tail(text, max = 4000) {
  return text.length <= max ? text : `…${text.slice(-max)}`;
}

/** The commands started by `run` that have not ended yet. */
const running = new Set();

/** Ends every command `run` started that is still running (SIGTERM; for an interrupted rehearsal). */
export function stopRunningCommands() {
  for (const child of running) child.kill("SIGTERM");
}

/**
 * Runs a command and resolves with its exit code and output; never rejects for a non-zero exit
 * (see `runChecked`). A command still running after `timeoutMs` is killed (exit code null).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, input?: string }} options
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, ms: number, commandLine: string }>}
 */
export function run(command, args, options) {
  const started = performance.now();
  const commandLine = [command, ...args].join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
    child.on("error", (error) => {
      running.delete(child);
      clearTimeout(timer);
      reject(new ReleaseCheckError(`cannot start ${command}`, { command: commandLine, cause: error }));
    });
    child.on("close", (code) => {
      running.delete(child);
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started, commandLine });
    });
  });
}

/**
 * Runs a command and rejects with a `ReleaseCheckError` (naming `step`, with the output's tail)
 * unless it exits 0.
 * @param {string} step
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, input?: string }} options
 */
export async function runChecked(step, command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const how = result.code === null ? "was killed (timeout)" : `exited with ${result.code}`;
    throw new ReleaseCheckError(`${step}: \`${result.commandLine}\` ${how}`, {
      step,
      command: result.commandLine,
      output: tail(`${result.stdout}${result.stderr}`.trim()),
    });
  }
  return result;
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order.
 * @template T, R
 * @param {T[]} items
 * @param {number} limit
 * @param {(item: T) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
