#!/usr/bin/env node
// This mock against another build of it (an earlier commit, a branch with a fix), the bare server as
// the third side, in interleaved rounds of the usual mix: requests per second and the server's CPU
// time per request. Not part of `pnpm bench`; for "did this change make the mock slower?".
//
//   git archive <commit> | tar -x -C /tmp/other && (cd /tmp/other && pnpm install --offline &&
//     pnpm exec turbo run build --filter=@ecs-api/mock...)
//   node bench/compare.mjs --against /tmp/other/packages/mock/bin/ecs-mock.js [--rounds 5] [--duration 5]
//
// The other build gets `--snapshot-seconds 0` only if its --help knows the flag (builds from before
// the workflow have no snapshots). Bounded like the other benches.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { cpuMicros, load, log, median, paired, start } from "./lib.mjs";
import { MIX } from "./mix.mjs";

const { values } = parseArgs({
  options: {
    against: { type: "string" },
    rounds: { type: "string", default: "5" },
    duration: { type: "string", default: "5" },
  },
});
if (!values.against) throw new Error("--against <path to the other build's bin/ecs-mock.js> is required");
const ROUNDS = Math.min(15, Math.max(1, Number(values.rounds)));
const DURATION = Math.min(60, Math.max(1, Number(values.duration)));
const other = values.against;
const help =
  spawnSync(process.execPath, [other, "--help"], { encoding: "utf8", timeout: 30_000 }).stdout ?? "";
const otherArgs = help.includes("--snapshot-seconds") ? ["--snapshot-seconds", "0"] : [];

const sides = {
  this: () => start("mock"),
  // The other build, started like this one's mock, with the same readiness check.
  other: () =>
    start("the other build", (port) => [
      process.execPath,
      other,
      "--port",
      String(port),
      "--quiet",
      ...otherArgs,
    ]),
  bare: () => start("bare"),
};
const results = Object.fromEntries(Object.keys(sides).map((k) => [k, { rps: [], cpuUs: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? ["other", "this", "bare"] : ["this", "other", "bare"];
  for (const name of order) {
    const server = await sides[name]();
    try {
      await load(server.url, { duration: 1, requests: MIX });
      const cpu0 = cpuMicros(server.pid);
      const r = await load(server.url, { duration: DURATION, requests: MIX });
      const us = (cpuMicros(server.pid) - cpu0) / r.requests.total;
      results[name].rps.push(r.requests.average);
      results[name].cpuUs.push(us);
      log(
        `round ${round + 1} ${name}: ${Math.round(r.requests.average)} req/s, ${us.toFixed(1)} µs CPU per request`,
      );
    } finally {
      await server.stop();
    }
  }
}
const t = results.this;
const o = results.other;
const b = results.bare;
console.log(
  `\nthis / other, median of ${ROUNDS} rounds: requests/s ${paired(t.rps, o.rps).toFixed(2)}×, CPU per request ${paired(t.cpuUs, o.cpuUs).toFixed(2)}×`,
);
console.log(
  `CPU per request: this ${median(t.cpuUs).toFixed(1)} µs, other ${median(o.cpuUs).toFixed(1)} µs, bare ${median(b.cpuUs).toFixed(1)} µs`,
);
console.log(
  `against bare (requests/s): this ${paired(t.rps, b.rps).toFixed(2)}×, other ${paired(o.rps, b.rps).toFixed(2)}×`,
);
