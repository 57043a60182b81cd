// A package registry on loopback that serves the workspace's own packages (packed with pnpm, as
// they would be published) and the copies pnpm installed of everything they need, so a fresh
// project runs `npm install @ecs-api/mock msw vite` exactly as a user would, and nothing reaches
// the network. Why not the client pack test's tarball list: the mock's tree (Prism) holds several
// versions of one name (ajv-formats 2 and 3, js-yaml 3 and 4, …), which tarballs given on the
// command line cannot express — npm then asks the registry for the other version. A registry
// answers those like the real one. Hand-written: npm needs only a packument per name and the
// tarballs (verdaccio and the like would be a large dependency for two routes).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { packWorkspacePackage } from "../../../scripts/test/pack-cache.mjs";

const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface Published {
  manifest: Manifest;
  file: string;
  integrity: string;
  shasum: string;
}

export interface LocalRegistry {
  url: string;
  /** `name@version` of every package it serves. */
  packages: string[];
  /** Packuments and tarballs asked for, in order (`GET <path> <status>`). */
  requests: string[];
  close(): Promise<void>;
}

/** The folder Node would load `name` from, starting at `fromDir` (pnpm: the real store folder). */
function installedDir(name: string, fromDir: string): string | undefined {
  // Walked by hand: require.resolve.paths() gives nothing for names of Node built-ins (punycode).
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package `roots` need at install: dependencies, optional dependencies that pnpm installed
 * for this platform and non-optional peer dependencies, transitively; and an optional peer too
 * once another version of its name is in the tree (npm must then satisfy the peer's range: vite's
 * `yaml` ^2 next to Prism's yaml 1). Keyed by `name@version`: a tree can hold several of one name.
 */
export function installClosure(roots: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const optionalPeers = new Map<string, string>();
  const visit = (dir: string) => {
    const manifest: Manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const key = `${manifest.name}@${manifest.version}`;
    if (found.has(key)) return;
    found.set(key, dir);
    const peers = Object.keys(manifest.peerDependencies ?? {});
    const isOptionalPeer = (name: string) => manifest.peerDependenciesMeta?.[name]?.optional === true;
    for (const name of peers.filter(isOptionalPeer)) {
      const peerDir = installedDir(name, dir);
      if (peerDir) optionalPeers.set(name, peerDir);
    }
    const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}));
    const needed = [...Object.keys(manifest.dependencies ?? {}), ...optional];
    for (const name of new Set([...needed, ...peers.filter((name) => !isOptionalPeer(name))])) {
      const depDir = installedDir(name, dir);
      if (depDir) visit(depDir);
      // Optional ones for other platforms are not installed here; npm skips them as it would.
      else if (!optional.has(name)) throw new Error(`${key} needs ${name}, which is not installed`);
    }
  };
  for (const root of roots) visit(realpathSync(root));
  for (let grew = true; grew; ) {
    const names = new Set([...found.keys()].map((key) => key.slice(0, key.lastIndexOf("@"))));
    const before = found.size;
    for (const [name, dir] of optionalPeers) if (names.has(name)) visit(dir);
    grew = found.size > before;
  }
  return found;
}

async function pack(dir: string, out: string, workspaceRoot: string): Promise<string> {
  const manifest: Manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (dir.startsWith(workspaceRoot) && !dir.includes("node_modules")) {
    // A workspace package: pnpm pack applies `files` and turns `workspace:*` into versions. Packed
    // once per content for every test that needs it, without prepack (see pack-cache.mjs).
    return packWorkspacePackage(dir);
  }
  // An installed copy is the published tarball's content. It never changes under its store path,
  // so its tarball is kept between runs, keyed by that path (compressing the whole tree of Prism,
  // msw and vite takes a good part of a core-minute). --hard-dereference: pnpm's store hard-links
  // identical files, and npm drops tar hard-link entries when it extracts.
  const cache = join(workspaceRoot, "node_modules", ".cache", "ecs-api-test-tarballs", "registry");
  const file = join(cache, `${createHash("sha256").update(dir).digest("hex").slice(0, 16)}.tgz`);
  if (existsSync(file)) return file;
  mkdirSync(cache, { recursive: true });
  // Renamed into place when complete: another run may be filling the same cache at the same time.
  const temp = join(out, `${manifest.name.replace("/", "-")}-${manifest.version}.tgz`);
  await run("tar", [
    "-czf",
    temp,
    "--hard-dereference",
    "--transform",
    "s,^\\.,package,",
    "-C",
    dir,
    ".",
  ]).catch((error: { code?: number; stderr?: string }) => {
    // Exit 1 with only "file changed as we read it": another pnpm install on this machine linked
    // the same store file meanwhile (its link count, so its ctime, changed; its content did not).
    const lines = (error.stderr ?? "").trim().split("\n");
    if (error.code !== 1 || !lines.every((line) => line.includes("file changed as we read it"))) throw error;
  });
  copyFileSync(temp, `${file}.${process.pid}.tmp`);
  renameSync(`${file}.${process.pid}.tmp`, file);
  return file;
}

/** Packs every folder (at most `parallel` at a time) and serves the result on 127.0.0.1:0. */
export async function startLocalRegistry(
  dirs: Iterable<string>,
  options: { out: string; workspaceRoot: string; parallel?: number },
): Promise<LocalRegistry> {
  const queue = [...dirs];
  const published: Published[] = [];
  const worker = async () => {
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      const file = await pack(dir, options.out, options.workspaceRoot);
      const bytes = readFileSync(file);
      // The manifest as packed (pnpm rewrote `workspace:*`), read back from the tarball.
      const { stdout } = await run("tar", ["-xzOf", file, "package/package.json"]);
      published.push({
        manifest: JSON.parse(stdout),
        file,
        integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
        shasum: createHash("sha1").update(bytes).digest("hex"),
      });
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 4 }, worker));

  const byName = new Map<string, Published[]>();
  for (const p of published) byName.set(p.manifest.name, [...(byName.get(p.manifest.name) ?? []), p]);
  const tarballs = new Map(published.map((p, i) => [`/-/tarballs/${i}.tgz`, p]));
  const pathOf = new Map([...tarballs].map(([path, p]) => [p, path]));
  const requests: string[] = [];
  let url = "";

  const packument = (versions: Published[]) => {
    const latest = versions
      .map((p) => p.manifest.version)
      .sort(compareVersions)
      .at(-1) as string;
    return {
      name: versions[0]?.manifest.name,
      "dist-tags": { latest },
      versions: Object.fromEntries(
        versions.map((p) => [
          p.manifest.version,
          {
            ...p.manifest,
            _id: `${p.manifest.name}@${p.manifest.version}`,
            dist: { tarball: url + pathOf.get(p), integrity: p.integrity, shasum: p.shasum },
          },
        ]),
      ),
    };
  };

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    const tarball = tarballs.get(path);
    const versions = byName.get(path.slice(1));
    const status = req.method !== "GET" ? 405 : tarball || versions ? 200 : 404;
    requests.push(`${req.method} ${path} ${status}`);
    if (status !== 200) {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Not found" }));
    } else if (tarball) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(readFileSync(tarball.file));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(packument(versions as Published[])));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    packages: published.map((p) => `${p.manifest.name}@${p.manifest.version}`),
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Orders plain `X.Y.Z` versions (prereleases after their release is good enough for `latest`). */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
