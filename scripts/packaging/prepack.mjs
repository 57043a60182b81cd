// @ts-check
// The `prepack` script of every publishable package: `pnpm pack`, `pnpm publish`, `npm pack` and
// `npm publish` run it in the package's folder before they list its files. In a fresh clone nothing
// is built, so without it a tarball holds only package.json, README and LICENSE.
//   1. npm copies `workspace:*` ranges into the tarball as they are, and no registry can resolve
//      them; pnpm replaces them with the versions. A package that has one is refused under npm.
//   2. turbo builds the package and the workspace packages it depends on (a cache hit when built).
//   3. Every file `main`, `types`, `bin`, `exports` and `imports` name must exist, or it exits 1.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { entryPoints, ROOT, readManifest, workspaceRanges } from "./manifest.mjs";

const dir = process.cwd();
const manifest = readManifest(dir);
/** @param {string} message */
const fail = (message) => {
  process.stderr.write(`prepack ${manifest.name}: ${message}\n`);
  process.exit(1);
};

const agent = process.env.npm_config_user_agent ?? "";
const ranges = workspaceRanges(manifest);
if (!agent.startsWith("pnpm/") && ranges.length > 0) {
  fail(
    `${agent.split(" ")[0] || "this tool"} would ship "workspace:" ranges (${ranges.join(", ")}) that no registry resolves; ` +
      "pack with `pnpm pack` or `pnpm pack:all`, publish with `pnpm release`",
  );
}

const turbo = createRequire(import.meta.url).resolve("turbo/bin/turbo");
// turbo's own lines go to stderr, so `pnpm pack --json` and `npm pack --json` print only their JSON.
const built = spawnSync(
  process.execPath,
  [turbo, "run", "build", `--filter=${manifest.name}`, "--output-logs=errors-only"],
  { cwd: ROOT, stdio: ["ignore", 2, 2], env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } },
);
if (built.status !== 0) fail(`the build failed (turbo exit ${built.status ?? built.signal})`);

const missing = entryPoints(manifest).filter((file) => !existsSync(join(dir, file)));
if (missing.length > 0) fail(`entry points missing after the build: ${missing.join(", ")}`);
