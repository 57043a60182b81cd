// The node:http and fetch adapters give identical answers: the same seeded engine behind each, the
// same requests, byte for byte (status, headers, body).
import { describe, expect, it } from "vitest";
import { createFetchHandler, createNodeEngine } from "../src/index.js";
import { ACTIVE, actionPath, contract, legacyPath, SCENARIOS, useMock } from "./helpers.js";

const seed = "adapters";
const server = useMock({ seed });
const headers = { "X-Auth-Token": "t", "Content-Type": "application/json" };
const cases: [string, string, RequestInit][] = [
  ["createImage 2.1", actionPath(), { method: "POST", headers, body: '{"createImage":{"name":"a"}}' }],
  [
    "createImage 2.45",
    actionPath(),
    {
      method: "POST",
      headers: { ...headers, "OpenStack-API-Version": "compute 2.45" },
      body: '{"createImage":{"name":"a","metadata":{}}}',
    },
  ],
  ["/v2", legacyPath(), { method: "POST", headers, body: '{"createImage":{"name":"a","x":1}}' }],
  ["bad body", actionPath(), { method: "POST", headers, body: '{"createImage":{"name":""}}' }],
  ["malformed", actionPath(), { method: "POST", headers, body: "{" }],
  ["no token", actionPath(), { method: "POST", body: "{}" }],
  [
    "bad version",
    actionPath(),
    { method: "POST", headers: { ...headers, "X-OpenStack-Nova-API-Version": "2.x" }, body: "{}" },
  ],
  [
    "406",
    actionPath(),
    { method: "POST", headers: { ...headers, "X-OpenStack-Nova-API-Version": "2.99" }, body: "{}" },
  ],
  [
    "415",
    actionPath(),
    { method: "POST", headers: { ...headers, "Content-Type": "application/xml" }, body: "<a/>" },
  ],
  ["413", actionPath(), { method: "POST", headers, body: "x".repeat(contract.maxBodyBytes + 1) }],
  [
    "404 server",
    actionPath(SCENARIOS["not-found"]),
    { method: "POST", headers, body: '{"createImage":{"name":"a"}}' },
  ],
  [
    "409",
    actionPath(SCENARIOS["vm-state-error"]),
    { method: "POST", headers, body: '{"createImage":{"name":"a"}}' },
  ],
  ["versions", "/", {}],
  ["version v2.1", "/v2.1", {}],
  ["unknown path", `/v2.1/p/servers/${ACTIVE}`, { headers }],
];

const snapshot = async (res: Response) => ({
  status: res.status,
  headers: [...res.headers].filter(
    ([name]) => !["date", "connection", "keep-alive", "content-length"].includes(name),
  ),
  body: await res.text(),
});

describe("the node:http and fetch adapters", () => {
  it("given the same seed and the same requests, then identical answers", async () => {
    const handler = createFetchHandler(await createNodeEngine({ seed, snapshotSeconds: 0 }));
    const viaHttp = [];
    const viaFetch = [];
    for (const [, path, init] of cases)
      viaHttp.push(await snapshot(await fetch(`${server.mock.url}${path}`, init)));
    for (const [, path, init] of cases)
      viaFetch.push(await snapshot(await handler(`${server.mock.url}${path}`, init)));
    expect(viaFetch.map((a, i) => [cases[i]?.[0], a])).toEqual(viaHttp.map((a, i) => [cases[i]?.[0], a]));
    expect(new Set(viaHttp.map((a) => a.status)).size).toBeGreaterThan(8);
  });
});
