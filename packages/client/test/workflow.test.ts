import { describe, expect, it, vi } from "vitest";
import { akskAuth } from "../src/aksk.js";
import {
  createEcsClient,
  type EcsClientOptions,
  EcsError,
  mockEndpoints,
  type WaitProgress,
} from "../src/index.js";
import { passwordAuth } from "../src/password.js";
import { AK, fakeCloud, PASSWORD, password, passwordClient, SK } from "./fake-cloud.js";
import { PROJECT, rejection, SERVER, TOKEN, UUID } from "./helpers.js";

const LOGIN = /^POST \/v3\/auth\/tokens$/;
const IMAGE_GET = /^GET \/v2\/images\//;
const ACTION = /^POST .*\/action$/;
const noDelay = { baseDelayMs: 0 };
const fast = { intervalMs: 1 };

/** Secrets the tests use: none may appear in any error message or error field we print. */
const SECRETS = [PASSWORD, SK, TOKEN, "tok-1", "tok-2"];
function expectNoSecret(error: EcsError) {
  const text = `${error.message} ${JSON.stringify({ ...error, cause: undefined })}`;
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe("the workflow with a token", () => {
  it("Given a token and a region, when createImage waits, then it polls the image until active and reports status and task_state", async () => {
    const cloud = fakeCloud();
    const progress: WaitProgress[] = [];
    // The fake cloud accepts only tokens it issued: log in once to get one.
    const login = createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch });
    await login.getServer(SERVER);
    const ecs = createEcsClient({
      region: "eu-de",
      projectId: cloud.project,
      token: "tok-1",
      fetch: cloud.fetch,
    });
    const result = await ecs.createImage(
      SERVER,
      { name: "nightly" },
      { wait: { ...fast, onProgress: (p) => progress.push(p) } },
    );
    expect(result.imageId).toMatch(UUID);
    expect(result.image.status).toBe("active");
    expect(progress.map((p) => [p.status, p.taskState])).toEqual([
      ["queued", "image_uploading"],
      ["saving", "image_uploading"],
      ["active", null],
    ]);
    // Each service at the region's URL from the spec.
    const hosts = new Set(cloud.seen.map((s) => new URL(s.url).host));
    expect(hosts).toEqual(
      new Set(["iam.eu-de.otc.t-systems.com", "ecs.eu-de.otc.t-systems.com", "ims.eu-de.otc.t-systems.com"]),
    );
    const action = cloud.seen.find((s) => ACTION.test(`${s.method} ${new URL(s.url).pathname}`));
    expect(action?.url).toBe(
      `https://ecs.eu-de.otc.t-systems.com/v2.1/${cloud.project}/servers/${SERVER}/action`,
    );
    expect(action?.headers["x-auth-token"]).toBe("tok-1");
  });
});

describe("the password login", () => {
  it("Given concurrent first calls, when they run, then one login is shared and every call carries its token", async () => {
    const cloud = fakeCloud();
    const ecs = createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch });
    await Promise.all([ecs.getServer(SERVER), ecs.getServer(SERVER), ecs.createImage(SERVER, { name: "a" })]);
    expect(cloud.count(LOGIN)).toBe(1);
    const login = cloud.seen.find((s) => LOGIN.test(`${s.method} ${new URL(s.url).pathname}`));
    expect(JSON.parse(login?.body ?? "{}")).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: { name: "alice", password: PASSWORD, domain: { name: "OTC00000000001000000001" } },
          },
        },
        scope: { project: { name: "eu-de", domain: { name: "OTC00000000001000000001" } } },
      },
    });
    for (const s of cloud.seen.filter((s) => !s.url.includes("/v3/")))
      expect(s.headers["x-auth-token"]).toBe("tok-1");
  });

  it("Given explicit endpoints and projectId (no catalog needed), when calls start together, then they still share one login", async () => {
    const cloud = fakeCloud();
    const ecs = createEcsClient({
      region: "eu-de",
      projectId: PROJECT,
      endpoints: {
        compute: "https://ecs.eu-de.otc.t-systems.com",
        image: "https://ims.eu-de.otc.t-systems.com",
      },
      auth: password(),
      fetch: cloud.fetch,
    });
    await Promise.all([ecs.getServer(SERVER), ecs.getServer(SERVER), ecs.createImage(SERVER, { name: "a" })]);
    expect(cloud.count(LOGIN)).toBe(1);
  });

  it("Given no region and no endpoints, when the catalog is the token's, then compute and image come from it and the project from the token", async () => {
    const cloud = fakeCloud();
    const ecs = createEcsClient({
      auth: passwordAuth({
        user: "alice",
        password: PASSWORD,
        domain: "d",
        projectId: PROJECT,
        identityUrl: "https://iam.example/v3",
      }),
      fetch: cloud.fetch,
    });
    await ecs.createImage(SERVER, { name: "a" }, { wait: fast });
    const urls = cloud.seen.map((s) => s.url);
    expect(urls[0]).toBe("https://iam.example/v3/auth/tokens");
    // The catalog's compute URL ends with /v2.1/<project>: normalised, not doubled.
    expect(urls).toContain(
      `https://ecs.eu-de.otc.t-systems.com/v2.1/${cloud.project}/servers/${SERVER}/action`,
    );
    expect(urls.some((u) => u.startsWith("https://ims.eu-de.otc.t-systems.com/v2/images/"))).toBe(true);
  });

  it("Given a cached token, when calls follow, then no second login; when it nears expires_at, then a new one is fetched", async () => {
    const cached = fakeCloud();
    const ecs = createEcsClient({ region: "eu-de", auth: password(), fetch: cached.fetch });
    await ecs.getServer(SERVER);
    await ecs.getServer(SERVER);
    expect(cached.count(LOGIN)).toBe(1);
    // Four minutes before expires_at (inside the 5-minute margin), the next call logs in afresh.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const expiring = fakeCloud();
      const ecs2 = createEcsClient({ region: "eu-de", auth: password(), fetch: expiring.fetch });
      await ecs2.getServer(SERVER);
      vi.setSystemTime(Date.now() + 24 * 3600_000 - 6 * 60_000);
      await ecs2.getServer(SERVER);
      expect(expiring.count(LOGIN)).toBe(1);
      vi.setSystemTime(Date.now() + 2 * 60_000);
      await ecs2.getServer(SERVER);
      expect(expiring.count(LOGIN)).toBe(2);
      expect(expiring.seen.at(-1)?.headers["x-auth-token"]).toBe("tok-2");
    } finally {
      vi.useRealTimers();
    }
  });

  it("Given a token revoked by IAM, when a call gets 401, then the client logs in once more and repeats the call once", async () => {
    const cloud = fakeCloud();
    const ecs = createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch });
    await ecs.getServer(SERVER);
    cloud.revokeTokens();
    const { imageId } = await ecs.createImage(SERVER, { name: "after-revoke" });
    expect(imageId).toMatch(UUID);
    expect(cloud.count(LOGIN)).toBe(2);
    // The action was sent twice: refused with 401 (not processed), then accepted.
    expect(cloud.count(ACTION)).toBe(2);
  });

  it("Given a 401 that persists, when the call is repeated once, then it rejects with the 401 and stops", async () => {
    const cloud = fakeCloud({
      inject: [{ match: /servers/, answers: [401, 401, 401].map(() => new Response("{}", { status: 401 })) }],
    });
    const ecs = createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch, retry: noDelay });
    const error = await rejection(ecs.getServer(SERVER));
    expect(error).toMatchObject({ kind: "http", status: 401 });
    expect(cloud.count(/servers/)).toBe(2);
    expect(cloud.count(LOGIN)).toBe(2);
  });

  it("Given a wrong password, when the client logs in, then it rejects with kind token, IAM's status and message, and no secret", async () => {
    const cloud = fakeCloud();
    const ecs = createEcsClient({
      region: "eu-de",
      auth: passwordAuth({ user: "alice", password: "wrong-password", domain: "d", project: "eu-de" }),
      fetch: cloud.fetch,
    });
    const error = await rejection(ecs.createImage(SERVER, { name: "a" }));
    expect(error.kind).toBe("token");
    expect(error.status).toBe(401);
    expect(error.message).toMatch(
      /^Login to IAM failed: The request you have made requires authentication\. \(HTTP 401, request req-/,
    );
    expect(error.message).not.toContain("wrong-password");
    expect(cloud.count(ACTION)).toBe(0);
  });
});

describe("AK/SK signing", () => {
  it("Given AK/SK and a region, when the workflow runs, then the gateway verifies every signature and X-Project-Id is sent", async () => {
    const cloud = fakeCloud({ aksk: true });
    const ecs = createEcsClient({
      region: "eu-de",
      auth: akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT }),
      fetch: cloud.fetch,
    });
    const { image } = await ecs.createImage(SERVER, { name: "signed" }, { wait: fast });
    expect(image.status).toBe("active");
    expect(cloud.seen.length).toBeGreaterThanOrEqual(4);
    for (const s of cloud.seen) {
      expect(s.headers.authorization).toMatch(
        /^SDK-HMAC-SHA256 Access=AKFAKE0000000000, SignedHeaders=[^ ]*host[^ ]*x-sdk-date/,
      );
      expect(s.headers["x-project-id"]).toBe(PROJECT);
      expect(s.headers["x-auth-token"]).toBeUndefined();
    }
  });

  it("Given a body changed after signing, when the gateway verifies it, then it is refused with 401 APIGW.0301 and the gateway's request ID", async () => {
    const cloud = fakeCloud({ aksk: true });
    const tamper: typeof fetch = (input, init) =>
      cloud.fetch(input, { ...init, body: String(init?.body).replace("signed", "tampered") });
    const ecs = createEcsClient({
      region: "eu-de",
      auth: akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT }),
      fetch: tamper,
    });
    const error = await rejection(ecs.createImage(SERVER, { name: "signed" }));
    expect(error).toMatchObject({ kind: "http", status: 401, fault: "APIGW.0301", requestId: "apigw-req-1" });
    expect(error.message).toContain("(HTTP 401, request apigw-req-1)");
    expectNoSecret(error);
  });

  it("Given a wrong secret key, when a read is signed with it, then it is refused", async () => {
    const cloud = fakeCloud({ aksk: true });
    const ecs = createEcsClient({
      region: "eu-de",
      auth: akskAuth({ accessKey: AK, secretKey: "not-the-sk", projectId: PROJECT }),
      fetch: cloud.fetch,
    });
    expect(await rejection(ecs.getImage(SERVER))).toMatchObject({ kind: "http", status: 401 });
  });

  it("Given temporary credentials, when a request is signed, then X-Security-Token is sent and signed", async () => {
    const cloud = fakeCloud({ aksk: true });
    const ecs = createEcsClient({
      region: "eu-nl",
      auth: akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT, securityToken: "sts-token" }),
      fetch: cloud.fetch,
    });
    await ecs.getServer(SERVER);
    expect(cloud.seen[0]?.url.startsWith("https://ecs.eu-nl.otc.t-systems.com/")).toBe(true);
    expect(cloud.seen[0]?.headers["x-security-token"]).toBe("sts-token");
    expect(cloud.seen[0]?.headers.authorization).toContain("x-security-token");
  });
});

describe("waiting", () => {
  const client = (cloud: ReturnType<typeof fakeCloud>, extra: Partial<EcsClientOptions> = {}) =>
    passwordClient(cloud, { retry: noDelay, ...extra });

  it("Given the image vanishes (404), when waiting, then it rejects with snapshot-failed", async () => {
    const cloud = fakeCloud({ snapshotFails: true });
    const error = await rejection(client(cloud).createImage(SERVER, { name: "a" }, { wait: fast }));
    expect(error.kind).toBe("snapshot-failed");
    expect(error.message).toMatch(/snapshot failed/);
    expect((error.cause as EcsError).status).toBe(404);
  });

  it.each(["killed", "deleted"])(
    "Given the image turns %s, when waiting, then it rejects with snapshot-failed",
    async (status) => {
      const cloud = fakeCloud({ statuses: ["queued", status] });
      const error = await rejection(client(cloud).createImage(SERVER, { name: "a" }, { wait: fast }));
      expect(error).toMatchObject({ kind: "snapshot-failed" });
      expect(error.message).toContain(status);
    },
  );

  it("Given an active image whose server is still in task_state, when waiting, then it waits until Nova has reset it (a createImage before that is a 409)", async () => {
    const cloud = fakeCloud({ taskStateLag: 2 });
    const progress: WaitProgress[] = [];
    const ecs = client(cloud);
    const { image } = await ecs.createImage(
      SERVER,
      { name: "a" },
      { wait: { ...fast, onProgress: (p) => progress.push(p) } },
    );
    expect(image.status).toBe("active");
    expect(progress.map((p) => [p.status, p.taskState])).toEqual([
      ["queued", "image_uploading"],
      ["saving", "image_uploading"],
      ["active", "image_uploading"],
      ["active", "image_uploading"],
      ["active", null],
    ]);
    // Without onProgress the server is read only once the image is active.
    const quiet = fakeCloud({ taskStateLag: 1 });
    await client(quiet).createImage(SERVER, { name: "b" }, { wait: fast });
    expect(quiet.count(/^GET \/v2\.1\/.*\/servers\//)).toBe(2);
    expect(quiet.count(IMAGE_GET)).toBe(4);
  });

  it("Given a server that stays in task_state after the image is active, when the total timeout passes, then wait-timeout names the server's state", async () => {
    // 2 s, not 40 ms: the image's three polls must all fit in it on a machine busy with the other
    // packages' tests (at 40 ms, and once at 400 ms, they did not: the image was "still saving").
    // The server's lag outlasts it.
    const cloud = fakeCloud({ taskStateLag: 60_000 });
    const error = await rejection(
      client(cloud).createImage(SERVER, { name: "a" }, { wait: { intervalMs: 5, timeoutMs: 2_000 } }),
    );
    expect(error.kind).toBe("wait-timeout");
    expect(error.message).toMatch(
      new RegExp(
        `is active, but server ${SERVER} is still in task_state image_uploading after 2000 ms \\(request req-`,
      ),
    );
  });

  it("Given waitForImage without a server, when the image is active, then it returns without reading any server", async () => {
    const cloud = fakeCloud({ taskStateLag: 1_000 });
    const ecs = client(cloud);
    const { imageId } = await ecs.createImage(SERVER, { name: "a" });
    expect((await ecs.waitForImage(imageId, fast)).status).toBe("active");
    expect(cloud.count(/^GET \/v2\.1\/.*\/servers\//)).toBe(0);
  });

  it("Given an image that stays saving, when the total timeout passes, then it rejects with wait-timeout", async () => {
    const cloud = fakeCloud({ statuses: ["saving"] });
    const error = await rejection(
      client(cloud).createImage(SERVER, { name: "a" }, { wait: { intervalMs: 5, timeoutMs: 30 } }),
    );
    expect(error.kind).toBe("wait-timeout");
    expect(cloud.count(IMAGE_GET)).toBeGreaterThanOrEqual(2);
  });

  it("Given the caller aborts while waiting, when the signal fires, then it rejects with abort and polls no more", async () => {
    const cloud = fakeCloud({ statuses: ["saving"] });
    const controller = new AbortController();
    const ecs = client(cloud);
    const { imageId } = await ecs.createImage(SERVER, { name: "a" });
    const waiting = ecs.waitForImage(imageId, {
      intervalMs: 10_000,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const error = await rejection(waiting);
    expect(error.kind).toBe("abort");
    expect(cloud.count(IMAGE_GET)).toBe(1);
  });

  it("Given getImage and deleteImage, when called, then they read and delete at the image endpoint", async () => {
    const cloud = fakeCloud();
    const ecs = client(cloud);
    const { imageId } = await ecs.createImage(SERVER, { name: "a" });
    expect((await ecs.getImage(imageId)).id).toBe(imageId);
    await ecs.deleteImage(imageId);
    expect((await rejection(ecs.getImage(imageId))).status).toBe(404);
  });
});

describe("retries", () => {
  const status = (code: number, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify({ computeFault: { code, message: "try later" } }), { status: code, headers });

  it("Given a read that gets 500, 503 and 429 (Retry-After: 0), when retried with backoff, then the fourth attempt answers", async () => {
    const cloud = fakeCloud({
      inject: [
        {
          match: /^GET \/v2\.1\/.*servers/,
          answers: [status(500), status(503), status(429, { "Retry-After": "0" })],
        },
      ],
    });
    const ecs = createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch, retry: noDelay });
    expect((await ecs.getServer(SERVER)).id).toBe(SERVER);
    expect(cloud.count(/^GET \/v2\.1\/.*servers/)).toBe(4);
  });

  it("Given a read that keeps failing, when retries run out, then it rejects after attempts + 1 requests", async () => {
    const cloud = fakeCloud({
      inject: [{ match: IMAGE_GET, answers: Array.from({ length: 10 }, () => status(502)) }],
    });
    const ecs = createEcsClient({
      region: "eu-de",
      auth: password(),
      fetch: cloud.fetch,
      retry: { attempts: 2, baseDelayMs: 0 },
    });
    const error = await rejection(ecs.getImage(SERVER));
    expect(error).toMatchObject({ kind: "http", status: 502 });
    expect(cloud.count(IMAGE_GET)).toBe(3);
  });

  it("Given a read whose connection fails once, when retried, then it succeeds", async () => {
    const cloud = fakeCloud({
      inject: [
        { match: /servers/, answers: [new TypeError("fetch failed", { cause: new Error("ECONNRESET") })] },
      ],
    });
    const ecs = createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch, retry: noDelay });
    expect((await ecs.getServer(SERVER)).id).toBe(SERVER);
    expect(cloud.count(/servers/)).toBe(2);
  });

  it.each([
    ["a 500", () => status(500)],
    ["a 503", () => status(503)],
    ["a 429", () => status(429, { "Retry-After": "0" })],
    ["a connection reset", () => new TypeError("fetch failed", { cause: new Error("ECONNRESET") })],
  ])("Given createImage gets %s, when it settles, then it was sent exactly once", async (_, answer) => {
    const cloud = fakeCloud({ inject: [{ match: ACTION, answers: [answer(), answer(), answer()] }] });
    const ecs = createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch, retry: noDelay });
    await rejection(ecs.createImage(SERVER, { name: "once" }));
    expect(cloud.count(ACTION)).toBe(1);
  });

  it("Given raw, when a GET fails with 500 once, then it is retried too; a raw POST is not", async () => {
    const cloud = fakeCloud({
      inject: [
        { match: IMAGE_GET, answers: [status(500)] },
        { match: ACTION, answers: [status(500)] },
      ],
    });
    const ecs = createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch, retry: noDelay });
    const { imageId } = await ecs.createImage(SERVER, { name: "x" }).catch(() => ({ imageId: "" }));
    expect(imageId).toBe("");
    const got = await ecs.raw.GET("/v2/images/{image_id}", { params: { path: { image_id: SERVER } } });
    expect(got.response.status).toBe(404);
    expect(cloud.count(IMAGE_GET)).toBe(2);
    expect(cloud.count(ACTION)).toBe(1);
  });
});

describe("raw", () => {
  it("Given raw, when it calls an image path and a server path, then each goes to its service, the server one with microversion headers", async () => {
    const cloud = fakeCloud();
    const ecs = createEcsClient({
      region: "eu-de",
      auth: password(),
      fetch: cloud.fetch,
      microversion: "2.45",
    });
    await ecs.raw.GET("/v2.1/{project_id}/servers/{server_id}", {
      params: { path: { project_id: cloud.project, server_id: SERVER } },
    });
    await ecs.raw.GET("/v2/images/{image_id}", { params: { path: { image_id: SERVER } } });
    const [, server, image] = cloud.seen;
    expect(server?.url).toBe(`https://ecs.eu-de.otc.t-systems.com/v2.1/${cloud.project}/servers/${SERVER}`);
    expect(server?.headers["openstack-api-version"]).toBe("compute 2.45");
    expect(server?.headers["x-auth-token"]).toBe("tok-1");
    expect(image?.url).toBe(`https://ims.eu-de.otc.t-systems.com/v2/images/${SERVER}`);
    expect(image?.headers["openstack-api-version"]).toBeUndefined();
  });
});

describe("endpoints", () => {
  it("Given a compute endpoint with /v2.1/<project>, when calls are made, then it is normalised and the project taken from it", async () => {
    const cloud = fakeCloud();
    await createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch }).getServer(SERVER);
    const ecs = createEcsClient({
      endpoints: { compute: `https://ecs.eu-de.otc.t-systems.com/v2.1/${cloud.project}/` },
      token: "tok-1",
      fetch: cloud.fetch,
    });
    await ecs.createImage(SERVER, { name: "a" });
    expect(cloud.seen.at(-1)?.url).toBe(
      `https://ecs.eu-de.otc.t-systems.com/v2.1/${cloud.project}/servers/${SERVER}/action`,
    );
  });

  it("Given a compute endpoint naming another project than projectId, when the client is created, then it refuses, saying what to pass", () => {
    let error: unknown;
    try {
      createEcsClient({
        baseUrl: "https://ecs.eu-de.otc.t-systems.com/v2.1/other",
        projectId: PROJECT,
        token: TOKEN,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EcsError);
    expect(error).toMatchObject({ kind: "endpoint" });
    expect((error as EcsError).message).toContain(
      "names project other, not 9c53a566cb3443ab910cf0daebca90c4: pass https://ecs.eu-de.otc.t-systems.com (no version, no project)",
    );
  });

  it("Given projectId and AK/SK credentials for another project, when a call is made, then it rejects before sending, naming both", async () => {
    const cloud = fakeCloud({ aksk: true });
    const ecs = createEcsClient({
      region: "eu-de",
      projectId: PROJECT,
      auth: akskAuth({ accessKey: AK, secretKey: SK, projectId: "0123456789abcdef0123456789abcdef" }),
      fetch: cloud.fetch,
    });
    const error = await rejection(ecs.getServer(SERVER));
    expect(error.kind).toBe("invalid-request");
    expect(error.message).toContain(
      `projectId ${PROJECT} is not the credentials' project 0123456789abcdef0123456789abcdef`,
    );
    expect(error.message).not.toContain(SK);
    expect(cloud.seen).toHaveLength(0);
    // the same project on both sides is fine
    const same = createEcsClient({
      region: "eu-de",
      projectId: PROJECT,
      auth: akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT }),
      fetch: cloud.fetch,
    });
    await same.getServer(SERVER);
    expect(cloud.seen.at(-1)?.url).toContain(`/v2.1/${PROJECT}/servers/${SERVER}`);
  });

  it("Given no region, endpoint or catalog, when a call is made, then it rejects with endpoint naming what to pass; an unknown region likewise", async () => {
    const ecs = createEcsClient({ projectId: PROJECT, token: TOKEN, fetch: fakeCloud().fetch });
    const error = await rejection(ecs.getImage(SERVER));
    expect(error.kind).toBe("endpoint");
    expect(error.message).toMatch(/pass region \("eu-de" or "eu-nl"\), endpoints\.image/);
    expect(() => createEcsClient({ region: "eu-xx" as "eu-de", projectId: PROJECT, token: TOKEN })).toThrow(
      'Unknown region "eu-xx": use one of eu-de, eu-nl',
    );
  });

  it("Given mockEndpoints(origin), when read, then each service is at the path the spec's mock servers give it", () => {
    expect(mockEndpoints("http://127.0.0.1:5555/")).toEqual({
      compute: "http://127.0.0.1:5555",
      image: "http://127.0.0.1:5555/image",
      identity: "http://127.0.0.1:5555/identity",
    });
  });
});
