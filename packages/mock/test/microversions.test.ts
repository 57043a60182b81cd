import { microversionsBetween } from "@ecs-api/spec";
import { describe, expect, it } from "vitest";
import {
  actionPath,
  call,
  contract,
  createImage,
  faultOf,
  json,
  legacyPath,
  token,
  UUID,
  useMock,
} from "./helpers.js";

const ctx = useMock();
const body = { createImage: { name: "foo-image", metadata: {} } };
const post = (headers: Record<string, string>) =>
  call(ctx.mock, actionPath(), { body, headers: { ...token, ...json, ...headers } });
const answeredVersion = (r: { headers: Headers }) => r.headers.get("x-openstack-nova-api-version");

describe("microversion negotiation on /v2.1", () => {
  it("given no version header, when creating an image, then it answers at 2.1", async () => {
    const r = await post({});
    expect(r.status).toBe(202);
    expect(r.headers.get("openstack-api-version")).toBe("compute 2.1");
    expect(answeredVersion(r)).toBe("2.1");
  });

  it("given only the legacy header 2.45, then it answers at 2.45", async () => {
    const r = await post({ "X-OpenStack-Nova-API-Version": "2.45" });
    expect(answeredVersion(r)).toBe("2.45");
  });

  it("given both headers, then the standard header wins", async () => {
    const r = await post({ "OpenStack-API-Version": "compute 2.30", "X-OpenStack-Nova-API-Version": "2.50" });
    expect(answeredVersion(r)).toBe("2.30");
  });

  it("given a standard header naming another service only, then the legacy header is used", async () => {
    const r = await post({ "OpenStack-API-Version": "volume 3.0", "X-OpenStack-Nova-API-Version": "2.47" });
    expect(answeredVersion(r)).toBe("2.47");
  });

  it("given a standard header naming another service only and no legacy header, then 2.1", async () => {
    const r = await post({ "OpenStack-API-Version": "volume 3.70" });
    expect(answeredVersion(r)).toBe("2.1");
  });

  it("given a standard header listing several services, then the compute entry is used", async () => {
    const r = await post({ "OpenStack-API-Version": "volume 3.0, compute 2.52, identity 3.10" });
    expect(answeredVersion(r)).toBe("2.52");
  });

  it("given the service name in capitals, then it still counts as compute", async () => {
    const r = await post({ "OpenStack-API-Version": "COMPUTE 2.33" });
    expect(answeredVersion(r)).toBe("2.33");
  });

  it.each([
    ["OpenStack-API-Version", "compute latest"],
    ["X-OpenStack-Nova-API-Version", "latest"],
  ])("given %s: %s, then it answers at the maximum with the concrete version", async (name, value) => {
    const r = await post({ [name]: value });
    expect(r.status).toBe(202);
    expect(answeredVersion(r)).toBe(contract.maxMicroversion);
    expect(r.headers.get("openstack-api-version")).toBe(`compute ${contract.maxMicroversion}`);
  });

  it.each(["2.01", "02.1", "2", "abc", "Latest", "LATEST", "2.1.1", "2.x", " . ", "-2.1"])(
    "given the malformed version %j, then 400 badRequest with Nova's message",
    async (version) => {
      const r = await post({ "X-OpenStack-Nova-API-Version": version });
      expect(r.status).toBe(400);
      expect(faultOf(r)).toEqual({
        key: "badRequest",
        code: 400,
        message: `API Version String ${version.trim()} is of invalid format. Must be of format MajorNum.MinorNum.`,
      });
      expect(r.headers.get("openstack-api-version")).toBeNull();
      expect(r.headers.get("x-openstack-nova-api-version")).toBeNull();
    },
  );

  it.each(["2.0", "2.61", "3.0", "1.1", "2.1000"])(
    "given the well-formed but unsupported version %s, then 406 computeFault with Nova's message",
    async (version) => {
      const r = await post({ "OpenStack-API-Version": `compute ${version}` });
      expect(r.status).toBe(406);
      expect(faultOf(r)).toEqual({
        key: "computeFault",
        code: 406,
        message: `Version ${version} is not supported by the API. Minimum is ${contract.minMicroversion} and maximum is ${contract.maxMicroversion}.`,
      });
      expect(answeredVersion(r)).toBe(version);
    },
  );

  it("given more unsupported versions than the mock keeps answers for, then each 406 still names its own", async () => {
    // The answers for versions outside the range are cached per version in a small cache that is
    // emptied when full: twice round 40 versions goes through that several times.
    const versions = Array.from({ length: 40 }, (_, i) => `3.${i}`);
    for (const version of [...versions, ...[...versions].reverse()]) {
      const r = await post({ "X-OpenStack-Nova-API-Version": version });
      expect(r.status).toBe(406);
      expect(answeredVersion(r)).toBe(version);
      expect(r.headers.get("openstack-api-version")).toBe(`compute ${version}`);
      expect(faultOf(r).message).toMatch(
        new RegExp(`^Version ${version.replace(".", "\\.")} is not supported`),
      );
    }
  });

  it("given a malformed version and a body Nova would refuse, then the version error comes first", async () => {
    const r = await call(ctx.mock, actionPath(), {
      raw: "not json",
      headers: { ...token, "Content-Type": "application/xml", "X-OpenStack-Nova-API-Version": "2.x" },
    });
    expect(r.status).toBe(400);
    expect(faultOf(r).message).toMatch(/^API Version String 2\.x/);
  });
});

describe("the 202 at every microversion", () => {
  const versions = microversionsBetween(contract.minMicroversion, contract.maxMicroversion);
  const [locationVariant, bodyVariant] = [
    contract.createImageVariants.find((v) => v.element === "header:Location"),
    contract.createImageVariants.find((v) => v.element.startsWith("body:")),
  ];

  it("reads the Location and body variants from the spec", () => {
    expect(locationVariant?.range.max).toBe("2.44");
    expect(bodyVariant?.range.min).toBe("2.45");
  });

  it.each(versions)("given microversion %s, then the image ID comes where Nova puts it", async (version) => {
    const r = await createImage(ctx.mock, body, { version });
    expect(r.status).toBe(202);
    expect(r.headers.get("vary")).toBe("OpenStack-API-Version, X-OpenStack-Nova-API-Version");
    if (Number(version.split(".")[1]) <= 44) {
      const location = r.headers.get("location") ?? "";
      // Nova's <image endpoint>/images/<uuid>; the mock's image endpoint is <origin>/image.
      expect(location).toMatch(new RegExp(`^${ctx.mock.url}/image/images/`));
      expect(location.split("/").pop()).toMatch(UUID);
      expect(r.text).toBe("");
      expect(r.headers.get("content-type")).toBeNull();
    } else {
      expect(r.headers.get("location")).toBeNull();
      expect(r.headers.get("content-type")).toBe("application/json");
      expect(Object.keys(r.json)).toEqual(["image_id"]);
      expect(r.json.image_id).toMatch(UUID);
    }
  });

  it("given two calls, then each gets a fresh image UUID", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++)
      ids.add((await createImage(ctx.mock, body, { version: "2.45" })).json.image_id);
    expect(ids.size).toBe(5);
  });
});

describe("the legacy /v2 endpoint", () => {
  const legacy = (headers: Record<string, string>) =>
    call(ctx.mock, legacyPath(), { body, headers: { ...token, ...json, ...headers } });

  it("given no version header, then 202 with Location, an empty body and no version headers", async () => {
    const r = await legacy({});
    expect(r.status).toBe(202);
    expect(r.headers.get("location")?.split("/").pop()).toMatch(UUID);
    expect(r.text).toBe("");
    expect(r.headers.get("openstack-api-version")).toBeNull();
    expect(r.headers.get("x-openstack-nova-api-version")).toBeNull();
    expect(r.headers.get("vary")).toBeNull();
  });

  it.each([
    { "OpenStack-API-Version": "compute 2.60" },
    { "X-OpenStack-Nova-API-Version": "2.x" },
    { "X-OpenStack-Nova-API-Version": "9.9" },
  ])("given version headers %j, then they are ignored", async (headers) => {
    const r = await legacy(headers);
    expect(r.status).toBe(202);
    expect(r.headers.get("location")).not.toBeNull();
    expect(r.headers.get("x-openstack-nova-api-version")).toBeNull();
  });

  it("given a Nova fault, then it carries no version headers either", async () => {
    const r = await call(ctx.mock, legacyPath(), { body: {}, headers: { ...token, ...json } });
    expect(r.status).toBe(400);
    expect(r.headers.get("vary")).toBeNull();
  });
});

describe("a mock with a lower maximum", () => {
  const low = useMock({ maxMicroversion: "2.50" });

  it("given latest, then it answers at the configured maximum", async () => {
    const r = await createImage(low.mock, body, { version: "latest" });
    expect(answeredVersion(r)).toBe("2.50");
  });

  it("given a version above it, then 406 names the configured maximum", async () => {
    const r = await createImage(low.mock, body, { version: "2.51" });
    expect(r.status).toBe(406);
    expect(faultOf(r).message).toBe(
      "Version 2.51 is not supported by the API. Minimum is 2.1 and maximum is 2.50.",
    );
  });

  it("given the version document, then it advertises the configured maximum", async () => {
    const r = await call(low.mock, "/v2.1");
    expect(r.json.version.version).toBe("2.50");
  });
});
