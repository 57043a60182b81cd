// @ts-check
// What a package's manifest promises, read from package.json alone: the files its entry points name
// and the workspace packages it needs at run time. Shared by prepack.mjs, pack-all.mjs and their test.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The dependency fields a consumer's install reads (devDependencies are never installed). */
const RUNTIME_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies"];

/** @param {string} dir */
export const readManifest = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

/**
 * Every string leaf of an `exports`/`imports`/`bin` value (conditions nest).
 * @param {unknown} value
 * @returns {string[]}
 */
function targets(value) {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(targets);
  return [];
}

/**
 * The files `main`, `types`, `typings`, `bin`, `exports` and `imports` name, as paths relative to the
 * package ("dist/index.js"), sorted, without duplicates. An `imports` target that is a package name
 * rather than "./…" is not a file of this one. A subpath pattern (`*`) is refused: no package here
 * uses one, and checking it would need the tarball's listing rather than a path.
 * @param {Record<string, any>} manifest
 */
export function entryPoints(manifest) {
  const files = [manifest.main, manifest.types, manifest.typings]
    .filter((v) => typeof v === "string")
    .concat(targets(manifest.bin), targets(manifest.exports))
    .concat(targets(manifest.imports).filter((/** @type {string} */ target) => target.startsWith("./")));
  for (const file of files) {
    if (file.includes("*")) throw new Error(`${manifest.name}: subpath pattern ${file} is not supported`);
  }
  return [...new Set(files.map((file) => file.replace(/^\.\//, "")))].sort();
}

/** Runtime dependencies given as `workspace:` ranges, e.g. `["@ecs-api/spec"]`. @param {Record<string, any>} manifest */
export const workspaceRanges = (manifest) =>
  RUNTIME_FIELDS.flatMap((field) =>
    Object.entries(manifest[field] ?? {})
      .filter(([, range]) => String(range).startsWith("workspace:"))
      .map(([name]) => name),
  );

/**
 * The workspace's packages that are not `private`, in pnpm's order, with their folders.
 * @returns {{ name: string, version: string, dir: string, manifest: Record<string, any> }[]}
 */
export function publishablePackages() {
  /** @type {{ name: string, version: string, path: string, private: boolean }[]} */
  const listed = JSON.parse(
    execFileSync("pnpm", ["ls", "-r", "--depth", "-1", "--json"], { cwd: ROOT, encoding: "utf8" }),
  );
  return listed
    .filter((p) => !p.private)
    .map((p) => ({ name: p.name, version: p.version, dir: p.path, manifest: readManifest(p.path) }));
}

/**
 * `name` and the workspace packages it needs at run time, transitively (what a project must install
 * from tarballs before the packages are on the registry).
 * @param {string} name
 * @param {ReturnType<typeof publishablePackages>} packages
 */
export function withWorkspaceDependencies(name, packages) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  /** @type {string[]} */
  const found = [];
  const visit = (/** @type {string} */ n) => {
    const pkg = byName.get(n);
    if (!pkg || found.includes(n)) return;
    found.push(n);
    for (const dep of workspaceRanges(pkg.manifest)) visit(dep);
  };
  visit(name);
  // The package first, then what it needs, by name: the same line on every run.
  return [name, ...found.slice(1).sort()];
}

/** The tarball's file name `pnpm pack:all` writes: `@ecs-api/client` → `ecs-api-client.tgz`. @param {string} name */
export const tarballName = (name) => `${name.replace(/^@/, "").replace("/", "-")}.tgz`;
