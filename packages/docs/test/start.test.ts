import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { loadContract } from "@ecs-api/spec";
import { afterEach, describe, expect, it } from "vitest";
import { distDir } from "../src/paths.js";
import { start, withFallback } from "../src/start.js";

const contract = loadContract();
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Holds a loopback port, as another program on a shared machine would. */
async function occupy(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("pnpm start", () => {
  it("Given both usual ports are taken, when started, then docs and mock fall back to free ports and answer", async () => {
    const [mockPort, docsPort] = [await occupy(), await occupy()];
    const started = await start({ ECS_MOCK_PORT: String(mockPort), DOCS_PORT: String(docsPort) });
    cleanups.push(() => started.close());
    expect(new URL(started.mock.url).port).not.toBe(String(mockPort));
    expect(new URL(started.docs.url).port).not.toBe(String(docsPort));
    const page = await fetch(started.docs.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("__redoc_definition");
    const versions = await (await fetch(`${started.mock.url}/`)).json();
    expect(versions.versions.find((v: { id: string }) => v.id === "v2.1")?.version).toBe(
      contract.maxMicroversion,
    );
  });

  it("Given a start failure other than a taken port, then withFallback does not retry", async () => {
    let calls = 0;
    const failing = withFallback(1234, async () => {
      calls++;
      throw Object.assign(new Error("no permission"), { code: "EACCES" });
    });
    await expect(failing).rejects.toThrow(/no permission/);
    expect(calls).toBe(1);
  });

  it("Given a port that is not a number, when started, then it says so", async () => {
    await expect(start({ DOCS_PORT: "eighty" })).rejects.toThrow(/Not a port: eighty/);
  });

  it("Given the built CLI, when run, then it prints both URLs and stops cleanly on SIGTERM", async () => {
    const cli = join(distDir, "lib", "start.js");
    expect(existsSync(cli), "run the build first").toBe(true);
    const child: ChildProcess = spawn(process.execPath, [cli], {
      env: { ...process.env, ECS_MOCK_PORT: "0", DOCS_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    cleanups.push(() => child.exitCode === null && child.kill("SIGKILL"));
    let output = "";
    const urls = await new Promise<{ docs: string; mock: string }>((resolve, reject) => {
      child.stdout?.on("data", (chunk) => {
        output += String(chunk);
        const docs = /^Docs: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output)?.[1];
        const mock = /^Mock: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
        if (docs && mock) resolve({ docs, mock });
      });
      child.stderr?.on("data", (chunk) => {
        output += String(chunk);
      });
      child.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    expect((await fetch(urls.docs)).status).toBe(200);
    expect((await fetch(`${urls.mock}/v2.1/`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
