import { defineConfig } from "tsup";

export default defineConfig({
  // `validation` is the internal entry that carries the one bundled copy of zod/mini the
  // packages share (zod is a devDependency: it is never installed for users).
  entry: ["src/index.ts", "src/validation.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  noExternal: ["zod"],
});
