#!/usr/bin/env node
// This mock against another build of it (an earlier commit, a branch with a fix), the bare server as
// the third side, in interleaved rounds of the usual mix: requests per second and the server's CPU
// time per request; for "did this change make the mock slower?". (`pnpm bench` itself runs the build
// from before the engine redesign as one more side of the mock bench's rounds: run.mjs --against.)
//
//   node bench/compare.mjs --against-commit <rev> [--rounds 5] [--duration 5]
//   node bench/compare.mjs --against <another checkout>/packages/mock/bin/ecs-mock.js
//
// A commit is built once by lib.mjs's buildAt(); the other build is started as its otherBuild()
// says. Bounded like the other benches.
import { parseArgs } from "node:util";
import { buildAt, cpuMicros, load, log, median, otherBuild, paired, start } from "./lib.mjs";
import { MIX } from "./mix.mjs";

const { values } = parseArgs({
  options: {
    against: { type: "string" },
    "against-commit": { type: "string" },
    rounds: { type: "string", default: "5" },
    duration: { type: "string", default: "5" },
  },
});
const other = values.against ?? (values["against-commit"] && buildAt(values["against-commit"]));
if (!other)
  throw new Error("--against <the other build's bin/ecs-mock.js> or --against-commit <rev> is required");
const ROUNDS = Math.min(15, Math.max(1, Number(values.rounds)));
const DURATION = Math.min(60, Math.max(1, Number(values.duration)));
const otherArgv = otherBuild(other);

const sides = {
  this: () => start("mock"),
  // The other build, started like this one's mock, with the same readiness check.
  other: () => start("the other build", otherArgv),
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
