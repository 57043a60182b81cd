import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { startMock } from "@ecs-api/mock";
import { compareMicroversions, inRange, loadContract, loadModel, loadSpec } from "@ecs-api/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readClientSamples } from "../src/client-samples.js";
import { buildDocsDocument, GUIDE_SNIPPETS } from "../src/document.js";
import { mockServerUrl } from "../src/guides/index.js";
import { packageDir, samplesDir } from "../src/paths.js";
import { readSamples } from "../src/samples.js";

// The samples are the code readers copy: they are compiled against the real client package and run
// against the mock, so a sample that no longer compiles or no longer works fails here.

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const outDir = join(packageDir, "test-output", "samples-js");
const model = loadModel();
const contract = loadContract();
/** A path parameter's example value in the spec (the samples' project and server). */
const parameterExample = (name: string) =>
  String(model.operation("createImage").parameters.find((p) => p.name === name)?.example ?? "");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const bodyRange = contract.createImageVariants.find((v) => v.element.startsWith("body:"))?.range;
if (!bodyRange) throw new Error("the contract has no body variant");

let mock: Awaited<ReturnType<typeof startMock>>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  // Snapshots finish at once: the samples create one image after another on the same server.
  // The AK/SK pair the client's mock sample signs with (it says to start the mock with it).
  mock = await startMock({
    port: 0,
    quiet: true,
    workflow: { snapshotSeconds: 0, aksk: [{ accessKey: "my-access-key", secretKey: "my-secret-key" }] },
  });
  env = {
    PATH: process.env.PATH,
    ECS_ENDPOINT: mock.url,
    OS_PROJECT_ID: parameterExample("project_id"),
    OS_AUTH_TOKEN: "docs-sample-token",
    SERVER_ID: parameterExample("server_id"),
    IAM_ENDPOINT: `${mock.url}/identity`,
    IMS_ENDPOINT: `${mock.url}/image`,
    OS_USERNAME: "alice",
    OS_PASSWORD: "secret",
    OS_DOMAIN_NAME: "Default",
    OS_PROJECT_NAME: "eu-de",
  };
});

afterAll(async () => {
  await mock?.close();
});

async function node(file: string, source?: string): Promise<{ stdout: string; stderr: string }> {
  const path = join(outDir, file);
  if (source !== undefined) writeFileSync(path, source);
  return run(process.execPath, [path], { env, timeout: 20_000 });
}

const lines = (text: string) => text.trim().split("\n");

describe("TypeScript samples", () => {
  it("Given the samples, when tsc compiles them against @ecs-api/client, then there is no error", async () => {
    rmSync(outDir, { recursive: true, force: true });
    const result = await run(process.execPath, [tsc, "-p", join(samplesDir, "tsconfig.json")]).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(result.stdout).toBe("");
    expect(readFileSync(join(outDir, "createImage.js"), "utf8")).toContain("@ecs-api/client");
  });

  it("Given a sample asking for a microversion the client does not know, when tsc compiles it, then it fails", async () => {
    const failure = errorsIn(await brokenCompile(), "createImage.ts");
    expect(failure).toMatch(/createImage\.ts.*error TS\d+/);
    expect(failure).toContain("2.999");
  });

  it("Given the mock, when the createImage sample runs, then it prints a new image ID read from the body", async () => {
    const [line = ""] = lines((await node("createImage.js")).stdout);
    const [imageId = "", microversion = ""] = line.split(" ");
    expect(imageId).toMatch(UUID);
    expect(inRange(microversion, bodyRange)).toBe(true);
  });

  it("Given the mock, when the legacy /v2 sample runs, then it prints the image ID and its Location", async () => {
    const [line = ""] = lines((await node("createImageLegacyV2.js")).stdout);
    const [imageId = "", location = ""] = line.split(" ");
    expect(imageId).toMatch(UUID);
    expect(location.endsWith(`/images/${imageId}`)).toBe(true);
  });

  it("Given the mock, when the version sample runs, then it prints v2.1 with the contract's range", async () => {
    const output = lines((await node("listVersions.js")).stdout);
    expect(output).toContain(`v2.1 CURRENT ${contract.minMicroversion} ${contract.maxMicroversion}`);
  });

  it("Given the frontend guide's client snippet pointed at the mock, then it prints an image ID at the maximum", async () => {
    const file = GUIDE_SNIPPETS.client.replace(/\.ts$/, ".js");
    const source = readFileSync(join(outDir, file), "utf8").replace(mockServerUrl(model), mock.url);
    const [line = ""] = lines((await node(`run-${file}`, source)).stdout);
    expect(line.split(" ")).toEqual([expect.stringMatching(UUID), contract.maxMicroversion]);
  });

  it("Given the client snippet with a reserved server ID, then it prints Nova's status, fault key and message", async () => {
    const file = GUIDE_SNIPPETS.client.replace(/\.ts$/, ".js");
    const [scenario, serverId] = Object.entries(contract.scenarios)[0] ?? ["", ""];
    const source = readFileSync(join(outDir, file), "utf8")
      .replace(mockServerUrl(model), mock.url)
      .replace(/"[0-9a-f]{8}-[0-9a-f-]{27}"/, JSON.stringify(serverId));
    const { stderr } = await node(`run-scenario-${file}`, source);
    expect(stderr, scenario).toMatch(/^4\d\d \w+ .*/);
    expect(stderr).toContain(serverId);
  });

  it("Given the frontend guide's fetch snippet pointed at the mock, then it prints an image ID at the maximum", async () => {
    const file = GUIDE_SNIPPETS.fetch.replace(/\.ts$/, ".js");
    const source = readFileSync(join(outDir, file), "utf8").replace(mockServerUrl(model), mock.url);
    const [line = ""] = lines((await node(`run-${file}`, source)).stdout);
    expect(line).toMatch(
      new RegExp(`^[0-9a-f-]{36} compute ${contract.maxMicroversion.replace(".", "\\.")}$`),
    );
  });
});

const bash = (file: string) =>
  run("bash", ["-euo", "pipefail", join(samplesDir, file)], { env, timeout: 20_000 });

describe("curl samples", () => {
  it("Given the mock, when the createImage curl sample runs, then the first call gets image_id and the second Location", async () => {
    const { stdout } = await bash("createImage.sh");
    const body = JSON.parse(lines(stdout)[0] ?? "{}");
    expect(body.image_id).toMatch(UUID);
    expect(stdout).toMatch(/^location: \S+\/images\/[0-9a-f-]{36}\r?$/im);
  });

  it("Given the mock, when the legacy /v2 curl sample runs, then it gets Location", async () => {
    expect((await bash("createImageLegacyV2.sh")).stdout).toMatch(
      /^location: \S+\/images\/[0-9a-f-]{36}\r?$/im,
    );
  });

  it("Given the mock, when the version curl samples run, then they get the version documents", async () => {
    const list = JSON.parse((await bash("listVersions.sh")).stdout);
    expect(list.versions.map((v: { id: string }) => v.id).sort()).toEqual(["v2.0", "v2.1"]);
    for (const file of ["showVersionV21.sh", "showVersionV21NoSlash.sh"]) {
      const { version } = JSON.parse((await bash(file)).stdout);
      expect(version.id, file).toBe("v2.1");
      expect(compareMicroversions(version.version, contract.maxMicroversion), file).toBe(0);
    }
    expect(JSON.parse((await bash("showVersionV2.sh")).stdout).version.id).toBe("v2.0");
  });
});

describe("the workflow's curl samples", () => {
  it("Given the mock, when each runs in workflow order, then each succeeds with its service's answer", async () => {
    expect(JSON.parse((await bash("showIdentityVersion.sh")).stdout).version.id).toMatch(/^v3/);
    expect((await bash("createToken.sh")).stdout).toMatch(/^x-subject-token: gAAAAAB/im);
    for (const file of ["showServer.sh", "showServerLegacyV2.sh"])
      expect(JSON.parse((await bash(file)).stdout).server.id, file).toBe(env.SERVER_ID);
    for (const file of ["listServers.sh", "listServersLegacyV2.sh"])
      expect(
        JSON.parse((await bash(file)).stdout).servers.map((s: { name: string }) => s.name),
        file,
      ).toEqual(["web-01"]);
    for (const file of ["listServersDetailed.sh", "listServersDetailedLegacyV2.sh"])
      expect(JSON.parse((await bash(file)).stdout).servers.length, file).toBeGreaterThan(0);
    expect(JSON.parse((await bash("listImageVersions.sh")).stdout).versions[0].status).toBe("CURRENT");
    const created = await fetch(`${mock.url}/v2.1/${env.OS_PROJECT_ID}/servers/${env.SERVER_ID}/action`, {
      method: "POST",
      headers: {
        "X-Auth-Token": "t",
        "Content-Type": "application/json",
        "OpenStack-API-Version": "compute 2.45",
      },
      body: JSON.stringify({ createImage: { name: "foo-image" } }),
    });
    const { image_id } = (await created.json()) as { image_id: string };
    env.IMAGE_ID = image_id;
    expect(JSON.parse((await bash("showImage.sh")).stdout).status).toBe("active");
    expect(
      JSON.parse((await bash("listImages.sh")).stdout).images.map((i: { id: string }) => i.id),
    ).toContain(image_id);
    expect((await bash("deleteImage.sh")).stdout.trim()).toBe("204");
  });
});

/**
 * Every TypeScript block of the client workflow guide as the page shows it: the client's GUIDE.md
 * snippets and its sample files. A file's block is named after it (`#### \`mock.ts\``); a snippet
 * gets `guide-<n>.ts`.
 */
function clientGuideBlocks(): { name: string; source: string }[] {
  const doc = buildDocsDocument({
    spec: loadSpec(),
    model,
    contract,
    samples: readSamples(),
    clientSamples: readClientSamples(),
    ports: { docs: 8080 },
  });
  const description: string = doc.info.description;
  const guide = description.slice(description.indexOf("## Client workflow"));
  return [...guide.matchAll(/(?:^#### `([\w.-]+\.ts)`\n\n)?^(`{3,})ts\n([\s\S]*?)\n\2$/gm)].map((m, i) => ({
    name: m[1] ?? `guide-${i + 1}.ts`,
    source: m[3] ?? "",
  }));
}

/**
 * A guide snippet without imports continues the samples around it (an `ecs` client, a `serverId`):
 * it is compiled after exactly those declarations.
 */
const FRAGMENT_PRELUDE = [
  'import type { EcsClient } from "@ecs-api/client";',
  "declare const ecs: EcsClient;",
  "declare const serverId: string;",
  "",
].join("\n");

describe("the client workflow guide's TypeScript", () => {
  it("Given every TypeScript block of the guide (snippets and sample files), when tsc compiles them against @ecs-api/client, then there is no error", async () => {
    const blocks = clientGuideBlocks();
    const files = [...readClientSamples().files.keys()];
    expect(blocks.map((b) => b.name)).toEqual(expect.arrayContaining(files));
    expect(blocks.length).toBeGreaterThan(files.length);
    expect(await guideCompile()).toBe("");
  });

  it("Given a guide block that calls the client wrongly, when tsc compiles it, then it fails", async () => {
    expect(errorsIn(await brokenCompile(), "mock.ts")).toMatch(/mock\.ts.*error TS\d+.*intervalSeconds/s);
  });

  it("Given the mock checking the sample's AK/SK pair, when the client's mock sample runs, then password, AK/SK and token each end with an active image", async () => {
    expect(await guideCompile()).toBe("");
    const { stdout } = await run(process.execPath, [join(guideOut, "mock.js")], {
      env: { PATH: process.env.PATH, ECS_MOCK_URL: mock.url },
      timeout: 30_000,
    });
    for (const mode of ["password", "aksk", "token"]) {
      const done = lines(stdout).filter((l) => l.startsWith(`${mode} active image `));
      expect(done, `${mode}:\n${stdout}`).toHaveLength(1);
      expect(done[0]?.split(" ")).toEqual([mode, "active", "image", expect.stringMatching(UUID), "active"]);
    }
  });
});

// Each tsc run loads the client's types afresh (seconds of CPU), so the guide's blocks compile once
// for the tests that need them, and both deliberately broken files (a sample asking for 2.999, the
// guide's mock.ts with a wrong option) compile together, each test reading its own file's errors.
const guideDir = join(packageDir, "test-output", "client-guide");
const guideOut = join(packageDir, "test-output", "client-guide-js");
const brokenDir = join(packageDir, "test-output", "broken-samples");

/** tsc over `files` (written to `dir`) with the samples' settings: its output, "" when clean. */
function compileIn(dir: string, files: { name: string; source: string }[], options: object): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const { name, source } of files) {
    const module = /^import\b/m.test(source) ? source : `${FRAGMENT_PRELUDE}${source}\nexport {};`;
    writeFileSync(join(dir, name), `${module}\n`);
  }
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../samples/tsconfig.json",
      compilerOptions: { rootDir: ".", ...options },
      include: ["*.ts"],
    }),
  );
  return run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")]).then(
    () => "",
    (error: { stdout?: string }) => error.stdout || String(error),
  );
}

let guide: Promise<string> | undefined;
function guideCompile(): Promise<string> {
  if (!guide) {
    rmSync(guideOut, { recursive: true, force: true });
    guide = compileIn(guideDir, clientGuideBlocks(), { outDir: guideOut });
  }
  return guide;
}

let broken: Promise<string> | undefined;
function brokenCompile(): Promise<string> {
  if (broken) return broken;
  const sample = readFileSync(join(samplesDir, "createImage.ts"), "utf8");
  const wrongVersion = sample.replace(/microversion: "[^"]+"/, 'microversion: "2.999"');
  const mockBlock = clientGuideBlocks().find((b) => b.name === "mock.ts")?.source ?? "";
  const wrongOption = mockBlock.replace("intervalMs:", "intervalSeconds:");
  expect(wrongVersion).not.toBe(sample);
  expect(wrongOption).toContain("intervalSeconds:");
  broken = compileIn(
    brokenDir,
    [
      { name: "createImage.ts", source: wrongVersion },
      { name: "mock.ts", source: wrongOption },
    ],
    { noEmit: true },
  );
  return broken;
}

/** The lines of tsc's output that belong to `file`'s errors (an error's continuation lines too). */
function errorsIn(output: string, file: string): string {
  const chunks = output.split(/\n(?=\S+\.ts\(\d+,\d+\): error )/);
  const named = (chunk: string) => {
    const path = chunk.slice(0, chunk.indexOf("("));
    return path === file || path.endsWith(`/${file}`);
  };
  return chunks.filter(named).join("\n");
}
