import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type RunningMock, SCENARIOS, startMock } from "@ecs-api/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packWorkspacePackage } from "../../../scripts/test/pack-cache.mjs";
import { contract, PROJECT, SERVER, TOKEN, UUID } from "./helpers.js";

// Async on purpose: the mock answers from this process while the consumer runs.
const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The documents whose `ts` blocks are compiled, and run when they name the mock. */
const DOCS = { readme: join(root, "README.md"), guide: join(root, "samples", "GUIDE.md") };
const MOCK_URL = "http://127.0.0.1:4010";
/** The AK/SK pair the README's mock block signs with (`npx ecs-mock --aksk AK:SK`). */
const MOCK_KEY = { accessKey: "my-access-key", secretKey: "my-secret-key" };
// Not 0: a snapshot that takes time makes a second createImage of a server while it runs Nova's 409,
// as in the cloud, so an example that does that fails here. 1 s instead of the mock's default 4 s
// keeps the waiting examples short; the calls of one example are milliseconds apart either way.
const SNAPSHOT_SECONDS = 1;
// The README's way to get a TypeScript runner on Node 20 (`npm install @ecs-api/client tsx`): packed
// from the workspace's own copy with its esbuild and this platform's binary, as npm would install it.
const RUNNER = ["tsx", "esbuild", `@esbuild/${process.platform}-${process.arch}`];
/** Four servers: each call of the consumer snapshots its own, so none waits for another. */
const SERVERS = [SERVER, ...[1, 2, 3].map((n) => `7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e2${n + 1}`)];
/** The line a five-line workflow block prints: the active image's ID. */
const UUID_LINE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const npmOffline = { ...process.env, npm_config_offline: "true", npm_config_registry: "http://127.0.0.1:9/" };
const attw = join(root, "node_modules", ".bin", "attw");
// The workspace's own TypeScript: installing one into the consumer would need the registry.
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc");

interface Block {
  /** `readme-3.ts`, `guide-0.ts`. */
  file: string;
  source: string;
  /** It names the mock, so it runs against it (the others name the cloud: compiled only). */
  runs: boolean;
}

let dir: string;
let tarball: string;
let project: string;
let mock: RunningMock;
/** Every mock started: the shared one, and one per block that runs. */
const mocks: RunningMock[] = [];
const newMock = async () => {
  const started = await startMock({
    port: 0,
    quiet: true,
    workflow: { snapshotSeconds: SNAPSHOT_SECONDS, aksk: [MOCK_KEY] },
  });
  mocks.push(started);
  return started;
};
let blocks: Block[] = [];
let initialManifest: { type?: string; name?: string };
/** tsc's output, or "" when it compiled. */
let compiled: string;
let wrongOutcome: string;

const tsc = (args: string[]) =>
  run(process.execPath, [tscBin, ...args], {
    cwd: project,
  }).then(
    () => "",
    (error: { stdout?: string }) => error.stdout || String(error),
  );

const tsconfig = (files: string[]) =>
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2022", "DOM"],
      strict: true,
      exactOptionalPropertyTypes: true,
      // The shipped .d.ts files are type-checked too.
      skipLibCheck: false,
      outDir: "out",
    },
    files,
  });

const consumer = (
  baseUrl: string,
) => `import { createEcsClient, EcsError, type CreateImageResult } from "@ecs-api/client";

const ecs = createEcsClient({ baseUrl: ${JSON.stringify(baseUrl)}, projectId: ${JSON.stringify(PROJECT)}, token: ${JSON.stringify(TOKEN)} });
const [a, b, c, d] = ${JSON.stringify(SERVERS)};
const results: CreateImageResult[] = [
  await ecs.createImage(a, { name: "at-2.1" }, { microversion: "2.1" }),
  await ecs.createImage(b, { name: "at-2.45", metadata: { purpose: "pack-test" } }, { microversion: "2.45" }),
  await ecs.createImage(c, { name: "at-latest" }, { microversion: "latest" }),
  await ecs.createImage(d, { name: "on-v2" }, { legacyV2: true }),
];
const negotiated = await ecs.negotiate("2.45");
let failure: { kind: string; status?: number; fault?: string } | undefined;
try {
  await ecs.createImage(${JSON.stringify(SCENARIOS["not-found"])}, { name: "x" });
} catch (error) {
  if (error instanceof EcsError) failure = { kind: error.kind, status: error.status ?? 0, fault: error.fault ?? "" };
}
console.log(JSON.stringify({ results, negotiated, failure }));
`;

/** The installed folder of `name` as Node would resolve it from `fromDir` (pnpm: its real store folder). */
function packageDir(name: string, fromDir: string): string {
  for (const base of createRequire(join(fromDir, "package.json")).resolve.paths(name) ?? []) {
    if (existsSync(join(base, name, "package.json"))) return realpathSync(join(base, name));
  }
  throw new Error(`${name} is not installed where ${fromDir} can resolve it`);
}

/** The folders of every runtime dependency of the package in `dir`, transitively. */
function runtimeDependencyDirs(dir: string, found = new Map<string, string>()): Map<string, string> {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (found.has(name)) continue;
    const depDir = packageDir(name, dir);
    found.set(name, depDir);
    runtimeDependencyDirs(depDir, found);
  }
  return found;
}

const wrong = `import { createEcsClient } from "@ecs-api/client";
const ecs = createEcsClient({ baseUrl: "http://127.0.0.1:1", projectId: "p", token: "t" });
await ecs.createImage("7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21", { name: 42 });
await ecs.createImage("7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21", { name: "a" }, { microversion: "2.99" });
await ecs.raw.POST("/v2.1/{project_id}/servers/{server_id}/action", { params: { path: { project_id: "p" } }, body: { createImage: { name: "a" } } });
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ecs-client-pack-"));
  // Packed by pnpm as published, once per content for every test that needs it (pack-cache.mjs).
  tarball = await packWorkspacePackage(root);
  // The runtime dependencies (openapi-fetch and what it needs) are packed from the workspace's own
  // installed copies, so the install below has every tarball it needs and never asks a registry.
  // They are copied first: pnpm's store hard-links identical files (openapi-typescript-helpers'
  // index.d.ts/.d.mts/.d.cts), npm pack stores those as tar hard links, and npm install drops them.
  // Workspace packages (@ecs-api/spec, @ecs-api/signer) are packed with pnpm as they would be
  // published; the others are copied from the store first.
  const dependencies = [...runtimeDependencyDirs(root)];
  const workspaceRoot = realpathSync(join(root, "..", ".."));
  const isWorkspace = (from: string) => from.startsWith(workspaceRoot) && !from.includes("node_modules");
  const workspaceTarballs: string[] = [];
  for (const [, from] of dependencies.filter(([, from]) => isWorkspace(from))) {
    workspaceTarballs.push(await packWorkspacePackage(from));
  }
  const tsx = packageDir("tsx", root);
  const esbuild = packageDir("esbuild", tsx);
  const runner = [
    ["tsx", tsx],
    ["esbuild", esbuild],
    [RUNNER[2] as string, packageDir(RUNNER[2] as string, esbuild)],
  ] as const;
  // Installed third-party copies never change under their store path, so their tarballs are kept
  // between runs, keyed by that path (the esbuild binary alone takes seconds to compress).
  const cache = join(root, "..", "..", "node_modules", ".cache", "ecs-api-test-tarballs", "client-pack");
  const dependencyTarballs: string[] = [];
  const toPack: { copy: string; cached: string }[] = [];
  for (const [name, from] of [...dependencies.filter(([, from]) => !isWorkspace(from)), ...runner]) {
    const cached = join(cache, `${createHash("sha256").update(from).digest("hex").slice(0, 16)}.tgz`);
    dependencyTarballs.push(cached);
    if (existsSync(cached)) continue;
    const copy = join(dir, "deps", name);
    cpSync(from, copy, { recursive: true });
    toPack.push({ copy, cached });
  }
  if (dependencyTarballs.length === 0) throw new Error("the client has no runtime dependency to pack");
  if (workspaceTarballs.length < 2) throw new Error("the spec and signer packages were not packed");
  if (toPack.length > 0) {
    const packed: { filename: string }[] = JSON.parse(
      (
        await run(
          "npm",
          ["pack", ...toPack.map((p) => p.copy), "--ignore-scripts", "--json", "--pack-destination", dir],
          { cwd: dir },
        )
      ).stdout,
    );
    mkdirSync(cache, { recursive: true });
    // Renamed into place: another run may be filling the same cache at the same time.
    for (const [i, { cached }] of toPack.entries()) {
      const temp = `${cached}.${process.pid}.tmp`;
      copyFileSync(join(dir, (packed[i] as { filename: string }).filename), temp);
      renameSync(temp, cached);
    }
  }
  const tarballs = [tarball, ...workspaceTarballs, ...dependencyTarballs];
  project = join(dir, "consumer");
  mkdirSync(project);
  // As the README says: `npm init -y && npm pkg set type=module` (neither needs a registry).
  await run("npm", ["init", "-y"], { cwd: project, env: npmOffline });
  initialManifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
  await run("npm", ["pkg", "set", "type=module"], { cwd: project, env: npmOffline });
  // A fresh project outside the workspace, installed from local tarballs only: `--offline` makes npm
  // fail rather than fetch, and the unreachable loopback registry makes sure of it.
  await run(
    "npm",
    [
      "install",
      ...tarballs,
      "--offline",
      "--registry=http://127.0.0.1:9/",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
    ],
    { cwd: project },
  );
  mock = await newMock();
  // One tsc run for every file that must compile: the consumer and each `ts` block of the docs.
  writeFileSync(join(project, "consumer.ts"), consumer(mock.url));
  blocks = Object.entries(DOCS).flatMap(([doc, path]) =>
    [...readFileSync(path, "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => {
      const source = m[1] ?? "";
      return { file: `${doc}-${i}.ts`, source, runs: source.includes(MOCK_URL) };
    }),
  );
  // Each block that runs gets a mock of its own (see the test that runs them side by side).
  for (const block of blocks) {
    const url = block.runs ? (await newMock()).url : MOCK_URL;
    writeFileSync(join(project, block.file), block.source.replaceAll(MOCK_URL, url));
  }
  cpSync(join(root, "samples", "mock.ts"), join(project, "mock.ts"));
  writeFileSync(join(project, "tsconfig.json"), tsconfig(["consumer.ts", ...blocks.map((b) => b.file)]));
  writeFileSync(join(project, "wrong.ts"), wrong);
  writeFileSync(join(project, "tsconfig.wrong.json"), tsconfig(["wrong.ts"]));
  // Independent processes: run side by side.
  [compiled, wrongOutcome] = await Promise.all([
    tsc(["-p", "."]),
    tsc(["-p", "tsconfig.wrong.json", "--noEmit"]),
  ]);
}, 180_000);

// Removing the consumer's node_modules (esbuild's binary among them) takes seconds on a busy machine.
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("the packed tarball", { timeout: 60_000 }, () => {
  it("Given the tarball, when its files are listed, then it holds dist and package.json, and no sources or tests", async () => {
    const { stdout } = await run("tar", ["tzf", tarball]);
    const files = stdout.trim().split("\n");
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files).toContain("package/dist/generated/openapi.d.ts");
    expect(
      files.filter(
        (f) => !/^package\/(dist\/.*\.(js|d\.ts)|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(f),
      ),
    ).toEqual([]);
  });

  it("Given a folder set up as the README says (npm init -y, npm pkg set type=module), when it is read, then it is an ESM project", () => {
    // `npm init -y` alone makes a CommonJS project (npm 11 writes "commonjs"; older ones nothing),
    // where the samples' imports and top-level await fail.
    expect(initialManifest.type ?? "commonjs").toBe("commonjs");
    const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "consumer", type: "module" });
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(["@ecs-api/client", "tsx"]));
  });

  it("Given the consumer project, when it was installed, then every package came from a local tarball", () => {
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8"));
    const installed = Object.entries<{ resolved?: string }>(lock.packages).filter(([path]) => path !== "");
    expect(installed.map(([path]) => path)).toEqual(
      expect.arrayContaining([
        "node_modules/@ecs-api/client",
        "node_modules/@ecs-api/spec",
        "node_modules/@ecs-api/signer",
        "node_modules/openapi-fetch",
        "node_modules/tsx",
      ]),
    );
    expect(installed.length).toBeGreaterThan(0);
    for (const [path, entry] of installed) expect(entry.resolved, path).toMatch(/^file:.*\.tgz$/);
  });

  it("Given the tarball, when arethetypeswrong checks it (ESM-only profile, offline), then it exits 0 with no problem for ESM or bundler consumers", async () => {
    // attw exits non-zero on any problem its profile does not ignore, so `run` rejecting fails the test.
    const { stdout } = await run(attw, [
      tarball,
      "--profile",
      "esm-only",
      "--no-definitely-typed",
      "--format",
      "json",
    ]);
    const problems: { kind: string; resolutionKind: string }[] = JSON.parse(stdout).analysis.problems;
    // The package is ESM-only by design: `require()` from CJS is the one notice (Node >= 20.19 loads it via require(esm)).
    // The subpath entry points (./password, ./aksk) exist only through `exports`, which node10
    // resolution (TypeScript's legacy `moduleResolution: node`) cannot read; the profile ignores it too.
    expect(
      problems.filter((p) => p.resolutionKind !== "node16-cjs" && p.resolutionKind !== "node10"),
    ).toEqual([]);
  });

  it("Given a new project with the tarball installed, when the consumer and the README examples are compiled (library types checked too), then tsc reports nothing", () => {
    expect(compiled).toBe("");
  });

  it("Given the compiled consumer, when it runs against the mock, then 2.1, 2.45, latest and /v2 give the same { imageId } shape", async () => {
    mock.reset();
    const { stdout } = await run(process.execPath, [join(project, "out", "consumer.js")], { cwd: project });
    const { results, negotiated, failure } = JSON.parse(stdout);
    expect(results.map((r: { microversion: string }) => r.microversion)).toEqual([
      "2.1",
      "2.45",
      contract.maxMicroversion,
      "2.0",
    ]);
    for (const r of results) {
      expect(r.imageId).toMatch(UUID);
      expect(
        Object.keys(r)
          .filter((k) => k !== "location")
          .sort(),
      ).toEqual(["imageId", "microversion", "requestId"]);
    }
    expect(negotiated).toBe("2.45");
    expect(failure).toEqual({ kind: "http", status: 404, fault: "itemNotFound" });
  });

  it("Given the README's workflow blocks, when counted, then password and AK/SK are five lines each, for the cloud and for the mock, and the mock's differ only in the endpoints and keys", () => {
    const lines = (source: string) => source.split("\n").filter((line) => line.trim() !== "");
    const workflow = blocks.filter(
      (b) => b.file.startsWith("readme-") && b.source.includes("{ wait: true }"),
    );
    const pick = (where: string, how: string) => {
      const found = workflow.filter((b) => b.source.includes(where) && b.source.includes(how));
      expect(found, `${where} ${how}`).toHaveLength(1);
      return lines((found[0] as Block).source);
    };
    for (const how of ["passwordAuth(", "akskAuth(", "token: "]) {
      const cloud = pick('region: "eu-de"', how);
      const local = pick("mockEndpoints(", how);
      expect(cloud.length).toBe(how === "token: " ? 4 : 5);
      expect(local.length).toBe(cloud.length);
      // The lines that create the image and print its ID are the same; only the client's options differ.
      expect(local.filter((l) => !l.includes("createEcsClient"))).toEqual(
        cloud.filter((l) => !l.includes("createEcsClient")),
      );
      expect(local.join("\n")).toContain(
        'createImage("7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21", { name: "backup" }, { wait: true })',
      );
    }
    expect(workflow.filter((b) => b.runs)).toHaveLength(3);
  });

  it("Given the README's and the guide's blocks, when sorted, then each names the mock (and runs) or the cloud (compiled only)", async () => {
    for (const block of blocks) {
      if (!block.runs) expect(block.source, block.file).toMatch(/region: "eu-(de|nl)"/);
    }
    expect(blocks.filter((b) => b.runs && b.file.startsWith("readme-")).length).toBeGreaterThanOrEqual(7);
    expect(blocks.filter((b) => b.runs && b.file.startsWith("guide-")).length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(DOCS.readme, "utf8")).toContain(`--aksk ${MOCK_KEY.accessKey}:${MOCK_KEY.secretKey}`);
  });

  it("Given the blocks that name the mock, when each runs against it (side by side, each on a mock of its own with no snapshot running), then each exits 0 and prints", async () => {
    // Each as a reader runs it, on a mock no other block uses: a block that snapshots a server twice
    // without waiting gets the mock's 409 and exits non-zero. Side by side: the blocks mostly wait
    // for their snapshots.
    const outcomes = await Promise.all(
      blocks
        .filter((b) => b.runs)
        .map(async (block) => {
          const { stdout } = await run(
            process.execPath,
            [join(project, "out", block.file.replace(/\.ts$/, ".js"))],
            { cwd: project },
          );
          return { block, stdout };
        }),
    );
    for (const { block, stdout } of outcomes) {
      expect(stdout.length, block.file).toBeGreaterThan(0);
      if (block.source.includes("{ wait: true }")) expect(stdout.trim(), block.file).toMatch(UUID_LINE);
    }
  }, 120_000);

  it("Given the README's AK/SK block for the mock with another secret key, when it runs, then the mock refuses the signature (the block's signature is really checked)", async () => {
    const block = blocks.find(
      (b) => b.runs && b.source.includes("akskAuth(") && b.source.includes("{ wait: true }"),
    );
    expect(block).toBeDefined();
    const compiled = readFileSync(
      join(project, "out", (block as Block).file.replace(/\.ts$/, ".js")),
      "utf8",
    );
    expect(compiled).toContain(JSON.stringify(MOCK_KEY.secretKey));
    writeFileSync(
      join(project, "out", "wrong-key.js"),
      compiled.replace(JSON.stringify(MOCK_KEY.secretKey), JSON.stringify("not-the-secret-key")),
    );
    const outcome = await run(process.execPath, [join(project, "out", "wrong-key.js")], {
      cwd: project,
    }).then(
      () => "exited 0",
      (error: { stderr?: string }) => error.stderr ?? "",
    );
    expect(outcome).toMatch(
      /Incorrect IAM authentication information: verify aksk signature fail \(HTTP 401, request [0-9a-f]+\)/,
    );
    expect(outcome).toContain("APIGW.0301");
    expect(outcome).not.toContain("not-the-secret-key");
  });

  it("Given samples/mock.ts in the npm init -y project, when `npx tsx mock.ts` runs it against the mock, then password, AK/SK and token each end with an active image", async () => {
    mock.reset();
    const { stdout } = await run("npx", ["tsx", "mock.ts"], {
      cwd: project,
      env: { ...npmOffline, ECS_MOCK_URL: mock.url },
    });
    for (const mode of ["password", "aksk", "token"]) {
      expect(stdout).toMatch(new RegExp(`^${mode} active image [0-9a-f-]{36} active$`, "m"));
      // Progress came from the server's task states while the snapshot ran.
      expect(stdout).toMatch(new RegExp(`^${mode} queued image_snapshot`, "m"));
    }
  }, 60_000);

  it("Given a consumer with a wrong body, an unknown microversion and a missing path parameter, when it is compiled, then tsc refuses each line", async () => {
    const lines = [...wrongOutcome.matchAll(/^wrong\.ts\((\d+),\d+\): error TS\d+/gm)].map((m) =>
      Number(m[1]),
    );
    expect([...new Set(lines)]).toEqual([3, 4, 5]);
  });
});
