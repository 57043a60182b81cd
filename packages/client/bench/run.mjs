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
 *    Also with the other ways to authenticate: a password login's cached token (the same local
 *    server answers the one login) and AK/SK signing of every call (Web Crypto: two SHA-256 and an
 *    HMAC). And a bare `fetch` with the client's default timeout done by hand (an AbortController,
 *    a timer, the signal passed to fetch), as a second baseline: what any timeout costs a fetch
 *    caller, so the client's own share shows apart from it.
 * 2. Minified + gzipped size per entry point (`.`, `./password`, `./aksk`), bundled with code
 *    splitting: the initial chunk, and the chunk `raw` loads on first use (openapi-fetch).
 *
 * Writes test-output/bench.json. Counts are bounded; nothing is timed as a pass/fail.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import { akskAuth } from "../dist/aksk.js";
import { checkImage, createEcsClient } from "../dist/index.js";
import { passwordAuth } from "../dist/password.js";
import { DEFAULT_TIMEOUT_MS } from "../dist/transport.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const WARMUP = 300;
const SIZE_TARGET = 5000; // bytes, min+gzip (the 5 kB)
const CALL_TARGET = 1.1;
const TIMED_FETCH = "bare fetch, with the client's default timeout";

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
  // The default per-request timeout (30 s) is on; `timeoutMs: 0` shows what it costs.
  const ecs = createEcsClient({ baseUrl, projectId: PROJECT, token: TOKEN, microversion: MV });
  const untimed = createEcsClient({
    baseUrl,
    projectId: PROJECT,
    token: TOKEN,
    microversion: MV,
    timeoutMs: 0,
  });
  // Plain global fetch, as the other variants: the login goes to the same local server, once.
  const password = createEcsClient({
    endpoints: { compute: baseUrl, identity: baseUrl },
    projectId: PROJECT,
    microversion: MV,
    auth: passwordAuth({ user: "u", password: "p", domain: "d", project: "eu-de" }),
  });
  const signed = createEcsClient({
    baseUrl,
    microversion: MV,
    auth: akskAuth({ accessKey: "AK", secretKey: "SK", projectId: PROJECT }),
  });
  /** @type {import("openapi-fetch").Client<import("../dist/index.js").paths>} */
  const raw = createClient({ baseUrl, headers });
  try {
    /** @param {AbortSignal} [signal] */
    const bareFetch = async (signal) => {
      /** @type {RequestInit} */
      const init = { method: "POST", headers, body: JSON.stringify({ createImage: image }) };
      if (signal) init.signal = signal;
      const res = await fetch(url, init);
      const id = JSON.parse(await res.text()).image_id;
      if (res.status !== 202 || typeof id !== "string") throw new Error("bad answer");
    };
    const perCall = await interleave(
      {
        "bare fetch": () => bareFetch(),
        // What any timeout costs a fetch caller: the client's default one, done by hand.
        [TIMED_FETCH]: async () => {
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), DEFAULT_TIMEOUT_MS);
          try {
            await bareFetch(controller.signal);
          } finally {
            clearTimeout(timer);
          }
        },
        createImage: () => ecs.createImage(SERVER, image),
        "createImage, timeoutMs: 0": () => untimed.createImage(SERVER, image),
        "createImage, password (cached token)": () => password.createImage(SERVER, image),
        "createImage, AK/SK signed": () => signed.createImage(SERVER, image),
        "openapi-fetch POST": async () => {
          const { data } = await raw.POST(ACTION, { params, body: { createImage: image } });
          if (!data) throw new Error("bad answer");
        },
      },
      CALLS,
    );
    worker.postMessage("logins");
    const { logins } = await new Promise((resolve) => worker.once("message", resolve));
    if (logins !== 1) throw new Error(`expected one login, saw ${logins}`);
    // Against the timed fetch too: the client's own cost once the baseline pays for the same timeout.
    return { againstBare: summarise(perCall, "bare fetch"), againstTimed: summarise(perCall, TIMED_FETCH) };
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
  const signed = createEcsClient({
    baseUrl,
    microversion: MV,
    auth: akskAuth({ accessKey: "AK", secretKey: "SK", projectId: PROJECT }),
    fetch: stub,
  });
  /** @type {import("openapi-fetch").Client<import("../dist/index.js").paths>} */
  const raw = createClient({ baseUrl, headers, fetch: stub });
  const perCall = await interleave(
    {
      "stub: Response + text() only": async () => JSON.parse(await answer().text()),
      "stub: createImage": () => ecs.createImage(SERVER, image),
      "stub: createImage, AK/SK signed": () => signed.createImage(SERVER, image),
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
  // Inside the package, so `@ecs-api/client` resolves to itself (its exports, as consumers see them).
  const dir = join(root, "test-output", "bundle");
  /** @param {string} contents */
  const size = async (contents) => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "entry.js"), contents);
    const out = await build({
      entryPoints: [join(dir, "entry.js")],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      // As an app bundler does: the dynamic import of `raw` becomes a chunk of its own.
      splitting: true,
      outdir: join(dir, "out"),
      write: false,
      logLevel: "silent",
      metafile: true,
    });
    const files = out.outputFiles ?? [];
    const entryOut = Object.entries(out.metafile?.outputs ?? {}).find(([, o]) => o.entryPoint)?.[0] ?? "";
    const statics = new Set([
      entryOut,
      ...(out.metafile?.outputs[entryOut]?.imports ?? [])
        .filter((i) => i.kind === "import-statement")
        .map((i) => i.path),
    ]);
    let initial = { minified: 0, gzipped: 0 };
    let lazy = { minified: 0, gzipped: 0 };
    for (const f of files) {
      const rel = f.path.slice(root.length + 1);
      const bytes = {
        minified: f.contents.byteLength,
        gzipped: gzipSync(f.contents, { level: 9 }).byteLength,
      };
      const add = (/** @type {{minified: number, gzipped: number}} */ to) => ({
        minified: to.minified + bytes.minified,
        gzipped: to.gzipped + bytes.gzipped,
      });
      if (statics.has(rel)) initial = add(initial);
      else lazy = add(lazy);
    }
    return { initial, lazy };
  };
  const entries = {
    "@ecs-api/client (token)":
      'import { createEcsClient } from "@ecs-api/client"; globalThis.x = createEcsClient;',
    "@ecs-api/client + /password":
      'import { createEcsClient } from "@ecs-api/client"; import { passwordAuth } from "@ecs-api/client/password"; globalThis.x = [createEcsClient, passwordAuth];',
    "@ecs-api/client + /aksk":
      'import { createEcsClient } from "@ecs-api/client"; import { akskAuth } from "@ecs-api/client/aksk"; globalThis.x = [createEcsClient, akskAuth];',
  };
  /** @type {Record<string, { initial: { minified: number, gzipped: number }, lazy: { minified: number, gzipped: number } }>} */
  const perEntry = {};
  for (const [name, contents] of Object.entries(entries)) perEntry[name] = await size(contents);
  const consumer = /** @type {{ initial: { minified: number, gzipped: number } }} */ (
    perEntry["@ecs-api/client (token)"]
  ).initial;
  return {
    consumer,
    perEntry,
    targetBytes: SIZE_TARGET,
    ratio: Math.round((consumer.gzipped / SIZE_TARGET) * 1000) / 1000,
  };
}

const { againstBare: loopback, againstTimed } = await perCallOverLoopback();
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
console.log("Bundle per entry point (esbuild, minified, code splitting), bytes:");
console.table(
  Object.fromEntries(
    Object.entries(size.perEntry).map(([k, v]) => [
      k,
      {
        "initial min": v.initial.minified,
        "initial min+gzip": v.initial.gzipped,
        "raw chunk min+gzip (on first raw call)": v.lazy.gzipped,
      },
    ]),
  ),
);
console.log(
  `ratio createImage / bare fetch : ${call.ratio.toFixed(2)}× (median of ${ROUNDS} rounds, min–max ${call.ratioMin.toFixed(2)}–${call.ratioMax.toFixed(2)}; target ≤ ${CALL_TARGET.toFixed(2)}×)`,
);
console.log(
  `ratio bundle / 5 kB target     : ${size.ratio.toFixed(3)}× (token-only initial chunk, ${size.consumer.gzipped} B of ${SIZE_TARGET} B min+gzip; target ≤ 1.000×)`,
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
        createImageAkskVsBareFetch: loopback["createImage, AK/SK signed"],
        createImagePasswordCachedVsBareFetch: loopback["createImage, password (cached token)"],
        bundleVsTarget: { value: size.ratio, target: 1 },
      },
      loopback,
      loopbackAgainstTimedFetch: againstTimed,
      withoutNetwork: cpu,
      size,
    },
    null,
    2,
  )}\n`,
);
