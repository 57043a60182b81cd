#!/usr/bin/env node
// Instructions per request of a server under the usual mix, counted by valgrind's callgrind: a count
// that other processes on the machine do not move, for differences too small for compare.mjs's CPU
// times. Not part of `pnpm bench` (needs valgrind; a few minutes per side).
//
//   node bench/callgrind.mjs [--against <other build>/packages/mock/bin/ecs-mock.js] [--bare]
//     [--warmup 60000] [--requests 12000]
//
// Each side runs under `valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes`; the
// count is switched on after the warm-up (callgrind_control) and dumped after the measured requests.
// `--no-concurrent-recompilation`: the JIT compiles on the main thread, so that what is left of it
// after the warm-up shows as V8's compiler functions and can be told apart from the work per request.
// The sides run one after the other (instruction counts do not depend on the load).
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, load, log, untilReady } from "./lib.mjs";
import { MIX } from "./mix.mjs";

const { values } = parseArgs({
  options: {
    against: { type: "string" },
    bare: { type: "boolean", default: false },
    warmup: { type: "string", default: "60000" },
    requests: { type: "string", default: "12000" },
  },
});
const WARMUP = Math.min(500_000, Math.max(1_000, Number(values.warmup)));
const REQUESTS = Math.min(200_000, Math.max(1_000, Number(values.requests)));
const THIS = new URL("../bin/ecs-mock.js", import.meta.url).pathname;
const BARE = new URL("bare-server.mjs", import.meta.url).pathname;

const sides = { this: THIS };
if (values.against) sides.other = values.against;
if (values.bare) sides.bare = BARE;

/** The server's arguments: the mock's as the benches start it; the other build's flags if it knows them. */
function argsOf(bin, port) {
  if (bin === BARE) return [String(port)];
  const help = execFileSync(process.execPath, [bin, "--help"], { encoding: "utf8", timeout: 30_000 });
  return [
    "--port",
    String(port),
    "--quiet",
    ...(help.includes("--snapshot-seconds") ? ["--snapshot-seconds", "0"] : []),
  ];
}

/** Sums callgrind's `summary:` lines: all threads, the main thread, and V8's compiler on the main thread. */
function counts(files) {
  let all = 0;
  let main = 0;
  let compiler = 0;
  for (const file of files) {
    const n = Number(/^summary: (\d+)/m.exec(readFileSync(file, "utf8"))?.[1] ?? 0);
    all += n;
    if (file.endsWith("-01")) {
      main = n;
      const annotated = execFileSync("callgrind_annotate", ["--threshold=100", file], {
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
      });
      for (const line of annotated.split("\n")) {
        const m = /^\s*([\d,]+) \(.*v8::internal::compiler::/.exec(line);
        if (m) compiler += Number(m[1].replace(/,/g, ""));
      }
    }
  }
  return { all, main, compiler };
}

const results = {};
for (const [name, bin] of Object.entries(sides)) {
  const port = await freePort();
  const out = join(tmpdir(), `ecs-mock-callgrind-${process.pid}-${name}`);
  const child = spawn(
    "valgrind",
    [
      "--tool=callgrind",
      "--instr-atstart=no",
      "--separate-threads=yes",
      `--callgrind-out-file=${out}`,
      process.execPath,
      "--max-semi-space-size=4",
      "--no-concurrent-recompilation",
      bin,
      ...argsOf(bin, port),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    // valgrind makes start-up some 50× slower: a longer deadline, a slower poll
    await untilReady(url, child, {
      name: `${name} under valgrind`,
      stderr: () => stderr.slice(-2000),
      timeoutMs: 120_000,
      pollMs: 200,
    });
    await load(url, { amount: WARMUP, requests: MIX, timeout: 120 });
    execFileSync("callgrind_control", ["-i", "on", String(child.pid)], { stdio: "ignore" });
    const r = await load(url, { amount: REQUESTS, requests: MIX, timeout: 120 });
    execFileSync("callgrind_control", ["-d", String(child.pid)], { stdio: "ignore" });
    const dir = tmpdir();
    const prefix = `${out.slice(dir.length + 1)}.1-`;
    const files = readdirSync(dir)
      .filter((f) => f.startsWith(prefix))
      .map((f) => join(dir, f));
    const c = counts(files);
    results[name] = c;
    log(
      `${name}: ${r.requests.total} requests (${r.non2xx} not 2xx); per request ${Math.round(c.all / REQUESTS)} instructions, ` +
        `${Math.round((c.all - c.compiler) / REQUESTS)} without the JIT's compiling (main thread ${Math.round(c.main / REQUESTS)})`,
    );
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    const dir = tmpdir();
    const base = out.slice(dir.length + 1);
    for (const f of readdirSync(dir)) if (f.startsWith(base)) rmSync(join(dir, f), { force: true });
  }
}
if (results.other) {
  const t = results.this;
  const o = results.other;
  console.log(
    `this / other, instructions per request: ${(t.all / o.all).toFixed(2)}×, without the JIT's compiling ${((t.all - t.compiler) / (o.all - o.compiler)).toFixed(2)}×`,
  );
}
