/**
 * The WebSocket entry in a browser: `src/ws/index.ts` bundled by esbuild for the browser (the
 * `isomorphic-ws` browser build, so the page's own WebSocket), served with a page from a loopback
 * HTTP server, opened in headless Chromium, streaming tickers and a level-2 book from the loopback
 * WebSocket server. Asserts the tickers arrive in order, the book matches the server's, no JWT is
 * sent, and nothing node-only is in the bundle.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWsServer, type WsServer } from "../testing/ws-server.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ENTRY = join(dirname(fileURLToPath(import.meta.url)), "index.ts");

interface Bundle {
  readonly code: string;
  readonly inputs: readonly string[];
}

async function bundleForBrowser(): Promise<Bundle> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error("esbuild wrote no output");
  return { code: file.text, inputs: Object.keys(result.metafile.inputs) };
}

const PAGE = (wsUrl: string): string => `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>ws</title></head><body>
<script type="module">
  import { createCoinbaseStream } from "/ws.js";
  window.tickers = [];
  window.errors = [];
  window.bookTop = null;
  const stream = createCoinbaseStream({ url: ${JSON.stringify(wsUrl)}, staleAfterMs: 0 });
  stream.on("message", ({ message }) => {
    if (message.channel !== "ticker") return;
    for (const event of message.events) for (const t of event.tickers) window.tickers.push(t.product_id + " " + t.price);
  });
  stream.on("book", ({ book }) => {
    window.bookTop = JSON.stringify(book.depth(10));
  });
  stream.on("error", ({ error }) => window.errors.push(error.code + ": " + error.message));
  stream.subscribe("ticker", ["BTC-USD"]);
  stream.subscribe("level2", ["BTC-USD"]);
  document.body.dataset.ready = "1";
</script></body></html>`;

let server: WsServer;
let http: Server;
let pageUrl: string;
let bundle: Bundle;

beforeAll(async () => {
  bundle = await bundleForBrowser();
  server = await startWsServer({ heartbeatIntervalMs: 50 });
  server.setBook("BTC-USD", [
    { side: "bid", price_level: "64999.5", new_quantity: "0.75" },
    { side: "offer", price_level: "65000.25", new_quantity: "1.5" },
  ]);
  const page = PAGE(server.url);
  http = createServer((req, res) => {
    if (req.url === "/ws.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      res.end(bundle.code);
    } else if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  pageUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
});

describe("@gpt/coinbase-client/ws in headless Chromium", () => {
  it("bundles for the browser with nothing node-only", () => {
    const nodeOnly = bundle.inputs.filter(
      (i) => i.startsWith("node:") || /node_modules\/(ws|undici|jose)\//.test(i) || i.includes("/src/auth/"),
    );
    expect(nodeOnly).toEqual([]);
    expect(bundle.inputs.some((i) => i.includes("isomorphic-ws/browser.js"))).toBe(true);
    expect(bundle.code).not.toMatch(
      /require\(["'](node:)?(crypto|net|tls|http|https|zlib|stream|events)["']\)/,
    );
    expect(bundle.code).not.toMatch(/from ?["']node:/);
  });

  it("streams tickers and a level-2 book from the loopback server", async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console: ${m.text()}`);
      });
      await page.goto(pageUrl);
      await page.waitForSelector("body[data-ready]", { state: "attached", timeout: 60_000 });
      await server.waitFor(
        () =>
          server.subscribers("ticker", "BTC-USD").length === 1 &&
          server.subscribers("level2", "BTC-USD").length === 1,
        60_000,
      );
      for (const price of ["65000.01", "65000.02", "65000.03"]) server.ticker("BTC-USD", { price });
      server.l2Update("BTC-USD", [{ side: "bid", price_level: "64999.75", new_quantity: "2" }]);
      await page.waitForFunction(
        () => (globalThis as unknown as { tickers: string[] }).tickers.length >= 3,
        undefined,
        {
          timeout: 60_000,
        },
      );
      const tickers = await page.evaluate(() => (globalThis as unknown as { tickers: string[] }).tickers);
      expect(tickers).toEqual(["BTC-USD 65000.01", "BTC-USD 65000.02", "BTC-USD 65000.03"]);
      await page.waitForFunction(
        () => (globalThis as unknown as { bookTop: string | null }).bookTop?.includes("64999.75") === true,
        undefined,
        { timeout: 60_000 },
      );
      const top = JSON.parse(
        await page.evaluate(() => (globalThis as unknown as { bookTop: string }).bookTop),
      ) as unknown;
      expect(top).toEqual({
        bids: [
          { price: "64999.75", size: "2" },
          { price: "64999.5", size: "0.75" },
        ],
        asks: [{ price: "65000.25", size: "1.5" }],
      });
      expect(await page.evaluate(() => (globalThis as unknown as { errors: string[] }).errors)).toEqual([]);
      // A browser never holds keys: no subscribe carried a JWT; heartbeats were subscribed too.
      const received = server.connections.flatMap((c) => c.received);
      expect(received.every((m) => m.jwt === undefined)).toBe(true);
      expect(received.map((m) => m.channel)).toContain("heartbeats");
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
