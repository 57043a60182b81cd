// The workflow against the mock itself, through its in-process fetch adapter (no port, no network).
import { createFetchHandler, createNodeEngine } from "@ecs-api/mock";
import { beforeAll, describe, expect, it } from "vitest";
import { akskAuth } from "../src/aksk.js";
import { createEcsClient, type EcsClientOptions, mockEndpoints, type WaitProgress } from "../src/index.js";
import { passwordAuth } from "../src/password.js";
import { PROJECT, rejection, SERVER, TOKEN, UUID } from "./helpers.js";

const ORIGIN = "http://127.0.0.1:4010";
const endpoints = mockEndpoints(ORIGIN);
const FAILING_SERVER = "00000000-0000-0000-0000-000000000500";
const fast = { intervalMs: 5 };

type EngineOptions = Parameters<typeof createNodeEngine>[0];
// The first engine loads the spec and Prism's templates (seconds on a loaded machine); later ones
// reuse them. Loaded here, so no single test carries that cost into its timeout.
beforeAll(() => createNodeEngine({}), 60_000);
async function mockFetch(options: EngineOptions = {}) {
  const handler = createFetchHandler(await createNodeEngine({ snapshotSeconds: 0, ...options }));
  const seen: { method: string; path: string }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({ method: request.method, path: new URL(request.url).pathname });
    return handler(request);
  }) as typeof globalThis.fetch;
  return {
    fetch,
    handler,
    seen,
    count: (re: RegExp) => seen.filter((s) => re.test(`${s.method} ${s.path}`)).length,
  };
}
const password = () =>
  passwordAuth({
    user: "alice",
    password: "any-password",
    domain: "OTC00000000001000000001",
    project: "eu-de",
  });

describe("against the mock: each way to log in", () => {
  it("Given a token, when createImage waits, then the image turns active", async () => {
    const mock = await mockFetch();
    const ecs = createEcsClient({ endpoints, projectId: PROJECT, token: TOKEN, fetch: mock.fetch });
    const progress: WaitProgress[] = [];
    const { imageId, image } = await ecs.createImage(
      SERVER,
      { name: "mock-token" },
      { wait: { ...fast, onProgress: (p) => progress.push(p) } },
    );
    expect(imageId).toMatch(UUID);
    expect(image.status).toBe("active");
    expect(progress.at(-1)?.status).toBe("active");
  });

  it("Given a password, when concurrent calls start, then the mock sees one login and the image turns active", async () => {
    const mock = await mockFetch();
    const ecs = createEcsClient({ endpoints, auth: password(), fetch: mock.fetch });
    const [a] = await Promise.all([
      ecs.createImage(SERVER, { name: "mock-password" }, { wait: fast }),
      ecs.getServer(SERVER),
      ecs.getServer(SERVER),
    ]);
    expect(a.image.status).toBe("active");
    expect(mock.count(/^POST .*\/v3\/auth\/tokens$/)).toBe(1);
  });

  it("Given only the identity endpoint, when the password login's catalog is used, then compute and image calls reach the mock", async () => {
    const mock = await mockFetch();
    const ecs = createEcsClient({
      endpoints: { identity: endpoints.identity },
      auth: password(),
      fetch: mock.fetch,
    });
    const result = await ecs.createImage(SERVER, { name: "mock-catalog" }, { wait: fast }).catch((e) => e);
    // The mock's catalog names its endpoints: every call after the login went to one of them.
    expect(mock.seen[0]?.path).toBe("/identity/v3/auth/tokens");
    expect(result.image?.status ?? result.kind).toBe("active");
  });

  it("Given strict tokens, when an unknown token is used, then the mock answers 401; with a password the client logs in and refreshes", async () => {
    const mock = await mockFetch({ strictTokens: true });
    const unknown = createEcsClient({
      endpoints,
      projectId: PROJECT,
      token: "never-issued",
      fetch: mock.fetch,
    });
    expect((await rejection(unknown.getServer(SERVER))).status).toBe(401);
    const ecs = createEcsClient({ endpoints, auth: password(), fetch: mock.fetch });
    expect((await ecs.getServer(SERVER)).id).toBe(SERVER);
  });
});

describe("against the mock: AK/SK signatures (the mock verifies them as the API gateway does)", () => {
  const pair = { accessKey: "my-access-key", secretKey: "my-secret-key" };
  const signed = (fetch: typeof globalThis.fetch, secretKey = pair.secretKey) =>
    createEcsClient({
      endpoints,
      auth: akskAuth({ accessKey: pair.accessKey, secretKey, projectId: PROJECT }),
      fetch,
    });

  it("Given the mock's AK/SK pair, when createImage waits, then every signed request is accepted and the image turns active", async () => {
    const mock = await mockFetch({ aksk: [pair], strictTokens: true });
    const { imageId, image } = await signed(mock.fetch).createImage(
      SERVER,
      { name: "mock-aksk" },
      { wait: fast },
    );
    expect(imageId).toMatch(UUID);
    expect(image.status).toBe("active");
    // Strict tokens: no token was sent, so only the signatures let these through.
    expect(mock.count(/^POST .*\/action$/)).toBe(1);
    expect(mock.count(/^GET \/image\/v2\/images\//)).toBeGreaterThanOrEqual(1);
  });

  it("Given a body changed after signing, when the mock verifies it, then it is the gateway's 401 APIGW.0301 with its request ID", async () => {
    const mock = await mockFetch({ aksk: [pair] });
    const tamper: typeof fetch = (input, init) =>
      mock.fetch(input, { ...init, body: String(init?.body).replace("signed", "tampered") });
    const error = await rejection(signed(tamper).createImage(SERVER, { name: "signed" }));
    expect(error).toMatchObject({ kind: "http", status: 401, fault: "APIGW.0301" });
    expect(error.message).toMatch(
      /^Incorrect IAM authentication information: verify aksk signature fail \(HTTP 401, request [0-9a-f]{32}\)$/,
    );
    expect(error.message).not.toContain(pair.secretKey);
    expect(mock.count(/^POST .*\/action$/)).toBe(1);
  });

  it("Given a wrong secret key, when a read is signed with it, then the mock refuses it", async () => {
    const mock = await mockFetch({ aksk: [pair] });
    const error = await rejection(signed(mock.fetch, "not-the-secret").getServer(SERVER));
    expect(error).toMatchObject({ kind: "http", status: 401, fault: "APIGW.0301" });
  });
});

describe("against the mock: token expiry", () => {
  it("Given strict tokens and a token the mock's clock has expired, when a call gets 401, then the client logs in again and repeats it", async () => {
    let offset = 0;
    const mock = await mockFetch({ strictTokens: true, tokenSeconds: 3600, now: () => Date.now() + offset });
    const ecs = createEcsClient({ endpoints, auth: password(), fetch: mock.fetch });
    expect((await ecs.getServer(SERVER)).id).toBe(SERVER);
    // The client still holds the token (its own clock says it is fresh); the mock says it expired.
    offset = 2 * 3600_000;
    expect((await ecs.getServer(SERVER)).id).toBe(SERVER);
    expect(mock.count(/^POST .*\/v3\/auth\/tokens$/)).toBe(2);
    expect(mock.count(/^GET .*\/servers\//)).toBe(3);
  });
});

describe("against the mock: waiting", () => {
  it("Given the failing server, when waiting, then it rejects with snapshot-failed", async () => {
    const mock = await mockFetch();
    const ecs = createEcsClient({ endpoints, projectId: PROJECT, token: TOKEN, fetch: mock.fetch });
    const error = await rejection(ecs.createImage(FAILING_SERVER, { name: "fails" }, { wait: fast }));
    expect(error.kind).toBe("snapshot-failed");
  });

  it("Given a slow snapshot, when the wait's timeout passes, then wait-timeout; when aborted, then abort", async () => {
    const mock = await mockFetch({ snapshotSeconds: 60 });
    const ecs = createEcsClient({ endpoints, projectId: PROJECT, token: TOKEN, fetch: mock.fetch });
    expect(
      (await rejection(ecs.createImage(SERVER, { name: "slow" }, { wait: { intervalMs: 5, timeoutMs: 30 } })))
        .kind,
    ).toBe("wait-timeout");
    // A second snapshot of the same server is a 409 while the first runs (task_state): a fresh mock.
    const other = await mockFetch({ snapshotSeconds: 60 });
    const ecs2 = createEcsClient({ endpoints, projectId: PROJECT, token: TOKEN, fetch: other.fetch });
    const controller = new AbortController();
    const waiting = ecs2.createImage(
      SERVER,
      { name: "slow2" },
      { wait: { intervalMs: 10_000, signal: controller.signal, onProgress: () => controller.abort() } },
    );
    expect((await rejection(waiting)).kind).toBe("abort");
  });
});

describe("against the mock: retries and errors", () => {
  it("Given the connection drops after createImage reached the mock, when it settles, then it was sent once (no second snapshot)", async () => {
    const mock = await mockFetch();
    const dropping: typeof fetch = async (input, init) => {
      await mock.fetch(input, init);
      throw new TypeError("fetch failed", { cause: new Error("ECONNRESET") });
    };
    const ecs = createEcsClient({
      endpoints,
      projectId: PROJECT,
      token: TOKEN,
      fetch: dropping,
      retry: { baseDelayMs: 0 },
    });
    expect((await rejection(ecs.createImage(SERVER, { name: "once" }))).kind).toBe("network");
    expect(mock.count(/^POST .*\/action$/)).toBe(1);
  });

  it("Given a 503 before the mock answers a read, when retried, then the read succeeds", async () => {
    const mock = await mockFetch();
    let failed = false;
    const flaky: typeof fetch = async (input, init) => {
      if (!failed && new Request(input, init).method === "GET") {
        failed = true;
        return new Response("{}", { status: 503 });
      }
      return mock.fetch(input, init);
    };
    const ecs = createEcsClient({
      endpoints,
      projectId: PROJECT,
      token: TOKEN,
      fetch: flaky,
      retry: { baseDelayMs: 0 },
    } as EcsClientOptions);
    expect((await ecs.getServer(SERVER)).id).toBe(SERVER);
  });

  it("Given an unknown server, when createImage fails, then the message has the mock's text, status and request ID", async () => {
    const mock = await mockFetch();
    const ecs = createEcsClient({ endpoints, projectId: PROJECT, token: TOKEN, fetch: mock.fetch });
    const error = await rejection(ecs.createImage("00000000-0000-0000-0000-000000000404", { name: "x" }));
    expect(error.message).toMatch(/could not be found\. \(HTTP 404, request req-[0-9a-f-]+\)$/);
    expect(error.message).not.toContain(TOKEN);
  });
});
