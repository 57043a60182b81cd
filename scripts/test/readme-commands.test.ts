// Every command a README prints works exactly as printed. The commands are read from the READMEs
// (readme-commands.ts), each is classified in readme-rules.ts, and the safe ones run here against
// the build turbo made before this test (scripts/turbo.json: after every other package's tests, so
// nothing here races them for ports, builds or cores). Nothing here reaches the network: npm and
// pnpm run offline, turbo's and Redocly's telemetry are off, servers listen on free ports of
// 127.0.0.1. The OpenStack tools' commands run in packages/mock/test/real-clients.test.ts.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadContract } from "@ecs-api/spec";
import { afterEach, describe, expect, it } from "vitest";
import { type ReadmeCommand, readmeCommands } from "./readme-commands.js";
import { type How, RULES, ruleFor, type Signal } from "./readme-rules.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const commands = readmeCommands(root);
const contract = loadContract();

/** One entry per distinct command text, with every place it is printed. */
const byText = new Map<string, ReadmeCommand[]>();
for (const c of commands) byText.set(c.text, [...(byText.get(c.text) ?? []), c]);
const distinct = [...byText].map(([text, places]) => ({ text, places, how: ruleFor(text)?.how }));
const where = (places: ReadmeCommand[]) => places.map((p) => `${p.file}:${p.line}`).join(", ");

/** Notices a normal run must not print: ours to suppress, or a sign of a failing runner. */
const NOISE =
  /ELIFECYCLE|ERR_PNPM|Command failed|anonymous telemetry|Update available|end-of-life|support is ending|npm (notice|warn)|ExperimentalWarning|DeprecationWarning/i;
/** The mock's per-request log lines (the probes cause them). */
const REQUEST_LOG = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \//;

/**
 * The environment of a reader's terminal: none of what pnpm, turbo and vitest add for this test
 * (npm_* config, node_modules/.bin folders on PATH, TURBO_*, VITEST*), plus the guards that keep
 * every command off the network.
 */
function readerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !/^(npm_|PNPM_SCRIPT|TURBO_|VITEST|ECS_MOCK_)/i.test(k) &&
        !["INIT_CWD", "NODE_ENV", "TEST", "DOCS_PORT", "NODE_OPTIONS"].includes(k),
    ),
  );
  const path = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => !dir.startsWith(root) && !dir.includes("node-gyp-bin"))
    .join(delimiter);
  return {
    ...env,
    PATH: path,
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
    TURBO_TELEMETRY_DISABLED: "1",
    REDOCLY_TELEMETRY: "off",
    REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
    ...extra,
  };
}

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

const running = new Set<ChildProcess>();
/** Never leave a process group behind, whatever a test does. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL") {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
afterEach(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) killGroup(child);
  running.clear();
});

/** Starts `file args` in a process group of its own, as a terminal starts a foreground job. */
function start(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Running {
  const child = spawn(file, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let out = "";
  let err = "";
  child.stdout?.on("data", (c) => {
    out += c;
  });
  child.stderr?.on("data", (c) => {
    err += c;
  });
  const exit = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const timer = setTimeout(() => killGroup(child), timeoutMs);
  exit.finally(() => clearTimeout(timer));
  return { child, out: () => out, err: () => err, exit };
}

async function until(r: Running, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(r.out());
    if (match) return match;
    if (r.child.exitCode !== null || r.child.signalCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${r.out()}\n${r.err()}`);
}

/** A served command as argv: the README's servers are plain words, no shell syntax to interpret. */
function argvOf(text: string): string[] {
  expect(text, "a served command must be plain words").toMatch(/^[\w@./:= -]+$/);
  // A port the command names becomes 0 (any free port): the machine may be shared.
  return text.replace(/(--port[ =])\d+/g, "$10").split(/\s+/);
}

async function probe(kind: "docs" | "mock" | "docs+mock", output: string, maxMicroversion: string) {
  if (kind.includes("docs")) {
    const docs = /^Docs: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output)?.[1];
    expect(docs, output).toBeDefined();
    const page = await fetch(docs as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("__redoc_definition");
  }
  if (kind.includes("mock")) {
    const mock = /(?:^Mock: |listening on )(http:\/\/127\.0\.0\.1:\d+)/m.exec(output)?.[1];
    expect(mock, output).toBeDefined();
    const versions = await fetch(`${mock}/v2.1`);
    expect(versions.status).toBe(200);
    expect((await versions.json()).version.version).toBe(maxMicroversion);
  }
}

describe("the READMEs' commands", () => {
  it("are found: fenced shell lines and inline commands of every README", () => {
    const files = new Set(commands.map((c) => c.file));
    expect(files).toContain("README.md");
    expect(files).toContain("packages/mock/README.md");
    expect(commands.some((c) => c.block)).toBe(true);
    expect(commands.some((c) => !c.block)).toBe(true);
  });

  it("are each classified in readme-rules.ts (a new command must be, before it is printed)", () => {
    const unclassified = distinct.filter((c) => !c.how).map((c) => `${c.text}   (${where(c.places)})`);
    expect(unclassified).toEqual([]);
  });

  it("leave no rule that names a command no README prints any more", () => {
    const texts = new Set(distinct.map((c) => c.text));
    const stale = RULES.filter((r) => typeof r.match === "string" && !texts.has(r.match)).map((r) => r.match);
    expect(stale).toEqual([]);
  });

  it("run turbo with its telemetry off in every root script (no notice, nothing sent)", () => {
    const scripts: Record<string, string> = JSON.parse(
      readFileSync(join(root, "package.json"), "utf8"),
    ).scripts;
    const turbo = Object.entries(scripts).filter(([, s]) => /\bturbo\b/.test(s));
    expect(turbo.length).toBeGreaterThan(3);
    for (const [name, script] of turbo) expect(script, name).toMatch(/^TURBO_TELEMETRY_DISABLED=1 turbo /);
  });
});

const of = <K extends How["kind"]>(kind: K) =>
  distinct.flatMap((c) => (c.how?.kind === kind ? [{ ...c, how: c.how as Extract<How, { kind: K }> }] : []));

describe("the READMEs' commands that run to completion, as printed", { timeout: 320_000 }, () => {
  for (const { text, places, how } of of("exits")) {
    it(`\`${text}\` exits 0 (${where(places)})`, async () => {
      const timeoutMs = how.timeoutMs ?? 120_000;
      const r = start("bash", ["-c", text], join(root, how.cwd ?? ""), readerEnv(), timeoutMs);
      const code = await r.exit;
      expect(code, `${r.out()}\n${r.err()}`).toBe(0);
      if (how.expect) expect(`${r.out()}${r.err()}`).toMatch(how.expect);
    });
  }
});

describe("the READMEs' servers, as printed, stopped like a terminal stops them", { timeout: 200_000 }, () => {
  for (const { text, places, how } of of("serves")) {
    for (const signal of how.signals) {
      it(`\`${text}\` serves, then ${signal} to its process group: one line "stopped", exit 0, no notices (${where(places)})`, async () => {
        const [file, ...args] = argvOf(text);
        const env = readerEnv({ ECS_MOCK_PORT: "0", DOCS_PORT: "0" });
        const r = start(file as string, args, join(root, how.cwd ?? ""), env, 180_000);
        const ready = await until(r, how.ready, 150_000);
        if (how.before) {
          const progress = how.before.exec(r.out());
          expect(progress, "build progress before the URLs").not.toBeNull();
          expect(progress?.index ?? Number.POSITIVE_INFINITY).toBeLessThan(ready.index);
        }
        await probe(how.probe, r.out(), how.maxMicroversion ?? contract.maxMicroversion);
        process.kill(-(r.child.pid as number), signal as Signal);
        const code = await r.exit;
        const outcome = code ?? r.child.signalCode;
        const accepted = [0, ...(how.diesOfTheSignal ? [signal, 128 + os.constants.signals[signal]] : [])];
        expect(accepted, `exit ${outcome}: ${r.out()}\n${r.err()}`).toContain(outcome);
        // Counted from the end: start-up lines may still be arriving when the signal is sent.
        const lines = r
          .out()
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l && !REQUEST_LOG.test(l));
        expect(lines.at(-1)).toBe("stopped");
        expect(lines.filter((l) => l === "stopped")).toHaveLength(1);
        expect(`${r.out()}${r.err()}`).not.toMatch(NOISE);
        expect(r.err()).toBe("");
      });
    }
  }
});
