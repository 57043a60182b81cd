// A small in-memory OTC (IAM, ECS, IMS) behind a `fetch`, answering with the spec's examples, for the
// workflow tests that need knobs the mock does not have (injected 5xx/429, token lifetimes, counters).
import { randomUUID } from "node:crypto";
import { verify } from "@ecs-api/signer";
import { createEcsClient, type EcsClientOptions } from "../src/index.js";
import { passwordAuth } from "../src/password.js";
import { example } from "./helpers.js";

export const PASSWORD = "s3cret-password";
export const AK = "AKFAKE0000000000";
export const SK = "sk-fake-secret-0000";

/** A password login as the tests' user (the fake cloud takes any user; the tests assert these names). */
export const password = () =>
  passwordAuth({ user: "alice", password: PASSWORD, domain: "OTC00000000001000000001", project: "eu-de" });

/** A client of `cloud` that logs in with `password()` in eu-de; `extra` overrides any option. */
export const passwordClient = (cloud: ReturnType<typeof fakeCloud>, extra: Partial<EcsClientOptions> = {}) =>
  createEcsClient({ region: "eu-de", auth: password(), fetch: cloud.fetch, ...extra } as EcsClientOptions);

export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface FakeOptions {
  /** Lifetime of issued tokens. */
  tokenLifetimeMs?: number;
  /** Statuses the image walks through, one per GET (the last repeats). */
  statuses?: string[];
  /** The image GET answers 404 (Nova deleted the failed snapshot). */
  snapshotFails?: boolean;
  /** Verify AK/SK signatures instead of tokens. */
  aksk?: boolean;
  /**
   * Server GETs that still show task_state `image_uploading` after the server's last image showed its
   * final status (Nova resets task_state only after the upload). Default 0.
   */
  taskStateLag?: number;
  /** Answers to give before the real one, per request matching the pattern ("method path"). */
  inject?: { match: RegExp; answers: (Response | Error)[] }[];
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json",
      "X-Openstack-Request-Id": `req-${randomUUID()}`,
      ...headers,
    },
  });

export function fakeCloud(options: FakeOptions = {}) {
  const seen: Seen[] = [];
  const tokens = new Set<string>();
  /** Per image: how often it was polled, and its server. */
  const images = new Map<string, { polls: number; server: string }>();
  /** Per server: the lagging GETs left once its snapshots are done. */
  const lag = new Map<string, number>();
  const statuses = options.statuses ?? ["queued", "saving", "active"];
  let issued = 0;
  const tokenExample = example("create-token-resp") as { token: Record<string, unknown> };
  const project = (tokenExample.token.project as { id: string }).id;

  async function handle(req: Seen): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    for (const rule of options.inject ?? []) {
      if (rule.match.test(`${req.method} ${path}`) && rule.answers.length > 0) {
        const next = rule.answers.shift() as Response | Error;
        if (next instanceof Error) throw next;
        return next;
      }
    }
    if (req.method === "POST" && path.endsWith("/v3/auth/tokens")) {
      const body = JSON.parse(req.body);
      if (body.auth?.identity?.password?.user?.password !== PASSWORD) {
        return json(401, example("keystone-invalid-credentials"));
      }
      const token = `tok-${++issued}`;
      tokens.add(token);
      const now = Date.now();
      const content = {
        ...tokenExample.token,
        issued_at: new Date(now).toISOString(),
        expires_at: new Date(now + (options.tokenLifetimeMs ?? 24 * 3600_000)).toISOString(),
      };
      return json(201, { token: content }, { "X-Subject-Token": token });
    }
    if (options.aksk) {
      const outcome = await verify(req, (ak) => (ak === AK ? SK : undefined));
      if (!outcome.ok) {
        // The API gateway's shape for a refused signature.
        return new Response(
          JSON.stringify({
            error_msg: "Incorrect IAM authentication information: verify aksk signature fail",
            error_code: "APIGW.0301",
            request_id: "apigw-req-1",
          }),
          { status: 401, headers: { "Content-Type": "application/json" } },
        );
      }
    } else if (!tokens.has(req.headers["x-auth-token"] ?? "")) {
      return json(401, example("keystone-unauthorized"));
    }
    let m = /^\/v2\.1\/([^/]+)\/servers\/([^/]+)\/action$/.exec(path);
    if (req.method === "POST" && m) {
      const id = randomUUID();
      images.set(id, { polls: 0, server: m[2] as string });
      lag.set(m[2] as string, options.taskStateLag ?? 0);
      return json(
        202,
        { image_id: id },
        { "OpenStack-API-Version": "compute 2.45", "X-OpenStack-Nova-API-Version": "2.45" },
      );
    }
    m = /^\/v2\.1\/([^/]+)\/servers\/([^/]+)$/.exec(path);
    if (req.method === "GET" && m) {
      const server = structuredClone(example("server-get-resp-image-uploading")) as {
        server: Record<string, unknown>;
      };
      const id = m[2] as string;
      server.server.id = id;
      // Uploading while one of its images has not shown its last status yet, then for the lag.
      let uploading = [...images.values()].some((i) => i.server === id && i.polls < statuses.length);
      const left = lag.get(id) ?? 0;
      if (!uploading && left > 0) {
        lag.set(id, left - 1);
        uploading = true;
      }
      if (!uploading) server.server["OS-EXT-STS:task_state"] = null;
      return json(200, server);
    }
    m = /^\/v2\/images\/([^/]+)$/.exec(path);
    if (m) {
      const id = m[1] as string;
      if (options.snapshotFails || !images.has(id)) return json(404, example("glance-image-not-found-json"));
      if (req.method === "DELETE") {
        images.delete(id);
        return new Response(null, { status: 204 });
      }
      const record = images.get(id) as { polls: number; server: string };
      const status = statuses[Math.min(record.polls, statuses.length - 1)];
      record.polls++;
      return json(200, { ...(example("image-show-active") as object), id, status });
    }
    return json(404, { itemNotFound: { code: 404, message: `fake cloud: no route ${req.method} ${path}` } });
  }

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const seenRequest: Seen = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    };
    seen.push(seenRequest);
    return handle(seenRequest);
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    seen,
    project,
    /** Tokens stop working (credentials changed). */
    revokeTokens: () => tokens.clear(),
    count: (pattern: RegExp) =>
      seen.filter((s) => pattern.test(`${s.method} ${new URL(s.url).pathname}`)).length,
  };
}
