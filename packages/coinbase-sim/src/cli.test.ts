import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createCoinbaseClient } from "@gpt/coinbase-client";
import { afterAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/gpt-coinbase-sim.mjs", import.meta.url));

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: readonly string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const run: Run = {
    child,
    stdout: "",
    stderr: "",
    exited: new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal }))),
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    run.stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    run.stderr += chunk.toString("utf8");
  });
  return run;
}

/** Resolves once `done(stdout)` holds; rejects if the process ends first. */
function waitFor(run: Run, done: (stdout: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (done(run.stdout)) {
        run.child.stdout?.off("data", check);
        resolve();
      }
    };
    run.child.stdout?.on("data", check);
    run.exited.then(() => reject(new Error(`exited early: ${run.stderr}`)));
    check();
  });
}

const field = (stdout: string, name: string) => new RegExp(`^${name}: (\\S+)$`, "m").exec(stdout)?.[1];
const pem = (stdout: string) => /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/.exec(stdout)?.[0];

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe("gpt-coinbase-sim (child process on loopback)", { timeout: 120_000 }, () => {
  it("prints the REST URL and a test key that works against it, and exits 0 on SIGTERM", async () => {
    const run = start(["--seed", "3"]);
    try {
      await waitFor(run, (out) => pem(out) !== undefined);
      const restUrl = field(run.stdout, "rest");
      const keyName = field(run.stdout, "key-name");
      const privateKey = pem(run.stdout);
      expect(restUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(field(run.stdout, "rest-api")).toBe(`${restUrl}/api/v3/brokerage`);
      if (restUrl === undefined || keyName === undefined || privateKey === undefined)
        throw new Error("no URL or key");
      const client = createCoinbaseClient({
        baseUrl: restUrl,
        credentials: { keyName, privateKey },
        rateLimit: false,
        retry: false,
      });
      const { accounts } = await client.listAccounts({});
      expect(accounts.find((a) => a.currency === "USD")?.available_balance.value).toBe("100000");
      const placed = await client.createOrder({
        product_id: "BTC-USD",
        side: "BUY",
        order_configuration: { market_market_ioc: { quote_size: "100" } },
      });
      expect(placed.success).toBe(true);
      await client.close();
      run.child.kill("SIGTERM");
      expect(await run.exited).toEqual({ code: 0, signal: null });
      expect(run.stdout).toContain("stopped (SIGTERM)");
      expect(run.stderr).toBe("");
    } finally {
      run.child.kill("SIGKILL");
    }
  });

  it("keeps the key in --key-file across runs and replays --data", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sim-cli-"));
    folders.push(folder);
    const keyFile = join(folder, "key.json");
    const start0 = Date.UTC(2026, 2, 1) / 1000;
    const rows = Array.from({ length: 100 }, (_, i) => {
      const p = 40_000 + i;
      return `${start0 + i * 3600},${p},${p + 5},${p - 5},${p + 1},2`;
    });
    const data = join(folder, "btc.csv.gz");
    writeFileSync(data, gzipSync(`time,open,high,low,close,volume\n${rows.join("\n")}\n`));
    const args = ["--products", "BTC-USD", "--data", `BTC-USD=${data}`, "--key-file", keyFile];
    const first = start(args);
    await waitFor(first, (out) => out.includes("key-file:"));
    expect(first.stdout).toContain("(written)");
    expect(pem(first.stdout)).toBeUndefined();
    first.child.kill("SIGINT");
    expect((await first.exited).code).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(keyFile, "utf8")) as { name: string; privateKey: string };

    const second = start([...args, "--print-key"]);
    try {
      await waitFor(second, (out) => pem(out) !== undefined);
      expect(second.stdout).toContain("(read)");
      expect(field(second.stdout, "key-name")).toBe(saved.name);
      const restUrl = field(second.stdout, "rest") ?? "";
      const client = createCoinbaseClient({
        baseUrl: restUrl,
        credentials: { keyName: saved.name, privateKey: saved.privateKey },
        rateLimit: false,
        retry: false,
      });
      const { products } = await client.listProducts({});
      expect(products.map((p) => p.product_id)).toEqual(["BTC-USD"]);
      expect(Number(products[0]?.price)).toBeGreaterThan(39_000);
      expect(Number(products[0]?.price)).toBeLessThan(40_200);
      await client.close();
      second.child.kill("SIGTERM");
      expect((await second.exited).code).toBe(0);
    } finally {
      second.child.kill("SIGKILL");
    }
  });

  it("starts with the --faults script and prints the WebSocket URLs", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sim-cli-"));
    folders.push(folder);
    const script = join(folder, "faults.json");
    writeFileSync(
      script,
      JSON.stringify({ rest: [{ kind: "server-error", status: 503, path: "/accounts", count: 1 }] }),
    );
    const run = start(["--faults", script]);
    try {
      await waitFor(run, (out) => pem(out) !== undefined);
      const restUrl = field(run.stdout, "rest") ?? "";
      expect(field(run.stdout, "ws")).toBe(`${restUrl.replace(/^http/, "ws")}/ws`);
      expect(field(run.stdout, "ws-user")).toBe(`${restUrl.replace(/^http/, "ws")}/ws/user`);
      expect(field(run.stdout, "faults")).toBe(script);
      const response = await fetch(`${restUrl}/api/v3/brokerage/market/products`);
      expect(response.status).toBe(200);
      const client = createCoinbaseClient({
        baseUrl: restUrl,
        credentials: { keyName: field(run.stdout, "key-name") ?? "", privateKey: pem(run.stdout) ?? "" },
        rateLimit: false,
        retry: false,
      });
      await expect(client.listAccounts({})).rejects.toMatchObject({ status: 503 });
      expect((await client.listAccounts({})).accounts.length).toBeGreaterThan(0);
      await client.close();
      run.child.kill("SIGTERM");
      expect((await run.exited).code).toBe(0);
    } finally {
      run.child.kill("SIGKILL");
    }
  });

  it("exits 2 naming the field for a bad --faults file", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sim-cli-"));
    folders.push(folder);
    const bad = join(folder, "bad.json");
    writeFileSync(bad, JSON.stringify({ rest: [{ kind: "rate-limit", count: -1 }] }));
    const typo = join(folder, "typo.json");
    writeFileSync(
      typo,
      JSON.stringify({ orders: [{ kind: "reject", reason: "INSUFFICIENT_FUND", product: "DOGE-USD" }] }),
    );
    const notJson = join(folder, "not.json");
    writeFileSync(notJson, "{ rest: ");
    const cases: [string, RegExp][] = [
      [bad, /^gpt-coinbase-sim: --faults: faults\.rest\[0\]\.count: /],
      [typo, /^gpt-coinbase-sim: --faults: faults\.orders\[0\]\.product: /],
      [notJson, /^gpt-coinbase-sim: --faults: .*not\.json is not JSON$/],
      [join(folder, "missing.json"), /^gpt-coinbase-sim: --faults: cannot read /],
    ];
    for (const [file, message] of cases) {
      const run = start(["--faults", file]);
      const { code } = await run.exited;
      expect(code).toBe(2);
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(run.stdout).toBe("");
    }
  });

  it("exits 2 with one line on stderr for bad flags", async () => {
    for (const args of [["--nope"], ["--port", "x"], ["--products", "DOGE-USD"], ["--data", "BTC-USD"]]) {
      const run = start(args);
      const { code } = await run.exited;
      expect(code).toBe(2);
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(/^gpt-coinbase-sim: /);
      expect(run.stdout).toBe("");
    }
  });
});
