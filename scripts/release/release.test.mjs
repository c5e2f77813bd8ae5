// Unit tests of the release rehearsal's helpers (the rehearsal itself is `pnpm release:check`).
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareOutput, splitImports, toJavaScript, wrapForCommonJs } from "./examples.mjs";
import { folderBytes, formatBytes } from "./install-size.mjs";
import { mapLimit, ReleaseCheckError, run, runChecked } from "./process.mjs";
import { exportEntries, manifestProblems, packumentUrl, publishNpmrc } from "./publish.mjs";
import { chooseInstallLines } from "./readme-install.mjs";
import { startRegistry, verdaccioConfig } from "./registry.mjs";
import {
  copyBuiltDist,
  copyTrackedFiles,
  incompleteDist,
  packagesWithStaleDist,
  publicPackages,
  versionPackages,
} from "./scratch.mjs";
import { installedCopies, rehearsalVersion } from "./two-versions.mjs";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const temp = mkdtempSync(join(tmpdir(), "gpt-release-test-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A published manifest as pnpm packs it, with the files of its tarball. */
const packed = {
  name: "@gpt/x",
  version: "1.0.0",
  exports: {
    ".": {
      import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
      require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
    },
    "./package.json": "./package.json",
  },
  main: "./dist/index.cjs",
  types: "./dist/index.d.cts",
  dependencies: { "@gpt/core": "^1.0.0", "decimal.js": "^10.4.0" },
};
const files = new Set(
  ["package.json", "dist/index.d.ts", "dist/index.js", "dist/index.d.cts", "dist/index.cjs"].map(
    (f) => `package/${f}`,
  ),
);

describe("manifestProblems", () => {
  it("accepts a manifest whose targets are all in the tarball", () => {
    expect(manifestProblems(packed, files)).toEqual([]);
  });

  it("finds a workspace range, the source condition and a target missing from the tarball", () => {
    const manifest = {
      ...packed,
      exports: { ".": { "@gpt/source": "./src/index.ts", ...packed.exports["."] } },
      dependencies: { "@gpt/core": "workspace:^" },
      devDependencies: { "@gpt/testkit": "workspace:*" },
    };
    const withoutCjsTypes = new Set([...files].filter((f) => f !== "package/dist/index.d.cts"));
    expect(manifestProblems(manifest, withoutCjsTypes)).toEqual([
      'dependencies["@gpt/core"] is still "workspace:^"',
      'devDependencies["@gpt/testkit"] is still "workspace:*"',
      'exports["."]["@gpt/source"] is the workspace source condition',
      'exports["."]["@gpt/source"] names ./src/index.ts, which is not in the tarball',
      'exports["."]["require"]["types"] names ./dist/index.d.cts, which is not in the tarball',
      "types names ./dist/index.d.cts, which is not in the tarball",
    ]);
  });

  it("finds a dependency a consumer installs that is an exact pin or another kind of range", () => {
    const manifest = {
      ...packed,
      dependencies: { "@gpt/core": "0.2.0", "decimal.js": "^10.4.0", zod: "~4.6.7" },
      peerDependencies: { "@gpt/quantize": ">=0.1.0", undici: "^7.30.2", jose: "^1.0.0-rc.1" },
      optionalDependencies: { ws: "*" },
      devDependencies: { "fast-check": "4.10.2" },
    };
    expect(manifestProblems(manifest, files)).toEqual([
      'dependencies["@gpt/core"] is "0.2.0", not a caret range',
      'dependencies["zod"] is "~4.6.7", not a caret range',
      'peerDependencies["@gpt/quantize"] is ">=0.1.0", not a caret range',
      'optionalDependencies["ws"] is "*", not a caret range',
    ]);
  });

  it("requires an exports map", () => {
    expect(manifestProblems({ name: "@gpt/x", version: "1.0.0" }, files)).toEqual(["no exports map"]);
  });

  it("walks nested conditions, arrays and null targets", () => {
    expect(exportEntries({ ".": [{ node: "./a.js" }, "./b.js"], "./private": null })).toEqual([
      { path: [".", "node"], target: "./a.js" },
      { path: ["."], target: "./b.js" },
      { path: ["./private"], target: null },
    ]);
  });
});

describe("registry helpers", () => {
  it("names scoped packages the way the registry expects and gives npm a placeholder token", () => {
    expect(packumentUrl("http://127.0.0.1:4873/", "@gpt/risk")).toBe("http://127.0.0.1:4873/@gpt%2frisk");
    expect(publishNpmrc("http://127.0.0.1:4873/")).toBe(
      "registry=http://127.0.0.1:4873/\n//127.0.0.1:4873/:_authToken=rehearsal-placeholder\n",
    );
  });

  it("keeps @gpt/* local (no uplink) and proxies everything else", () => {
    const config = verdaccioConfig("/tmp/x");
    const gpt = config.slice(config.indexOf("'@gpt/*':"), config.indexOf("'**':"));
    expect(gpt).toContain("publish: $anonymous");
    expect(gpt).not.toContain("proxy");
    expect(config.slice(config.indexOf("'**':"))).toContain("proxy: npmjs");
  });

  it("starts verdaccio on a free port, answers, and stops", { timeout: 120_000 }, async () => {
    const registry = await startRegistry(root, join(temp, "registry"));
    try {
      const ping = await fetch(`${registry.url}-/ping`);
      expect(ping.ok).toBe(true);
      const missing = await fetch(`${registry.url}@gpt%2fnot-published`);
      expect(missing.status).toBe(404);
    } finally {
      await registry.stop();
    }
    await expect(fetch(`${registry.url}-/ping`)).rejects.toThrow();
    await registry.stop(); // a second stop is harmless
  });
});

describe("README programs for each consumer", () => {
  const program = [
    'import { join } from "node:path";',
    "",
    "// a comment that belongs to the body",
    "const parts: string[] = ['a', 'b'];",
    "const joined = await Promise.resolve(join(...parts));",
    "console.log(joined);",
    "",
  ].join("\n");

  it("splits the imports from the body", () => {
    const { imports, body } = splitImports(root, program);
    expect(imports).toBe('import { join } from "node:path";');
    expect(body.startsWith("// a comment that belongs to the body")).toBe(true);
    expect(body).toContain("console.log(joined);");
  });

  it("wraps the body in an async main for CommonJS", () => {
    const wrapped = wrapForCommonJs(root, program);
    expect(
      wrapped.startsWith('import { join } from "node:path";\n\nasync function main(): Promise<void> {\n'),
    ).toBe(true);
    expect(wrapped.endsWith("}\n\nvoid main();\n")).toBe(true);
  });

  it("runs the same program as ESM and as CommonJS JavaScript", { timeout: 60_000 }, async () => {
    const dir = join(temp, "programs");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "p.mjs"), await toJavaScript(root, program, "esm"));
    writeFileSync(join(dir, "p.cjs"), await toJavaScript(root, program, "cjs"));
    expect(readFileSync(join(dir, "p.cjs"), "utf8")).toContain("require(");
    for (const file of ["p.mjs", "p.cjs"]) {
      const result = await run(process.execPath, [file], { cwd: dir });
      expect([result.code, result.stdout]).toEqual([0, "a/b\n"]);
    }
  });

  it("compares output exactly and reports the first difference", () => {
    expect(compareOutput("a\nb\n", "a\nb\n")).toBeNull();
    expect(compareOutput("a\r\nb\r\n", "a\nb\n")).toBeNull();
    const report = compareOutput("a\nc\n", "a\nb\n");
    expect(report).toContain("output differs at printed line 2");
    expect(report).toContain("    | b");
    expect(report).toContain("    | c");
    expect(compareOutput("a\n", "a")).not.toBeNull();
  });

  it("runs the npm lines of a README that offers npm, pnpm and yarn", () => {
    const lines = [
      { manager: "pnpm", command: "pnpm add @gpt/risk" },
      { manager: "npm", command: "npm install @gpt/risk" },
      { manager: "yarn", command: "yarn add @gpt/risk" },
    ];
    expect(chooseInstallLines(lines)).toEqual([lines[1]]);
    expect(chooseInstallLines([lines[2], lines[0]])).toEqual([lines[0]]);
    expect(chooseInstallLines([])).toEqual([]);
  });
});

describe("two copies of a package", () => {
  it("gives the second copy the next patch as a prerelease", () => {
    expect(rehearsalVersion("0.2.0")).toBe("0.2.1-rehearsal");
    expect(rehearsalVersion("1.4.9-beta.1")).toBe("1.4.10-rehearsal");
    expect(() => rehearsalVersion("latest")).toThrow(ReleaseCheckError);
  });

  it("finds every installed copy, nested ones included", () => {
    const nm = join(temp, "copies", "node_modules");
    const manifest = (dir, version) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@gpt/core", version }));
    };
    manifest(join(nm, "@gpt", "core"), "0.2.1-rehearsal");
    manifest(join(nm, "@gpt", "risk", "node_modules", "@gpt", "core"), "0.2.0");
    manifest(join(nm, "other", "node_modules", "@gpt", "core"), "0.1.0");
    expect(installedCopies(nm, "@gpt/core").map((c) => [c.path.slice(nm.length), c.version])).toEqual([
      ["/@gpt/core", "0.2.1-rehearsal"],
      ["/@gpt/risk/node_modules/@gpt/core", "0.2.0"],
      ["/other/node_modules/@gpt/core", "0.1.0"],
    ]);
  });
});

describe("install size", () => {
  it("adds up file sizes without following links", () => {
    const dir = join(temp, "sizes");
    mkdirSync(join(dir, "a", "b"), { recursive: true });
    writeFileSync(join(dir, "a", "one"), "x".repeat(1000));
    writeFileSync(join(dir, "a", "b", "two"), "y".repeat(24));
    symlinkSync(join(dir, "a"), join(dir, "link"));
    const linkBytes = join(dir, "a").length; // a symbolic link's size is its target's length
    expect(folderBytes(dir)).toBe(1024 + linkBytes);
  });

  it("prints bytes in the units of the budget", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(1.5 * 1024 * 1024)).toBe("1.50 MiB");
  });
});

describe("processes", () => {
  it("rejects a failed command with a ReleaseCheckError naming the step and the output", async () => {
    const failing = runChecked("demo step", process.execPath, ["-e", "console.log('out'); process.exit(3)"], {
      cwd: temp,
    });
    await expect(failing).rejects.toBeInstanceOf(ReleaseCheckError);
    await expect(failing).rejects.toMatchObject({
      name: "ReleaseCheckError",
      step: "demo step",
      output: "out",
    });
  });

  it("keeps the order of results while running a few at a time", async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

describe("changeset version on a scratch copy", () => {
  it("bumps the package named by a changeset and writes its CHANGELOG.md", { timeout: 120_000 }, async () => {
    const repo = join(temp, "repo");
    const write = (path, content) => {
      mkdirSync(join(repo, path, ".."), { recursive: true });
      writeFileSync(join(repo, path), content);
    };
    write("package.json", JSON.stringify({ name: "fixture", private: true }));
    write("pnpm-workspace.yaml", 'packages:\n  - "packages/*"\n');
    write("packages/a/package.json", JSON.stringify({ name: "@gpt/a", version: "0.1.0" }));
    write("packages/b/package.json", JSON.stringify({ name: "@gpt/b", version: "0.1.0" }));
    write("packages/c/package.json", JSON.stringify({ name: "@gpt/c", version: "0.0.0", private: true }));
    write("packages/b/CHANGELOG.md", "# @gpt/b\n\n## 0.1.0\n\n- first\n");
    write(".changeset/config.json", readFileSync(join(root, ".changeset", "config.json"), "utf8"));
    write(".changeset/a-feature.md", '---\n"@gpt/a": minor\n---\n\nA feature.\n');
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repo });

    expect(publicPackages(repo).map((p) => p.name)).toEqual(["@gpt/a", "@gpt/b"]);
    const { rows, problems, changesets } = await versionPackages(root, repo);
    expect(changesets).toBe(1);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { name: "@gpt/a", from: "0.1.0", to: "0.2.0", bumped: true, changelog: true },
      { name: "@gpt/b", from: "0.1.0", to: "0.1.0", bumped: false, changelog: true },
    ]);
    expect(readFileSync(join(repo, "packages/a/CHANGELOG.md"), "utf8")).toContain("## 0.2.0");
  });

  it("reports a published package left without a CHANGELOG.md", { timeout: 120_000 }, async () => {
    const repo = join(temp, "repo-no-changelog");
    mkdirSync(join(repo, "packages", "a"), { recursive: true });
    mkdirSync(join(repo, ".changeset"), { recursive: true });
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "fixture", private: true }));
    writeFileSync(join(repo, "pnpm-workspace.yaml"), 'packages:\n  - "packages/*"\n');
    writeFileSync(
      join(repo, "packages/a/package.json"),
      JSON.stringify({ name: "@gpt/a", version: "0.1.0" }),
    );
    writeFileSync(
      join(repo, ".changeset/config.json"),
      readFileSync(join(root, ".changeset", "config.json"), "utf8"),
    );
    const { problems } = await versionPackages(root, repo);
    expect(problems).toEqual(["@gpt/a: no CHANGELOG.md after changeset version"]);
  });
});

describe("the scratch copy", () => {
  it("copies tracked and untracked files but not ignored ones, then the checkout's dist/", {
    timeout: 60_000,
  }, async () => {
    const checkout = join(temp, "checkout");
    const write = (path, content = "x") => {
      mkdirSync(join(checkout, path, ".."), { recursive: true });
      writeFileSync(join(checkout, path), content);
    };
    write(".gitignore", "dist\nnode_modules\n");
    write("packages/a/package.json", JSON.stringify({ name: "@gpt/a", version: "1.0.0" }));
    write("packages/b/package.json", JSON.stringify({ name: "@gpt/b", version: "1.0.0" }));
    write("packages/c/package.json", JSON.stringify({ name: "@gpt/c", version: "1.0.0", private: true }));
    write("packages/a/dist/index.js", "export {};");
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: checkout });
    execFileSync("git", ["add", "."], { cwd: checkout });
    write("packages/a/src/new.ts", "export {};"); // untracked, not ignored: part of the change
    write("node_modules/x/index.js"); // ignored

    const scratch = join(temp, "scratch-copy");
    mkdirSync(scratch);
    expect(await copyTrackedFiles(checkout, scratch)).toBe(5);
    expect(existsSync(join(scratch, "packages/a/src/new.ts"))).toBe(true);
    expect(existsSync(join(scratch, "node_modules"))).toBe(false);
    expect(existsSync(join(scratch, "packages/a/dist"))).toBe(false);

    expect(copyBuiltDist(checkout, scratch)).toEqual(["@gpt/b"]);
    expect(readFileSync(join(scratch, "packages/a/dist/index.js"), "utf8")).toBe("export {};");
  });

  it("finds files a manifest names that a half-written dist/ lacks", () => {
    const dir = join(temp, "incomplete");
    mkdirSync(join(dir, "dist"), { recursive: true });
    writeFileSync(join(dir, "dist", "index.js"), "");
    writeFileSync(join(dir, "dist", "index.cjs"), "");
    writeFileSync(join(dir, "package.json"), "{}");
    const manifest = { ...packed, publishConfig: { exports: packed.exports } };
    expect(incompleteDist([{ name: "@gpt/x", dir, manifest }])).toEqual([
      { name: "@gpt/x", missing: ["./dist/index.d.ts", "./dist/index.d.cts"] },
    ]);
    writeFileSync(join(dir, "dist", "index.d.ts"), "");
    writeFileSync(join(dir, "dist", "index.d.cts"), "");
    expect(incompleteDist([{ name: "@gpt/x", dir, manifest }])).toEqual([]);
  });

  it("calls a dist/ stale when a source changed after it was built", () => {
    const dir = join(temp, "stale");
    mkdirSync(join(dir, "src"), { recursive: true });
    mkdirSync(join(dir, "dist"), { recursive: true });
    writeFileSync(join(dir, "package.json"), "{}");
    writeFileSync(join(dir, "src", "index.ts"), "");
    writeFileSync(join(dir, "dist", "index.js"), "");
    const at = (file, seconds) => utimesSync(join(dir, file), seconds, seconds);
    at("package.json", 1_000);
    at("src/index.ts", 1_000);
    at("dist/index.js", 2_000);
    expect(packagesWithStaleDist([{ name: "@gpt/s", dir }])).toEqual([]);
    at("src/index.ts", 3_000);
    expect(packagesWithStaleDist([{ name: "@gpt/s", dir }])).toEqual(["@gpt/s"]);
  });
});
