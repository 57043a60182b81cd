// The CLI as a user runs it: bin/ecs-mock.js (over dist/, built before the tests).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/ecs-mock.js", import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Runs the bin; in a process group of its own, as a terminal runs a foreground job. */
function run(args: string[], env: Record<string, string> = {}): Run {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ECS_MOCK_")));
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...clean, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c) => {
    out += c;
  });
  child.stderr?.on("data", (c) => {
    err += c;
  });
  const exit = once(child, "exit").then(([code]) => code as number | null);
  // Never leave a mock behind, whatever the test does.
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 15_000);
  exit.finally(() => clearTimeout(timer));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** What a terminal's Ctrl-C does: the signal goes to every process of the foreground group. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // the group is gone already
  }
}

/**
 * The lines printed after `from` characters of stdout, request log lines and the start-up hints left
 * out (indented; they may reach the pipe after the ready line the test waited for).
 */
function linesAfter(r: Run, from: number): string[] {
  return r
    .stdout()
    .slice(from)
    .split("\n")
    .filter((l) => l && !/^(GET|HEAD|POST) /.test(l) && !/^\s/.test(l));
}

async function listening(r: Run): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const m = /listening on (http:\/\/\S+)/.exec(r.stdout());
    if (m?.[1]) return m[1];
    if (r.child.exitCode !== null) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`the mock did not start: ${r.stdout()} ${r.stderr()}`);
}

// Each case starts a process; under load (or with a spec newer than the build, when Prism
// recomputes its templates) that can take seconds.
describe("ecs-mock", { timeout: 30_000 }, () => {
  it("given --help, then it documents every option and its environment variable, and exits 0", async () => {
    const r = run(["--help"]);
    expect(await r.exit).toBe(0);
    for (const word of [
      "--port",
      "--host",
      "--max-microversion",
      "--image-base-url",
      "--seed",
      "--quiet",
      "--spec",
      "--max-connections",
    ]) {
      expect(r.stdout()).toContain(word);
    }
    for (const env of [
      "ECS_MOCK_PORT",
      "ECS_MOCK_HOST",
      "ECS_MOCK_MAX_MICROVERSION",
      "ECS_MOCK_IMAGE_BASE_URL",
      "ECS_MOCK_SEED",
      "ECS_MOCK_QUIET",
      "ECS_MOCK_MAX_CONNECTIONS",
    ]) {
      expect(r.stdout()).toContain(env);
    }
  });

  it("given --port 0, then a startup line with the URL, a log line per request, and a clean exit on SIGTERM", async () => {
    const r = run(["--port", "0", "--image-base-url", "https://ims.example.test"]);
    const url = await listening(r);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/v2/p/servers/7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21/action`, {
      method: "POST",
      headers: { "X-Auth-Token": "t", "Content-Type": "application/json" },
      body: JSON.stringify({ createImage: { name: "a" } }),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toMatch(/^https:\/\/ims\.example\.test\/images\//);
    // The log is written a turn after the answer, and under load later still: polled, not slept on.
    await expect.poll(r.stdout, { timeout: 10_000 }).toMatch(/POST \/v2\/p\/servers\/\S+\/action mv=- 202 /);
    r.child.kill("SIGTERM");
    expect(await r.exit).toBe(0);
    expect(r.stdout().trimEnd().split("\n").at(-1)).toBe("stopped");
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`given ${signal} to its whole process group (as a terminal's Ctrl-C or a service manager sends it), then one line "stopped", exit 0 and nothing on stderr`, async () => {
      const r = run(["--port", "0"]);
      await listening(r);
      const before = r.stdout().length;
      signalGroup(r.child, signal);
      expect(await r.exit).toBe(0);
      expect(linesAfter(r, before)).toEqual(["stopped"]);
      expect(r.stderr()).toBe("");
    });
  }

  it('given a second signal while it closes (pnpm forwards the terminal\'s SIGINT once more), then still one line "stopped" and exit 0', async () => {
    const r = run(["--port", "0", "--quiet"]);
    const { port } = new URL(await listening(r));
    // A request whose headers never finish keeps the close waiting (up to its 2 s grace), so the
    // second signal lands while it closes.
    const client = connect(Number(port), "127.0.0.1");
    await once(client, "connect");
    client.on("error", () => {});
    client.write("POST /v2.1 HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const before = r.stdout().length;
    signalGroup(r.child, "SIGINT");
    await new Promise((res) => setTimeout(res, 300));
    expect(r.child.exitCode, "still closing").toBeNull();
    signalGroup(r.child, "SIGINT");
    expect(await r.exit).toBe(0);
    expect(linesAfter(r, before)).toEqual(["stopped"]);
    client.destroy();
  });

  it("given the `--` that pnpm 10 passes through (`pnpm --filter @ecs-api/mock start -- --port …`), then the options after it apply", async () => {
    const r = run(["--", "--port", "0", "--max-microversion", "2.50"]);
    await listening(r);
    expect(r.stdout()).toContain("2.1 to 2.50");
    signalGroup(r.child, "SIGTERM");
    expect(await r.exit).toBe(0);
  });

  it("given `--` anywhere but first, then it still ends the options: exit 2 with a message", async () => {
    const r = run(["--port", "0", "--", "--quiet"]);
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toContain("Unexpected argument '--quiet'");
  });

  it("given the settings in environment variables and --quiet, then they apply and nothing is logged per request", async () => {
    const r = run([], { ECS_MOCK_PORT: "0", ECS_MOCK_MAX_MICROVERSION: "2.50", ECS_MOCK_QUIET: "1" });
    const url = await listening(r);
    expect(r.stdout()).toContain("2.1 to 2.50");
    const res = await fetch(`${url}/v2.1`);
    expect((await res.json()).version.version).toBe("2.50");
    r.child.kill("SIGINT");
    expect(await r.exit).toBe(0);
    // Read once the process has ended, so a log line written late cannot be missed.
    expect(r.stdout()).not.toContain("GET /v2.1");
  });

  it("given --max-connections 0, then a clear error and exit code 2", async () => {
    const r = run(["--port", "0", "--max-connections", "0"]);
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toContain("--max-connections must be a whole number of at least 1");
  });

  it("given ECS_MOCK_MAX_CONNECTIONS=1 and one connection held, then the next one gets 503", async () => {
    const r = run(["--port", "0", "--quiet"], { ECS_MOCK_MAX_CONNECTIONS: "1" });
    const url = new URL(await listening(r));
    const held = connect(Number(url.port), url.hostname);
    held.on("error", () => {});
    try {
      await once(held, "connect");
      await expect
        .poll(async () => {
          try {
            return (await fetch(`${url.origin}/`)).status;
          } catch {
            return 0;
          }
        })
        .toBe(503);
    } finally {
      held.destroy();
      r.child.kill("SIGTERM");
      await r.exit;
    }
  });

  it("given a port that is taken, then a clear error and a non-zero exit", async () => {
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, "127.0.0.1", res));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run(["--port", String(port)]);
      expect(await r.exit).toBe(1);
      // The way out, as the README says: another port by option or variable.
      expect(r.stderr()).toContain(
        `port ${port} on 127.0.0.1 is already in use; pick another with --port or ECS_MOCK_PORT`,
      );
    } finally {
      blocker.close();
    }
  });

  it("given a spec file that does not exist, then a clear error and a non-zero exit", async () => {
    const r = run(["--port", "0", "--spec", "/nonexistent/openapi.json"]);
    expect(await r.exit).toBe(1);
    expect(r.stderr()).toContain("the spec is missing: /nonexistent/openapi.json does not exist");
  });

  it.each([
    [["--max-microversion", "2.61"], 1, "--max-microversion must be a version from 2.1 to 2.60"],
    [["--port", "70000"], 2, "--port must be a number from 0 to 65535"],
    [["--image-base-url", "not a url"], 1, "--image-base-url must be an absolute http(s) URL"],
    [["--bogus"], 2, "Unknown option '--bogus'"],
  ])("given %j, then exit %i with a message", async (args, code, message) => {
    const r = run(args as string[]);
    expect(await r.exit).toBe(code);
    expect(r.stderr()).toContain(message);
  });
});
