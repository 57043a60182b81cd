// The model and the microversion module: what every package relies on.
import { describe, expect, it } from "vitest";
import {
  buildModel,
  clampMicroversion,
  compareMicroversions,
  intersectRanges,
  isWellFormed,
  loadDereferencedSpec,
  loadModel,
  modelSource,
  NAMES,
  responseOf,
  segmentRange,
} from "../src/index.js";
import { derefSpec, spec } from "./helpers.js";

const model = loadModel();

describe("the model", () => {
  it("has every operation of the document, once, with its method and path", () => {
    const fromDoc = Object.entries<Record<string, { operationId?: string }>>(spec.paths).flatMap(
      ([path, item]) =>
        Object.entries(item)
          .filter(([m]) => ["get", "post", "put", "patch", "delete"].includes(m))
          .map(([m, op]) => `${op.operationId} ${m.toUpperCase()} ${path}`),
    );
    expect(model.operations.map((o) => `${o.id} ${o.method} ${o.path}`).sort()).toEqual(fromDoc.sort());
  });

  it("reads security, fault keys and ranges per operation", () => {
    const create = model.operation("createImage");
    expect(create.secured).toBe(true);
    expect(model.operation("listVersions").secured).toBe(false);
    expect(responseOf(create, 404).faultKey).toBe("itemNotFound");
    expect(responseOf(create, 401).faultKey).toBe("error");
    expect(responseOf(create, 403).range).toEqual({ min: "2.1", max: "2.38" });
    expect(create.requestBody?.maxBytes).toBe(114688);
  });

  it("reads a parameter's named examples", () => {
    const header = model
      .operation("createImage")
      .parameters.find((p) => p.in === "header" && p.name === NAMES.standardVersionHeader);
    const raw = derefSpec.components.parameters;
    const fromDoc = Object.values<{ name: string; examples?: Record<string, { value: unknown }> }>(raw).find(
      (p) => p.name === NAMES.standardVersionHeader,
    );
    expect(Object.keys(fromDoc?.examples ?? {}).length).toBeGreaterThan(0);
    expect(header?.examples.map((e) => [e.key, e.value])).toEqual(
      Object.entries(fromDoc?.examples ?? {}).map(([key, e]) => [key, e.value]),
    );
    expect(model.operation("createImage").parameters.find((p) => p.name === "server_id")?.examples).toEqual(
      [],
    );
  });

  it("tells operations with their own servers (another service) from those that inherit the document's", () => {
    const own = (id: string) => model.operation(id).ownServers;
    expect(own("createImage")).toBe(false);
    expect(own("createToken")).toBe(true);
    expect(own("showImage")).toBe(true);
    const fromDoc = Object.entries<{ servers?: unknown }>(spec.paths)
      .filter(([, item]) => item.servers)
      .map(([path]) => path)
      .sort();
    expect([...new Set(model.operations.filter((o) => o.ownServers).map((o) => o.path))].sort()).toEqual(
      fromDoc,
    );
  });

  it("is the same model from modelSource's copy of the bundle: its data, every schema by title and every example", () => {
    const fromWhole = buildModel(derefSpec);
    const fromSource = buildModel(modelSource(derefSpec));
    // JSON drops the model's lookup functions; their answers are compared below.
    expect(JSON.stringify(fromSource)).toBe(JSON.stringify(fromWhole));
    expect(fromSource.microversionPattern.source).toBe(fromWhole.microversionPattern.source);
    const titles = Object.entries<{ title?: string }>(derefSpec.components.schemas).map(
      ([key, s]) => s.title ?? key,
    );
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(fromSource.schema(title), title).toEqual(fromWhole.schema(title));
    expect(JSON.stringify(fromSource.examples())).toBe(JSON.stringify(fromWhole.examples()));
    // and it is smaller: the components the bundle inlined into paths are left out
    expect(JSON.stringify(modelSource(derefSpec)).length).toBeLessThan(JSON.stringify(derefSpec).length);
  });

  it("takes an operation's servers over its path item's, and the path item's over the root's", () => {
    const doc = loadDereferencedSpec();
    const item = doc.paths["/v2/images/{image_id}"];
    const own = [{ url: "https://ims.example.test", description: "operation-level" }];
    item.delete.servers = own;
    const built = buildModel(doc);
    expect(built.operation("deleteImage").servers.map((s) => s.url)).toEqual([own[0]?.url]);
    // the path item's list still holds for the path's other operation, and the root's elsewhere
    const fromItem = item.servers.map((s: { url: string }) => s.url);
    expect(fromItem).not.toEqual([own[0]?.url]);
    expect(built.operation("showImage").servers.map((s) => s.url)).toEqual(fromItem);
    const action = built.operation("createImage");
    expect(action.servers.map((s) => s.url)).toEqual(doc.servers.map((s: { url: string }) => s.url));
  });

  it("fails to load when the spec renames a protocol name the code spells", () => {
    const doc = loadDereferencedSpec();
    delete doc.paths["/v2.1/{project_id}/servers/{server_id}/action"].post.responses["202"].headers[
      NAMES.requestIdHeader
    ];
    expect(() => buildModel(doc)).toThrow(/X-Openstack-Request-Id/);
    const renamed = loadDereferencedSpec();
    renamed.components.securitySchemes.XAuthToken.name = "X-Token";
    expect(() => buildModel(renamed)).toThrow(/X-Auth-Token/);
  });

  it("fails to load without an operation the code refers to", () => {
    const doc = loadDereferencedSpec();
    doc.paths["/v2/"].get.operationId = "somethingElse";
    expect(() => buildModel(doc)).toThrow(/showVersionV2/);
  });
});

describe("the microversion module", () => {
  it("gives the same syntax verdicts as the spec's Microversion pattern", () => {
    for (const v of [
      "2.1",
      "2.0",
      "2.60",
      "10.10",
      "02.1",
      "2.01",
      "2",
      "2.",
      ".1",
      "2.1.1",
      " 2.1",
      "2.x",
      "0.1",
    ]) {
      expect(isWellFormed(v), v).toBe(model.microversionPattern.test(v) && v !== NAMES.latest);
    }
  });

  it("orders numerically, clamps and intersects", () => {
    expect(["2.10", "2.9", "2.45", "2.1"].sort(compareMicroversions)).toEqual(["2.1", "2.9", "2.10", "2.45"]);
    expect(clampMicroversion("2.90", { min: "2.1", max: "2.60" })).toBe("2.60");
    expect(clampMicroversion("2.0", { min: "2.1", max: "2.60" })).toBeUndefined();
    expect(clampMicroversion("2.45", { min: "2.1", max: "2.60" })).toBe("2.45");
    expect(intersectRanges({ min: "2.1", max: "2.44" }, { min: "2.45", max: "2.60" })).toBeUndefined();
    expect(intersectRanges({ min: "2.1", max: "2.50" }, { min: "2.45", max: "2.60" })).toEqual({
      min: "2.45",
      max: "2.50",
    });
  });

  it("splits a range at every variant boundary", () => {
    const marks = responseOf(model.operation("createImage"), 202).variants.map((v) => v.range);
    expect(segmentRange({ min: "2.1", max: "2.60" }, marks)).toEqual([
      { min: "2.1", max: "2.44" },
      { min: "2.45", max: "2.60" },
    ]);
    expect(segmentRange({ min: "2.1", max: "2.30" }, marks)).toEqual([{ min: "2.1", max: "2.30" }]);
  });
});
