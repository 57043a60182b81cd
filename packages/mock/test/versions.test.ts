// Version discovery, as openstacksdk and python-novaclient do it: no token, links on our origin.
import { describe, expect, it } from "vitest";
import { call, contract, faultOf, useMock } from "./helpers.js";

const ctx = useMock();

describe("version documents", () => {
  it("given GET / without a token, then both versions, links on the mock, no version headers", async () => {
    const r = await call(ctx.mock, "/");
    expect(r.status).toBe(200);
    expect(r.json.versions.map((v: { id: string }) => v.id)).toEqual(["v2.0", "v2.1"]);
    const v21 = r.json.versions.find((v: { id: string }) => v.id === "v2.1");
    expect(v21).toMatchObject({
      status: "CURRENT",
      version: contract.maxMicroversion,
      min_version: contract.minMicroversion,
    });
    for (const v of r.json.versions)
      expect(v.links[0].href).toBe(`${ctx.mock.url}/${v.id === "v2.0" ? "v2" : "v2.1"}/`);
    expect(r.headers.get("openstack-api-version")).toBeNull();
  });

  it.each(["/v2.1", "/v2.1/"])(
    "given GET %s without a token, then the v2.1 document with version headers",
    async (path) => {
      const r = await call(ctx.mock, path);
      expect(r.status).toBe(200);
      expect(r.json.version).toMatchObject({
        id: "v2.1",
        version: contract.maxMicroversion,
        min_version: "2.1",
      });
      expect(r.json.version.links).toContainEqual({ href: `${ctx.mock.url}/v2.1/`, rel: "self" });
      expect(r.json.version["media-types"][0].type).toBe(
        "application/vnd.openstack.compute+json;version=2.1",
      );
      expect(r.headers.get("openstack-api-version")).toBe("compute 2.1");
    },
  );

  it.each(["/v2/", "/v2"])("given GET %s, then the v2.0 document without version headers", async (path) => {
    const r = await call(ctx.mock, path);
    expect(r.status).toBe(200);
    expect(r.json.version).toMatchObject({ id: "v2.0", status: "SUPPORTED", version: "" });
    expect(r.json.version.links[0].href).toBe(`${ctx.mock.url}/v2/`);
    expect(r.headers.get("vary")).toBeNull();
  });

  it("given GET /v2.1 at latest, then the answer names the maximum", async () => {
    const r = await call(ctx.mock, "/v2.1", { headers: { "OpenStack-API-Version": "compute latest" } });
    expect(r.headers.get("x-openstack-nova-api-version")).toBe(contract.maxMicroversion);
  });

  it("given GET /v2.1 with an unsupported version, then 406", async () => {
    const r = await call(ctx.mock, "/v2.1/", { headers: { "X-OpenStack-Nova-API-Version": "2.99" } });
    expect(r.status).toBe(406);
    expect(faultOf(r).key).toBe("computeFault");
  });
});
