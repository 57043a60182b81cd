// What the mock's benches share: the servers they start (as a user starts them), another commit's
// build of the mock to compare with, readiness with a deadline, RSS from /proc, and the statistics
// (medians, per-round ratios).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { specPaths } from "@ecs-api/spec";
import autocannon from "autocannon";
import { action, good, json } from "./mix.mjs";

const require = createRequire(import.meta.url);
const PRISM_CLI = require.resolve("@stoplight/prism-cli/dist/index.js");
const MOCK_BIN = new URL("../bin/ecs-mock.js", import.meta.url).pathname;
const BARE = new URL("bare-server.mjs", import.meta.url).pathname;
export const CONNECTIONS = 32;

// Prism's server copies every request violation into an `sl-violations` response header. The spec's
// ImageName pattern spells its Unicode ranges as literal characters, so the message for a bad name
// is not a valid header value: Node throws and the `prism mock` process dies on the mix's first bad
// body (stoplightio/prism#1934, open). Prism gets the same document with every non-ASCII character
// of a `pattern` written as a `\uXXXX` escape: the same regular expression, an ASCII message.
function asciiPatterns(node) {
  if (Array.isArray(node)) return node.map(asciiPatterns);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === "pattern" && typeof value === "string"
        ? value.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
        : asciiPatterns(value),
    ]),
  );
}
const PRISM_SPEC = new URL("../test-output/prism-openapi.json", import.meta.url).pathname;
mkdirSync(new URL("../test-output/", import.meta.url), { recursive: true });
writeFileSync(PRISM_SPEC, JSON.stringify(asciiPatterns(JSON.parse(readFileSync(specPaths.json, "utf8")))));

// Each target as a user starts it: the mock through its bin (its shebang line carries the Node
// flags, as pnpm's shim does), Prism through its CLI, the baseline as a plain script.
// `--snapshot-seconds 0`: every valid createImage of the mix is a 202, as the mix intends. With the
// default of a few seconds the server would be busy after the first one and the rest of the valid
// calls would measure Nova's 409 instead.
const MOCK = (port) => [MOCK_BIN, "--port", String(port), "--snapshot-seconds", "0"];
export const TARGETS = {
  mock: (port) => [...MOCK(port), "--quiet"],
  "mock (request log on)": (port) => MOCK(port),
  prism: (port) => [process.execPath, PRISM_CLI, "mock", PRISM_SPEC, "-p", String(port), "-h", "127.0.0.1"],
  bare: (port) => [process.execPath, BARE, String(port)],
};

/**
 * The mock of another commit of this repository, built once into the system's temp folder (`git
 * archive`, `pnpm install` from the store or else the registry, turbo build) and kept there for the
 * next run; returns its `bin/ecs-mock.js`. Throws with every step that failed: a shallow clone
 * without that commit, no network for packages the store lacks, a failed build. A marker written
 * after a whole build is what counts as built, so an interrupted build is made again.
 */
export function buildAt(commit) {
  const repo = new URL("../../..", import.meta.url).pathname;
  const dir = join(tmpdir(), `ecs-api-mock-${commit}`);
  const bin = join(dir, "packages/mock/bin/ecs-mock.js");
  const marker = join(dir, ".built");
  if (existsSync(marker)) return bin;
  log(`building the mock of ${commit} in ${dir} (once)`);
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off" };
  const failed = [];
  const step = (cmd, args, cwd, seconds) => {
    const r = spawnSync(cmd, args, { cwd, env, stdio: "ignore", timeout: seconds * 1000 });
    if (r.status !== 0) failed.push(`${cmd} ${args.join(" ")}: ${r.error?.code ?? r.status}`);
    return r.status === 0;
  };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const built =
    step("git", ["archive", "--output", join(dir, "source.tar"), commit], repo, 60) &&
    step("tar", ["-xf", "source.tar"], dir, 60) &&
    (step("pnpm", ["install", "--offline", "--frozen-lockfile"], dir, 300) ||
      step("pnpm", ["install", "--frozen-lockfile"], dir, 600)) &&
    step("pnpm", ["exec", "turbo", "run", "build", "--filter=@ecs-api/mock..."], dir, 600);
  if (!built) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the mock of ${commit} could not be built: ${failed.join("; ")}`);
  }
  writeFileSync(marker, `${commit}\n`);
  return bin;
}

/**
 * The argv of another build of the mock (an earlier commit's `bin/ecs-mock.js`), started as this
 * build's `mock` target is: through its bin (its shebang line carries its Node flags), `--quiet`,
 * and `--snapshot-seconds 0` only if its --help knows the flag (builds from before the workflow
 * have no snapshots).
 */
export function otherBuild(bin) {
  const help = spawnSync(bin, ["--help"], { encoding: "utf8", timeout: 30_000 }).stdout ?? "";
  const extra = help.includes("--snapshot-seconds") ? ["--snapshot-seconds", "0"] : [];
  return (port) => [bin, "--port", String(port), "--quiet", ...extra];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const log = (line) => process.stderr.write(`${line}\n`);

export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/**
 * Waits for `child`'s first 202 to a valid createImage at `url`, polled every `pollMs`; throws when
 * the child exits first or `timeoutMs` pass (the message ends with the child's stderr).
 */
export async function untilReady(url, child, { name, stderr = () => "", timeoutMs = 30_000, pollMs = 20 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr()}`);
    if (Date.now() > deadline)
      throw new Error(`${name} did not answer within ${timeoutMs / 1000} s: ${stderr()}`);
    try {
      const res = await fetch(`${url}${action()}`, { method: "POST", headers: json, body: good });
      await res.arrayBuffer();
      if (res.status === 202) return;
    } catch {}
    await sleep(pollMs);
  }
}

/**
 * Starts a target (one of TARGETS, or `argv(port)` for another, e.g. another build of the mock);
 * ready = the first 202 to a valid createImage, polled every 20 ms for at most 30 s.
 */
export async function start(name, argv = TARGETS[name]) {
  const port = await freePort();
  const t0 = performance.now();
  // stdout to /dev/null: both the mock's log and Prism's are written, as a user would run them.
  const [command, ...args] = argv(port);
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilReady(url, child, { name, stderr: () => stderr });
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const startup = performance.now() - t0;
  return {
    url,
    startup,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await new Promise((r) => child.once("exit", r));
      clearTimeout(killer);
    },
  };
}

/** autocannon at the benches' fixed concurrency; `duration` or `amount` bounds every run. */
export const load = (url, options) =>
  autocannon({ url, connections: CONNECTIONS, pipelining: 1, ...options });

export const rssMiB = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;
/** CPU time (user + system) a process has used so far, in µs, from /proc/<pid>/stat. */
export const cpuMicros = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
};

/**
 * Sends `amount` requests (as `load`) and samples the target's RSS each time another `every`
 * answers are in. V8 collects old-space garbage in a sawtooth (about 20 MiB over 20 k requests
 * here), so a single sample lands anywhere on it; a memory figure is the median of a window of
 * samples (see memoryAfter).
 */
export async function loadSamplingRss(url, pid, options, every = 1_000) {
  const samples = [];
  let answered = 0;
  const run = load(url, options);
  run.on("response", () => {
    answered++;
    if (answered % every === 0) samples.push(rssMiB(pid));
  });
  const result = await run;
  return { result, samples };
}

/**
 * RSS after 10 k and after 100 k requests on one fresh process: the median of the samples taken
 * every 1 k over the last 10 k of each (1–10 k and 91–100 k), and the results of both loads.
 */
export async function memoryAfter(server, requests) {
  const first = await loadSamplingRss(server.url, server.pid, { amount: 10_000, requests });
  const rest = await loadSamplingRss(server.url, server.pid, { amount: 90_000, requests });
  const early = first.samples.slice(-10);
  const late = rest.samples.slice(-10);
  return {
    after10k: median(early),
    after100k: median(late),
    samples10k: early,
    samples100k: late,
    results: [first.result, rest.result],
  };
}

/** The row of a memoryAfter() result: RSS after 100 k against after 10 k, target ≤ 1.10×. */
export const memoryRow = (figure, memory, { met = true, note } = {}) => ({
  figure,
  unit: "MiB",
  median: memory.after100k,
  min: Math.min(...memory.samples100k),
  max: Math.max(...memory.samples100k),
  runs: memory.samples100k.length,
  baseline: `after 10 k: ${memory.after10k.toFixed(1)} MiB`,
  ratio: memory.after100k / memory.after10k,
  target: "≤ 1.10×",
  met: met && memory.after100k / memory.after10k <= 1.1,
  ...(note ? { note } : {}),
});

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
export const stats = (xs) => ({
  median: median(xs),
  min: Math.min(...xs),
  max: Math.max(...xs),
  runs: xs.length,
});

// Ratios are taken per round (the targets of one round ran back to back) and then the median,
// so that load from other processes on the machine hits both sides of a ratio alike.
export const paired = (a, b) => median(a.map((x, i) => x / b[i]));

export const perSecond = (x, unit = "req/s") => `${Math.round(x).toLocaleString("en")} ${unit}`;

/** Writes a bench's result as test-output/<file> (what bench/run.mjs and `pnpm bench` read). */
export function writeResult(file, result) {
  writeFileSync(new URL(`../test-output/${file}`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  return `test-output/${file}`;
}
