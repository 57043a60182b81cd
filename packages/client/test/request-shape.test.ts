import { describe, expect, it } from "vitest";
import { createEcsClient, type Microversion } from "../src/index.js";
import { accepted, type Call, contract, observedFetch, PROJECT, SERVER, TOKEN } from "./helpers.js";

const BASE = "https://ecs.eu-de.otc.t-systems.com";
const concrete = (mv: string) => (mv === "latest" ? contract.maxMicroversion : mv);
// Both ends of every range the spec marks on the 202, plus "latest".
const versions = [
  ...new Set(contract.createImageVariants.flatMap((v) => [v.range.min, v.range.max])),
  "latest",
] as Microversion[];

async function send(options: Partial<Parameters<typeof createEcsClient>[0]> = {}, call: object = {}) {
  const observed = observedFetch((c: Call) =>
    accepted(
      c.headers["x-openstack-nova-api-version"]
        ? concrete(c.headers["x-openstack-nova-api-version"])
        : undefined,
    ),
  );
  const client = createEcsClient({
    baseUrl: BASE,
    projectId: PROJECT,
    token: TOKEN,
    fetch: observed.fetch,
    ...options,
  } as Parameters<typeof createEcsClient>[0]);
  await client.createImage(SERVER, { name: "foo-image", metadata: { meta_var: "meta_val" } }, call);
  expect(observed.calls).toHaveLength(1);
  return observed.calls[0] as Call;
}

describe("createImage request shape", () => {
  it.each(versions)(
    "Given microversion %s, when createImage is called, then it POSTs to /v2.1 with both version headers",
    async (mv) => {
      const call = await send({}, { microversion: mv });
      expect(call.method).toBe("POST");
      expect(call.url).toBe(`${BASE}/v2.1/${PROJECT}/servers/${SERVER}/action`);
      expect(call.headers["openstack-api-version"]).toBe(`compute ${mv}`);
      expect(call.headers["x-openstack-nova-api-version"]).toBe(mv);
    },
  );

  it("Given legacyV2, when createImage is called, then it POSTs to /v2 without any version header", async () => {
    const call = await send({ microversion: "2.45" }, { legacyV2: true });
    expect(call.url).toBe(`${BASE}/v2/${PROJECT}/servers/${SERVER}/action`);
    expect(Object.keys(call.headers).filter((h) => /api-version/i.test(h))).toEqual([]);
  });

  it("Given no microversion anywhere, when createImage is called, then it sends the spec's minimum explicitly", async () => {
    const call = await send();
    expect(call.headers["openstack-api-version"]).toBe(`compute ${contract.minMicroversion}`);
    expect(call.headers["x-openstack-nova-api-version"]).toBe(contract.minMicroversion);
  });

  it("Given a client default of 2.45, when a call asks for 2.10, then the call's version wins", async () => {
    const call = await send({ microversion: "2.45" }, { microversion: "2.10" });
    expect(call.headers["x-openstack-nova-api-version"]).toBe("2.10");
  });

  it("Given a static token, when createImage is called, then X-Auth-Token carries it", async () => {
    const call = await send();
    expect(call.headers["x-auth-token"]).toBe(TOKEN);
  });

  it("Given an async getToken, when two calls are made, then each carries the token current at its time", async () => {
    let n = 0;
    const observed = observedFetch(() => accepted(contract.minMicroversion));
    const client = createEcsClient({
      baseUrl: BASE,
      projectId: PROJECT,
      getToken: async () => `token-${++n}`,
      fetch: observed.fetch,
    });
    await client.createImage(SERVER, { name: "a" });
    await client.createImage(SERVER, { name: "b" });
    expect(observed.calls.map((c) => c.headers["x-auth-token"])).toEqual(["token-1", "token-2"]);
  });

  it("Given an authenticator that returns its headers without a promise, when two calls are made, then each carries the headers current at its time", async () => {
    // The transport reuses its merge of the same two objects: a new credential object must reach
    // the very next call.
    let headers = { "X-Auth-Token": "token-1" };
    const observed = observedFetch(() => accepted(contract.minMicroversion));
    const client = createEcsClient({
      baseUrl: BASE,
      projectId: PROJECT,
      auth: { headers: () => headers },
      fetch: observed.fetch,
    });
    await client.createImage(SERVER, { name: "a" });
    await client.createImage(SERVER, { name: "b" });
    headers = { "X-Auth-Token": "token-2" };
    await client.createImage(SERVER, { name: "c" });
    expect(observed.calls.map((c) => c.headers["x-auth-token"])).toEqual(["token-1", "token-1", "token-2"]);
  });

  it("Given name and metadata, when createImage is called, then the JSON body is the createImage action", async () => {
    const call = await send();
    expect(call.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(call.body ?? "")).toEqual({
      createImage: { name: "foo-image", metadata: { meta_var: "meta_val" } },
    });
  });

  it("Given no metadata, when createImage is called, then the body has no metadata key", async () => {
    const observed = observedFetch(() => accepted(contract.minMicroversion));
    const client = createEcsClient({
      baseUrl: BASE,
      projectId: PROJECT,
      token: TOKEN,
      fetch: observed.fetch,
    });
    await client.createImage(SERVER, { name: "foo-image" });
    expect(JSON.parse(observed.calls[0]?.body ?? "")).toEqual({ createImage: { name: "foo-image" } });
  });

  it("Given extra headers and a baseUrl with a trailing slash, when createImage is called, then both are honoured but cannot replace the token", async () => {
    const call = await send({
      baseUrl: `${BASE}/`,
      headers: { "User-Agent": "svc/1.0", "X-Auth-Token": "spoofed" },
    });
    expect(call.url).toBe(`${BASE}/v2.1/${PROJECT}/servers/${SERVER}/action`);
    expect(call.headers["user-agent"]).toBe("svc/1.0");
    expect(call.headers["x-auth-token"]).toBe(TOKEN);
  });

  it("Given a project ID with reserved characters, when createImage is called, then it is percent-encoded in the path", async () => {
    const call = await send({ projectId: "a/b?c" });
    expect(call.url).toBe(`${BASE}/v2.1/a%2Fb%3Fc/servers/${SERVER}/action`);
  });
});

describe("raw client request shape", () => {
  it("Given the raw client, when it POSTs the action with typed version headers, then token, headers and body are sent", async () => {
    const observed = observedFetch(() => accepted("2.45"));
    const client = createEcsClient({
      baseUrl: BASE,
      projectId: PROJECT,
      token: TOKEN,
      fetch: observed.fetch,
    });
    const { data, response } = await client.raw.POST("/v2.1/{project_id}/servers/{server_id}/action", {
      params: {
        path: { project_id: PROJECT, server_id: SERVER },
        header: { "OpenStack-API-Version": "compute 2.45", "X-OpenStack-Nova-API-Version": "2.45" },
      },
      body: { createImage: { name: "raw" } },
    });
    expect(response.status).toBe(202);
    expect(data?.image_id).toMatch(/^[0-9a-f-]{36}$/);
    const call = observed.calls[0] as Call;
    expect(call.url).toBe(`${BASE}/v2.1/${PROJECT}/servers/${SERVER}/action`);
    expect(call.headers["x-auth-token"]).toBe(TOKEN);
    expect(call.headers["openstack-api-version"]).toBe("compute 2.45");
    expect(JSON.parse(call.body ?? "")).toEqual({ createImage: { name: "raw" } });
  });
});

describe("caller headers", () => {
  it("Given caller headers in another letter case, when createImage is called, then the client's token, content type and version are the only values", async () => {
    const call = await send(
      {
        headers: {
          "x-auth-token": "spoofed",
          "content-type": "text/plain",
          "openstack-api-version": "volume 3.0",
        },
      },
      { microversion: "2.45" },
    );
    expect(call.headers["x-auth-token"]).toBe(TOKEN);
    expect(call.headers["content-type"]).toBe("application/json");
    expect(call.headers["openstack-api-version"]).toBe("compute 2.45");
  });

  it("Given getToken and a caller token header, when createImage is called, then only getToken's token is sent", async () => {
    const observed = observedFetch(() => accepted(contract.minMicroversion));
    const client = createEcsClient({
      baseUrl: BASE,
      projectId: PROJECT,
      getToken: () => "fresh",
      headers: { "X-AUTH-TOKEN": "stale" },
      fetch: observed.fetch,
    });
    await client.createImage(SERVER, { name: "a" });
    expect(observed.calls[0]?.headers["x-auth-token"]).toBe("fresh");
  });
});
