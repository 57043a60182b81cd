import { describe, expectTypeOf, it } from "vitest";
import { akskAuth } from "../src/aksk.js";
import {
  type CreateImageResult,
  createEcsClient,
  EcsError,
  type Image,
  type KnownMicroversion,
  type Microversion,
  mockEndpoints,
  type Server,
  type TaskState,
} from "../src/index.js";
import { passwordAuth } from "../src/password.js";

const ecs = createEcsClient({ baseUrl: "https://ecs.example", projectId: "p", token: "t" });
const server = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
const action = "/v2.1/{project_id}/servers/{server_id}/action" as const;

describe("createImage types", () => {
  it("Given createImage, when its result type is read, then it is exactly { imageId, microversion, location?, requestId? }", () => {
    expectTypeOf(ecs.createImage(server, { name: "a" })).resolves.toEqualTypeOf<{
      imageId: string;
      microversion: string;
      location?: string;
      requestId?: string;
    }>();
    expectTypeOf(
      ecs.createImage(server, { name: "a" }, { microversion: "2.45" }),
    ).resolves.toEqualTypeOf<CreateImageResult>();
    // With wait, the active image comes along.
    expectTypeOf(ecs.createImage(server, { name: "a" }, { wait: true })).resolves.toEqualTypeOf<
      CreateImageResult & { image: Image }
    >();
    // Optional means absent, never a present `undefined` (exactOptionalPropertyTypes).
    // @ts-expect-error requestId is a string when present
    const absent: CreateImageResult = { imageId: "i", microversion: "2.1", requestId: undefined };
    void absent;
  });

  it("Given a wrong image body, when it is compiled, then it fails", () => {
    // @ts-expect-error name must be a string
    void ecs.createImage(server, { name: 1 });
    // @ts-expect-error name is required
    void ecs.createImage(server, { metadata: {} });
    // @ts-expect-error metadata values are strings
    void ecs.createImage(server, { name: "a", metadata: { k: 1 } });
    // @ts-expect-error no other property
    void ecs.createImage(server, { name: "a", visibility: "private" });
  });

  it("Given microversion options, when they are compiled, then only 2.1…max and latest pass, and /v2 takes none", () => {
    void ecs.createImage(server, { name: "a" }, { microversion: "2.45" });
    void ecs.createImage(server, { name: "a" }, { microversion: "latest" });
    void ecs.createImage(server, { name: "a" }, { legacyV2: true });
    // @ts-expect-error malformed
    void ecs.createImage(server, { name: "a" }, { microversion: "2.x" });
    // @ts-expect-error beyond the spec's maximum
    void ecs.createImage(server, { name: "a" }, { microversion: "2.61" });
    // @ts-expect-error below the minimum
    void ecs.createImage(server, { name: "a" }, { microversion: "2.0" });
    // @ts-expect-error /v2 has no microversions
    void ecs.createImage(server, { name: "a" }, { legacyV2: true, microversion: "2.45" });
    expectTypeOf<"2.1" | "2.44" | "2.45" | "2.60">().toExtend<KnownMicroversion>();
    expectTypeOf<Microversion>().toEqualTypeOf<KnownMicroversion | "latest">();
  });

  it("Given client options, when token and getToken are mixed or missing, then it fails", () => {
    createEcsClient({ baseUrl: "b", projectId: "p", getToken: async () => "t" });
    // @ts-expect-error token or getToken, not both
    createEcsClient({ baseUrl: "b", projectId: "p", token: "t", getToken: () => "t" });
    // @ts-expect-error one of them is required
    createEcsClient({ baseUrl: "b", projectId: "p" });
  });

  it("Given the auth modes, when two are combined, then it fails; each alone compiles", () => {
    const password = passwordAuth({ user: "u", password: "pw", domain: "d", project: "eu-de" });
    const aksk = akskAuth({ accessKey: "AK", secretKey: "SK", projectId: "p" });
    createEcsClient({ region: "eu-de", auth: password });
    createEcsClient({ region: "eu-nl", auth: aksk });
    createEcsClient({ region: "eu-de", projectId: "p", token: "t" });
    // @ts-expect-error a token and a password login cannot be combined
    createEcsClient({ region: "eu-de", token: "t", auth: password });
    // @ts-expect-error getToken and AK/SK cannot be combined
    createEcsClient({ region: "eu-de", getToken: () => "t", auth: aksk });
    // @ts-expect-error only the spec's regions
    createEcsClient({ region: "eu-fr", token: "t" });
    // @ts-expect-error AK/SK needs the secret key
    akskAuth({ accessKey: "AK" });
    // @ts-expect-error a password login needs the password
    passwordAuth({ user: "u", domain: "d" });
  });

  it("Given a password login and AK/SK, when they are mixed, then it fails: one auth, one kind of credential", () => {
    const password = passwordAuth({ user: "u", password: "pw", domain: "d", project: "eu-de" });
    const aksk = akskAuth({ accessKey: "AK", secretKey: "SK", projectId: "p" });
    // @ts-expect-error auth is one authenticator, not a list
    createEcsClient({ region: "eu-de", auth: [password, aksk] });
    // @ts-expect-error a password login takes no access key
    passwordAuth({ user: "u", password: "pw", domain: "d", accessKey: "AK" });
    // @ts-expect-error AK/SK takes no password
    akskAuth({ accessKey: "AK", secretKey: "SK", password: "pw" });
  });

  it("Given passwordAuth, when who logs in or the scope is given twice, then it fails", () => {
    passwordAuth({ userId: "uid", password: "pw", projectId: "p" });
    passwordAuth({ userId: "uid", password: "pw", domain: "d", project: "eu-de" });
    // @ts-expect-error a user name or a user ID, not both
    passwordAuth({ user: "u", userId: "uid", password: "pw", domain: "d" });
    // @ts-expect-error a user name needs its domain
    passwordAuth({ user: "u", password: "pw", project: "eu-de" });
    // @ts-expect-error a project name or a project ID, not both
    passwordAuth({ user: "u", password: "pw", domain: "d", project: "eu-de", projectId: "p" });
  });

  it("Given endpoint options, when the compute endpoint is given twice, then it fails; each way alone and with region compiles", () => {
    createEcsClient({ region: "eu-de", baseUrl: "https://ecs.example", projectId: "p", token: "t" });
    createEcsClient({
      baseUrl: "https://ecs.example",
      endpoints: { image: "https://ims.example" },
      projectId: "p",
      token: "t",
    });
    createEcsClient({
      region: "eu-nl",
      endpoints: { compute: "https://ecs.example" },
      projectId: "p",
      token: "t",
    });
    createEcsClient({ endpoints: mockEndpoints("http://127.0.0.1:4010"), projectId: "p", token: "t" });
    // @ts-expect-error baseUrl is endpoints.compute: one of them
    createEcsClient({
      baseUrl: "https://ecs.example",
      endpoints: { compute: "https://ecs.example" },
      projectId: "p",
      token: "t",
    });
    // @ts-expect-error mockEndpoints() names compute already
    createEcsClient({
      baseUrl: "https://ecs.example",
      endpoints: mockEndpoints(),
      projectId: "p",
      token: "t",
    });
    // @ts-expect-error endpoints are by service: compute, image, identity
    createEcsClient({ endpoints: { network: "https://vpc.example" }, projectId: "p", token: "t" });
  });

  it("Given the workflow calls, when their results are read, then they are the spec's types", () => {
    expectTypeOf(ecs.getImage).returns.resolves.toEqualTypeOf<Image>();
    expectTypeOf(ecs.getServer).returns.resolves.toEqualTypeOf<Server>();
    expectTypeOf(ecs.deleteImage).returns.resolves.toEqualTypeOf<void>();
    expectTypeOf(ecs.waitForImage).returns.resolves.toEqualTypeOf<Image>();
    expectTypeOf<Image["status"]>().toExtend<string>();
    expectTypeOf<Server["OS-EXT-STS:task_state"]>().toEqualTypeOf<TaskState>();
    void ecs.waitForImage("i", {
      onProgress: (p) => {
        expectTypeOf(p.status).toEqualTypeOf<Image["status"]>();
      },
    });
    // @ts-expect-error wait options have no serverId on createImage (the call's server is used)
    void ecs.createImage(server, { name: "a" }, { wait: { serverId: "x" } });
  });

  it("Given negotiate, when its result is read, then it is a microversion createImage accepts", () => {
    expectTypeOf(ecs.negotiate).returns.resolves.toEqualTypeOf<KnownMicroversion>();
    expectTypeOf(ecs.negotiate).parameter(0).toEqualTypeOf<Microversion | undefined>();
  });
});

describe("raw client types", () => {
  it("Given the raw client, when a request misses a path parameter, then it fails", () => {
    void ecs.raw.POST(action, {
      // @ts-expect-error server_id is missing
      params: { path: { project_id: "p" } },
      body: { createImage: { name: "a" } },
    });
  });

  it("Given the raw client, when the body is wrong, then it fails", () => {
    void ecs.raw.POST(action, {
      params: { path: { project_id: "p", server_id: server } },
      // @ts-expect-error the action key is createImage
      body: { createImag: { name: "a" } },
    });
    void ecs.raw.POST(action, {
      params: { path: { project_id: "p", server_id: server } },
      // @ts-expect-error name must be a string
      body: { createImage: { name: 1 } },
    });
  });

  it("Given the raw client, when the path is unknown or the method is not in the spec, then it fails", () => {
    // @ts-expect-error no such path
    void ecs.raw.POST("/v2.1/{project_id}/servers/{server_id}/actions", {
      params: { path: { project_id: "p", server_id: server } },
    });
    // @ts-expect-error createImage is a POST
    void ecs.raw.GET(action, { params: { path: { project_id: "p", server_id: server } } });
  });

  it("Given a raw 202 at 2.45, when data is read, then it is the spec's CreateImageResult (or undefined)", async () => {
    const { data } = await ecs.raw.POST(action, {
      params: {
        path: { project_id: "p", server_id: server },
        header: { "X-OpenStack-Nova-API-Version": "2.45" },
      },
      body: { createImage: { name: "a" } },
    });
    expectTypeOf(data).toEqualTypeOf<{ image_id: string } | undefined>();
  });
});

describe("EcsError types", () => {
  it("Given EcsError, when its fields are read, then they are typed", () => {
    const error = new EcsError("http", "m", { status: 404, fault: "itemNotFound" });
    expectTypeOf(error.kind).toEqualTypeOf<
      | "http"
      | "invalid-request"
      | "invalid-response"
      | "version"
      | "timeout"
      | "abort"
      | "network"
      | "token"
      | "endpoint"
      | "snapshot-failed"
      | "wait-timeout"
    >();
    expectTypeOf(error.status).toEqualTypeOf<number | undefined>();
    expectTypeOf(error.requestId).toEqualTypeOf<string | undefined>();
    expectTypeOf(error.microversion).toEqualTypeOf<string | undefined>();
    expectTypeOf(error).toExtend<Error>();
  });
});
