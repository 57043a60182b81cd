import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { loadContract } from "@ecs-api/spec";
import { afterEach, describe, expect, it } from "vitest";
import { packageDir } from "../src/paths.js";
import { PORT_TRIES, takenLine, withFallback } from "../src/ports.js";
import { start } from "../src/start.js";

const libDir = join(packageDir, "lib");
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

/** Runs a built CLI in a process group of its own, as a terminal runs a foreground job. */
function spawnInGroup(cli: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  cleanups.push(() => child.exitCode === null && signalGroup(child, "SIGKILL"));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // the group is gone already
  }
}

/** stdout and stderr so far, and the exit code once it exits. */
function watch(child: ChildProcess) {
  const seen = { out: "", err: "" };
  child.stdout?.on("data", (c) => {
    seen.out += String(c);
  });
  child.stderr?.on("data", (c) => {
    seen.err += String(c);
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { seen, exit };
}

async function printed(
  seen: { out: string },
  pattern: RegExp,
  exit: Promise<unknown>,
): Promise<RegExpExecArray> {
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  for (let i = 0; i < 400 && !exited; i++) {
    const match = pattern.exec(seen.out);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not printed: ${pattern}\n${seen.out}`);
}

describe("the docs server alone (`pnpm --filter @ecs-api/docs serve`)", () => {
  const cli = join(libDir, "serve.js");

  it('Given it serves, when its process group is sent SIGINT (a terminal\'s Ctrl-C), then one line "stopped" and exit 0', async () => {
    const child = spawnInGroup(cli, [], { DOCS_PORT: "0" });
    const { seen, exit } = watch(child);
    const url = (await printed(seen, /^Docs: (http:\/\/127\.0\.0\.1:\d+\/)$/m, exit))[1] as string;
    expect((await fetch(url)).status).toBe(200);
    const before = seen.out.length;
    signalGroup(child, "SIGINT");
    expect(await exit).toBe(0);
    expect(seen.out.slice(before).trim()).toBe("stopped");
    expect(seen.err).toBe("");
  });

  it("Given the port it is given is taken, then one line with the way out and exit 1, no stack trace", async () => {
    const taken = await occupy();
    const child = spawnInGroup(cli, [String(taken)], {});
    const { seen, exit } = watch(child);
    expect(await exit).toBe(1);
    expect(seen.err.trim()).toBe(
      `Port ${taken} is taken. Give another one (DOCS_PORT or a port argument), or 0 for any free port.`,
    );
  });

  it("Given the `--` pnpm 10 passes through before a port argument, then it serves on that port", async () => {
    const child = spawnInGroup(cli, ["--", "0"], {});
    const { seen, exit } = watch(child);
    await printed(seen, /^Docs: http:\/\/127\.0\.0\.1:\d+\/$/m, exit);
    signalGroup(child, "SIGTERM");
    expect(await exit).toBe(0);
  });

  it("Given a port argument that is not a port, then one line saying so and exit 1, no stack trace", async () => {
    const child = spawnInGroup(cli, ["eighty"], {});
    const { seen, exit } = watch(child);
    expect(await exit).toBe(1);
    expect(seen.err.trim()).toBe("Not a port: eighty");
  });
});

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

  it("Given the usual port and the next one are taken, then withFallback takes the one after and says which were taken", async () => {
    const tried: number[] = [];
    const listening = await withFallback(8080, async (port) => {
      tried.push(port);
      if (port < 8082) throw Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" });
      return { url: `http://127.0.0.1:${port}/` };
    });
    expect(tried).toEqual([8080, 8081, 8082]);
    expect(listening.skipped).toEqual([8080, 8081]);
    expect(takenLine("Docs", listening)).toBe("Docs: ports 8080-8081 are taken, using 8082 instead");
  });

  it("Given every port it tries is taken, then withFallback fails with the way out", async () => {
    let calls = 0;
    const failing = withFallback(
      4010,
      async () => {
        calls++;
        throw Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" });
      },
      "ECS_MOCK_PORT",
    );
    await expect(failing).rejects.toThrow(
      `Ports 4010-${4010 + PORT_TRIES - 1} are all taken. Set ECS_MOCK_PORT to a free port, or to 0 for any free port.`,
    );
    expect(calls).toBe(PORT_TRIES);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`Given the built CLI with the docs port taken, when run and its process group is sent ${signal} (as a terminal's Ctrl-C or a service manager does), then it says so, prints both URLs and stops with one line "stopped" and exit 0`, async () => {
      const cli = join(libDir, "start.js");
      expect(existsSync(cli), "run the build first").toBe(true);
      const taken = await occupy();
      const child = spawnInGroup(cli, [], { ECS_MOCK_PORT: "0", DOCS_PORT: String(taken) });
      let output = "";
      let errors = "";
      const urls = await new Promise<{ docs: string; mock: string }>((resolve, reject) => {
        child.stdout?.on("data", (chunk) => {
          output += String(chunk);
          const docs = /^Docs: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output)?.[1];
          const mock = /^Mock: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
          if (docs && mock && output.includes("Press Ctrl+C")) resolve({ docs, mock });
        });
        child.stderr?.on("data", (chunk) => {
          errors += String(chunk);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}${errors}`)));
      });
      // Other test files listen beside this one: the ports after `taken` may be taken too, and the
      // line then names the range ("ports 44349-44350 are taken").
      const said = new RegExp(
        `^Docs: (?:port ${taken} is|ports ${taken}-\\d+ are) taken, using (\\d+) instead$`,
        "m",
      ).exec(output);
      expect(said, output).not.toBeNull();
      expect(new URL(urls.docs).port).toBe(said?.[1]);
      expect(new URL(urls.docs).port).not.toBe(String(taken));
      expect((await fetch(urls.docs)).status).toBe(200);
      expect((await fetch(`${urls.mock}/v2.1/`)).status).toBe(200);
      // The printed clouds.yaml points the OpenStack tools at this mock's identity endpoint.
      expect(output).toContain(`auth_url: ${urls.mock}/identity/v3`);
      const before = output;
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      signalGroup(child, signal);
      expect(await exited).toBe(0);
      expect(
        output
          .slice(before.length)
          .trim()
          .split("\n")
          .filter((l) => !/^(GET|HEAD) /.test(l)),
      ).toEqual(["stopped"]);
      expect(errors).toBe("");
    });
  }
});
