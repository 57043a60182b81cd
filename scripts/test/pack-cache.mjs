// @ts-check
// One `pnpm pack` per workspace package and content, shared by the tests that need its tarball: the
// client's pack test, the mock's packed-MSW test (its local registry) and packages.test.ts here each
// packed spec, signer, client or mock on their own, ten packs of four packages in one `pnpm test`.
// The key is every file of the package folder (what `files` ships is a part of it) and the manifests
// of the workspace packages it depends on (pnpm writes their versions into the packed manifest), so
// any change packs again; a tarball is never reused for other content.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CACHE = join(ROOT, "node_modules", ".cache", "ecs-api-test-tarballs", "workspace");
/** Never packed, and written by tests while others hash the folder. */
const SKIPPED = new Set(["node_modules", ".turbo", "test-output", "coverage"]);
/** Tarballs kept per package: the newest, and a few older ones a run still in progress may read. */
const KEEP = 3;

/**
 * @param {import("node:crypto").Hash} hash
 * @param {string} dir
 * @param {string} base
 */
function hashFolder(hash, dir, base) {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashFolder(hash, path, base);
    else if (entry.isFile()) {
      // The executable bit too: pnpm keeps it for `bin` files.
      hash.update(`${relative(base, path)}\0${statSync(path).mode & 0o111}\0`);
      hash.update(readFileSync(path));
      hash.update("\0");
    }
  }
}

/** @param {string} dir */
function contentKey(dir) {
  const hash = createHash("sha256");
  hashFolder(hash, dir, dir);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (!String(range).startsWith("workspace:")) continue;
      const installed = join(dir, "node_modules", name, "package.json");
      hash.update(`${name}\0${readFileSync(installed, "utf8")}\0`);
    }
  }
  return { key: hash.digest("hex").slice(0, 20), name: String(manifest.name) };
}

/**
 * The tarball `pnpm pack` makes of the workspace package in `dir`, packed once per content and kept in
 * node_modules/.cache. Without its prepack: turbo built the package before the tests, and prepack's
 * rebuild would empty dist/ while other packages' tests read it. Readers must not change the file.
 * @param {string} dir
 * @returns {Promise<string>}
 */
export async function packWorkspacePackage(dir) {
  const { key, name } = contentKey(dir);
  const prefix = `${name.replace(/^@/, "").replace("/", "-")}-`;
  const file = join(CACHE, `${prefix}${key}.tgz`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE, { recursive: true });
  // Renamed into place when complete: another test may be packing the same package right now.
  const temp = join(CACHE, `${prefix}${key}.${process.pid}.${Date.now()}.tmp`);
  await run("pnpm", ["pack", "--out", temp], {
    cwd: dir,
    env: { ...process.env, npm_config_ignore_scripts: "true" },
  });
  renameSync(temp, file);
  const older = readdirSync(CACHE)
    .filter(
      (f) => f.startsWith(prefix) && f.endsWith(".tgz") && /^[0-9a-f]{20}\.tgz$/.test(f.slice(prefix.length)),
    )
    .map((f) => ({ f, at: statSync(join(CACHE, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at)
    .slice(KEEP);
  for (const { f } of older) rmSync(join(CACHE, f), { force: true });
  return file;
}
