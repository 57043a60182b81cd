// @ts-check
/**
 * `pnpm --filter @ecs-api/client bench`: two ratios, measured side by side in one run.
 *
 * 1. Per-call cost of `createImage` against a bare `fetch` doing the same request (same URL,
 *    headers and body, reading the same answer), on loopback against one local server. Variants
 *    run interleaved, round by round; the ratio is the median of the rounds (min–max shown).
 *    openapi-fetch's `POST` runs alongside as the reference the issue quotes (about 1.3×).
 *    A second table takes the network out (a stub `fetch` returning a prebuilt Response) to show
 *    where the client's own time goes.
 * 2. Minified + gzipped size of a consumer that imports `createEcsClient` (openapi-fetch included).
 *
 * Writes test-output/bench.json. Counts are bounded; nothing is timed as a pass/fail.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import { checkImage, createEcsClient } from "../dist/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const WARMUP = 300;
const SIZE_TARGET = 5000; // bytes, min+gzip (the 5 kB)
const CALL_TARGET = 1.1;

const PROJECT = "9c53a566cb3443ab910cf0daebca90c4";
const SERVER = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
const TOKEN = "gAAAAABbench-token";
const MV = "2.45";
const image = { name: "bench-image", metadata: { meta_var: "meta_val" } };
/** openapi-fetch as its users call it: the path template plus parameters. */
const ACTION = "/v2.1/{project_id}/servers/{server_id}/action";
const params = { path: { project_id: PROJECT, server_id: SERVER } };

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
/** @param {number} x */
const r2 = (x) => Math.round(x * 100) / 100;

/**
 * Runs the variants call by call in turn (rotating who goes first) and times every call, so load
 * from other processes and GC pauses hit all variants alike; each round's figure is the median
 * call, which ignores the outliers such pauses cause.
 * @param {Record<string, () => Promise<unknown>>} variants
 * @param {number} calls per variant and round
 * @returns {Promise<Record<string, number[]>>} median microseconds per call, per round
 */
async function interleave(variants, calls) {
  const names = Object.keys(variants);
  const fns = names.map((n) => /** @type {() => Promise<unknown>} */ (variants[n]));
  /** @type {Record<string, number[]>} */
  const perRound = Object.fromEntries(names.map((n) => [n, []]));
  for (const fn of fns) for (let i = 0; i < WARMUP; i++) await fn();
  for (let round = 0; round < ROUNDS; round++) {
    const samples = names.map(() => /** @type {number[]} */ ([]));
    for (let i = 0; i < calls; i++) {
      for (let k = 0; k < fns.length; k++) {
        const j = (k + i) % fns.length;
        const start = process.hrtime.bigint();
        await /** @type {() => Promise<unknown>} */ (fns[j])();
        samples[j]?.push(Number(process.hrtime.bigint() - start) / 1000);
      }
    }
    for (const [j, n] of names.entries()) perRound[n]?.push(median(/** @type {number[]} */ (samples[j])));
  }
  return perRound;
}

/**
 * @param {Record<string, number[]>} perCall
 * @param {string} baseline
 */
function summarise(perCall, baseline) {
  const base = /** @type {number[]} */ (perCall[baseline]);
  return Object.fromEntries(
    Object.entries(perCall).map(([name, us]) => {
      const ratios = us.map((u, i) => u / /** @type {number} */ (base[i]));
      return [
        name,
        {
          usPerCall: r2(median(us)),
          ratio: r2(median(ratios)),
          ratioMin: r2(Math.min(...ratios)),
          ratioMax: r2(Math.max(...ratios)),
        },
      ];
    }),
  );
}

async function perCallOverLoopback() {
  const worker = new Worker(new URL("./server.mjs", import.meta.url));
  const port = await new Promise((resolve) => worker.once("message", resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  const url = `${baseUrl}/v2.1/${PROJECT}/servers/${SERVER}/action`;
  const headers = {
    "content-type": "application/json",
    accept: "application/json",
    "x-auth-token": TOKEN,
    "openstack-api-version": `compute ${MV}`,
    "x-openstack-nova-api-version": MV,
  };
  const ecs = createEcsClient({ baseUrl, projectId: PROJECT, token: TOKEN, microversion: MV });
  const timed = createEcsClient({
    baseUrl,
    projectId: PROJECT,
    token: TOKEN,
    microversion: MV,
    timeoutMs: 30_000,
  });
  /** @type {import("openapi-fetch").Client<import("../dist/index.js").paths>} */
  const raw = createClient({ baseUrl, headers });
  try {
    const perCall = await interleave(
      {
        "bare fetch": async () => {
          const res = await fetch(url, {
            method: "POST",
            headers,
            body: JSON.stringify({ createImage: image }),
          });
          const id = JSON.parse(await res.text()).image_id;
          if (res.status !== 202 || typeof id !== "string") throw new Error("bad answer");
        },
        createImage: () => ecs.createImage(SERVER, image),
        "createImage + timeoutMs": () => timed.createImage(SERVER, image),
        "openapi-fetch POST": async () => {
          const { data } = await raw.POST(ACTION, { params, body: { createImage: image } });
          if (!data) throw new Error("bad answer");
        },
      },
      CALLS,
    );
    return summarise(perCall, "bare fetch");
  } finally {
    worker.postMessage("close");
  }
}

/** The same calls with a stub fetch: only the client's own CPU time is left. */
async function perCallWithoutNetwork() {
  const body = JSON.stringify({ image_id: SERVER });
  const answer = () =>
    new Response(body, {
      status: 202,
      headers: { "Content-Type": "application/json", "OpenStack-API-Version": `compute ${MV}` },
    });
  /** @type {typeof fetch} */
  const stub = async () => answer();
  const baseUrl = "http://127.0.0.1:9";
  const url = `${baseUrl}/v2.1/${PROJECT}/servers/${SERVER}/action`;
  const headers = {
    "content-type": "application/json",
    "x-auth-token": TOKEN,
    "x-openstack-nova-api-version": MV,
  };
  const ecs = createEcsClient({ baseUrl, projectId: PROJECT, token: TOKEN, microversion: MV, fetch: stub });
  /** @type {import("openapi-fetch").Client<import("../dist/index.js").paths>} */
  const raw = createClient({ baseUrl, headers, fetch: stub });
  const perCall = await interleave(
    {
      "stub: Response + text() only": async () => JSON.parse(await answer().text()),
      "stub: createImage": () => ecs.createImage(SERVER, image),
      "stub: openapi-fetch POST": () => raw.POST(ACTION, { params, body: { createImage: image } }),
      "new Request(url, init)": async () =>
        new Request(url, { method: "POST", headers, body: JSON.stringify({ createImage: image }) }),
      "new Request(request) (fetch's copy)": async () =>
        new Request(new Request(url, { method: "POST", headers, body: "{}" })),
      "checkImage (validation)": async () => checkImage(image),
    },
    CALLS,
  );
  return Object.fromEntries(
    Object.entries(perCall).map(([k, us]) => [k, { usPerCall: Math.round(median(us) * 1000) / 1000 }]),
  );
}

async function bundleSize() {
  /** @param {string} contents @param {string[]} external */
  const size = async (contents, external = []) => {
    const out = await build({
      stdin: { contents, resolveDir: root, loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      external,
      write: false,
      logLevel: "silent",
    });
    const file = out.outputFiles?.[0];
    if (!file) throw new Error("esbuild wrote nothing");
    const code = file.contents;
    return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
  };
  const consumer = await size(
    'import { createEcsClient } from "@ecs-api/client"; globalThis.createEcsClient = createEcsClient;',
  );
  const own = await size(
    'import { createEcsClient } from "@ecs-api/client"; globalThis.createEcsClient = createEcsClient;',
    ["openapi-fetch"],
  );
  const openapiFetch = await size(
    'import createClient from "openapi-fetch"; globalThis.createClient = createClient;',
  );
  return {
    consumer,
    clientWithoutOpenapiFetch: own,
    openapiFetchAlone: openapiFetch,
    targetBytes: SIZE_TARGET,
    ratio: Math.round((consumer.gzipped / SIZE_TARGET) * 1000) / 1000,
  };
}

const loopback = await perCallOverLoopback();
const cpu = await perCallWithoutNetwork();
const size = await bundleSize();
const call = /** @type {{ ratio: number; ratioMin: number; ratioMax: number }} */ (loopback.createImage);

console.log(
  `\n@ecs-api/client bench — ${ROUNDS} rounds × ${CALLS} calls, loopback, Node ${process.version}\n`,
);
console.table(
  Object.fromEntries(
    Object.entries(loopback).map(([k, v]) => [
      k,
      { "µs/call": v.usPerCall, "× bare fetch": v.ratio, "min–max": `${v.ratioMin}–${v.ratioMax}` },
    ]),
  ),
);
console.log("Client CPU time without network (stub fetch), µs per call:");
console.table(Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, { "µs/call": v.usPerCall }])));
console.log(
  `Consumer bundle (createEcsClient + openapi-fetch): ${size.consumer.minified} B min, ${size.consumer.gzipped} B min+gzip` +
    ` (client ${size.clientWithoutOpenapiFetch.gzipped} B + openapi-fetch ${size.openapiFetchAlone.gzipped} B gzipped alone)\n`,
);
console.log(
  `ratio createImage / bare fetch : ${call.ratio.toFixed(2)}× (median of ${ROUNDS} rounds, min–max ${call.ratioMin.toFixed(2)}–${call.ratioMax.toFixed(2)}; target ≤ ${CALL_TARGET.toFixed(2)}×)`,
);
console.log(
  `ratio bundle / 5 kB target     : ${size.ratio.toFixed(3)}× (${size.consumer.gzipped} B of ${SIZE_TARGET} B min+gzip; target ≤ 1.000×)`,
);

mkdirSync(join(root, "test-output"), { recursive: true });
writeFileSync(
  join(root, "test-output", "bench.json"),
  `${JSON.stringify(
    {
      package: "@ecs-api/client",
      node: process.version,
      rounds: ROUNDS,
      callsPerRound: CALLS,
      ratios: {
        createImageVsBareFetch: {
          median: call.ratio,
          min: call.ratioMin,
          max: call.ratioMax,
          target: CALL_TARGET,
        },
        bundleVsTarget: { value: size.ratio, target: 1 },
      },
      loopback,
      withoutNetwork: cpu,
      size,
    },
    null,
    2,
  )}\n`,
);
