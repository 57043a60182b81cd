// Shared test plumbing: a mock per test file on port 0, a request helper that checks every
// response it sees against the spec with the spec package's independent validator (Ajv 2020 plus
// the `x-openstack` variant rule), and the reserved server IDs.
import { type Contract, loadContract, loadModel, loadSpec } from "@ecs-api/spec";
import { createResponseValidator } from "@ecs-api/spec/testing";
import { afterAll, beforeAll, expect } from "vitest";
import {
  createFetchHandler,
  createNodeEngine,
  type MockOptions,
  type RunningMock,
  SCENARIOS,
  startMock,
} from "../src/index.js";

export const contract: Contract = loadContract();
export const doc = loadSpec();
const validator = createResponseValidator(doc);

/** A well-formed server ID that plays no scenario: an active server. */
export const ACTIVE = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
export const PROJECT = "9c53a566cb3443ab910cf0daebca90c4";
export const actionPath = (server = ACTIVE) => `/v2.1/${PROJECT}/servers/${server}/action`;
export const legacyPath = (server = ACTIVE) => `/v2/${PROJECT}/servers/${server}/action`;
export { SCENARIOS };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A started mock, or one answering in-process through the fetch adapter (no socket). */
export type TestMock = RunningMock & { fetch: typeof fetch };

/**
 * Which adapter the engine's suite runs through: `node` (node:http on port 0) or `fetch` (the
 * fetch adapter in-process). vitest.config.ts runs the engine's suite once with each.
 */
export const ADAPTER = process.env.ECS_MOCK_ADAPTER === "fetch" ? "fetch" : "node";

async function inProcess(options: MockOptions): Promise<TestMock> {
  const engine = await createNodeEngine({
    snapshotSeconds: 0,
    ...options.workflow,
    ...(options.maxMicroversion ? { maxMicroversion: options.maxMicroversion } : {}),
    ...(options.imageBaseUrl ? { imageBaseUrl: options.imageBaseUrl } : {}),
    ...(options.seed ? { seed: options.seed } : {}),
  });
  const handler = createFetchHandler(engine);
  return {
    // Not listening anywhere: requests to this origin go to the handler.
    url: "http://127.0.0.1:4010",
    port: 4010,
    minMicroversion: engine.minMicroversion,
    maxMicroversion: engine.maxMicroversion,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
      handler(input as Request | string | URL, init)) as typeof fetch,
    close: async () => {},
    reset: engine.reset,
    engine,
  };
}

/** Starts one mock for the calling test file and stops it afterwards. */
export function useMock(options: MockOptions = {}): { readonly mock: TestMock } {
  const holder: { mock?: TestMock } = {};
  beforeAll(async () => {
    holder.mock =
      ADAPTER === "fetch"
        ? await inProcess(options)
        : Object.assign(
            // Snapshots finish at once unless a test asks otherwise: most tests call createImage on
            // one server again and again, which a running snapshot would refuse (409).
            await startMock({
              port: 0,
              quiet: true,
              ...options,
              workflow: { snapshotSeconds: 0, ...options.workflow },
            }),
            { fetch: globalThis.fetch },
          );
  });
  afterAll(async () => {
    await holder.mock?.close();
  });
  return {
    get mock() {
      if (!holder.mock) throw new Error("the mock has not started");
      return holder.mock;
    },
  };
}

/** The fetch that reaches this mock (its own for an in-process one). */
export const fetchOf = (mock: RunningMock): typeof fetch =>
  (mock as Partial<TestMock>).fetch ?? globalThis.fetch;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON.
  json: any;
}

// Spec path keys as anchored regexes under each operation's local-mock prefix (`/identity`,
// `/image`), written here independently of the mock's router.
const localPrefix = (servers: { url: string }[]) =>
  servers
    .map((s) => new URL(s.url.replace(/\{[^}]+\}/g, "x")))
    .find((u) => u.hostname === "127.0.0.1")
    ?.pathname.replace(/\/$/, "") ?? "";
const specRoutes = loadModel().operations.map((op) => ({
  key: op.path,
  regex: new RegExp(
    `^${localPrefix(op.servers)}${op.path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`,
  ),
}));

/** The spec path key a request path belongs to (undefined for paths the spec does not have). */
export function specPathOf(path: string): string | undefined {
  const bare = path.split("?")[0] ?? path;
  return (specRoutes.find((r) => r.regex.test(bare)) ?? specRoutes.find((r) => r.regex.test(`${bare}/`)))
    ?.key;
}

/** What the spec validator finds wrong with a response (empty when it conforms). */
export function problemsOf(method: string, path: string, reply: Reply): string[] {
  const key = specPathOf(path);
  if (!key) return [`${path} is not a spec path`];
  return validator.problems(
    { method, path: key, status: reply.status, headers: reply.headers, body: reply.text },
    reply.headers.get("x-openstack-nova-api-version") ?? undefined,
  );
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (a string too: `"x"`). */
  body?: unknown;
  /** Sent as is. */
  raw?: string | Buffer;
  /** Skip the spec check (only for paths and methods the spec does not have). */
  unchecked?: boolean;
}

/** One request; every answer on a spec path is checked against the spec before it is returned. */
export async function call(mock: RunningMock, path: string, options: CallOptions = {}): Promise<Reply> {
  const raw = options.raw;
  const body: string | Uint8Array | undefined =
    raw === undefined
      ? options.body === undefined
        ? undefined
        : JSON.stringify(options.body)
      : typeof raw === "string"
        ? raw
        : new Uint8Array(raw);
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const res = await fetchOf(mock)(`${mock.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: body as BodyInit } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const reply: Reply = { status: res.status, headers: res.headers, text, json };
  if (!options.unchecked)
    expect(problemsOf(method, path, reply), `${method} ${path} → ${reply.status}`).toEqual([]);
  return reply;
}

export const token = { "X-Auth-Token": "gAAAAABm-test-token" };
export const json = { "Content-Type": "application/json" };

/** createImage on /v2.1 at a microversion (undefined: no header), with a valid token. */
export function createImage(
  mock: RunningMock,
  body: unknown,
  options: { version?: string; server?: string; headers?: Record<string, string> } = {},
) {
  return call(mock, actionPath(options.server), {
    body,
    headers: {
      ...token,
      ...json,
      ...(options.version ? { "OpenStack-API-Version": `compute ${options.version}` } : {}),
      ...(options.headers ?? {}),
    },
  });
}

/** The Nova fault of a reply: its key, code and message. */
export function faultOf(reply: Reply): { key: string; code: number; message: string } {
  const entries = Object.entries(reply.json ?? {});
  expect(entries.length, reply.text).toBe(1);
  const [key, detail] = entries[0] as [string, { code: number; message: string }];
  return { key, code: detail.code, message: detail.message };
}

/** A request through node:http, for what fetch will not send (a Host header of our choosing). */
export async function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** POSTs a raw body to the shared mock and checks the answer against the spec at its microversion. */
export async function send(mock: RunningMock, path: string, headers: Record<string, string>, body: string) {
  const res = await fetchOf(mock)(`${mock.url}${path}`, {
    method: "POST",
    headers: { ...token, ...headers },
    body,
  });
  const text = await res.text();
  expect(
    problemsOf("POST", path, { status: res.status, headers: res.headers, text, json: undefined }),
  ).toEqual([]);
  return { status: res.status, type: res.headers.get("content-type"), text };
}

/** Never a 5xx, never Prism's 422: a success, or one JSON fault `{"<key>": {code: <status>, message}}`. */
export function expectNovaShape(r: { status: number; type: string | null; text: string }) {
  expect(r.status).toBeGreaterThanOrEqual(200);
  expect(r.status).toBeLessThan(500);
  expect(r.status).not.toBe(422);
  if (r.status === 202) return;
  expect(r.type).toMatch(/^application\/json/);
  const entries = Object.entries(JSON.parse(r.text));
  expect(entries).toHaveLength(1);
  const [, detail] = entries[0] as [string, { code: number; message: string }];
  expect(detail.code).toBe(r.status);
  expect(typeof detail.message).toBe("string");
  expect(detail.message.length).toBeGreaterThan(0);
}
