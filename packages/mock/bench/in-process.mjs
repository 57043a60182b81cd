#!/usr/bin/env node
// The mock without a socket, against the least a handler of the same kind can do, same request mix:
//
// 1. The fetch adapter called in-process (`createFetchHandler(await createNodeEngine())`) against a
//    trivial fetch handler that reads the body and answers a fixed 202: requests per second.
// 2. `@ecs-api/mock/msw`'s `createHandlers()` under msw/node's `setupServer` intercepting `fetch`,
//    against a trivial `http.post(…, () => HttpResponse.json(…))` under the same `setupServer`
//    (swapped with `resetHandlers`): microseconds per request. msw/node keeps some 8 KB per
//    intercepted request on the heap on Node 20, whichever handler answers (both sides alike; cf.
//    mswjs/msw#2537), so this part runs last.
//
// 3. The image store's live heap: V8's heap after a full GC, after 10 k and after 100 k accepted
//    createImage calls on one engine (plain requests, no adapter). RSS (workflow.mjs) also counts
//    garbage V8 has not collected yet; this is what the --max-images cap bounds.
//
// Both sides build the same `Request` and read the whole answer. Each round runs the two sides in
// alternating batches of BATCH calls (who goes first alternates too), so load from other processes
// hits both alike; a ratio is the median of the per-round ratios. Every loop is a fixed count.
//
// Run by bench/run.mjs; alone: `node --expose-gc bench/in-process.mjs [--rounds n] [--calls n]`. Writes
// test-output/bench-in-process.json.
import { parseArgs } from "node:util";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { createFetchHandler, createNodeEngine } from "../dist/index.js";
import { createHandlers } from "../dist/msw.js";
import { log, median, paired, perSecond, stats, writeResult } from "./lib.mjs";
import { MIX } from "./mix.mjs";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "5" }, calls: { type: "string", default: "3000" } },
});
const ROUNDS = Math.min(15, Math.max(1, Number(values.rounds)));
// Calls per side and round for the fetch adapter; MSW costs more per call and runs a third of them.
const CALLS = Math.min(50_000, Math.max(300, Number(values.calls)));
const BATCH = 100;
const WARMUP = 1_000;

const ORIGIN = "http://127.0.0.1:4010";
const IMAGE_ID = "0e7761dd-ee98-41f0-ba35-05994e446431";
const answer = () => ({ image_id: IMAGE_ID });

/** One call of the mix, as a caller makes it: a fresh Request in, the whole answer read. */
const requestAt = (i) => {
  const r = MIX[i % MIX.length];
  return [`${ORIGIN}${r.path}`, { method: r.method, headers: r.headers, body: r.body }];
};

/**
 * Runs `sides` (name → call(i)) in alternating batches; returns per round the seconds each side
 * spent on `calls` calls, and the status counts of each side.
 */
async function interleave(sides, calls) {
  const names = Object.keys(sides);
  const status = Object.fromEntries(names.map((n) => [n, {}]));
  const seconds = Object.fromEntries(names.map((n) => [n, []]));
  const tally = (name, code) => {
    status[name][code] = (status[name][code] ?? 0) + 1;
  };
  for (const name of names) for (let i = 0; i < WARMUP; i++) await sides[name](i);
  for (let round = 0; round < ROUNDS; round++) {
    const spent = Object.fromEntries(names.map((n) => [n, 0n]));
    for (let done = 0; done < calls; done += BATCH) {
      const order = (round + done / BATCH) % 2 ? [...names].reverse() : names;
      for (const name of order) {
        const call = sides[name];
        const t0 = process.hrtime.bigint();
        for (let i = done; i < done + BATCH; i++) tally(name, await call(i));
        spent[name] += process.hrtime.bigint() - t0;
      }
    }
    for (const name of names) seconds[name].push(Number(spent[name]) / 1e9);
  }
  return { seconds, status };
}

// 1. The fetch adapter, in-process.
const engine = await createNodeEngine({ snapshotSeconds: 0 });
const adapter = createFetchHandler(engine);
/** The baseline: a fetch handler doing the least a createImage server can do. */
const trivial = async (request) => {
  await request.arrayBuffer();
  return Response.json(answer(), { status: 202 });
};
const viaHandler = (handler) => async (i) => {
  const res = await handler(new Request(...requestAt(i)));
  await res.arrayBuffer();
  return res.status;
};
const fetchRun = await interleave(
  { "fetch adapter": viaHandler(adapter), "trivial fetch handler": viaHandler(trivial) },
  CALLS,
);
const rps = Object.fromEntries(
  Object.entries(fetchRun.seconds).map(([k, s]) => [k, s.map((x) => CALLS / x)]),
);
log(
  `in-process: fetch adapter ${rps["fetch adapter"].map(Math.round).join("/")} req/s, trivial ${rps["trivial fetch handler"].map(Math.round).join("/")} req/s`,
);

// 3. The live heap of the image store (before MSW, whose interception keeps memory of its own).
if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc (the live-heap figure)");
const heapMiB = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const heap = {};
{
  const store = await createNodeEngine({ snapshotSeconds: 0 });
  const create = MIX[1];
  const request = {
    method: create.method,
    path: create.path,
    query: "",
    headers: create.headers,
    body: new TextEncoder().encode(create.body),
    origin: ORIGIN,
  };
  heap.empty = heapMiB();
  let accepted = 0;
  const createImages = async (n) => {
    for (let i = 0; i < n; i++) if ((await store.handle(request)).status === 202) accepted++;
  };
  await createImages(10_000);
  heap.after10k = heapMiB();
  heap.accepted10k = accepted;
  await createImages(90_000);
  heap.after100k = heapMiB();
  heap.accepted100k = accepted;
  log(
    `in-process: live heap ${heap.after10k.toFixed(2)} MiB after ${heap.accepted10k} images, ${heap.after100k.toFixed(2)} MiB after ${heap.accepted100k}`,
  );
}

// 2. MSW: one setupServer, its handlers swapped between the sides.
const BASE = "http://ecs.mock.bench";
const mockHandlers = createHandlers({ baseUrl: BASE, snapshotSeconds: 0 });
const trivialHandlers = [
  http.post(`${BASE}/*`, async ({ request }) => {
    await request.arrayBuffer();
    return HttpResponse.json(answer(), { status: 202 });
  }),
];
const server = setupServer();
server.listen({ onUnhandledRequest: "error" });
let active;
const viaMsw = (handlers) => async (i) => {
  if (active !== handlers) {
    server.resetHandlers(...handlers);
    active = handlers;
  }
  const [url, init] = requestAt(i);
  const res = await fetch(url.replace(ORIGIN, BASE), init);
  await res.arrayBuffer();
  return res.status;
};
const MSW_CALLS = Math.max(BATCH, Math.round(CALLS / 3 / BATCH) * BATCH);
let mswRun;
try {
  mswRun = await interleave(
    { "msw: createHandlers()": viaMsw(mockHandlers), "msw: trivial handler": viaMsw(trivialHandlers) },
    MSW_CALLS,
  );
} finally {
  server.close();
}
const us = Object.fromEntries(
  Object.entries(mswRun.seconds).map(([k, s]) => [k, s.map((x) => (x / MSW_CALLS) * 1e6)]),
);
log(
  `in-process: msw createHandlers ${us["msw: createHandlers()"].map(Math.round).join("/")} µs, trivial ${us["msw: trivial handler"].map(Math.round).join("/")} µs`,
);

// Every side must have answered the mix as it should: the mock's statuses are the mix's (the same
// counts through both adapters), the trivial sides always 202; nothing else, no 5xx.
const mockStatus = fetchRun.status["fetch adapter"];
const mswStatus = mswRun.status["msw: createHandlers()"];
const problems = [
  ...Object.keys(mockStatus).filter((c) => c.startsWith("5")),
  ...Object.keys(mswStatus).filter((c) => c.startsWith("5")),
  ...Object.keys(fetchRun.status["trivial fetch handler"]).filter((c) => c !== "202"),
  ...Object.keys(mswRun.status["msw: trivial handler"]).filter((c) => c !== "202"),
];
const sameShape =
  Object.keys(mockStatus).sort().join() === Object.keys(mswStatus).sort().join() && problems.length === 0;

const adapterRps = stats(rps["fetch adapter"]);
const trivialRps = stats(rps["trivial fetch handler"]);
const mswUs = stats(us["msw: createHandlers()"]);
const trivialUs = stats(us["msw: trivial handler"]);
const ownShare = median(us["msw: createHandlers()"].map((x, i) => x - us["msw: trivial handler"][i]));
const rows = [
  {
    figure: "mock fetch adapter in-process (no socket), mixed createImage requests",
    unit: "req/s",
    ...adapterRps,
    baseline: `trivial fetch handler (reads the body, fixed 202): ${perSecond(trivialRps.median)}`,
    ratio: paired(rps["fetch adapter"], rps["trivial fetch handler"]),
    target: "—",
    met: sameShape,
    ...(sameShape ? {} : { note: `unexpected statuses: ${JSON.stringify({ mockStatus, problems })}` }),
  },
  {
    figure: "mock MSW handlers (`createHandlers()`, msw/node `setupServer`), per request",
    unit: "µs",
    ...mswUs,
    baseline: `trivial \`http.post\` handler, same setupServer: ${trivialUs.median.toFixed(0)} µs (the mock's own share: ${ownShare.toFixed(0)} µs, median of the per-round differences)`,
    ratio: paired(us["msw: createHandlers()"], us["msw: trivial handler"]),
    target: "—",
    met: sameShape,
    ...(sameShape ? {} : { note: `unexpected statuses: ${JSON.stringify({ mswStatus, problems })}` }),
  },
  {
    figure: "mock live heap (after a full GC) after 100 k created images vs after 10 k, in-process",
    unit: "MiB",
    median: heap.after100k,
    min: heap.after100k,
    max: heap.after100k,
    runs: 1,
    baseline: `after 10 k: ${heap.after10k.toFixed(2)} MiB (the kept images: ${(heap.after10k - heap.empty).toFixed(2)} MiB)`,
    ratio: heap.after100k / heap.after10k,
    target: "≤ 1.10×",
    met: heap.after100k / heap.after10k <= 1.1 && heap.accepted100k === 100_000,
  },
];

const result = {
  date: new Date().toISOString(),
  settings: { rounds: ROUNDS, fetchCalls: CALLS, mswCalls: MSW_CALLS, batch: BATCH, mix: MIX.length },
  fetch: { rps, status: fetchRun.status },
  msw: { us, status: mswRun.status },
  heap,
  rows,
};
writeResult("bench-in-process.json", result);
for (const r of rows)
  console.log(
    `${r.figure}: ${r.unit === "µs" ? r.median.toFixed(1) : Math.round(r.median)} ${r.unit} (${r.baseline}), ${r.ratio.toFixed(2)}×`,
  );
