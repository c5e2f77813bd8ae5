// Two copies of @gpt/core in one install: a second core version is published (a prerelease, which
// the `^` ranges of the other packages do not match), a project depends on it exactly while
// @gpt/risk keeps its own nested copy, and code passes an Instrument / InstrumentId made with one
// copy into functions typed with the other. That must type-check (the brand is a string-keyed
// phantom property, not a `unique symbol` that differs per copy) and run.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { node16Config, npmInstall, typeCheck, writeProject } from "./consumers.mjs";
import { compareOutput } from "./examples.mjs";
import { ReleaseCheckError, run } from "./process.mjs";
import { publishPackage } from "./publish.mjs";

/**
 * The version the second copy gets: the next patch as a prerelease (`0.2.0` → `0.2.1-rehearsal`).
 * @param {string} version
 */
export function rehearsalVersion(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (match === null) throw new ReleaseCheckError(`not a semver version: ${version}`, { step: "two cores" });
  return `${match[1]}.${match[2]}.${Number(match[3]) + 1}-rehearsal`;
}

/** The program: one copy's values into the other copy's functions, both ways. */
const PROGRAM = `// This project imports the newer @gpt/core; @gpt/risk is typed with its own, older copy.
import { clientOrderId, createPerpetualInstrument, type InstrumentId, limitOrder } from "@gpt/core";
import { type OrderIntent, riskConfigFromEnv, runPreTradeChecks } from "@gpt/risk";

const perp = createPerpetualInstrument({
  symbol: "BTC-PERP-INTX",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USDC",
  priceIncrement: "0.1",
  sizeIncrement: "0.0001",
  minSize: "0.0001",
  maxSize: "1000",
  minNotional: "10",
  makerFee: "0",
  takerFee: "0.0003",
  contractSize: "1",
  initialMarginFraction: "0.05",
  maintenanceMarginFraction: "0.025",
  maxLeverage: "20",
  fundingIntervalMs: 3_600_000,
});
const result = riskConfigFromEnv({ RISK_MAX_LEVERAGE: "3" });
if (!result.ok) throw new Error("bad risk config");
const now = Date.UTC(2026, 2, 2, 9, 0);
const id: InstrumentId = perp.id;
const order: OrderIntent = { instrumentId: id, side: "buy", quantity: "0.25", price: "60100" };
// newer core's Instrument and InstrumentId into risk (older core's types):
const decision = runPreTradeChecks(
  { order, instrument: perp, market: { markPrice: "60000", tsMark: now - 2_000 }, now },
  { equity: "50000", positions: [{ instrumentId: perp.id, quantity: "0.2", markPrice: "60000" }], openOrderCount: 1 },
  result.config,
);
// and back: an id typed by risk's copy into a function of this project's copy.
const back = limitOrder({
  clientOrderId: clientOrderId("two-1"),
  instrumentId: order.instrumentId,
  side: "sell",
  quantity: "0.25",
  price: "60100",
});
// @ts-expect-error a plain string is no InstrumentId: the brand still works across the copies
const notAnId: InstrumentId = "BTC-PERP-INTX.COINBASE";
console.log(decision.kind, back.instrumentId === perp.id, typeof notAnId);
`;

const EXPECTED = "approved true string\n";

/**
 * The versions of every copy of a package under a node_modules tree, by folder.
 * @param {string} nodeModules
 * @param {string} name
 * @returns {{ path: string, version: string }[]}
 */
export function installedCopies(nodeModules, name) {
  const out = [];
  const stack = [nodeModules];
  while (stack.length > 0) {
    const current = stack.pop() ?? "";
    const manifest = join(current, name, "package.json");
    if (existsSync(manifest))
      out.push({ path: join(current, name), version: JSON.parse(readFileSync(manifest, "utf8")).version });
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const inside = entry.name.startsWith("@")
        ? readdirSync(join(current, entry.name)).map((n) => join(current, entry.name, n))
        : [join(current, entry.name)];
      for (const pkgDir of inside)
        if (existsSync(join(pkgDir, "node_modules"))) stack.push(join(pkgDir, "node_modules"));
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Publishes the second core version from the scratch copy, installs the two-copy project and
 * checks it. Returns one result per check.
 * @param {{ root: string, scratch: string, dir: string, registryUrl: string, coreVersion: string, riskVersion: string }} setup
 * @returns {Promise<{ name: string, ok: boolean, detail: string }[]>}
 */
export async function checkTwoCoreCopies({ root, scratch, dir, registryUrl, coreVersion, riskVersion }) {
  const second = rehearsalVersion(coreVersion);
  const coreManifest = join(scratch, "packages", "core", "package.json");
  const manifest = JSON.parse(readFileSync(coreManifest, "utf8"));
  writeFileSync(coreManifest, `${JSON.stringify({ ...manifest, version: second }, null, 2)}\n`);
  await publishPackage(join(scratch, "packages", "core"), registryUrl, { tag: "rehearsal" });

  writeProject(
    dir,
    registryUrl,
    {
      name: "rehearsal-two-cores",
      private: true,
      type: "module",
      dependencies: { "@gpt/core": second, "@gpt/risk": riskVersion },
    },
    { "src/two-copies.ts": PROGRAM, "tsconfig.json": `${JSON.stringify(node16Config(true), null, 2)}\n` },
  );
  await npmInstall(dir, registryUrl);

  const results = [];
  const copies = installedCopies(join(dir, "node_modules"), "@gpt/core");
  const fromProject = versionSeenFrom(join(dir, "package.json"));
  const fromRisk = versionSeenFrom(join(dir, "node_modules", "@gpt", "risk", "package.json"));
  const two = fromProject === second && fromRisk === coreVersion;
  results.push({
    name: "two cores: two copies installed",
    ok: two,
    detail: `${copies.map((c) => `${c.path.slice(dir.length + 1)}@${c.version}`).join(", ")}; the project resolves @gpt/core@${fromProject}, @gpt/risk resolves @gpt/core@${fromRisk}`,
  });
  if (!two) return results;
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const checked = await typeCheck(
    "two cores: one copy's Instrument into the other's functions (tsc strict)",
    tsc,
    dir,
    "tsconfig.json",
  );
  results.push(checked);
  if (!checked.ok) return results;
  const ran = await run(process.execPath, ["out/two-copies.js"], { cwd: dir, timeoutMs: 120_000 });
  const difference =
    ran.code === 0 ? compareOutput(ran.stdout, EXPECTED) : `exited with ${ran.code}\n${ran.stderr}`;
  results.push({
    name: "two cores: runs",
    ok: difference === null,
    detail: difference ?? `printed ${EXPECTED.trim()}`,
  });
  return results;
}

/**
 * The @gpt/core version Node resolves from a given package.json's folder.
 * @param {string} fromManifest
 */
function versionSeenFrom(fromManifest) {
  try {
    const resolved = createRequire(fromManifest).resolve("@gpt/core/package.json");
    return JSON.parse(readFileSync(resolved, "utf8")).version;
  } catch {
    return "(not resolvable)";
  }
}
