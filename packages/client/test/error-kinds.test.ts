// Every kind of EcsError, each raised through the client's real path: its message names the cause,
// carries `(HTTP <status>, request <id>)` when there was an answer, and never a secret.
import { describe, expect, it } from "vitest";
import { akskAuth } from "../src/aksk.js";
import {
  type Authenticator,
  createEcsClient,
  type EcsClientOptions,
  type EcsError,
  type EcsErrorKind,
} from "../src/index.js";
import { passwordAuth } from "../src/password.js";
import { AK, fakeCloud, PASSWORD, password, passwordClient, SK } from "./fake-cloud.js";
import { example, fault, observedFetch, PROJECT, rejection, SERVER, TOKEN } from "./helpers.js";

const SECRETS = [PASSWORD, SK, TOKEN, "tok-1"];
const REQUEST_ID = /request req-[0-9a-f-]{36}\)$/;
const noDelay = { attempts: 0, baseDelayMs: 0 };
const withPassword = (cloud: ReturnType<typeof fakeCloud>, extra: Partial<EcsClientOptions> = {}) =>
  passwordClient(cloud, { retry: noDelay, ...extra });
const answering = (respond: () => Response) =>
  createEcsClient({
    baseUrl: "https://ecs.example",
    projectId: PROJECT,
    token: TOKEN,
    fetch: observedFetch(respond).fetch,
    retry: noDelay,
  });
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json",
      "X-Openstack-Request-Id": "req-3e2c5a0b-93d4-4cc4-9a6e-1a2b3c4d5e6f",
    },
  });
/** A fetch that answers only by rejecting once its signal aborts. */
const hanging: typeof fetch = (_input, init) =>
  new Promise((_, reject) => {
    const signal = init?.signal;
    if (signal?.aborted) reject(signal.reason);
    else signal?.addEventListener("abort", () => reject(signal.reason));
  });
const refused: typeof fetch = async () => {
  throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:1") });
};

interface Case {
  kind: EcsErrorKind;
  /** What the failure was, as it happens to a user. */
  given: string;
  raise: () => Promise<unknown>;
  /** The message, up to the answer's details. */
  message: RegExp;
  /** The HTTP status of the answer the error came from, or undefined when there was none. */
  status?: number;
}

const cases: Case[] = [
  {
    kind: "http",
    given: "a second createImage while a snapshot runs (Nova's 409)",
    raise: () =>
      withPassword(
        fakeCloud({
          inject: [
            {
              match: /action$/,
              answers: [
                fault(
                  409,
                  "conflictingRequest",
                  `Cannot 'createImage' instance ${SERVER} while it is in task_state image_uploading`,
                ),
              ],
            },
          ],
        }),
      ).createImage(SERVER, { name: "a" }),
    message: /^Cannot 'createImage' instance .* while it is in task_state image_uploading/,
    status: 409,
  },
  {
    kind: "invalid-request",
    given: "a server ID that is not a UUID",
    raise: () => answering(() => json(500, {})).createImage("web-1", { name: "a" }),
    message: /^serverId must be a UUID, not "web-1"$/,
  },
  {
    kind: "invalid-request",
    given: "an empty secret key (an unset environment variable)",
    raise: async () => akskAuth({ accessKey: AK, secretKey: "" }),
    message: /^akskAuth needs secretKey$/,
  },
  {
    kind: "invalid-request",
    given: "a token that cannot be a header value (a placeholder … left in)",
    raise: async () => createEcsClient({ region: "eu-de", projectId: PROJECT, token: "…" }),
    message: /^token must be printable ASCII: it is sent as the X-Auth-Token header$/,
  },
  {
    kind: "invalid-request",
    given: "an access key that cannot be a header value",
    raise: async () => akskAuth({ accessKey: "…", secretKey: SK }),
    message: /^akskAuth: accessKey must be printable ASCII$/,
  },
  {
    kind: "invalid-request",
    given: "a caller header that cannot be sent",
    raise: async () =>
      createEcsClient({
        region: "eu-de",
        projectId: PROJECT,
        token: TOKEN,
        headers: { "X-Trace": `a\n${TOKEN}` },
      }),
    message: /^headers: a name or value cannot be sent in an HTTP header$/,
  },
  {
    kind: "token",
    given: "getToken() handing out a value that cannot be a header",
    raise: () =>
      createEcsClient({ region: "eu-de", projectId: PROJECT, getToken: () => "…", fetch: refused }).getServer(
        SERVER,
      ),
    message: /^getToken\(\) must return printable ASCII \(the X-Auth-Token header\)$/,
  },
  {
    kind: "invalid-response",
    given: "a server read answered 200 without a server",
    raise: () => answering(() => json(200, {})).getServer(SERVER),
    message: /^No server in the answer/,
    status: 200,
  },
  {
    kind: "invalid-response",
    given: "a version list answered 200 without versions",
    raise: () => answering(() => json(200, { nothing: true })).versions(),
    message: /^No version list/,
    status: 200,
  },
  {
    kind: "version",
    given: "a server older than the client's minimum microversion",
    raise: () =>
      answering(() =>
        json(200, { version: { ...example("version-v2.1").version, min_version: "1.5", version: "2.0" } }),
      ).negotiate("latest"),
    message: /^No common microversion up to 2\.\d+: server 1\.5-2\.0, client 2\.1-2\.\d+ \(request req-/,
  },
  {
    kind: "timeout",
    given: "a service that does not answer within timeoutMs",
    raise: () =>
      createEcsClient({
        region: "eu-de",
        projectId: PROJECT,
        token: TOKEN,
        fetch: hanging,
        timeoutMs: 20,
      }).getServer(SERVER),
    message: /^No answer within 20 ms$/,
  },
  {
    kind: "abort",
    given: "the caller's signal fires",
    raise: () =>
      createEcsClient({ region: "eu-de", projectId: PROJECT, token: TOKEN, fetch: hanging }).getServer(
        SERVER,
        {
          signal: AbortSignal.abort(new Error("user cancelled")),
        },
      ),
    message: /^abort: /,
  },
  {
    kind: "network",
    given: "a refused connection",
    raise: () =>
      createEcsClient({
        region: "eu-de",
        projectId: PROJECT,
        token: TOKEN,
        fetch: refused,
        retry: noDelay,
      }).getServer(SERVER),
    message: /^network: connect ECONNREFUSED 127\.0\.0\.1:1$/,
  },
  {
    kind: "token",
    given: "a wrong password (IAM's 401)",
    raise: () =>
      createEcsClient({
        region: "eu-de",
        auth: passwordAuth({ user: "alice", password: "wrong-password", domain: "d", project: "eu-de" }),
        fetch: fakeCloud().fetch,
      }).createImage(SERVER, { name: "a" }),
    message: /^Login to IAM failed: The request you have made requires authentication\./,
    status: 401,
  },
  {
    kind: "token",
    given: "IAM unreachable",
    raise: () =>
      createEcsClient({ region: "eu-de", auth: password(), fetch: refused, retry: noDelay }).getServer(
        SERVER,
      ),
    message: /^Login to IAM failed: network: connect ECONNREFUSED 127\.0\.0\.1:1$/,
  },
  {
    kind: "token",
    given: "an authenticator that throws (a signer without Web Crypto, say)",
    raise: () => {
      const broken: Authenticator = {
        headers: async () => {
          throw new TypeError("crypto.subtle is undefined");
        },
      };
      return createEcsClient({ region: "eu-de", projectId: PROJECT, auth: broken, fetch: refused }).getServer(
        SERVER,
      );
    },
    message: /^Could not authenticate the request: crypto\.subtle is undefined$/,
  },
  {
    kind: "token",
    given: "an authenticator that throws at once, without a promise",
    raise: () => {
      const broken: Authenticator = {
        headers: () => {
          throw new TypeError("crypto.subtle is undefined");
        },
      };
      return createEcsClient({ region: "eu-de", projectId: PROJECT, auth: broken, fetch: refused }).getServer(
        SERVER,
      );
    },
    message: /^Could not authenticate the request: crypto\.subtle is undefined$/,
  },
  {
    kind: "endpoint",
    given: "no region, endpoint or catalog",
    raise: () => createEcsClient({ projectId: PROJECT, token: TOKEN, fetch: refused }).getImage(SERVER),
    message:
      /^No image endpoint: pass region \("eu-de" or "eu-nl"\), endpoints\.image, or log in with passwordAuth/,
  },
  {
    kind: "endpoint",
    given: "baseUrl and endpoints.compute both given (from untyped code)",
    raise: async () =>
      createEcsClient({
        baseUrl: "https://ecs.example",
        endpoints: { compute: "https://other.example" },
        token: TOKEN,
      } as unknown as EcsClientOptions),
    message: /^baseUrl and endpoints\.compute are both given: pass one of them$/,
  },
  {
    kind: "snapshot-failed",
    given: "the image vanishes while waiting (Nova deleted the failed snapshot)",
    raise: () =>
      withPassword(fakeCloud({ snapshotFails: true })).createImage(SERVER, { name: "a" }, { wait: true }),
    message: /^Image [0-9a-f-]{36} is gone: the snapshot failed/,
    status: 404,
  },
  {
    kind: "snapshot-failed",
    given: "the image turns killed while waiting",
    raise: () =>
      withPassword(fakeCloud({ statuses: ["killed"] })).createImage(SERVER, { name: "a" }, { wait: true }),
    message: /^Image [0-9a-f-]{36} is killed: the snapshot failed \(request req-/,
  },
  {
    kind: "wait-timeout",
    given: "an image still saving when the wait's timeout passes",
    raise: () =>
      withPassword(fakeCloud({ statuses: ["saving"] })).createImage(
        SERVER,
        { name: "a" },
        { wait: { intervalMs: 5, timeoutMs: 20 } },
      ),
    message: /^Image [0-9a-f-]{36} is still saving after 20 ms \(request req-/,
  },
];

describe("every error kind", () => {
  it("Given the cases, when their kinds are listed, then every EcsErrorKind is raised by at least one", () => {
    const all: Record<EcsErrorKind, true> = {
      http: true,
      "invalid-request": true,
      "invalid-response": true,
      version: true,
      timeout: true,
      abort: true,
      network: true,
      token: true,
      endpoint: true,
      "snapshot-failed": true,
      "wait-timeout": true,
    };
    expect([...new Set(cases.map((c) => c.kind))].sort()).toEqual(Object.keys(all).sort());
  });

  it.each(cases)(
    "Given $given, when it fails, then it is kind $kind and its message names the cause",
    async (c) => {
      const error: EcsError = await rejection(c.raise());
      expect(error.kind).toBe(c.kind);
      expect(error.message).toMatch(c.message);
      if (c.status !== undefined) {
        expect(error.status).toBe(c.status);
        expect(error.message).toContain(`(HTTP ${c.status}, request `);
        expect(error.message).toMatch(REQUEST_ID);
        expect(error.requestId).toMatch(/^req-/);
      } else {
        expect(error.message).not.toMatch(/\(HTTP \d/);
      }
      const text = `${error.message} ${JSON.stringify({ ...error, cause: undefined })}`;
      for (const secret of [...SECRETS, "wrong-password"]) expect(text).not.toContain(secret);
    },
  );
});
