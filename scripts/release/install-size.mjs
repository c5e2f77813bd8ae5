// The install size of a published package: bytes of node_modules after `npm install <name>` in a
// fresh folder, from the rehearsal registry (third-party dependencies proxied from npmjs).
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { npmInstall, writeProject } from "./consumers.mjs";

/** The install budget of @gpt/risk: 1.5 MB read strictly, 1,500,000 bytes (as in scripts/check-size.mjs). */
export const RISK_INSTALL_BUDGET = 1_500_000;

/**
 * Bytes of every file under a folder (apparent sizes; symbolic links counted, not followed).
 * @param {string} dir
 */
export function folderBytes(dir) {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() ?? "";
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else total += lstatSync(path).size;
    }
  }
  return total;
}

/**
 * Bytes per top-level package in node_modules (scoped packages as `@scope/name`), largest first.
 * @param {string} nodeModules
 */
function bytesPerPackage(nodeModules) {
  const out = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const path = join(nodeModules, entry.name);
    if (entry.name.startsWith("@")) {
      for (const inner of readdirSync(path, { withFileTypes: true })) {
        if (inner.isDirectory())
          out.push({ name: `${entry.name}/${inner.name}`, bytes: folderBytes(join(path, inner.name)) });
      }
    } else {
      out.push({ name: entry.name, bytes: folderBytes(path) });
    }
  }
  return out.sort((a, b) => b.bytes - a.bytes);
}

/**
 * `npm install <name>` in a fresh folder; the bytes of its node_modules.
 * @param {{ dir: string, registryUrl: string, name: string }} setup
 */
export async function measureInstallSize({ dir, registryUrl, name }) {
  writeProject(dir, registryUrl, { name: "rehearsal-install-size", private: true });
  await npmInstall(dir, registryUrl, [name]);
  const nodeModules = join(dir, "node_modules");
  return { bytes: folderBytes(nodeModules), packages: bytesPerPackage(nodeModules) };
}

/**
 * Bytes as a short human figure (KiB / MiB, as the budget is written).
 * @param {number} bytes
 */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
