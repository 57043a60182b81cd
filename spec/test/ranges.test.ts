import { describe, expect, it } from "vitest";
import {
  CREATE_IMAGE_PATH,
  compareMicroversions,
  loadContract,
  loadModel,
  microversionsBetween,
  responseOf,
} from "../src/index.js";
import { derefSpec as spec } from "./helpers.js";

const VERSION = /^[1-9][0-9]*\.(0|[1-9][0-9]*)$/;
const contract = loadContract();
const model = loadModel();

/** Every object in the bundled document that carries `x-openstack`, with its JSON path. */
function marks(node: unknown, path = "#"): { path: string; mark: Record<string, unknown> }[] {
  if (!node || typeof node !== "object") return [];
  const here =
    "x-openstack" in node
      ? [{ path, mark: (node as Record<string, Record<string, unknown>>)["x-openstack"] ?? {} }]
      : [];
  return [...here, ...Object.entries(node).flatMap(([k, v]) => marks(v, `${path}/${k}`))];
}

describe("x-openstack version ranges", () => {
  const all = marks(spec);

  it("are used (the 202 variants and the 403 quota)", () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
  });

  it.each(all.map((m) => [m.path, m] as const))("%s is well-formed and inside min..max", (_, { mark }) => {
    expect(Object.keys(mark).every((k) => k === "min-ver" || k === "max-ver")).toBe(true);
    const min = (mark["min-ver"] as string | undefined) ?? contract.minMicroversion;
    const max = (mark["max-ver"] as string | undefined) ?? contract.maxMicroversion;
    expect(min).toMatch(VERSION);
    expect(max).toMatch(VERSION);
    expect(compareMicroversions(min, max)).toBeLessThanOrEqual(0);
    expect(compareMicroversions(min, contract.minMicroversion)).toBeGreaterThanOrEqual(0);
    expect(compareMicroversions(max, contract.maxMicroversion)).toBeLessThanOrEqual(0);
  });

  it("of the /v2.1 202 do not overlap and together cover every microversion exactly once", () => {
    const variants = responseOf(model.operation("createImage"), 202).variants;
    expect(model.operation("createImage").path).toBe(CREATE_IMAGE_PATH);
    for (const version of microversionsBetween(contract.minMicroversion, contract.maxMicroversion)) {
      const covering = variants.filter(
        (v) =>
          compareMicroversions(version, v.range.min) >= 0 && compareMicroversions(version, v.range.max) <= 0,
      );
      expect(
        covering.map((v) => v.element),
        `microversion ${version}`,
      ).toHaveLength(1);
    }
  });

  it("put Location up to 2.44 and the image_id body from 2.45 (Nova's is_supported(req, '2.45'))", () => {
    expect(contract.createImageVariants).toEqual([
      { element: "header:Location", range: { min: "2.1", max: "2.44" } },
      { element: "body:application/json", range: { min: "2.45", max: contract.maxMicroversion } },
    ]);
  });

  it("limit the metadata quota 403 to microversions below 2.39", () => {
    expect(contract.responseRanges[403]).toEqual({ min: "2.1", max: "2.38" });
  });

  it("leave the /v2 202 with an unconditional Location and no body", () => {
    const legacy = spec.paths["/v2/{project_id}/servers/{server_id}/action"].post.responses["202"];
    expect(legacy.headers.Location.required).toBe(true);
    expect(legacy.content).toBeUndefined();
    expect(responseOf(model.operation("createImageLegacyV2"), 202).variants).toEqual([]);
  });
});
