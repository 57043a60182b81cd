// Token, content type, size, scenarios, quota, unknown routes, and the order Nova checks them in.
import { describe, expect, it } from "vitest";
import {
  ACTIVE,
  actionPath,
  call,
  contract,
  createImage,
  doc,
  faultOf,
  fetchOf,
  json,
  legacyPath,
  PROJECT,
  SCENARIOS,
  token,
  useMock,
} from "./helpers.js";

const ctx = useMock();
const body = { createImage: { name: "foo-image", metadata: {} } };
const manyItems = (n: number) => ({
  createImage: {
    name: "a",
    metadata: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"])),
  },
});

describe("the token", () => {
  it.each([
    ["missing", {}],
    ["empty", { "X-Auth-Token": "" }],
  ])(
    "given a %s X-Auth-Token, then keystone's 401 with WWW-Authenticate and no version headers",
    async (_, headers) => {
      const r = await call(ctx.mock, actionPath(), { body, headers: { ...json, ...headers } });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({
        error: {
          code: 401,
          title: "Unauthorized",
          message: "The request you have made requires authentication.",
        },
      });
      expect(r.headers.get("www-authenticate")).toMatch(/^Keystone uri="https?:\/\/[^"]+"$/);
      expect(r.headers.get("x-openstack-nova-api-version")).toBeNull();
      expect(r.headers.get("x-openstack-request-id")).toMatch(/^req-/);
    },
  );

  it("given no token plus a bad version, a bad content type and a bad body, then 401 comes first", async () => {
    const r = await call(ctx.mock, actionPath("not-a-server"), {
      raw: "<xml/>",
      headers: { "Content-Type": "application/xml", "X-OpenStack-Nova-API-Version": "2.x" },
    });
    expect(r.status).toBe(401);
  });

  it("given no token on /v2, then 401 too", async () => {
    const r = await call(ctx.mock, legacyPath(), { body, headers: json });
    expect(r.status).toBe(401);
  });
});

describe("the content type", () => {
  it.each([
    "application/xml",
    "text/html",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
  ])("given Content-Type %s, then 415 badMediaType", async (type) => {
    const r = await createImage(ctx.mock, body, { headers: { "Content-Type": type } });
    expect(r.status).toBe(415);
    expect(faultOf(r)).toEqual({ key: "badMediaType", code: 415, message: "Unsupported Content-Type" });
    expect(r.headers.get("x-openstack-nova-api-version")).toBe("2.1");
  });

  it.each([
    "application/json; charset=utf-8",
    "Application/JSON",
    "application/vnd.openstack.compute+json",
    "text/plain",
  ])("given Content-Type %s, then the body is read as JSON", async (type) => {
    const r = await createImage(ctx.mock, body, { headers: { "Content-Type": type } });
    expect(r.status).toBe(202);
  });

  it("given no Content-Type at all, then the body is read as JSON", async () => {
    const r = await call(ctx.mock, actionPath(), { raw: Buffer.from(JSON.stringify(body)), headers: token });
    expect(r.status).toBe(202);
  });

  it("given a bad content type and a bad body, then 415 comes first", async () => {
    const r = await createImage(ctx.mock, {}, { headers: { "Content-Type": "application/xml" } });
    expect(r.status).toBe(415);
  });

  it("given a bad version and a bad content type, then the version comes first", async () => {
    const r = await createImage(ctx.mock, body, {
      version: "2.61",
      headers: { "Content-Type": "application/xml" },
    });
    expect(r.status).toBe(406);
  });
});

describe("the size limit", () => {
  const big = (bytes: number) => {
    const head = '{"createImage": {"name": "a", "metadata": {"k": "';
    const tail = '"}}}';
    return head + "v".repeat(bytes - head.length - tail.length) + tail;
  };

  it("reads the limit from the spec", () => {
    expect(contract.maxBodyBytes).toBe(114688);
  });

  it("given a body just over the limit, then 413 overLimit without version headers (middleware answers it)", async () => {
    const r = await call(ctx.mock, actionPath(), {
      raw: big(contract.maxBodyBytes + 1),
      headers: { ...token, ...json },
    });
    expect(r.status).toBe(413);
    expect(faultOf(r)).toMatchObject({ key: "overLimit", code: 413 });
    expect(r.headers.get("x-openstack-nova-api-version")).toBeNull();
    expect(r.headers.get("vary")).toBeNull();
  });

  it("given an oversized body and a malformed version, then 413 (the size limit sits in front of Nova)", async () => {
    const r = await call(ctx.mock, actionPath(), {
      raw: big(contract.maxBodyBytes + 1),
      headers: { ...token, ...json, "X-OpenStack-Nova-API-Version": "2.x" },
    });
    expect(r.status).toBe(413);
  });

  it("given an oversized body without a token, then 401 first", async () => {
    const r = await call(ctx.mock, actionPath(), { raw: big(contract.maxBodyBytes + 1), headers: json });
    expect(r.status).toBe(401);
  });

  it("given a body of exactly the limit, then it is read (and judged on its content)", async () => {
    const r = await call(ctx.mock, actionPath(), {
      raw: big(contract.maxBodyBytes),
      headers: { ...token, ...json },
    });
    expect(r.status).toBe(400);
    expect(faultOf(r).message).toMatch(/is too long$/);
  });

  it("given an oversized body sent chunked without Content-Length, then 413 too", async () => {
    const text = big(contract.maxBodyBytes * 2);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < text.length; i += 16384)
          controller.enqueue(new TextEncoder().encode(text.slice(i, i + 16384)));
        controller.close();
      },
    });
    const res = await fetchOf(ctx.mock)(`${ctx.mock.url}${actionPath()}`, {
      method: "POST",
      headers: { ...token, ...json },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).overLimit.code).toBe(413);
  });
});

describe("the reserved servers", () => {
  it("exports exactly the spec's x-mock-scenarios", () => {
    const param = doc.components.parameters.server_id;
    expect(SCENARIOS).toEqual(param["x-mock-scenarios"]);
  });

  it("given the not-found server, then 404 with Nova's message", async () => {
    const id = SCENARIOS["not-found"];
    const r = await createImage(ctx.mock, body, { server: id });
    expect(r.status).toBe(404);
    expect(faultOf(r)).toEqual({
      key: "itemNotFound",
      code: 404,
      message: `Instance ${id} could not be found.`,
    });
  });

  it("given the server in ERROR state, then 409 with Nova's message", async () => {
    const id = SCENARIOS["vm-state-error"];
    const r = await createImage(ctx.mock, body, { server: id, version: "2.45" });
    expect(r.status).toBe(409);
    expect(faultOf(r)).toEqual({
      key: "conflictingRequest",
      code: 409,
      message: `Cannot 'createImage' instance ${id} while it is in vm_state error`,
    });
  });

  it("given the server with a snapshot in progress, then 409 naming the task state", async () => {
    const id = SCENARIOS["snapshot-pending"];
    const r = await call(ctx.mock, legacyPath(id), { body, headers: { ...token, ...json } });
    expect(r.status).toBe(409);
    expect(faultOf(r).message).toBe(
      `Cannot 'createImage' instance ${id} while it is in task_state image_snapshot_pending`,
    );
  });

  it("given the spec's example messages, then the mock words them the same way", async () => {
    const examples = doc.components.examples;
    for (const [name, server] of [
      ["fault-instance-not-found", SCENARIOS["not-found"]],
      ["fault-vm-state-error", SCENARIOS["vm-state-error"]],
      ["fault-snapshot-pending", SCENARIOS["snapshot-pending"]],
    ] as const) {
      const r = await createImage(ctx.mock, body, { server });
      expect(r.json, name).toEqual(examples[name].value);
    }
  });

  it("given a server ID that is not a UUID, then 404 Instance ... could not be found", async () => {
    const r = await createImage(ctx.mock, body, { server: "no-such-server" });
    expect(r.status).toBe(404);
    expect(faultOf(r).message).toBe("Instance no-such-server could not be found.");
  });

  it("given the reserved IDs in upper case, then they play the same scenario", async () => {
    const r = await createImage(ctx.mock, body, { server: SCENARIOS["vm-state-error"].toUpperCase() });
    expect(r.status).toBe(409);
  });

  it("given any other well-formed server ID, then the server is active", async () => {
    for (const server of [
      ACTIVE,
      "00000000-0000-0000-0000-000000000408",
      "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    ]) {
      expect((await createImage(ctx.mock, body, { server })).status).toBe(202);
    }
  });
});

describe("the metadata quota", () => {
  const limit = contract.metadata.quotaMaxItems;
  const range = contract.responseRanges[403];

  it("reads the quota and its microversion range from the spec", () => {
    expect(limit).toBe(128);
    expect(range).toEqual({ min: "2.1", max: "2.38" });
  });

  it("given one item over the quota at 2.38, then 403 forbidden", async () => {
    const r = await createImage(ctx.mock, manyItems(limit + 1), { version: "2.38" });
    expect(r.status).toBe(403);
    expect(faultOf(r)).toEqual({ key: "forbidden", code: 403, message: "Image metadata limit exceeded" });
  });

  it("given one item over the quota at 2.39, then 202 (Nova no longer checks it)", async () => {
    expect((await createImage(ctx.mock, manyItems(limit + 1), { version: "2.39" })).status).toBe(202);
  });

  it("given one item over the quota on /v2, then 403", async () => {
    const r = await call(ctx.mock, legacyPath(), {
      body: manyItems(limit + 1),
      headers: { ...token, ...json },
    });
    expect(r.status).toBe(403);
  });

  it("given exactly the quota, then 202", async () => {
    expect((await createImage(ctx.mock, manyItems(limit))).status).toBe(202);
  });

  it("given too many items on a missing server, then 404 (the server is looked up first)", async () => {
    const r = await createImage(ctx.mock, manyItems(limit + 1), { server: SCENARIOS["not-found"] });
    expect(r.status).toBe(404);
  });

  it("given too many items on the server in ERROR, then 403 (the quota before the state)", async () => {
    const r = await createImage(ctx.mock, manyItems(limit + 1), { server: SCENARIOS["vm-state-error"] });
    expect(r.status).toBe(403);
  });
});

describe("other methods and paths", () => {
  it.each(["GET", "PUT", "DELETE", "PATCH"])(
    "given %s on the action path, then 404 itemNotFound, never 5xx",
    async (method) => {
      const r = await call(ctx.mock, actionPath(), { method, headers: token, unchecked: true });
      expect(r.status).toBe(404);
      expect(faultOf(r)).toEqual({
        key: "itemNotFound",
        code: 404,
        message: "The resource could not be found.",
      });
      expect(r.headers.get("x-openstack-nova-api-version")).toBe("2.1");
    },
  );

  it.each([
    `/v2.1/${PROJECT}/flavors`,
    `/v2.1/${PROJECT}/servers/${ACTIVE}/os-interface`,
    `/v2/${PROJECT}/images`,
  ])("given GET %s with a token, then 404 itemNotFound", async (path) => {
    const r = await call(ctx.mock, path, { headers: token, unchecked: true });
    expect(r.status).toBe(404);
    expect(faultOf(r).key).toBe("itemNotFound");
  });

  it("given an unknown /v2.1 path without a token, then 401 (keystone sits in front of routing)", async () => {
    const r = await call(ctx.mock, `/v2.1/${PROJECT}/servers`, { unchecked: true });
    expect(r.status).toBe(401);
  });

  it("given a path outside the API, then 404 without a token check or version headers", async () => {
    const r = await call(ctx.mock, "/favicon.ico", { unchecked: true });
    expect(r.status).toBe(404);
    expect(faultOf(r).key).toBe("itemNotFound");
    expect(r.headers.get("vary")).toBeNull();
  });

  it.each([
    ["GET", "/nowhere"],
    ["HEAD", "/"],
  ])(
    "given %s %s outside /v2.1 and /v2, then 404 that is not marked deprecated and has no version",
    async (method, path) => {
      const r = await call(ctx.mock, path, { method, unchecked: true });
      expect(r.status).toBe(404);
      expect(r.headers.get("deprecation")).toBeNull();
      expect(r.headers.get("openstack-api-version")).toBeNull();
      expect(r.headers.get("x-openstack-nova-api-version")).toBeNull();
      if (method === "GET") expect(faultOf(r).key).toBe("itemNotFound");
    },
  );

  it("given an unknown /v2 path, then the legacy endpoint's 404, without Prism's Deprecation header (Nova sends none)", async () => {
    const r = await call(ctx.mock, `/v2/${PROJECT}/images`, { headers: token, unchecked: true });
    expect(r.status).toBe(404);
    expect(r.headers.get("deprecation")).toBeNull();
    expect(faultOf(r).key).toBe("itemNotFound");
  });

  it("given a path with an empty project segment, then 404", async () => {
    const r = await call(ctx.mock, `/v2.1//servers/${ACTIVE}/action`, {
      body,
      headers: { ...token, ...json },
      unchecked: true,
    });
    expect(r.status).toBe(404);
  });

  it("given a request ID on every answer, then both headers carry the same req-<uuid>", async () => {
    for (const r of [
      await createImage(ctx.mock, body),
      await createImage(ctx.mock, {}),
      await call(ctx.mock, "/"),
      await call(ctx.mock, "/nope", { unchecked: true }),
    ]) {
      const id = r.headers.get("x-openstack-request-id");
      expect(id).toMatch(/^req-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.headers.get("x-compute-request-id")).toBe(id);
    }
  });
});
