// Prism's own response selection still works through the mock, and comes out in Nova's shape.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  actionPath,
  call,
  contract,
  createImage,
  doc,
  expectNovaShape,
  faultOf,
  json,
  send,
  token,
  UUID,
  useMock,
} from "./helpers.js";

const ctx = useMock();
const body = { createImage: { name: "foo-image" } };
const examples = doc.components.examples;
// Header values must be valid HTTP field values to be sent at all.
const headerSafe = (s: string) => /^[\t\x20-\x7e]*$/.test(s);

describe("Prism's Prefer header and __code query", () => {
  it("given Prefer: code=409, example=fault-snapshot-pending, then that example", async () => {
    const r = await createImage(ctx.mock, body, {
      headers: { Prefer: "code=409, example=fault-snapshot-pending" },
    });
    expect(r.status).toBe(409);
    expect(r.json).toEqual(examples["fault-snapshot-pending"].value);
    expect(r.headers.get("x-openstack-nova-api-version")).toBe("2.1");
  });

  it("given the same preference as __code and __example query parameters, then the same answer", async () => {
    const r = await call(ctx.mock, `${actionPath()}?__code=409&__example=fault-vm-state-error`, {
      body,
      headers: { ...token, ...json },
    });
    expect(r.status).toBe(409);
    expect(r.json).toEqual(examples["fault-vm-state-error"].value);
  });

  it("given Prefer: code=202 at 2.1, then the 2.1 shape: Location with a fresh UUID, no body", async () => {
    const r = await createImage(ctx.mock, body, { headers: { Prefer: "code=202" } });
    expect(r.status).toBe(202);
    expect(r.text).toBe("");
    const id = r.headers.get("location")?.split("/").pop();
    expect(id).toMatch(UUID);
    expect(id).not.toBe(examples["create-image-resp-v2.45"].value.image_id);
  });

  it("given Prefer: example=nope (no such example) at 2.1 twice, then two fresh Locations on the mock", async () => {
    const locations: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await createImage(ctx.mock, body, { version: "2.1", headers: { Prefer: "example=nope" } });
      expect(r.status).toBe(202);
      const location = r.headers.get("location") ?? "";
      expect(location.startsWith(`${ctx.mock.url}/image/images/`), location).toBe(true);
      expect(location.split("/").pop()).toMatch(UUID);
      locations.push(location);
    }
    expect(locations[0]).not.toBe(locations[1]);
  });

  it("given Prefer: example=create-image-resp-v2.1-location at 2.1, then that example's Location", async () => {
    const r = await createImage(ctx.mock, body, {
      version: "2.1",
      headers: { Prefer: "example=create-image-resp-v2.1-location" },
    });
    expect(r.status).toBe(202);
    expect(r.headers.get("location")).toBe(examples["create-image-resp-v2.1-location"].value);
  });

  it("given Prefer: example=create-image-resp-v2.45 at 2.45, then that example's body", async () => {
    const r = await createImage(ctx.mock, body, {
      version: "2.45",
      headers: { Prefer: "example=create-image-resp-v2.45" },
    });
    expect(r.status).toBe(202);
    expect(r.json).toEqual(examples["create-image-resp-v2.45"].value);
  });

  it("given Prefer: code=202, dynamic=true at 2.45, then a generated body with a fresh UUID", async () => {
    const r = await createImage(ctx.mock, body, {
      version: "2.45",
      headers: { Prefer: "code=202, dynamic=true" },
    });
    expect(r.status).toBe(202);
    expect(r.json.image_id).toMatch(UUID);
    expect(r.headers.get("location")).toBeNull();
  });

  it("given Prefer: code=403 at 2.50 where the spec has no 403, then the preference is ignored", async () => {
    const r = await createImage(ctx.mock, body, { version: "2.50", headers: { Prefer: "code=403" } });
    expect(r.status).toBe(202);
  });

  it("given Prefer: code=403 at 2.30, then the 403 example", async () => {
    const r = await createImage(ctx.mock, body, { version: "2.30", headers: { Prefer: "code=403" } });
    expect(r.status).toBe(403);
    expect(faultOf(r).message).toBe("Image metadata limit exceeded");
  });

  it.each(["code=418", "code=abc", "example=no-such-example"])(
    "given Prefer: %s which cannot be honoured, then the normal answer (never Prism's 404/422/500)",
    async (prefer) => {
      const r = await createImage(ctx.mock, body, { headers: { Prefer: prefer } });
      expect(r.status).toBe(202);
    },
  );

  it("given a preference and a bad body, then Nova's 400 (never Prism's 422)", async () => {
    const r = await createImage(ctx.mock, { createImage: { name: "" } }, { headers: { Prefer: "code=202" } });
    expect(r.status).toBe(400);
    expect(faultOf(r).message).toBe(
      "Invalid input for field/attribute name. Value: . '' should be non-empty",
    );
  });

  it("given a preference without a token, then 401 first", async () => {
    const r = await call(ctx.mock, actionPath(), { body, headers: { ...json, Prefer: "code=202" } });
    expect(r.status).toBe(401);
  });

  it("given a preference on the version document, then the links are still on the mock", async () => {
    const r = await call(ctx.mock, "/v2.1/", { headers: { Prefer: "code=200" } });
    expect(r.status).toBe(200);
    expect(r.json.version.links[0].href).toBe(`${ctx.mock.url}/v2.1/`);
    expect(r.json.version.version).toBe(contract.maxMicroversion);
  });

  // Here rather than in fuzz.test.ts: this file has Prism loaded already.
  it("given any Prism preference, then a Nova answer (never Prism's 404, 422 or 500)", async () => {
    const prefer = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 100, max: 599 }),
          fc.constantFrom("", ", dynamic=true", ", example=fault-vm-state-error", ", example=nope"),
        )
        .map(([code, rest]) => `code=${code}${rest}`),
      fc.string({ maxLength: 30 }).filter(headerSafe),
    );
    await fc.assert(
      fc.asyncProperty(prefer, fc.constantFrom("2.1", "2.30", "2.45", "latest"), async (p, v) => {
        const r = await send(
          ctx.mock,
          actionPath(),
          { "Content-Type": "application/json", Prefer: p, "OpenStack-API-Version": `compute ${v}` },
          JSON.stringify({ createImage: { name: "a" } }),
        );
        expectNovaShape(r);
      }),
      { numRuns: 60 },
    );
  });
});
