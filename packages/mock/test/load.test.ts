// A bounded load run on loopback: 5,000 mixed valid and invalid requests, 32 at a time, over
// keep-alive connections. Every answer must be the expected one; nothing may fail or be a 5xx.
import { Agent, request } from "node:http";
import { describe, expect, it } from "vitest";
import { actionPath, legacyPath, problemsOf, SCENARIOS, specPathOf, token, useMock } from "./helpers.js";

const ctx = useMock();
const TOTAL = 5_000;
const CONCURRENCY = 32;

interface Case {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  status: number;
}

const json = { ...token, "Content-Type": "application/json" };
const good = JSON.stringify({ createImage: { name: "load-image", metadata: { k: "v" } } });
const MIX: Case[] = [
  { name: "202 at 2.1", method: "POST", path: actionPath(), headers: json, body: good, status: 202 },
  {
    name: "202 at 2.45",
    method: "POST",
    path: actionPath(),
    headers: { ...json, "OpenStack-API-Version": "compute 2.45" },
    body: good,
    status: 202,
  },
  { name: "202 on /v2", method: "POST", path: legacyPath(), headers: json, body: good, status: 202 },
  {
    name: "400 bad body",
    method: "POST",
    path: actionPath(),
    headers: json,
    body: '{"createImage": {"name": ""}}',
    status: 400,
  },
  { name: "400 malformed", method: "POST", path: actionPath(), headers: json, body: "{", status: 400 },
  {
    name: "400 bad version",
    method: "POST",
    path: actionPath(),
    headers: { ...json, "X-OpenStack-Nova-API-Version": "2.x" },
    body: good,
    status: 400,
  },
  {
    name: "406",
    method: "POST",
    path: actionPath(),
    headers: { ...json, "X-OpenStack-Nova-API-Version": "2.99" },
    body: good,
    status: 406,
  },
  {
    name: "401",
    method: "POST",
    path: actionPath(),
    headers: { "Content-Type": "application/json" },
    body: good,
    status: 401,
  },
  {
    name: "415",
    method: "POST",
    path: actionPath(),
    headers: { ...json, "Content-Type": "application/xml" },
    body: good,
    status: 415,
  },
  {
    name: "404 scenario",
    method: "POST",
    path: actionPath(SCENARIOS["not-found"]),
    headers: json,
    body: good,
    status: 404,
  },
  {
    name: "409 scenario",
    method: "POST",
    path: actionPath(SCENARIOS["vm-state-error"]),
    headers: json,
    body: good,
    status: 409,
  },
  { name: "version document", method: "GET", path: "/v2.1", headers: {}, status: 200 },
  { name: "unknown path", method: "GET", path: "/nowhere", headers: {}, status: 404 },
];

describe("a bounded load run", () => {
  it(`given ${TOTAL} mixed requests at concurrency ${CONCURRENCY}, then every answer is as expected`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const url = new URL(ctx.mock.url);
    const seen = new Map<string, number>();
    const wrong: string[] = [];
    const invalid: string[] = [];
    let errors = 0;
    let next = 0;
    const one = (c: Case) =>
      new Promise<void>((resolve) => {
        const req = request(
          { host: url.hostname, port: url.port, method: c.method, path: c.path, headers: c.headers, agent },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              text += chunk;
            });
            res.on("end", () => {
              const key = `${c.name} → ${res.statusCode}`;
              seen.set(key, (seen.get(key) ?? 0) + 1);
              if (res.statusCode !== c.status && wrong.length < 10) wrong.push(key);
              if (specPathOf(c.path)) {
                const headers = new Headers();
                for (const [k, v] of Object.entries(res.headers))
                  if (typeof v === "string") headers.set(k, v);
                const problems = problemsOf(c.method, c.path, {
                  status: res.statusCode ?? 0,
                  headers,
                  text,
                  json: undefined,
                });
                if (problems.length > 0 && invalid.length < 10)
                  invalid.push(`${key}: ${problems.join("; ")}`);
              }
              resolve();
            });
          },
        );
        req.on("error", () => {
          errors++;
          resolve();
        });
        req.end(c.body);
      });
    const worker = async () => {
      while (next < TOTAL) await one(MIX[next++ % MIX.length] as Case);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();

    expect(errors).toBe(0);
    expect(wrong).toEqual([]);
    expect(invalid).toEqual([]);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
    expect([...seen.keys()].filter((k) => / → 5\d\d$/.test(k))).toEqual([]);
  }, 60_000);
});
