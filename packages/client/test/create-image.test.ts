import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEcsClient, EcsError, type Microversion } from "../src/index.js";
import { accepted, contract, observedFetch, PROJECT, rejection, SERVER, TOKEN } from "./helpers.js";

const BASE = "https://ecs.example.test";
const client = (respond: () => Response) => {
  const observed = observedFetch(respond);
  return {
    ...observed,
    ecs: createEcsClient({ baseUrl: BASE, projectId: PROJECT, token: TOKEN, fetch: observed.fetch }),
  };
};

describe("createImage result", () => {
  // Every microversion the spec knows, answered the way the spec says for its range.
  const all = Array.from({ length: Number(contract.maxMicroversion.split(".")[1]) }, (_, i) => `2.${i + 1}`);

  it.each(all)(
    "Given the service answers at %s, when createImage resolves, then it has the image ID and that microversion",
    async (mv) => {
      const imageId = randomUUID();
      const { ecs } = client(() => accepted(mv, imageId));
      const result = await ecs.createImage(SERVER, { name: "img" }, { microversion: mv as Microversion });
      expect(result.imageId).toBe(imageId);
      expect(result.microversion).toBe(mv);
      expect(result.requestId).toMatch(/^req-/);
    },
  );

  it("Given a Location answer (below 2.45), when createImage resolves, then location is the header and imageId its last segment", async () => {
    const imageId = randomUUID();
    const { ecs } = client(() => accepted("2.44", imageId));
    const result = await ecs.createImage(SERVER, { name: "img" }, { microversion: "2.44" });
    expect(result).toEqual({
      imageId,
      microversion: "2.44",
      location: `https://ims.eu-de.otc.t-systems.com/images/${imageId}`,
      requestId: expect.stringMatching(/^req-/),
    });
  });

  it("Given a body answer (2.45 on), when createImage resolves, then there is no location key at all", async () => {
    const { ecs } = client(() => accepted("2.45"));
    const result = await ecs.createImage(SERVER, { name: "img" }, { microversion: "2.45" });
    expect(Object.keys(result).sort()).toEqual(["imageId", "microversion", "requestId"]);
  });

  it("Given latest, when the service answers with its concrete maximum, then microversion is that maximum", async () => {
    const { ecs } = client(() => accepted(contract.maxMicroversion));
    const result = await ecs.createImage(SERVER, { name: "img" }, { microversion: "latest" });
    expect(result.microversion).toBe(contract.maxMicroversion);
  });

  it("Given /v2, when the service answers with Location and no version headers, then microversion is 2.0", async () => {
    const imageId = randomUUID();
    const { ecs } = client(() => accepted(undefined, imageId));
    const result = await ecs.createImage(SERVER, { name: "img" }, { legacyV2: true });
    expect(result.imageId).toBe(imageId);
    expect(result.microversion).toBe("2.0");
  });

  it("Given an answer that carries both, when createImage resolves, then the body's image_id wins", async () => {
    const body = randomUUID();
    const { ecs } = client(
      () =>
        new Response(JSON.stringify({ image_id: body }), {
          status: 202,
          headers: { "Content-Type": "application/json", Location: `https://ims/images/${randomUUID()}` },
        }),
    );
    expect((await ecs.createImage(SERVER, { name: "img" })).imageId).toBe(body);
  });

  it("Given a 202 with neither body nor Location, when createImage settles, then it rejects with invalid-response", async () => {
    const { ecs } = client(() => new Response(null, { status: 202 }));
    const error = await rejection(ecs.createImage(SERVER, { name: "img" }));
    expect(error).toBeInstanceOf(EcsError);
    expect(error.kind).toBe("invalid-response");
    expect(error.status).toBe(202);
  });

  it("Given a 202 whose image_id is not a UUID, when createImage settles, then it rejects with invalid-response", async () => {
    const { ecs } = client(
      () =>
        new Response(JSON.stringify({ image_id: "not-a-uuid" }), {
          status: 202,
          headers: { "Content-Type": "application/json" },
        }),
    );
    expect((await rejection(ecs.createImage(SERVER, { name: "img" }))).kind).toBe("invalid-response");
  });

  it("Given a Location whose last segment is not a UUID, when createImage settles, then it rejects with invalid-response", async () => {
    const { ecs } = client(
      () => new Response(null, { status: 202, headers: { Location: "https://ims/images/" } }),
    );
    expect((await rejection(ecs.createImage(SERVER, { name: "img" }))).kind).toBe("invalid-response");
  });

  it("Given a 200 instead of 202, when createImage settles, then it rejects with invalid-response carrying the status", async () => {
    const { ecs } = client(
      () =>
        new Response(JSON.stringify({ image_id: randomUUID() }), {
          status: 200,
          headers: { "Content-Type": "application/json" },
        }),
    );
    const error = await rejection(ecs.createImage(SERVER, { name: "img" }));
    expect([error.kind, error.status]).toEqual(["invalid-response", 200]);
  });
});
