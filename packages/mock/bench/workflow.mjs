// The createImage workflow under load, as its users run it: log in (POST /identity/v3/auth/tokens,
// password), show the server in the token's project, createImage at 2.45, then GET the image until
// it is active. The mock runs with --snapshot-seconds 0, so the first poll sees `active` and a
// workflow is 4 requests; a poll that sees anything else counts as a failed workflow, not a done one.
// Baseline in the same rounds: the same 4 requests per workflow to the bare node:http server.
//
// Also the image cap: one mock's RSS after 10 k and after 100 k accepted createImage calls
// (--max-images, default 1000, keeps the store flat).

import { load, log, memoryAfter, memoryRow, paired, perSecond, start, stats } from "./lib.mjs";
import { ACTIVE, action, good } from "./mix.mjs";

export const REQUESTS_PER_WORKFLOW = 4;
const login = JSON.stringify({
  auth: {
    identity: {
      methods: ["password"],
      password: { user: { name: "bench", password: "bench-secret", domain: { name: "Default" } } },
    },
    scope: { project: { name: "eu-de", domain: { name: "Default" } } },
  },
});
const header = (headers, name) =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? undefined;
const parse = (body) => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

/** The chained sequence for autocannon; `tally` counts finished and failed workflows. */
function workflow(tally) {
  const auth = (ctx, extra = {}) => ({ "x-auth-token": ctx.token ?? "none", ...extra });
  return [
    {
      method: "POST",
      path: "/identity/v3/auth/tokens",
      headers: { "content-type": "application/json" },
      body: login,
      onResponse: (_status, body, ctx, headers) => {
        ctx.token = header(headers, "x-subject-token");
        ctx.project = parse(body)?.token?.project?.id;
      },
    },
    {
      method: "GET",
      setupRequest: (req, ctx) => ({
        ...req,
        path: `/v2.1/${ctx.project}/servers/${ACTIVE}`,
        headers: auth(ctx, { "openstack-api-version": "compute 2.45" }),
      }),
    },
    {
      method: "POST",
      body: good,
      setupRequest: (req, ctx) => ({
        ...req,
        path: action(ACTIVE, "/v2.1", ctx.project),
        headers: auth(ctx, { "content-type": "application/json", "openstack-api-version": "compute 2.45" }),
      }),
      onResponse: (_status, body, ctx) => {
        ctx.image = parse(body)?.image_id;
      },
    },
    {
      method: "GET",
      setupRequest: (req, ctx) => ({
        ...req,
        path: `/image/v2/images/${ctx.image}`,
        headers: auth(ctx, { accept: "application/json" }),
      }),
      onResponse: (status, body) => {
        if (status === 200 && parse(body)?.status === "active") tally.done++;
        else tally.failed++;
      },
    },
  ];
}

/** The same requests, unchained: the bare server answers 202 to each; the 4th ends a workflow. */
function bareWorkflow(tally) {
  const path = action();
  return [
    {
      method: "POST",
      path: "/identity/v3/auth/tokens",
      headers: { "content-type": "application/json" },
      body: login,
    },
    { method: "GET", path: `/v2.1/p/servers/${ACTIVE}`, headers: { "x-auth-token": "t" } },
    {
      method: "POST",
      path,
      headers: { "x-auth-token": "t", "content-type": "application/json" },
      body: good,
    },
    {
      method: "GET",
      path: "/image/v2/images/0e7761dd-ee98-41f0-ba35-05994e446431",
      headers: { "x-auth-token": "t" },
      onResponse: (status) => {
        if (status === 202) tally.done++;
        else tally.failed++;
      },
    },
  ];
}

export async function benchWorkflow({ rounds, duration }) {
  const results = { mock: { wps: [], failed: 0, status: {} }, bare: { wps: [], failed: 0, status: {} } };
  const sequences = { mock: workflow, bare: bareWorkflow };
  for (let round = 1; round <= rounds; round++) {
    // Alternate who goes first, so a drift in machine load does not always favour one side.
    const order = round % 2 ? ["mock", "bare"] : ["bare", "mock"];
    for (const name of order) {
      const server = await start(name);
      try {
        const warm = { done: 0, failed: 0 };
        await load(server.url, { duration: 1, requests: sequences[name](warm) });
        const tally = { done: 0, failed: 0 };
        const r = await load(server.url, { duration, requests: sequences[name](tally) });
        const entry = results[name];
        entry.wps.push(tally.done / duration);
        entry.failed += tally.failed + r.errors + r.timeouts;
        for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {}))
          entry.status[code] = (entry.status[code] ?? 0) + count;
        log(
          `workflow round ${round} ${name}: ${Math.round(tally.done / duration)} workflows/s (${Math.round(r.requests.average)} req/s), ${tally.failed} failed`,
        );
      } finally {
        await server.stop();
      }
    }
  }

  // The image cap: one fresh mock, RSS after 10 k and after 100 k accepted createImage calls.
  let memory;
  {
    const server = await start("mock");
    try {
      const create = [
        {
          method: "POST",
          path: action(),
          headers: { "x-auth-token": "bench-token", "content-type": "application/json" },
          body: good,
        },
      ];
      const { results: loads, ...figures } = await memoryAfter(server, create);
      const accepted = loads.map((r) => r.statusCodeStats?.["202"]?.count ?? 0);
      // What the store holds at the end, from the image list (one page of up to 1000).
      const list = await fetch(`${server.url}/image/v2/images?limit=1000`, {
        headers: { "x-auth-token": "bench-token", accept: "application/json" },
      });
      memory = {
        ...figures,
        accepted10k: accepted[0],
        accepted100k: accepted[0] + accepted[1],
        imagesKept: (await list.json()).images?.length,
      };
      log(
        `memory: ${memory.after10k.toFixed(1)} MiB after ${memory.accepted10k} images, ${memory.after100k.toFixed(1)} MiB after ${memory.accepted100k}; ${memory.imagesKept} kept`,
      );
    } finally {
      await server.stop();
    }
  }

  const m = results.mock;
  const b = results.bare;
  const bareMedian = stats(b.wps).median;
  const rows = [
    {
      figure:
        "workflow: token → show server → createImage → image active (--snapshot-seconds 0), 32 concurrent",
      unit: "workflows/s",
      ...stats(m.wps),
      baseline: `bare node:http, the same ${REQUESTS_PER_WORKFLOW} requests each: ${perSecond(bareMedian, "workflows/s")} (${perSecond(bareMedian * REQUESTS_PER_WORKFLOW)})`,
      ratio: paired(m.wps, b.wps),
      target: "—",
      met: m.failed === 0,
      ...(m.failed ? { note: `${m.failed} workflows failed; statuses ${JSON.stringify(m.status)}` } : {}),
    },
    memoryRow("mock memory (RSS) after 100 k created images vs after 10 k (--max-images 1000)", memory, {
      met: memory.accepted100k === 100_000,
      note: `${memory.accepted100k.toLocaleString("en")} createImage calls accepted (202); the image list holds ${memory.imagesKept} at the end`,
    }),
  ];
  return { rows, results, memory };
}
