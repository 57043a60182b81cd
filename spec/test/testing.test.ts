import { describe, expect, it } from "vitest";
import { createResponseValidator } from "../src/testing.js";

const { problems } = createResponseValidator();
const PATH = "/v2.1/{project_id}/servers/{server_id}/action";
const UUID = "0e7761dd-ee98-41f0-ba35-05994e446431";
const versionHeaders = (v: string) => ({
  "OpenStack-API-Version": `compute ${v}`,
  "X-OpenStack-Nova-API-Version": v,
  Vary: "OpenStack-API-Version, X-OpenStack-Nova-API-Version",
  "X-Openstack-Request-Id": "req-3e2c5a0b-93d4-4cc4-9a6e-1a2b3c4d5e6f",
});
const accepted = (v: string, extra: Record<string, string>, body = "") => ({
  method: "POST",
  path: PATH,
  status: 202,
  headers: new Headers({ ...versionHeaders(v), ...extra }),
  body,
});
const location = { Location: `https://ims.example/images/${UUID}` };
const json = { "Content-Type": "application/json" };

describe("the response validator", () => {
  it("given a 2.44 answer with Location and no body, finds nothing", () => {
    expect(problems(accepted("2.44", location), "2.44")).toEqual([]);
  });

  it("given a 2.45 answer with an image_id body, finds nothing", () => {
    expect(problems(accepted("2.45", json, JSON.stringify({ image_id: UUID })), "2.45")).toEqual([]);
  });

  it("given a 2.45 answer that still has Location, reports it", () => {
    const found = problems(
      accepted("2.45", { ...json, ...location }, JSON.stringify({ image_id: UUID })),
      "2.45",
    );
    expect(found).toEqual(["header Location must be absent at 2.45"]);
  });

  it("given a 2.44 answer with a body, reports it", () => {
    expect(
      problems(accepted("2.44", { ...json, ...location }, JSON.stringify({ image_id: UUID })), "2.44"),
    ).toEqual(["the body must be empty at 2.44"]);
  });

  it("given a 2.1 answer without Location, reports it", () => {
    expect(problems(accepted("2.1", {}), "2.1")).toEqual(["header Location is missing"]);
  });

  it("given a non-UUID image_id, reports the schema error", () => {
    const found = problems(accepted("2.50", json, JSON.stringify({ image_id: "nope" })), "2.50");
    expect(found.join()).toMatch(/format "uuid"/);
  });

  it("given a fault with the wrong key, reports the schema error", () => {
    const res = {
      method: "POST",
      path: PATH,
      status: 404,
      headers: new Headers({ ...versionHeaders("2.1"), ...json }),
      body: JSON.stringify({ notFound: { code: 404, message: "x" } }),
    };
    expect(problems(res, "2.1").join()).toMatch(/required property 'itemNotFound'/);
  });

  it("given a 403 at 2.39, reports that the status is outside its range", () => {
    const res = {
      method: "POST",
      path: PATH,
      status: 403,
      headers: new Headers({ ...versionHeaders("2.39"), ...json }),
      body: JSON.stringify({ forbidden: { code: 403, message: "Image metadata limit exceeded" } }),
    };
    expect(problems(res, "2.39")).toEqual(["status 403 is outside its x-openstack range at 2.39"]);
  });

  it("given an undocumented status, reports it", () => {
    expect(problems({ ...accepted("2.1", location), status: 500 }, "2.1")).toEqual([
      `status 500 is not documented for POST ${PATH}`,
    ]);
  });
});
