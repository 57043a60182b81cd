// The publishable packages as they would reach the registry: each is packed by pnpm (what `pnpm
// release` uploads and `pnpm pack:all` writes), then the tarball is read back, handed to npm's dry-run
// publish and to arethetypeswrong. turbo built the packages before this test (test:packaging → ^build); packing
// here skips prepack, so no build runs under the other packages' tests.
import { execFile, spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  entryPoints,
  publishablePackages,
  ROOT,
  readManifest,
  tarballName,
  withWorkspaceDependencies,
  workspaceRanges,
} from "../packaging/manifest.mjs";
import { packWorkspacePackage } from "./pack-cache.mjs";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const attw = join(here, "..", "node_modules", ".bin", "attw");
const prepack = join(ROOT, "scripts", "packaging", "prepack.mjs");
// npm must never reach a registry: offline, and a loopback port nothing listens on.
const OFFLINE = ["--offline", "--registry=http://127.0.0.1:9/"];
// Skips prepack: the packages are built already, and a build here would race the other packages' tests.
const noScripts = { ...process.env, npm_config_ignore_scripts: "true" };

const packages = publishablePackages();

/** Files that have no place in a published package, unless an entry point names them. */
const UNWANTED: [string, RegExp][] = [
  ["tests", /(^|\/)(test|tests|__tests__)\/|\.(test|spec|test-d)\.[cm]?[jt]sx?$/],
  ["TypeScript sources", /(?<!\.d)\.[cm]?tsx?$/],
  ["sources-only folders", /^(src|scripts|bench|samples)\//],
  ["fixtures", /(^|\/)fixtures\//],
  [
    "configs",
    /(^|\/)(tsconfig[^/]*\.json|vitest\.config\.[^/]+|turbo\.json|biome\.json|\.gitignore|\.npmrc)$/,
  ],
  ["test output and caches", /(^|\/)(test-output|\.turbo|coverage|node_modules)\//],
  ["source maps and tarballs", /\.(map|tgz)$/],
];

interface PackedManifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  publishConfig?: unknown;
}

interface Packed {
  tarball: string;
  /** Paths inside the tarball without the `package/` prefix, sorted. */
  files: string[];
  manifest: PackedManifest;
}

let dir: string;
const packed = new Map<string, Packed>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ecs-packages-"));
  await Promise.all(
    packages.map(async (pkg) => {
      // pnpm's tarball, shared with the other tests that pack this content (pack-cache.mjs).
      const tarball = await packWorkspacePackage(pkg.dir);
      const listing = (await run("tar", ["tzf", tarball])).stdout.trim().split("\n");
      const manifest = JSON.parse((await run("tar", ["xzfO", tarball, "package/package.json"])).stdout);
      packed.set(pkg.name, {
        tarball,
        files: listing.map((f) => f.replace(/^package\//, "")).sort(),
        manifest,
      });
    }),
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (name: string): Packed => {
  const p = packed.get(name);
  if (!p) throw new Error(`${name} was not packed`);
  return p;
};

describe("the workspace", () => {
  it("Given pnpm's package list, when the private flag is read, then spec, signer, client and mock are published and docs, contract-tests and scripts are not", () => {
    expect(packages.map((p) => p.name).sort()).toEqual([
      "@ecs-api/client",
      "@ecs-api/mock",
      "@ecs-api/signer",
      "@ecs-api/spec",
    ]);
    for (const name of ["docs", "contract-tests"]) {
      expect(readManifest(join(ROOT, "packages", name)).private, name).toBe(true);
    }
    expect(readManifest(join(ROOT, "scripts")).private).toBe(true);
  });

  it("Given the versions, when compared, then the four published packages share one (changesets' fixed group)", () => {
    const config = JSON.parse(readFileSync(join(ROOT, ".changeset", "config.json"), "utf8"));
    expect([...config.fixed[0]].sort()).toEqual(packages.map((p) => p.name).sort());
    expect(new Set(packages.map((p) => p.version)).size).toBe(1);
    // Private packages are never versioned or tagged.
    expect(config.privatePackages).toEqual({ version: false, tag: false });
  });
});

describe.each(packages.map((p) => [p.name, p] as const))("%s, packed by pnpm", (name, pkg) => {
  it("Given the tarball, when listed, then every file main, types, bin, exports and imports name is in it", () => {
    const wanted = entryPoints(pkg.manifest);
    expect(wanted.length).toBeGreaterThan(0);
    const { files } = get(name);
    expect(wanted.filter((file) => !files.includes(file))).toEqual([]);
  });

  it("Given the tarball, when listed, then it holds no tests, sources, fixtures, configs, test output, caches or maps", () => {
    const { files } = get(name);
    const named = new Set(entryPoints(pkg.manifest));
    const unwanted = files.flatMap((file) =>
      named.has(file)
        ? []
        : UNWANTED.filter(([, pattern]) => pattern.test(file)).map(([what]) => `${what}: ${file}`),
    );
    expect(unwanted).toEqual([]);
  });

  it("Given the tarball, when listed, then README.md, LICENSE (the repository's) and a CHANGELOG.md that starts at this version are in it", async () => {
    const { files, tarball } = get(name);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "CHANGELOG.md"]));
    const license = (await run("tar", ["xzfO", tarball, "package/LICENSE"])).stdout;
    expect(license).toBe(readFileSync(join(ROOT, "LICENSE"), "utf8"));
    expect(pkg.manifest.license).toBe("Apache-2.0");
    const changelog = (await run("tar", ["xzfO", tarball, "package/CHANGELOG.md"])).stdout;
    expect(changelog.match(/^## (\S+)$/m)?.[1]).toBe(pkg.version);
  });

  it("Given the packed package.json, when read, then no workspace: range is left and each workspace dependency is pinned to its version", () => {
    const { manifest } = get(name);
    expect(JSON.stringify(manifest)).not.toContain("workspace:");
    for (const dep of workspaceRanges(pkg.manifest)) {
      const version = packages.find((p) => p.name === dep)?.version;
      expect(version, dep).toBeDefined();
      expect(manifest.dependencies?.[dep] ?? manifest.peerDependencies?.[dep], dep).toBe(version);
    }
    expect(manifest.publishConfig).toEqual({ access: "public" });
  });

  it("Given the tarball, when npm publishes it as a dry run (offline), then npm lists the same files and publishes with public access", async () => {
    const { files, tarball } = get(name);
    const { stdout, stderr } = await run("npm", ["publish", tarball, "--dry-run", "--json", ...OFFLINE], {
      cwd: dir,
    });
    const report = JSON.parse(stdout)[name];
    expect(report.id).toBe(`${name}@${pkg.version}`);
    expect(report.files.map((f: { path: string }) => f.path).sort()).toEqual(files);
    expect(stderr).toMatch(/with tag latest and public access \(dry-run\)/);
  });

  it("Given the package folder, when npm packs it as a dry run, then npm would take the same files as pnpm", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", ...OFFLINE], {
      cwd: pkg.dir,
      env: noScripts,
    });
    const [report] = JSON.parse(stdout);
    expect(report.files.map((f: { path: string }) => f.path).sort()).toEqual(get(name).files);
  });

  it("Given the tarball, when arethetypeswrong checks every code entry point (ESM-only profile, offline), then it exits 0 with no problem for ESM or bundler consumers", async () => {
    // Exports of data files that no import statement loads (the spec's openapi.yaml) are resolved by
    // path (`import.meta.resolve`), not by TypeScript: attw would report them as unresolvable.
    const subpaths = Object.entries<unknown>(pkg.manifest.exports);
    const assets = subpaths.filter(
      ([, target]) => typeof target === "string" && !/\.(js|json)$/.test(target),
    );
    const report = join(dir, `${tarballName(name)}.attw.json`);
    // Into a file: attw exits before a pipe has taken more than 64 KiB of its JSON.
    const out = openSync(report, "w");
    const exit = await new Promise<number | null>((done) => {
      const args = [get(name).tarball, "--profile", "esm-only", "--no-definitely-typed", "--format", "json"];
      if (assets.length > 0) args.push("--exclude-entrypoints", ...assets.map(([key]) => key));
      spawn(attw, args, { stdio: ["ignore", out, "inherit"] }).on("close", done);
    });
    closeSync(out);
    const { analysis } = JSON.parse(readFileSync(report, "utf8"));
    // ESM only by design: require() from CommonJS (node16-cjs) and node10's missing `exports` support
    // are the notices the profile ignores; attw exits non-zero on anything else.
    const problems: { resolutionKind?: string }[] = analysis.problems;
    expect(
      problems.filter((p) => p.resolutionKind !== "node16-cjs" && p.resolutionKind !== "node10"),
    ).toEqual([]);
    expect(exit).toBe(0);
    expect(Object.keys(analysis.entrypoints).sort()).toEqual(
      subpaths
        .filter((entry) => !assets.includes(entry))
        .map(([key]) => key)
        .sort(),
    );
  });

  it("Given the package's scripts, when prepack is read, then it runs the shared prepack script", () => {
    const [command, script, ...rest] = String(pkg.manifest.scripts?.prepack).split(" ");
    expect([command, rest]).toEqual(["node", []]);
    expect(resolve(pkg.dir, script ?? "")).toBe(prepack);
  });

  it("Given the package's README, when its tarball install line is read, then it names exactly the tarballs the package needs", () => {
    const readme = readFileSync(join(pkg.dir, "README.md"), "utf8");
    const line = readme.split("\n").find((l) => /^npm install \S*packs\//.test(l));
    expect(line, "a line `npm install …/packs/….tgz`").toBeDefined();
    const named = [...(line ?? "").matchAll(/packs\/(\S+\.tgz)/g)].map((m) => m[1]);
    expect(named.sort()).toEqual(withWorkspaceDependencies(name, packages).map(tarballName).sort());
    expect(readme).toMatch(/^npm install @ecs-api\/\S+/m);
  });
});

describe("prepack", () => {
  let fake: string;
  beforeAll(() => {
    fake = join(dir, "fake-package");
    mkdirSync(fake);
    writeFileSync(
      join(fake, "package.json"),
      JSON.stringify({
        name: "@ecs-api/fake",
        version: "0.0.0",
        dependencies: { "@ecs-api/spec": "workspace:*" },
      }),
    );
  });

  it("Given a package with a workspace: dependency, when npm runs its prepack, then it exits 1 before building and says to pack with pnpm", async () => {
    const outcome = await run(process.execPath, [prepack], {
      cwd: fake,
      env: { ...process.env, npm_config_user_agent: "npm/11.19.1 node/v20.20.2 linux x64 workspaces/false" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(
      'prepack @ecs-api/fake: npm/11.19.1 would ship "workspace:" ranges (@ecs-api/spec) that no registry resolves; pack with `pnpm pack` or `pnpm pack:all`, publish with `pnpm release`\n',
    );
  });

  it("Given the manifests, when their entry points are listed, then bin, every export condition and the ./ imports are files to check", () => {
    const mock = packages.find((p) => p.name === "@ecs-api/mock");
    expect(entryPoints(mock?.manifest ?? {})).toEqual([
      "bin/ecs-mock.js",
      "dist/adapters/connection-cap.d.ts",
      "dist/adapters/connection-cap.js",
      "dist/adapters/stop-on-signals.d.ts",
      "dist/adapters/stop-on-signals.js",
      "dist/index.d.ts",
      "dist/index.js",
      "dist/msw.d.ts",
      "dist/msw.js",
      "generated/engine-data.js",
      "package.json",
      "src/engine-data.d.ts",
    ]);
    expect(entryPoints({ main: "lib/a.js", imports: { "#x": "some-package" }, bin: "cli.js" })).toEqual([
      "cli.js",
      "lib/a.js",
    ]);
    expect(() => entryPoints({ name: "p", exports: { "./*": "./dist/*.js" } })).toThrow(/subpath pattern/);
  });

  it("Given pack:all's install lines, when the client's is built, then it lists the client, the signer and the spec", () => {
    expect(withWorkspaceDependencies("@ecs-api/client", packages).sort()).toEqual([
      "@ecs-api/client",
      "@ecs-api/signer",
      "@ecs-api/spec",
    ]);
    expect(tarballName("@ecs-api/client")).toBe("ecs-api-client.tgz");
  });
});
