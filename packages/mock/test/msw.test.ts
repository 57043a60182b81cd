// @ecs-api/mock/msw in node (msw/node's setupServer): the handlers answer like the mock's server,
// every answer checked against the spec.
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandlers } from "../src/msw.js";
import { actionPath, faultOf, problemsOf, type Reply, SCENARIOS, UUID } from "./helpers.js";

const BASE = "http://ecs.mock.test";
const server = setupServer(...createHandlers({ baseUrl: BASE, snapshotSeconds: 0 }));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { "X-Auth-Token": "t", "Content-Type": "application/json", ...headers },
    body,
  });
  const text = await res.text();
  const reply: Reply = {
    status: res.status,
    headers: res.headers,
    text,
    json: text ? JSON.parse(text) : undefined,
  };
  expect(problemsOf("POST", path, reply)).toEqual([]);
  return reply;
}
const create = '{"createImage":{"name":"a"}}';

describe("createHandlers() under setupServer", () => {
  it("given 2.1, then a readable Location with a fresh image ID", async () => {
    const r = await post(actionPath(), create);
    expect(r.status).toBe(202);
    expect(r.headers.get("location")).toMatch(new RegExp(`^${BASE}/`));
    expect(r.headers.get("location")?.split("/").pop()).toMatch(UUID);
  });

  it("given 2.45, then the image_id body", async () => {
    const r = await post(actionPath(), create, { "OpenStack-API-Version": "compute 2.45" });
    expect(r.status).toBe(202);
    expect(r.json.image_id).toMatch(UUID);
  });

  it("given a bad body, then Nova's fault", async () => {
    const r = await post(actionPath(), '{"createImage":{}}');
    expect(faultOf(r)).toEqual({
      key: "badRequest",
      code: 400,
      message: "Invalid input for field/attribute createImage. Value: {}. 'name' is a required property",
    });
  });

  it("given a bad microversion, then 400 and 406", async () => {
    expect((await post(actionPath(), create, { "OpenStack-API-Version": "compute 2.x" })).status).toBe(400);
    const r = await post(actionPath(), create, { "OpenStack-API-Version": "compute 2.99" });
    expect(faultOf(r).key).toBe("computeFault");
    expect(r.status).toBe(406);
  });

  it("given a reserved server in vm_state error, then 409", async () => {
    const r = await post(actionPath(SCENARIOS["vm-state-error"]), create);
    expect(faultOf(r).key).toBe("conflictingRequest");
  });

  it("given Prefer: example=…, then the named example from the templates (no Prism)", async () => {
    const r = await post(actionPath(), create, {
      "OpenStack-API-Version": "compute 2.45",
      Prefer: "example=create-image-resp-v2.45",
    });
    expect(r.json.image_id).toBe("0e7761dd-ee98-41f0-ba35-05994e446431");
  });
});
