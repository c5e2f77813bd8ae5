import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../main.js";

/** What the loopback server does with a candles request. */
type Mode = "ok" | "fail-500" | "not-found" | "broken-bar";

interface Loopback {
  readonly baseUrl: string;
  /** Every request's path and query. */
  readonly requests: URL[];
  mode: Mode;
  close(): Promise<void>;
}

const T0 = Date.UTC(2024, 0, 1) / 1000;

/** Minutes with no trades (Coinbase sends no candle for them). */
const isGap = (t: number): boolean => (t / 60) % 97 === 13;

/** The candle of minute `t`, as Coinbase would send it (strings, trailing zeros on volume). */
function candleAt(t: number): Record<string, string> {
  const i = (t - T0) / 60;
  const open = 42_000 + (i % 50) * 1.25;
  const close = open + ((i % 7) - 3) * 0.5;
  return {
    start: String(t),
    low: (Math.min(open, close) - 2.1).toFixed(2),
    high: (Math.max(open, close) + 3.05).toFixed(2),
    open: open.toFixed(2),
    close: close.toFixed(2),
    volume: `${(i % 13) + 1}.${String(i % 1000).padStart(3, "0")}00000`,
  };
}

/**
 * A loopback Coinbase for `GET /api/v3/brokerage/market/products/{id}/candles`: one-minute candles
 * for `[start, end]`, newest first, at most 350 per request (a wider range is a 400, as Coinbase).
 */
async function startLoopback(): Promise<Loopback> {
  const requests: URL[] = [];
  const state: { mode: Mode } = { mode: "ok" };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(url);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const match = /^\/api\/v3\/brokerage\/market\/products\/([^/]+)\/candles$/.exec(url.pathname);
    if (match === null || state.mode === "not-found" || match[1] !== "BTC-USD") {
      send(404, { error: "NOT_FOUND", message: "product not found" });
      return;
    }
    if (state.mode === "fail-500") {
      send(500, { error: "INTERNAL", message: "internal error" });
      return;
    }
    const start = Number(url.searchParams.get("start"));
    const end = Number(url.searchParams.get("end"));
    if (url.searchParams.get("granularity") !== "ONE_MINUTE" || !(end > start)) {
      send(400, { error: "INVALID_ARGUMENT", message: "bad range or granularity" });
      return;
    }
    if ((end - start) / 60 + 1 > 351) {
      send(400, {
        error: "INVALID_ARGUMENT",
        message: "number of candles requested should be less than 350",
      });
      return;
    }
    const candles: Record<string, string>[] = [];
    for (let t = Math.ceil(start / 60) * 60; t <= end; t += 60) {
      if (!isGap(t)) candles.push(candleAt(t));
    }
    candles.reverse();
    if (state.mode === "broken-bar" && candles[0] !== undefined) candles[0].low = "999999";
    send(200, { candles });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(mode: Mode) {
      state.mode = mode;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) } };
}

const servers: Loopback[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function setup(): Promise<{ server: Loopback; dir: string }> {
  const server = await startLoopback();
  servers.push(server);
  return { server, dir: mkdtempSync(join(tmpdir(), "gpt-bt-download-")) };
}

function args(server: Loopback, out: string, extra: string[] = []): string[] {
  return [
    "download",
    "--product",
    "BTC-USD",
    "--granularity",
    "ONE_MINUTE",
    "--from",
    "2024-01-01",
    "--to",
    "2024-01-02",
    "--out",
    out,
    "--base-url",
    server.baseUrl,
    "--no-progress",
    ...extra,
  ];
}

/** The rows a correct download of `[T0, T0 + 1 day)` holds, built independently of the code under test. */
function expectedRows(): string[] {
  const rows: string[] = [];
  const plain = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  for (let t = T0; t < T0 + 86_400; t += 60) {
    if (isGap(t)) continue;
    const c = candleAt(t);
    rows.push([t, c.open, c.high, c.low, c.close, c.volume].map((v) => plain(String(v))).join(","));
  }
  return rows;
}

describe("gpt-backtest download", () => {
  it("downloads a day of one-minute candles in ≤350-candle requests, in order, gaps left as gaps", async () => {
    const { server, dir } = await setup();
    const out = join(dir, "btc.csv");
    const t = io();
    const code = await main(args(server, out), t.io);
    expect(t.err.join("")).toBe("");
    expect(code).toBe(0);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("time,open,high,low,close,volume");
    const rows = lines.slice(1);
    expect(rows).toEqual(expectedRows());
    // 1,440 minutes, 15 of them without trades.
    expect(rows.length).toBe(1440 - 15);
    expect(server.requests.length).toBeGreaterThanOrEqual(5);
    for (const r of server.requests) expect(r.searchParams.get("granularity")).toBe("ONE_MINUTE");
    expect(t.out.join("")).toContain(
      "BTC-USD ONE_MINUTE: 1425 candles, 2024-01-01T00:00:00Z to 2024-01-01T23:59:00Z, 15 missing",
    );
    // No temporary file is left beside it.
    expect(readdirSync(dir)).toEqual(["btc.csv"]);
  });

  it("writes a file that `run --data` loads", async () => {
    const { server, dir } = await setup();
    const out = join(dir, "btc.csv");
    expect(await main(args(server, out), io().io)).toBe(0);
    const t = io();
    const code = await main(
      [
        "run",
        "--data",
        `BTC-USD=${out}`,
        "--param",
        "fast=5",
        "--param",
        "slow=20",
        "--out",
        join(dir, "run"),
        "--no-progress",
        "--json",
      ],
      t.io,
    );
    expect(t.err.join("")).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(t.out.join("")).bars).toBe(1425);
  });

  it("gzips when the file name ends in .gz, with the same rows", async () => {
    const { server, dir } = await setup();
    const plain = join(dir, "btc.csv");
    const gz = join(dir, "btc.csv.gz");
    expect(await main(args(server, plain), io().io)).toBe(0);
    expect(await main(args(server, gz), io().io)).toBe(0);
    const bytes = readFileSync(gz);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(bytes).toString("utf8")).toBe(readFileSync(plain, "utf8"));
  });

  it("keeps the previous file when the server keeps failing, and exits with 1", async () => {
    const { server, dir } = await setup();
    const out = join(dir, "btc.csv");
    writeFileSync(out, "previous\n");
    server.mode = "fail-500";
    const t = io();
    const code = await main(args(server, out), t.io);
    expect(code).toBe(1);
    const err = t.err.join("");
    expect(err.split("\n").filter(Boolean)).toHaveLength(1);
    expect(err).toContain("download of BTC-USD ONE_MINUTE candles failed");
    expect(readFileSync(out, "utf8")).toBe("previous\n");
    expect(readdirSync(dir)).toEqual(["btc.csv"]);
  });

  it("a candle that cannot be a bar stops the download with 1 and writes nothing", async () => {
    const { server, dir } = await setup();
    server.mode = "broken-bar";
    const out = join(dir, "btc.csv");
    const t = io();
    expect(await main(args(server, out), t.io)).toBe(1);
    expect(t.err.join("")).toContain("cannot be a bar");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("an unknown product (404) is bad input: exit 2", async () => {
    const { server, dir } = await setup();
    server.mode = "not-found";
    const t = io();
    expect(await main(args(server, join(dir, "x.csv")), t.io)).toBe(2);
    expect(t.err.join("")).toContain("failed");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a range with no candles is empty-data (exit 2) and writes nothing", async () => {
    const { server, dir } = await setup();
    const out = join(dir, "btc.csv");
    const t = io();
    // A minute without trades: a one-minute range around it holds no candle.
    let gap = T0;
    while (!isGap(gap)) gap += 60;
    const from = String(gap);
    const to = String(gap + 60);
    const code = await main(
      args(server, out).map((a, i, all) => (all[i - 1] === "--from" ? from : all[i - 1] === "--to" ? to : a)),
      t.io,
    );
    expect(code).toBe(2);
    expect(t.err.join("")).toContain("no BTC-USD candles");
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [["--granularity", "ONE_SECOND"], "--granularity"],
    [["--product", "btc usd"], "--product"],
    [["--from", "2024-01-03"], "--from"],
    [["--base-url", "ftp://example.com"], "--base-url"],
    [["--base-url", "http://user:pass@127.0.0.1:1"], "user name or password"],
  ])("bad options %j: exit 2, one line, nothing sent", async (extra, mention) => {
    const { server, dir } = await setup();
    const t = io();
    // Later occurrences of an option win in commander.
    expect(await main([...args(server, join(dir, "x.csv")), ...extra], t.io)).toBe(2);
    const err = t.err.join("");
    expect(err.split("\n").filter(Boolean)).toHaveLength(1);
    expect(err).toContain(mention);
    expect(err).not.toContain("user:pass");
    expect(server.requests).toHaveLength(0);
  });

  it("never asks for the bar in progress: a --from in it is refused before any request", async () => {
    const { server, dir } = await setup();
    const t = io();
    const now = new Date().toISOString();
    const code = await main(
      [
        "download",
        "--product",
        "BTC-USD",
        "--granularity",
        "ONE_DAY",
        "--from",
        now.slice(0, 10),
        "--to",
        "2099-01-01",
      ].concat(["--out", join(dir, "x.csv"), "--base-url", server.baseUrl, "--no-progress"]),
      t.io,
    );
    expect(code).toBe(2);
    expect(t.err.join("")).toContain("no finished ONE_DAY candle");
    expect(server.requests).toHaveLength(0);
  });

  it("a folder as --out is bad-output (exit 2) before any request", async () => {
    const { server, dir } = await setup();
    const folder = join(dir, "folder");
    mkdirSync(folder);
    const t = io();
    expect(await main(args(server, folder), t.io)).toBe(2);
    expect(t.err.join("")).toContain("is a folder");
    expect(server.requests).toHaveLength(0);
  });

  it("lists download in --help", async () => {
    const t = io();
    await main(["download", "--help"], t.io);
    const help = t.out.join("");
    for (const option of ["--product", "--granularity", "--from", "--to", "--out", "--base-url"]) {
      expect(help).toContain(option);
    }
  });
});
