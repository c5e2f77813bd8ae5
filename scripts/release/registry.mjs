// A throwaway npm registry for the rehearsal: verdaccio on a loopback port chosen free at run time,
// with its config and storage in a temporary folder. `@gpt/*` is local only (anyone may publish,
// nothing is fetched from npmjs, so a public package of the same name can never mix in); every
// other package is proxied from the real npm registry.
import { spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ReleaseCheckError, tail } from "./process.mjs";

/** The upstream registry for everything that is not `@gpt/*`. */
const UPSTREAM_REGISTRY = "https://registry.npmjs.org/";

/** A loopback TCP port that was free a moment ago (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The verdaccio config (YAML) for a storage folder.
 * @param {string} dir
 */
export function verdaccioConfig(dir) {
  return [
    `storage: ${JSON.stringify(join(dir, "storage"))}`,
    "auth:",
    "  htpasswd:",
    `    file: ${JSON.stringify(join(dir, "htpasswd"))}`,
    "    max_users: -1",
    "web:",
    "  enable: false",
    "uplinks:",
    "  npmjs:",
    `    url: ${UPSTREAM_REGISTRY}`,
    "    timeout: 60s",
    "    max_fails: 5",
    "packages:",
    "  '@gpt/*':",
    "    access: $all",
    "    publish: $anonymous",
    "    unpublish: $anonymous",
    "  '**':",
    "    access: $all",
    "    proxy: npmjs",
    "server:",
    "  keepAliveTimeout: 60",
    "log: { type: stdout, format: pretty, level: warn }",
    "",
  ].join("\n");
}

/**
 * Starts verdaccio and resolves once `/-/ping` answers (polled until then; fails fast if the
 * process exits, or after `timeoutMs`). `stop()` ends it (SIGTERM, then SIGKILL) and is safe to
 * call twice.
 * @param {string} root the repository (for its verdaccio binary)
 * @param {string} dir an empty folder for config, storage and log
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{ url: string, port: number, pid: number | undefined, log: () => string, stop: () => Promise<void> }>}
 */
export async function startRegistry(root, dir, options = {}) {
  mkdirSync(join(dir, "storage"), { recursive: true });
  writeFileSync(join(dir, "config.yaml"), verdaccioConfig(dir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const logFile = join(dir, "verdaccio.log");
  const logFd = openSync(logFile, "w");
  const child = spawn(
    process.execPath,
    [
      join(root, "node_modules", "verdaccio", "bin", "verdaccio"),
      "--config",
      join(dir, "config.yaml"),
      "--listen",
      `127.0.0.1:${port}`,
    ],
    { cwd: dir, stdio: ["ignore", logFd, logFd] },
  );
  const log = () => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  let exited = child.exitCode !== null;
  const exit = new Promise((resolve) => {
    child.on("exit", () => {
      exited = true;
      resolve(undefined);
    });
    child.on("error", () => {
      exited = true;
      resolve(undefined);
    });
  });
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exit;
    clearTimeout(killer);
  };

  const deadline = performance.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      throw new ReleaseCheckError("verdaccio exited before it was ready", {
        step: "start registry",
        output: tail(log()),
      });
    }
    try {
      const response = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      await stop();
      throw new ReleaseCheckError(`verdaccio did not answer ${url}-/ping in time`, {
        step: "start registry",
        output: tail(log()),
      });
    }
    // Poll again after the next event-loop turn that brings either an exit or 100 ms.
    await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  return { url, port, pid: child.pid, log, stop };
}
