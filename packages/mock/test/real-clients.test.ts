// The real OpenStack tools, unchanged, against a started mock with password auth at
// <origin>/identity/v3: openstack … --wait (negotiated and at 2.45), nova image-create --poll,
// openstacksdk create_image_snapshot / compute.create_server_image with wait=True, and gophercloud.
// They come from Debian's packages, which .ci/run installs (python3-openstackclient,
// python3-novaclient, python3-openstacksdk, golang-go, golang-github-gophercloud-gophercloud-dev).
// Each run must create exactly one image (createImage is not idempotent) and end with it active.
// The README's own openstack and nova commands run here as printed (scripts/test/readme-rules.ts
// leaves them to this file), with the README's mock address replaced by the test's mock.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cloudsYaml, DEMO_LOGIN, type RunningMock, startMock } from "../src/index.js";

const SERVER = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
// Go's build cache is keyed by content: one that outlives the run saves compiling gophercloud again.
const GOCACHE = fileURLToPath(new URL("../../../node_modules/.cache/ecs-api-go-build", import.meta.url));
const mocks: RunningMock[] = [];
/** Each test's HOME (its clouds.yaml and what the tools cache there), removed at the end. */
const homes: string[] = [];

/**
 * Each test gets its own mock and clouds.yaml: the tools spend most of their time sleeping between
 * polls (5 s for openstack and nova), so the tests run side by side, and one mock per test keeps
 * each createImage of the one server from meeting another test's running snapshot (Nova's 409).
 */
async function cloud(): Promise<{
  mock: RunningMock;
  env: Record<string, string>;
  noClouds: Record<string, string>;
}> {
  const mock = await startMock({ port: 0, quiet: true, workflow: { snapshotSeconds: 1 } });
  mocks.push(mock);
  const work = mkdtempSync(join(tmpdir(), "ecs-real-clients-"));
  homes.push(work);
  const clouds = join(work, "clouds.yaml");
  writeFileSync(clouds, cloudsYaml(mock.url));
  // What a reader's shell has (nothing for nova: its README block exports the login itself) and,
  // for the tools that read it, the printed clouds.yaml: no other OS_* variable reaches them.
  const noClouds = { PATH: "/usr/bin:/bin", HOME: work };
  return { mock, env: { ...noClouds, OS_CLIENT_CONFIG_FILE: clouds }, noClouds };
}
afterAll(async () => {
  await Promise.all(mocks.map((mock) => mock.close()));
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** The README's shell block that holds `command`, as printed. */
function readmeBlock(command: string): string {
  const readme = readFileSync(here("../README.md"), "utf8");
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].find((m) => m[1]?.includes(command))?.[1];
  if (!block) throw new Error(`packages/mock/README.md prints no sh block with ${command}`);
  return block;
}
/** The README block run by sh, its mock address (127.0.0.1:4010) replaced by this test's mock. */
const asPrinted = (block: string, mock: RunningMock) => [
  "-e",
  "-c",
  block.replaceAll("127.0.0.1:4010", new URL(mock.url).host),
];
/** Warnings a reader's terminal would show: the README's commands must run without them. */
const WARNINGS = /Traceback|DeprecationWarning|UserWarning|ExperimentalWarning/;

function run(
  env: Record<string, string>,
  command: string,
  args: string[],
  extraEnv: Record<string, string> = {},
) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(command, args, { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ code: -1, out: `cannot run ${command}: ${e.message}` });
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The images with this name the mock's image service lists (through its own API). */
async function imagesNamed(mock: RunningMock, name: string): Promise<{ id: string; status: string }[]> {
  const token = await fetch(`${mock.url}/identity/v3/auth/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: { name: DEMO_LOGIN.username, password: DEMO_LOGIN.password, domain: { name: "Default" } },
          },
        },
        scope: { project: { name: DEMO_LOGIN.project, domain: { name: "Default" } } },
      },
    }),
  });
  const res = await fetch(`${mock.url}/image/v2/images?name=${encodeURIComponent(name)}`, {
    headers: { "X-Auth-Token": token.headers.get("x-subject-token") ?? "" },
  });
  return ((await res.json()) as { images: { id: string; status: string }[] }).images;
}

async function expectOneActive(mock: RunningMock, name: string, out: string) {
  const images = await imagesNamed(mock, name);
  expect(images, out).toHaveLength(1);
  expect(images[0]?.status).toBe("active");
  return images[0]?.id as string;
}

describe.concurrent("real OpenStack clients against the mock, unchanged", { timeout: 120_000 }, () => {
  it("openstack server image create --wait (microversion negotiated), the README's command", async () => {
    const { mock, env } = await cloud();
    const block = readmeBlock("openstack --os-cloud ecs-mock server image create");
    const r = await run(env, "/bin/sh", asPrinted(block, mock));
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toMatch(WARNINGS);
    expect(r.out).toMatch(/\|\s*status\s*\|\s*active\s*\|/);
    await expectOneActive(mock, "my-image", r.out);
  });

  it("openstack --os-compute-api-version 2.45 server image create --wait", async () => {
    const { mock, env } = await cloud();
    const r = await run(env, "/usr/bin/openstack", [
      "--os-cloud",
      "ecs-mock",
      "--os-compute-api-version",
      "2.45",
      "server",
      "image",
      "create",
      "--name",
      "osc-245",
      "--wait",
      SERVER,
    ]);
    expect(r.code, r.out).toBe(0);
    await expectOneActive(mock, "osc-245", r.out);
  });

  it("nova image-create --poll, finding the server by name: the README's exports and command", async () => {
    const { mock, noClouds } = await cloud();
    // novaclient reads no clouds.yaml: the README's export lines (the mock prints the same, see
    // readme.test.ts) are in the block, before the command.
    const block = readmeBlock("nova image-create --poll");
    const r = await run(noClouds, "/bin/sh", asPrinted(block, mock));
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toMatch(WARNINGS);
    expect(r.out).toContain("Finished");
    await expectOneActive(mock, "my-image", r.out);
  });

  it.each(["snapshot", "server-image"])("openstacksdk %s with wait=True", async (mode) => {
    const name = `sdk-${mode}`;
    const { mock, env } = await cloud();
    const r = await run(env, "/usr/bin/python3", [
      here("clients/sdk_workflow.py"),
      "ecs-mock",
      mode,
      SERVER,
      name,
    ]);
    expect(r.code, r.out).toBe(0);
    const id = await expectOneActive(mock, name, r.out);
    expect(r.out.trim()).toBe(`${id} active`);
  });

  it("gophercloud: password auth, servers.CreateImage, images.Get until active", async () => {
    const { mock, env } = await cloud();
    const r = await run(
      env,
      "/usr/bin/go",
      ["run", here("clients/gophercloud/main.go"), `${mock.url}/identity/v3`, SERVER, "gophercloud-image"],
      { GO111MODULE: "off", GOPATH: "/usr/share/gocode", GOCACHE },
    );
    expect(r.code, r.out).toBe(0);
    const id = await expectOneActive(mock, "gophercloud-image", r.out);
    expect(r.out.trim()).toBe(`${id} active`);
  });
});
