/**
 * `gpt-coinbase-sim`: starts the simulator from command-line flags, prints its URLs and a test key,
 * and runs until SIGINT or SIGTERM. `bin/gpt-coinbase-sim.mjs` calls `runCli`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Command, CommanderError } from "commander";
import type { SimSeries } from "./bars.js";
import { CoinbaseSimError } from "./errors.js";
import { parseSimFaults, type SimFaults } from "./faults.js";
import { createTestKey, type TestKey } from "./keys.js";
import { type Simulator, type SimulatorOptions, startSimulator } from "./server.js";

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  /** Normal output. */
  readonly stdout: (text: string) => void;
  /** Errors (one line each). */
  readonly stderr: (text: string) => void;
}

/** What the flags ask for. */
interface CliSettings {
  readonly options: SimulatorOptions;
  readonly keyFile: string | undefined;
  readonly printKey: boolean;
  /** The `--faults` file, when one was given. */
  readonly faultsFile: string | undefined;
}

interface RawFlags {
  readonly port?: string;
  readonly products?: string;
  readonly intx?: boolean;
  readonly data?: string[];
  readonly speed?: string;
  readonly seed?: string;
  readonly keyFile?: string;
  readonly printKey?: boolean;
  readonly faults?: string;
}

const NAME = "gpt-coinbase-sim";
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function flagError(flag: string, message: string): CoinbaseSimError {
  return new CoinbaseSimError("invalid-config", `${flag}: ${message}`, { field: flag });
}

function numberFlag(flag: string, raw: string | undefined, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw flagError(flag, integer ? "expected an integer" : "expected a number");
  }
  return value;
}

/** Reads a bar file (CSV, or gzipped CSV when the name ends in `.gz`). */
function readSeries(flag: string, path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new CoinbaseSimError("invalid-config", `${flag}: cannot read ${path}`, { field: flag }, { cause });
  }
  try {
    return (path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  } catch (cause) {
    throw new CoinbaseSimError(
      "invalid-data",
      `${flag}: ${path} is not gzip data`,
      { field: flag },
      { cause },
    );
  }
}

/**
 * Reads a fault script (JSON) and validates it with `parseSimFaults`; a refusal names the file
 * and the field path (`--faults: faults.rest[0].count: …`). Product filters are checked again by
 * `startSimulator` against the products actually listed.
 */
function readFaults(path: string): SimFaults {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new CoinbaseSimError(
      "invalid-config",
      `--faults: cannot read ${path}`,
      { field: "--faults" },
      { cause },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new CoinbaseSimError(
      "invalid-config",
      `--faults: ${path} is not JSON`,
      { field: "--faults" },
      { cause },
    );
  }
  try {
    return parseSimFaults(parsed);
  } catch (cause) {
    throw cause instanceof CoinbaseSimError ? faultsError(cause) : cause;
  }
}

/** A fault-script refusal as a `--faults` flag error (the message keeps the field path). */
function faultsError(cause: CoinbaseSimError): CoinbaseSimError {
  return new CoinbaseSimError("invalid-config", `--faults: ${cause.message}`, cause.context, { cause });
}

function settingsOf(flags: RawFlags): CliSettings {
  const data: Record<string, SimSeries | string> = {};
  for (const entry of flags.data ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0 || at === entry.length - 1) throw flagError("--data", "expected PRODUCT=FILE");
    data[entry.slice(0, at)] = readSeries("--data", entry.slice(at + 1));
  }
  const products = flags.products
    ?.split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
  const port = numberFlag("--port", flags.port, true);
  const speed = numberFlag("--speed", flags.speed, false);
  const seed = numberFlag("--seed", flags.seed, true);
  const faults = flags.faults === undefined ? undefined : readFaults(flags.faults);
  return {
    options: {
      ...(port === undefined ? {} : { port }),
      ...(products === undefined ? {} : { products }),
      ...(flags.intx === true ? { intx: true } : {}),
      ...(Object.keys(data).length === 0 ? {} : { data }),
      ...(speed === undefined ? {} : { speed }),
      ...(seed === undefined ? {} : { seed }),
      ...(faults === undefined ? {} : { faults }),
    },
    keyFile: flags.keyFile,
    faultsFile: flags.faults,
    printKey: flags.printKey === true || flags.keyFile === undefined,
  };
}

/**
 * The key to register: read from `--key-file` when it exists (so a client keeps working across
 * restarts), otherwise a fresh ES256 key, written to `--key-file` when one is named (mode 0600).
 */
function keyOf(path: string | undefined): { key: TestKey; source: "file" | "new" } {
  if (path === undefined || !existsSync(path)) {
    const key = createTestKey();
    if (path !== undefined) {
      const text = `${JSON.stringify({ name: key.name, privateKey: key.privateKey }, null, 2)}\n`;
      try {
        writeFileSync(path, text, { mode: 0o600 });
      } catch (cause) {
        throw new CoinbaseSimError(
          "invalid-config",
          `--key-file: cannot write ${path}`,
          { field: "--key-file" },
          { cause },
        );
      }
    }
    return { key, source: "new" };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new CoinbaseSimError(
      "invalid-key",
      `--key-file: ${path} is not a JSON key file`,
      { field: "--key-file" },
      { cause },
    );
  }
  const { name, privateKey } = (parsed ?? {}) as { name?: unknown; privateKey?: unknown };
  if (typeof name !== "string" || typeof privateKey !== "string") {
    throw new CoinbaseSimError("invalid-key", `--key-file: ${path} needs "name" and "privateKey"`, {
      field: "--key-file",
    });
  }
  return { key: { name, privateKey, publicKey: privateKey }, source: "file" };
}

function buildProgram(io: CliIo): Command {
  return new Command(NAME)
    .description("A local Coinbase Advanced Trade exchange on 127.0.0.1 for tests and demos.")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} })
    .option("--port <N>", "port on 127.0.0.1 (default: a free port)")
    .option(
      "--products <IDS>",
      "comma-separated product ids (default: BTC-USD,ETH-USD,BIP-20DEC30-CDE,ETP-20DEC30-CDE)",
    )
    .option("--intx", "also list the legacy INTX perpetuals and serve /intx/*")
    .option(
      "--data <PRODUCT=FILE>",
      "bars to replay: CSV or CSV.gz (time,open,high,low,close,volume); repeatable",
      collect,
    )
    .option("--speed <N>", "market seconds per wall-clock second (default 1)")
    .option("--seed <N>", "seed of the synthetic data, the book and the ids (default 1)")
    .option(
      "--key-file <PATH>",
      "keep the test key in this JSON file: read it if it exists, else write a new one",
    )
    .option("--print-key", "print the private key even with --key-file")
    .option("--faults <FILE>", "a fault script (JSON, see the README's Fault injection) to start with")
    .allowExcessArguments(false);
}

function banner(sim: Simulator, key: TestKey, settings: CliSettings, source: "file" | "new"): string {
  const lines = [
    `${NAME} is running (Ctrl-C stops it)`,
    `rest: ${sim.restUrl}`,
    `rest-api: ${sim.restUrl}/api/v3/brokerage`,
    `ws: ${sim.wsUrl}`,
    `ws-user: ${sim.wsUserUrl}`,
    `key-name: ${key.name}`,
  ];
  if (settings.options.faults !== undefined) lines.push(`faults: ${settings.faultsFile}`);
  if (settings.keyFile !== undefined) {
    lines.push(`key-file: ${settings.keyFile} (${source === "file" ? "read" : "written"})`);
  }
  if (settings.printKey) {
    lines.push(
      "private-key: (a local test key: give the name and this PEM to your client)",
      key.privateKey.trimEnd(),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Resolves with the first of `signals` the process receives. */
function nextSignal(signals: readonly NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) process.off(s, h);
        resolve(signal);
      };
      process.on(signal, handler);
      return [signal, handler] as const;
    });
  });
}

/**
 * Runs `gpt-coinbase-sim` with `argv` (the arguments after the program name): starts the
 * simulator, prints its URLs and the key, and waits for SIGINT or SIGTERM, then closes it.
 * Resolves with the exit code: 0 after a signal or `--help`, 2 for bad flags, data or key files
 * (one line on stderr), 1 when the simulator cannot start (the port is taken).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  const program = buildProgram(io);
  let settings: CliSettings;
  let key: { key: TestKey; source: "file" | "new" };
  try {
    program.parse(args, { from: "user" });
    settings = settingsOf(program.opts<RawFlags>());
    key = keyOf(settings.keyFile);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      io.stderr(`${NAME}: ${error.message.replace(/^error: /, "").split("\n")[0]} (see --help)\n`);
      return 2;
    }
    if (error instanceof CoinbaseSimError) {
      io.stderr(`${NAME}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let sim: Simulator;
  try {
    sim = await startSimulator({
      ...settings.options,
      keys: [{ name: key.key.name, publicKey: key.key.publicKey }],
    });
  } catch (error) {
    if (error instanceof CoinbaseSimError) {
      const field = error.context.field;
      const shown = typeof field === "string" && field.startsWith("faults") ? faultsError(error) : error;
      io.stderr(`${NAME}: ${shown.message}\n`);
      return error.code === "start-failed" ? 1 : 2;
    }
    throw error;
  }
  const stop = nextSignal(["SIGINT", "SIGTERM"]);
  io.stdout(banner(sim, key.key, settings, key.source));
  const signal = await stop;
  await sim.close();
  io.stdout(`${NAME}: stopped (${signal})\n`);
  return 0;
}
