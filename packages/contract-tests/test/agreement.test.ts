import { CREATE_IMAGE_PATH, loadContract, loadModel, loadSpec, SCHEMAS } from "@ecs-api/spec";
import { describe, expect, inject, it } from "vitest";
import { NOVA } from "../src/nova.js";

const spec = loadSpec();
const contract = loadContract();

describe("the spec agrees with Nova", () => {
  it("on the microversion range", () => {
    expect(contract.minMicroversion).toBe(NOVA.minMicroversion);
    expect(contract.maxMicroversion).toBe(NOVA.maxMicroversion);
  });

  it("on where the image ID is, by microversion", () => {
    const body = contract.createImageVariants.find((v) => v.element === "body:application/json");
    const location = contract.createImageVariants.find((v) => v.element === "header:Location");
    expect(body?.range.min).toBe(NOVA.imageIdInBodyFrom);
    expect(location?.range).toEqual({ min: NOVA.minMicroversion, max: "2.44" });
  });

  it("on the fault keys and the metadata quota", () => {
    expect(contract.faultKeys).toEqual(NOVA.faultKeys);
    expect(contract.responseRanges[403]?.max).toBe(NOVA.metadataQuotaUpTo);
    expect(contract.metadata.quotaMaxItems).toBe(NOVA.metadataQuota);
  });

  it("on the protocol's names", () => {
    expect(contract.names).toMatchObject({
      serviceType: "compute",
      latest: "latest",
      tokenHeader: "X-Auth-Token",
      standardVersionHeader: "OpenStack-API-Version",
      legacyVersionHeader: "X-OpenStack-Nova-API-Version",
      locationHeader: "Location",
      actionKey: "createImage",
      imageIdField: "image_id",
      legacyV2Version: "2.0",
    });
    expect(contract.names.requestIdAliases).toEqual(["X-Compute-Request-Id"]);
  });

  it("on the name limit", () => {
    expect(contract.name.maxBytes).toBe(NOVA.nameMaxBytes);
    expect(spec.components.schemas.ImageName.maxLength).toBe(NOVA.nameMaxBytes);
    expect(loadModel().schema(SCHEMAS.createImage).required).toEqual(["name"]);
    expect(spec.paths[CREATE_IMAGE_PATH]).toBeDefined();
  });
});

describe("the mock's version documents agree with the spec's examples", () => {
  const examples = spec.components.examples;
  const onOurOrigin = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll("https://ecs.eu-de.otc.t-systems.com", inject("mockUrl")));

  it.each([
    ["/", "versions"],
    ["/v2.1/", "version-v2.1"],
    ["/v2.1", "version-v2.1"],
    ["/v2/", "version-v2"],
  ])("GET %s answers the %s example on the mock's origin", async (path, example) => {
    const res = await fetch(`${inject("mockUrl")}${path}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(onOurOrigin(examples[example].value));
  });
});
