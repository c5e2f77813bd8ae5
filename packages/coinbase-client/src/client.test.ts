import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoinbaseClient, createCoinbaseContext } from "./client.js";
import type { CoinbaseClientConfig } from "./config.js";
import { isCoinbaseClientError } from "./errors.js";
import {
  ecTestKey,
  edTestKey,
  hang,
  json,
  type ScriptServer,
  startScriptServer,
  testTimers,
  text,
  truncated,
} from "./internal/test-support.js";

let server: ScriptServer;
beforeAll(async () => {
  server = await startScriptServer();
});
afterAll(() => server.close());

const KEY_NAME = "organizations/5f1e2d3c-org/apiKeys/9a8b7c6d-key";

describe("createCoinbaseClient", () => {
  it("is a context: the client object has request, newId and close", async () => {
    server.script(json(200, { iso: "2026-01-01T00:00:00Z" }));
    const client = createCoinbaseClient({ baseUrl: server.url, rateLimit: false, newId: () => "id-1" });
    try {
      expect(client.newId()).toBe("id-1");
      expect(
        await client.request({ operation: "getServerTime", method: "GET", path: "/time", auth: "public" }),
      ).toEqual({
        iso: "2026-01-01T00:00:00Z",
      });
    } finally {
      await client.close();
    }
  });

  it("makes random UUIDs by default", () => {
    const context = createCoinbaseContext();
    expect(context.newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(context.newId()).not.toBe(context.newId());
    return context.close();
  });
});

describe("secrets", () => {
  const ec = ecTestKey();
  const ed = edTestKey();
  const pemBody = ec.pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  const keys: Array<[string, string, string[]]> = [
    ["EC PEM", ec.pem, [pemBody, pemBody.slice(20, 60), ...ec.pem.split("\n").filter((l) => l.length > 40)]],
    ["EC PEM with literal \\n", ec.pem.replace(/\n/g, "\\n"), [pemBody.slice(20, 60)]],
    [
      "Ed25519 secret",
      ed.secret,
      [ed.secret, ed.secret.slice(0, 24), Buffer.from(ed.secret, "base64").toString("hex").slice(0, 32)],
    ],
  ];

  for (const [label, privateKey, material] of keys) {
    it(`never shows the ${label}, the key name or a JWT in the client, its errors or its logs`, async () => {
      const logs: string[] = [];
      const logger = {
        debug: (message: string, fields?: object) => logs.push(`${message} ${JSON.stringify(fields)}`),
        warn: (message: string, fields?: object) => logs.push(`${message} ${JSON.stringify(fields)}`),
      };
      const timers = testTimers(Date.now());
      const config: CoinbaseClientConfig = {
        baseUrl: server.url,
        credentials: { keyName: KEY_NAME, privateKey },
        logger,
        timers,
        timeoutMs: 60_000,
        rateLimit: false,
        retry: { maxAttempts: 2 },
      };
      const client = createCoinbaseClient(config);
      const errors: unknown[] = [];
      const spec = { operation: "listAccounts", method: "GET", path: "/accounts", auth: "private" } as const;
      const scripts = [
        [text(401, "Unauthorized"), text(401, "Unauthorized")],
        [json(400, { error: "INVALID_ARGUMENT", message: "bad", error_details: "bad" })],
        [text(502, "<html><body>bad gateway</body></html>", "text/html")],
        [truncated],
        [json(200, "not an object")],
      ];
      server.seen.length = 0;
      for (const script of scripts) {
        server.script(...script);
        await client
          .request({ ...spec, query: { cursor: "c" } })
          .catch((error: unknown) => errors.push(error));
      }
      server.script(hang);
      const pending = client.request(spec).catch((error: unknown) => errors.push(error));
      await server.received(server.seen.length + 1);
      timers.fireHeld();
      await server.received(server.seen.length + 1);
      timers.fireHeld();
      await pending;
      await client.close();
      const controller = new AbortController();
      controller.abort();
      await client.request(spec, { signal: controller.signal }).catch((error: unknown) => errors.push(error));
      try {
        createCoinbaseClient({
          ...config,
          credentials: { keyName: KEY_NAME, privateKey: privateKey.slice(0, -12) },
        });
      } catch (error) {
        errors.push(error);
      }

      const tokens = server.seen.map((r) => String(r.headers.authorization ?? "").replace(/^Bearer /, ""));
      expect(tokens.length).toBeGreaterThan(5);
      expect(tokens.every((t) => t.split(".").length === 3)).toBe(true);
      expect(errors.length).toBeGreaterThanOrEqual(6);
      expect(errors.every(isCoinbaseClientError)).toBe(true);

      const deep = { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true } as const;
      const surfaces = [
        JSON.stringify(client),
        inspect(client, deep),
        String(client),
        ...logs,
        ...errors.flatMap((error) => [
          String(error),
          (error as Error).stack ?? "",
          JSON.stringify(error),
          inspect(error, deep),
          inspect((error as Error).cause, deep),
        ]),
      ];
      const secrets = [
        ...material,
        ...tokens,
        ...tokens.map((t) => t.split(".")[2] ?? ""),
        KEY_NAME,
        "apiKeys/",
      ];
      for (const surface of surfaces) {
        for (const secret of secrets) {
          expect(secret.length).toBeGreaterThan(7);
          if (surface.includes(secret)) throw new Error(`secret leaked into: ${surface.slice(0, 200)}`);
        }
      }
    });
  }
});
