import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { startMock } from "@ecs-api/mock";
import { compareMicroversions, inRange, loadContract, loadSpec } from "@ecs-api/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDE_SNIPPETS } from "../src/document.js";
import { mockServerUrl } from "../src/guides/index.js";
import { packageDir, samplesDir } from "../src/paths.js";

// The samples are the code readers copy: they are compiled against the real client package and run
// against the mock, so a sample that no longer compiles or no longer works fails here.

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const outDir = join(packageDir, "test-output", "samples-js");
const brokenDir = join(packageDir, "test-output", "broken-sample");
const spec = loadSpec();
const contract = loadContract();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const bodyRange = contract.createImageVariants.find((v) => v.element.startsWith("body:"))?.range;
if (!bodyRange) throw new Error("the contract has no body variant");

let mock: Awaited<ReturnType<typeof startMock>>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  mock = await startMock({ port: 0, quiet: true });
  env = {
    PATH: process.env.PATH,
    ECS_ENDPOINT: mock.url,
    OS_PROJECT_ID: spec.components.parameters.project_id.example,
    OS_AUTH_TOKEN: "docs-sample-token",
    SERVER_ID: spec.components.parameters.server_id.example,
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
    rmSync(brokenDir, { recursive: true, force: true });
    mkdirSync(brokenDir, { recursive: true });
    const source = readFileSync(join(samplesDir, "createImage.ts"), "utf8");
    const broken = source.replace(/microversion: "[^"]+"/, 'microversion: "2.999"');
    expect(broken).not.toBe(source);
    writeFileSync(join(brokenDir, "createImage.ts"), broken);
    writeFileSync(
      join(brokenDir, "tsconfig.json"),
      JSON.stringify({
        extends: "../../samples/tsconfig.json",
        compilerOptions: { noEmit: true, rootDir: "." },
        include: ["*.ts"],
      }),
    );
    const failure = await run(process.execPath, [tsc, "-p", join(brokenDir, "tsconfig.json")]).then(
      () => "compiled",
      (error: { stdout?: string }) => error.stdout ?? "",
    );
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
    const source = readFileSync(join(outDir, file), "utf8").replace(mockServerUrl(spec), mock.url);
    const [line = ""] = lines((await node(`run-${file}`, source)).stdout);
    expect(line.split(" ")).toEqual([expect.stringMatching(UUID), contract.maxMicroversion]);
  });

  it("Given the client snippet with a reserved server ID, then it prints Nova's status, fault key and message", async () => {
    const file = GUIDE_SNIPPETS.client.replace(/\.ts$/, ".js");
    const [scenario, serverId] = Object.entries(contract.scenarios)[0] ?? ["", ""];
    const source = readFileSync(join(outDir, file), "utf8")
      .replace(mockServerUrl(spec), mock.url)
      .replace(/"[0-9a-f]{8}-[0-9a-f-]{27}"/, JSON.stringify(serverId));
    const { stderr } = await node(`run-scenario-${file}`, source);
    expect(stderr, scenario).toMatch(/^4\d\d \w+ .*/);
    expect(stderr).toContain(serverId);
  });

  it("Given the frontend guide's fetch snippet pointed at the mock, then it prints an image ID at the maximum", async () => {
    const file = GUIDE_SNIPPETS.fetch.replace(/\.ts$/, ".js");
    const source = readFileSync(join(outDir, file), "utf8").replace(mockServerUrl(spec), mock.url);
    const [line = ""] = lines((await node(`run-${file}`, source)).stdout);
    expect(line).toMatch(
      new RegExp(`^[0-9a-f-]{36} compute ${contract.maxMicroversion.replace(".", "\\.")}$`),
    );
  });
});

describe("curl samples", () => {
  const bash = (file: string) =>
    run("bash", ["-euo", "pipefail", join(samplesDir, file)], { env, timeout: 20_000 });

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
