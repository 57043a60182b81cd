// The createImage workflow's state machine, on a clock the test moves: log in, show the server,
// create, watch task_state and the image status, conflict during the snapshot, a failing snapshot,
// delete, eviction, reset and seeds. Every answer on a spec path is checked against the spec.
import { describe, expect, it } from "vitest";
import { createFetchHandler, createNodeEngine, type EngineOptions } from "../src/index.js";
import {
  ACTIVE,
  actionPath,
  call,
  faultOf,
  json,
  PROJECT,
  SCENARIOS,
  type TestMock,
  UUID,
} from "./helpers.js";

const ORIGIN = "http://127.0.0.1:4010";

/** An in-process mock whose clock the test sets. */
async function mockAt(options: Partial<EngineOptions> = {}) {
  const clock = { now: Date.UTC(2026, 11, 1, 12) };
  const engine = await createNodeEngine({ snapshotSeconds: 4, now: () => clock.now, ...options });
  const handler = createFetchHandler(engine);
  const mock: TestMock = {
    url: ORIGIN,
    port: 4010,
    minMicroversion: engine.minMicroversion,
    maxMicroversion: engine.maxMicroversion,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => handler(input as string, init)) as typeof fetch,
    close: async () => {},
    reset: engine.reset,
    engine,
  };
  return { mock, clock, engine, tick: (seconds: number) => (clock.now += seconds * 1000) };
}

const login = (mock: TestMock, body: unknown) =>
  call(mock, "/identity/v3/auth/tokens", { body, headers: json });
const password = (project = { name: "eu-de", domain: { name: "Default" } }) => ({
  auth: {
    identity: {
      methods: ["password"],
      password: { user: { name: "alice", password: "secret", domain: { name: "Default" } } },
    },
    scope: { project },
  },
});
const auth = (token: string) => ({ "X-Auth-Token": token });
const create = (mock: TestMock, token: string, server = ACTIVE, version = "2.45") =>
  call(mock, actionPath(server), {
    body: { createImage: { name: "snap", metadata: { purpose: "test" } } },
    headers: { ...auth(token), ...json, "OpenStack-API-Version": `compute ${version}` },
  });
const image = (mock: TestMock, token: string, id: string) =>
  call(mock, `/image/v2/images/${id}`, { headers: { ...auth(token), Accept: "application/json" } });
const server = (mock: TestMock, token: string, id = ACTIVE) =>
  call(mock, `/v2.1/${PROJECT}/servers/${id}`, {
    headers: { ...auth(token), "OpenStack-API-Version": "compute 2.60" },
  });

describe("identity", () => {
  it("given a password login, then 201 with X-Subject-Token and a catalog on the mock's origin", async () => {
    const { mock } = await mockAt();
    const r = await login(mock, password());
    expect(r.status).toBe(201);
    expect(r.headers.get("x-subject-token")).toMatch(/^gAAAAAB/);
    const { token } = r.json;
    expect(token.project.id).toMatch(/^[0-9a-f]{32}$/);
    const byType = Object.fromEntries(
      token.catalog.map((e: { type: string; endpoints: { url: string }[] }) => [e.type, e.endpoints[0]?.url]),
    );
    expect(byType).toEqual({
      compute: `${ORIGIN}/v2.1/${token.project.id}`,
      image: `${ORIGIN}/image`,
      identity: `${ORIGIN}/identity/v3`,
    });
    expect(Date.parse(token.expires_at) - Date.parse(token.issued_at)).toBe(24 * 3600 * 1000);
    // The project ID is stable per project name.
    expect((await login(mock, password())).json.token.project.id).toBe(token.project.id);
  });

  it("given bad bodies, then Keystone's 400 shape and message", async () => {
    const { mock } = await mockAt();
    const noAuth = await login(mock, { nothing: 1 });
    expect(noAuth.status).toBe(400);
    expect(noAuth.json.error.message).toMatch(/^Expecting to find auth in request body/);
    const noObject = await login(mock, { auth: { identity: { methods: ["password"] } } });
    expect(noObject.json.error.message).toMatch(/^Expecting to find password in identity/);
    const noName = await login(mock, {
      auth: { identity: { methods: ["password"], password: { user: { password: "x" } } } },
    });
    expect(noName.json.error.message).toBe(
      "Invalid input for field identity/password/user: id or name must be present.",
    );
  });

  it("given --users, then only a listed user with the right password gets a token", async () => {
    const { mock } = await mockAt({ users: [{ name: "alice", password: "secret" }] });
    expect((await login(mock, password())).status).toBe(201);
    const wrong = password();
    wrong.auth.identity.password.user.password = "nope";
    const r = await login(mock, wrong);
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe(401);
    expect(r.text).not.toContain("nope");
  });

  it("given --strict-tokens, then only issued, unexpired tokens reach compute", async () => {
    const { mock, tick } = await mockAt({ strictTokens: true, tokenSeconds: 60 });
    expect((await server(mock, "made-up")).status).toBe(401);
    const token = (await login(mock, password())).headers.get("x-subject-token") as string;
    expect((await server(mock, token)).status).toBe(200);
    tick(61);
    expect((await server(mock, token)).status).toBe(401);
  });
});

describe("a snapshot", () => {
  it("moves task_state and the image status, refuses a second createImage meanwhile, and ends active", async () => {
    const { mock, tick } = await mockAt();
    const token = (await login(mock, password())).headers.get("x-subject-token") as string;
    expect((await server(mock, token)).json.server["OS-EXT-STS:task_state"]).toBeNull();
    const created = await create(mock, token);
    expect(created.status).toBe(202);
    const id = created.json.image_id as string;
    expect(id).toMatch(UUID);

    const seen: [string | null, string][] = [];
    for (let i = 0; i < 5; i++) {
      seen.push([
        (await server(mock, token)).json.server["OS-EXT-STS:task_state"],
        (await image(mock, token, id)).json.status,
      ]);
      tick(1);
    }
    expect(seen).toEqual([
      ["image_snapshot_pending", "queued"],
      ["image_snapshot", "queued"],
      ["image_pending_upload", "saving"],
      ["image_uploading", "saving"],
      [null, "active"],
    ]);
    const shown = (await image(mock, token, id)).json;
    expect(shown).toMatchObject({
      id,
      name: "snap",
      instance_uuid: ACTIVE,
      image_type: "snapshot",
      purpose: "test",
    });
    expect((await server(mock, token)).json.server.status).toBe("ACTIVE");
  });

  it("given a snapshot running, then createImage is Nova's 409 naming the task_state", async () => {
    const { mock, tick } = await mockAt();
    expect((await create(mock, "t")).status).toBe(202);
    tick(1);
    const again = await create(mock, "t");
    expect(faultOf(again)).toEqual({
      key: "conflictingRequest",
      code: 409,
      message: `Cannot 'createImage' instance ${ACTIVE} while it is in task_state image_snapshot`,
    });
    tick(3);
    expect((await create(mock, "t")).status).toBe(202);
  });

  it("given the snapshot-fails server, then the image disappears (404) and task_state resets", async () => {
    const { mock, tick } = await mockAt();
    const failing = SCENARIOS["snapshot-fails"];
    const id = (await create(mock, "t", failing)).json.image_id as string;
    expect((await image(mock, "t", id)).json.status).toBe("queued");
    expect((await server(mock, "t", failing)).json.server["OS-EXT-STS:task_state"]).toBe(
      "image_snapshot_pending",
    );
    tick(4);
    const gone = await image(mock, "t", id);
    expect(gone.status).toBe(404);
    expect(gone.json.message).toContain(`No image found with ID ${id}`);
    expect((await server(mock, "t", failing)).json.server["OS-EXT-STS:task_state"]).toBeNull();
  });

  it("given the reserved servers, then show answers their scenario", async () => {
    const { mock } = await mockAt();
    expect((await server(mock, "t", SCENARIOS["not-found"])).status).toBe(404);
    expect((await server(mock, "t", SCENARIOS["vm-state-error"])).json.server.status).toBe("ERROR");
    expect(
      (await server(mock, "t", SCENARIOS["snapshot-pending"])).json.server["OS-EXT-STS:task_state"],
    ).toBe("image_snapshot_pending");
  });
});

describe("images", () => {
  it("lists newest first with name filter and next-page links, and deletes", async () => {
    const { mock, tick } = await mockAt({ snapshotSeconds: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await create(mock, "t")).json.image_id);
      tick(1);
    }
    const page = await call(mock, "/image/v2/images?limit=2", { headers: auth("t") });
    expect(page.json.images.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    expect(page.json.next).toBe(`/v2/images?limit=2&marker=${ids[1]}`);
    const rest = await call(mock, `/image${page.json.next}`, { headers: auth("t") });
    expect(rest.json.images.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(rest.json.next).toBeUndefined();
    expect((await call(mock, "/image/v2/images?name=nope", { headers: auth("t") })).json.images).toEqual([]);
    expect((await call(mock, "/image/v2/images?limit=x", { headers: auth("t") })).status).toBe(400);

    const deleted = await call(mock, `/image/v2/images/${ids[0]}`, { method: "DELETE", headers: auth("t") });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await image(mock, "t", ids[0] as string)).status).toBe(404);
    expect(
      (await call(mock, `/image/v2/images/${ids[0]}`, { method: "DELETE", headers: auth("t") })).status,
    ).toBe(404);
  });

  it("given more images than --max-images, then the oldest are evicted and the count stays at the cap", async () => {
    const { mock, engine } = await mockAt({ snapshotSeconds: 0, maxImages: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(mock, "t")).json.image_id);
    expect(engine.size().images).toBe(3);
    expect((await image(mock, "t", ids[0] as string)).status).toBe(404);
    expect((await image(mock, "t", ids[4] as string)).status).toBe(200);
  });

  it("given reset(), then every image and token is forgotten", async () => {
    const { mock, engine } = await mockAt({ snapshotSeconds: 0 });
    const id = (await create(mock, "t")).json.image_id as string;
    await login(mock, password());
    engine.reset();
    expect(engine.size()).toEqual({ images: 0, tokens: 0 });
    expect((await image(mock, "t", id)).status).toBe(404);
  });

  it("given the same seed, then the same image IDs and tokens", async () => {
    const run = async () => {
      const { mock } = await mockAt({ seed: "wf", snapshotSeconds: 0 });
      return [
        (await login(mock, password())).headers.get("x-subject-token"),
        (await create(mock, "t")).json.image_id,
      ];
    };
    expect(await run()).toEqual(await run());
  });

  it("answers the image endpoint's root with Glance's version list on the mock's origin", async () => {
    const { mock } = await mockAt();
    const r = await call(mock, "/image/versions");
    expect(r.json.versions[0].links[0].href).toBe(`${ORIGIN}/image/v2/`);
    const res = await mock.fetch(`${ORIGIN}/image/`);
    expect(((await res.json()) as { versions: unknown[] }).versions.length).toBe(r.json.versions.length);
  });
});
