#!/usr/bin/env node
// `pnpm --filter @ecs-api/mock bench`: this mock against plain `prism mock` (the CLI, same spec) and
// a bare node:http server answering a fixed 202, in one run, on loopback, 32 connections, the same
// request mix. Also: memory after 10 k vs 100 k requests, and start-up time to the first good answer
// against the Prism CLI. Prints a table and writes test-output/bench.json (rows for `pnpm bench`).
//
// Every loop is bounded: fixed durations and request counts, polling with a deadline, and each
// server process is killed at the end (SIGKILL after 5 s).
//
// Options: --duration <s> (per round, default 5), --rounds <n> (default 3). About 100 s with the defaults.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { specPaths } from "@ecs-api/spec";
import autocannon from "autocannon";

const { values } = parseArgs({
  options: { duration: { type: "string", default: "5" }, rounds: { type: "string", default: "3" } },
});
const DURATION = Math.min(60, Math.max(1, Number(values.duration)));
const ROUNDS = Math.min(9, Math.max(1, Number(values.rounds)));
const CONNECTIONS = 32;
const here = new URL(".", import.meta.url);
const require = createRequire(import.meta.url);
const PRISM_CLI = require.resolve("@stoplight/prism-cli/dist/index.js");
const MOCK_BIN = new URL("../bin/ecs-mock.js", import.meta.url).pathname;
const BARE = new URL("bare-server.mjs", here).pathname;

// The request mix: valid calls at three versions and on /v2, and the usual mistakes.
const ACTIVE = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
const action = (server = ACTIVE, prefix = "/v2.1") =>
  `${prefix}/9c53a566cb3443ab910cf0daebca90c4/servers/${server}/action`;
const good = JSON.stringify({ createImage: { name: "bench-image", metadata: { k: "v" } } });
const json = { "x-auth-token": "bench-token", "content-type": "application/json" };
const MIX = [
  { method: "POST", path: action(), headers: json, body: good },
  {
    method: "POST",
    path: action(),
    headers: { ...json, "openstack-api-version": "compute 2.45" },
    body: good,
  },
  {
    method: "POST",
    path: action(),
    headers: { ...json, "x-openstack-nova-api-version": "2.60" },
    body: good,
  },
  { method: "POST", path: action(ACTIVE, "/v2"), headers: json, body: good },
  { method: "POST", path: action(), headers: json, body: '{"createImage": {"name": ""}}' },
  { method: "POST", path: action(), headers: json, body: '{"createImage": {"name": "a", "foo": 1}}' },
  { method: "POST", path: action(), headers: { ...json, "x-openstack-nova-api-version": "2.x" }, body: good },
  {
    method: "POST",
    path: action(),
    headers: { ...json, "x-openstack-nova-api-version": "2.99" },
    body: good,
  },
  { method: "POST", path: action(), headers: { "content-type": "application/json" }, body: good },
  { method: "POST", path: action(), headers: { ...json, "content-type": "application/xml" }, body: good },
  { method: "POST", path: action("00000000-0000-0000-0000-000000000404"), headers: json, body: good },
  { method: "POST", path: action("00000000-0000-0000-0000-000000000409"), headers: json, body: good },
];

// The mock starts from the build's Prism templates (generated/); if they are stale (the spec was
// rebuilt since), regenerate them, or every start-up would recompute them and the figures would be wrong.
{
  const check = spawnSync(process.execPath, [
    new URL("../scripts/generate.mjs", import.meta.url).pathname,
    "--check",
  ]);
  if (check.status !== 0) {
    process.stderr.write("generated/ is older than the spec: refreshing it\n");
    const r = spawnSync(process.execPath, [new URL("../scripts/generate.mjs", import.meta.url).pathname], {
      stdio: "inherit",
    });
    if (r.status !== 0) throw new Error("could not refresh generated/; run pnpm build");
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// Each target as a user starts it: the mock through its bin (its shebang line carries the Node
// flags, as pnpm's shim does), Prism through its CLI, the baseline as a plain script.
const TARGETS = {
  mock: (port) => [MOCK_BIN, "--port", String(port), "--quiet"],
  "mock (request log on)": (port) => [MOCK_BIN, "--port", String(port)],
  prism: (port) => [
    process.execPath,
    PRISM_CLI,
    "mock",
    specPaths.json,
    "-p",
    String(port),
    "-h",
    "127.0.0.1",
  ],
  bare: (port) => [process.execPath, BARE, String(port)],
};

async function start(name) {
  const port = await freePort();
  const t0 = performance.now();
  // stdout to /dev/null: both the mock's log and Prism's are written, as a user would run them.
  const [command, ...args] = TARGETS[name](port);
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  const url = `http://127.0.0.1:${port}`;
  // Ready = the first good answer to a valid createImage (202), polled every 20 ms for at most 30 s.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer within 30 s: ${stderr}`);
    try {
      const res = await fetch(`${url}${action()}`, { method: "POST", headers: json, body: good });
      await res.arrayBuffer();
      if (res.status === 202) break;
    } catch {}
    await sleep(20);
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

function load(url, options) {
  return autocannon({ url, connections: CONNECTIONS, pipelining: 1, requests: MIX, ...options });
}

const rssMiB = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length });
const log = (line) => process.stderr.write(`${line}\n`);

// 1. Throughput and latency, rounds interleaved so drifting machine load hits every target alike.
const results = Object.fromEntries(
  Object.keys(TARGETS).map((k) => [k, { rps: [], p50: [], p99: [], startup: [], errors: 0, status: {} }]),
);
for (let round = 1; round <= ROUNDS; round++) {
  for (const name of Object.keys(TARGETS)) {
    const server = await start(name);
    try {
      await load(server.url, { duration: 1 }); // warm-up, not counted
      const r = await load(server.url, { duration: DURATION });
      const entry = results[name];
      entry.startup.push(server.startup);
      entry.rps.push(r.requests.average);
      entry.p50.push(r.latency.p50);
      entry.p99.push(r.latency.p99);
      entry.errors += r.errors + r.timeouts;
      for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {}))
        entry.status[code] = (entry.status[code] ?? 0) + count;
      log(
        `round ${round} ${name}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`,
      );
    } finally {
      await server.stop();
    }
  }
}

// 2. Memory: one fresh mock, RSS after 10 k and after 100 k requests of the same mix.
const memory = {};
{
  const server = await start("mock");
  try {
    await load(server.url, { amount: 10_000 });
    await sleep(500);
    memory.after10k = rssMiB(server.pid);
    await load(server.url, { amount: 90_000 });
    await sleep(500);
    memory.after100k = rssMiB(server.pid);
    log(
      `memory: ${memory.after10k.toFixed(1)} MiB after 10 k, ${memory.after100k.toFixed(1)} MiB after 100 k`,
    );
  } finally {
    await server.stop();
  }
}

// 3. Start-up to the first good answer (spawn → first 202), taken from the rounds above.
const startup = { mock: results.mock.startup, prism: results.prism.startup };
log(
  `start-up: mock ${startup.mock.map((x) => Math.round(x)).join("/")} ms, prism ${startup.prism.map((x) => Math.round(x)).join("/")} ms`,
);

// Ratios are taken per round (the targets of one round ran back to back) and then the median,
// so that load from other processes on the machine hits both sides of a ratio alike.
const paired = (a, b) => median(a.map((x, i) => x / b[i]));

// Rows for the table and for `pnpm bench`.
const m = results.mock;
const p = results.prism;
const b = results.bare;
const ml = results["mock (request log on)"];
const rps = (r) => `${Math.round(median(r.rps)).toLocaleString("en")} req/s`;
const rows = [
  {
    figure: "mock throughput, 32 connections, mixed createImage requests",
    unit: "req/s",
    ...stats(m.rps),
    baseline: `plain \`prism mock\` CLI: ${rps(p)}`,
    ratio: paired(m.rps, p.rps),
    target: "≥ 5× plain Prism",
    met: paired(m.rps, p.rps) >= 5,
  },
  {
    figure: "mock throughput against a bare node:http 202",
    unit: "req/s",
    ...stats(m.rps),
    baseline: `bare node:http: ${rps(b)}`,
    ratio: paired(m.rps, b.rps),
    target: "≥ 0.5× bare server",
    met: paired(m.rps, b.rps) >= 0.5,
  },
  ...["p50", "p99"].map((q) => ({
    figure: `mock latency ${q}`,
    unit: "ms",
    ...stats(m[q]),
    baseline: `Prism ${median(p[q])} ms, bare ${median(b[q])} ms`,
    ratio: paired(
      m[q],
      p[q].map((x) => Math.max(x, 1)),
    ),
    target: "—",
    met: true,
  })),
  {
    figure: "mock throughput with the request log on (stdout to /dev/null)",
    unit: "req/s",
    ...stats(ml.rps),
    baseline: `bare node:http: ${rps(b)}`,
    ratio: paired(ml.rps, b.rps),
    target: "—",
    met: true,
  },
  {
    figure: "mock memory (RSS) after 100 k requests vs after 10 k",
    unit: "MiB",
    median: memory.after100k,
    min: memory.after100k,
    max: memory.after100k,
    runs: 1,
    baseline: `after 10 k: ${memory.after10k.toFixed(1)} MiB`,
    ratio: memory.after100k / memory.after10k,
    target: "≤ 1.10×",
    met: memory.after100k / memory.after10k <= 1.1,
  },
  {
    figure: "mock start-up to the first good answer",
    unit: "ms",
    ...stats(startup.mock),
    baseline: `\`prism mock\` CLI: ${Math.round(median(startup.prism))} ms`,
    ratio: paired(startup.mock, startup.prism),
    target: "≤ 0.5× Prism CLI",
    met: paired(startup.mock, startup.prism) <= 0.5,
  },
];
const errors = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.errors]));
const mockStatuses = m.status;
const bad5xx = Object.keys(mockStatuses).filter((c) => c.startsWith("5"));
if (errors.mock > 0 || bad5xx.length > 0) {
  rows.push({
    figure: "mock errors or 5xx under load",
    unit: "",
    median: errors.mock,
    min: 0,
    max: 0,
    runs: ROUNDS,
    baseline: "—",
    target: "none",
    met: false,
    note: JSON.stringify(mockStatuses),
  });
}

const result = {
  machine: `${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, Node ${process.version}`,
  date: new Date().toISOString(),
  settings: { connections: CONNECTIONS, durationSeconds: DURATION, rounds: ROUNDS, mix: MIX.length },
  results: Object.fromEntries(
    Object.entries(results).map(([k, v]) => [
      k,
      { ...v, rps: stats(v.rps), p50: stats(v.p50), p99: stats(v.p99), startup: stats(v.startup) },
    ]),
  ),
  memory,
  startup: { mock: stats(startup.mock), prism: stats(startup.prism) },
  rows,
};
mkdirSync(new URL("../test-output/", import.meta.url), { recursive: true });
writeFileSync(new URL("../test-output/bench.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);

const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString("en") : x.toFixed(2));
const table = [
  ["figure", "median", "min – max", "baseline (same run)", "ratio", "target", ""],
  ...rows.map((r) => [
    r.figure,
    `${fmt(r.median)} ${r.unit}`,
    `${fmt(r.min)} – ${fmt(r.max)}`,
    r.baseline,
    `${r.ratio.toFixed(2)}×`,
    r.target,
    r.met ? "met" : "MISSED",
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
console.log(
  `\n${result.machine}; load generator and servers share the machine; ${CONNECTIONS} connections, ${ROUNDS} × ${DURATION} s\n`,
);
for (const row of table) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join("  "));
console.log(`\nmock status counts: ${JSON.stringify(mockStatuses)}\nwritten to test-output/bench.json`);
