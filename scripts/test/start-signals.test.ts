// `pnpm start` and `pnpm mock` stopped while they still build (scripts/start.mjs), the way a terminal
// stops them: the signal goes to the whole process group (pnpm, node, and anything that shares the
// group). Before, turbo was the process interrupted and pnpm reported the script as failed by SIGINT
// (exit 130). The build is forced (TURBO_FORCE=true, read by turbo itself), so it is really running
// when the signal comes; afterAll restores the outputs from turbo's cache. Stopping while serving is
// tested with the READMEs' commands (readme-commands.test.ts).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** A forced task's line: turbo runs it now. */
const BUILDING = /cache bypass, force executing/;
/** Lines only a started server prints. */
const SERVING = /^(Docs|Mock): http|ecs-mock: listening on/m;
const LIMIT_MS = 90_000;

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Run {
  const child = spawn("pnpm", args, {
    cwd: root,
    env: { ...process.env, TURBO_FORCE: "true" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const r: Run = {
    child,
    stdout: "",
    stderr: "",
    exit: new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal }))),
  };
  child.stdout?.on("data", (c) => {
    r.stdout += c;
  });
  child.stderr?.on("data", (c) => {
    r.stderr += c;
  });
  return r;
}

/** Resolves once `pattern` is in the output; rejects after `ms` or on an early exit. */
async function waitFor(r: Run, pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(r.stdout)) {
    if (r.child.exitCode !== null || r.child.signalCode !== null)
      throw new Error(`exited early:\n${r.stdout}${r.stderr}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms:\n${r.stdout}${r.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const killGroup = (r: Run, signal: NodeJS.Signals) => {
  try {
    if (r.child.pid) process.kill(-r.child.pid, signal);
  } catch {
    // The group is gone.
  }
};

afterAll(() => {
  // The interrupted builds left some outputs missing (the spec's build empties dist/ first).
  execFileSync("pnpm", ["build", "--output-logs=errors-only"], {
    cwd: root,
    stdio: "pipe",
    timeout: 300_000,
  });
}, 300_000);

describe("pnpm start and pnpm mock, signalled while turbo builds", { timeout: LIMIT_MS + 10_000 }, () => {
  for (const command of [["start"], ["mock", "--port", "0"]]) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it(`\`pnpm ${command.join(" ")}\`, ${signal} to its process group during the build: one line "stopped", exit 0, no pnpm error`, async () => {
        const r = run(command);
        const guard = setTimeout(() => killGroup(r, "SIGKILL"), LIMIT_MS);
        try {
          await waitFor(r, BUILDING, LIMIT_MS - 20_000);
          killGroup(r, signal);
          const { code, signal: death } = await r.exit;
          expect({ code, death }).toEqual({ code: 0, death: null });
        } finally {
          clearTimeout(guard);
          killGroup(r, "SIGKILL");
        }
        // It was the build that was stopped, not a server.
        expect(r.stdout).not.toMatch(SERVING);
        const lines = r.stdout.trimEnd().split("\n");
        expect(lines.at(-1)).toBe("stopped");
        expect(lines.filter((l) => l === "stopped")).toHaveLength(1);
        // The line before it is turbo's progress: its shutdown report and the tasks' errors are cut off.
        expect(lines.at(-2)).toMatch(/^@ecs-api\/[a-z-]+:build: /);
        expect(`${r.stdout}${r.stderr}`).not.toMatch(/ERR_PNPM|ELIFECYCLE|Shutting down/);
        expect(r.stderr).toBe("");
      });
    }
  }
});
