import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, inlineScriptHashes, pagePolicy } from "../src/html.js";
import { type DocsServer, pageRoutes, serveDocs } from "../src/serve.js";

// Two heading ids as Redoc renders them: one route ends like a file name, one has an escaped quote.
const PAGE =
  '<!DOCTYPE html><title>docs</title><h4 id="section/mock.ts">mock.ts</h4><h3 id="section/nova&#x27;s.js">x</h3><script>window.ready = 1;</script>';
let root: string;
let docs: DocsServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ecs-docs-serve-"));
  root = join(dir, "dist");
  mkdirSync(join(root, "lib"), { recursive: true });
  writeFileSync(join(root, "index.html"), PAGE);
  writeFileSync(join(root, "openapi.yaml"), "openapi: 3.1.0\n");
  writeFileSync(join(root, "openapi.json"), '{"openapi":"3.1.0"}');
  writeFileSync(join(root, "lib", "build.js"), "secret");
  writeFileSync(join(dir, "package.json"), "{}");
  docs = await serveDocs({ root, port: 0 });
});

afterAll(async () => {
  await docs.close();
  rmSync(join(root, ".."), { recursive: true, force: true });
});

/** A raw request, so paths like `/../x` reach the server as written (fetch would normalize them). */
interface Answer {
  status: number;
  type: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}
function get(
  path: string,
  method = "GET",
  headers: Record<string, string> = {},
  server: DocsServer = docs,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(server.url, { method, path, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers["content-type"] ?? "",
          body,
          headers: res.headers,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** Sends raw bytes on a new socket, optionally half-closing it, and collects everything until close. */
function raw(
  data: string,
  { halfClose = false, server = docs }: { halfClose?: boolean; server?: DocsServer } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1");
    let out = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      out += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(out));
    socket.on("connect", () => (halfClose ? socket.end(data) : socket.write(data)));
  });
}

describe("docs server", () => {
  it("Given the server on port 0, then its URL is on loopback with the port it got", () => {
    expect(docs.url).toBe(`http://127.0.0.1:${docs.port}/`);
    expect(docs.port).toBeGreaterThan(0);
  });

  it("Given a request for /, then it answers index.html as HTML", async () => {
    const res = await get("/");
    expect(res).toMatchObject({ status: 200, type: "text/html; charset=utf-8" });
    expect(res.body).toContain("<title>docs</title>");
  });

  it("Given a request for /openapi.yaml, then it answers the YAML contract", async () => {
    expect(await get("/openapi.yaml")).toMatchObject({
      status: 200,
      type: expect.stringMatching(/^application\/yaml/),
    });
  });

  it("Given a request for /openapi.json, then it answers JSON", async () => {
    const res = await get("/openapi.json");
    expect(res.type).toBe("application/json");
    expect(JSON.parse(res.body)).toEqual({ openapi: "3.1.0" });
  });

  it("Given a HEAD request, then it answers the headers without a body", async () => {
    expect(await get("/", "HEAD")).toMatchObject({ status: 200, body: "" });
  });

  it.each([
    "/../package.json",
    "/%2e%2e/package.json",
    "/lib/build.js",
    "/lib%2Fbuild.js",
    "/..%2Fpackage.json",
  ])("Given a path outside the flat site (%s), then it answers 404", async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain("secret");
  });

  it("Given a file that does not exist, then it answers 404", async () => {
    expect((await get("/missing.html")).status).toBe(404);
  });

  it("Given a POST, then it answers 405", async () => {
    expect((await get("/", "POST")).status).toBe(405);
  });

  it("Given a malformed percent-encoding, then it answers 400", async () => {
    expect((await get("/%E0%A4%A.html")).status).toBe(400);
  });

  it.each([
    "/section/error-catalogue",
    "/section/1.-start-the-mock",
    "/images-(v2.1)/createimage",
    "/tag/versions?x=1",
    "/index.html/section/x",
    "/section/when-the-microversion-is-wrong:-400-and-406",
  ])(
    "Given a Redoc route (%s) opened directly, then it sends the reader to the page at that route",
    async (path) => {
      const res = await get(path);
      const route = new URL(path, "http://x").pathname;
      expect(res).toMatchObject({ status: 302 });
      expect(res.headers.location).toBe(`/#${route}`);
      expect((await get(String(res.headers.location))).body).toBe(PAGE);
    },
  );

  it.each(["/section/mock.ts", "/section/nova's.js", "/section/nova%27s.js"])(
    "Given a heading route of the page that ends like a file name (%s), then it sends the reader to the page at that route",
    async (path) => {
      const res = await get(path);
      expect(res).toMatchObject({ status: 302 });
      expect(res.headers.location).toBe(`/#${new URL(path, "http://x").pathname}`);
    },
  );

  it("Given the page's ids, then its heading routes are read, entities decoded, and nothing else", () => {
    expect([...pageRoutes(PAGE)]).toEqual(["/section/mock.ts", "/section/nova's.js"]);
    expect(pageRoutes('<div id="images-(v2.1)/createimage"></div><a href="/section/x.ts">')).toEqual(
      new Set(),
    );
  });

  it.each(["/section/missing.js", "/robots.txt", "/section/index.htm"])(
    "Given an unknown file below or beside the page (%s), then it answers 404, not the page",
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain("<title>");
    },
  );

  it("Given a download link clicked on a deep link (/section/openapi.yaml), then it redirects to the flat file", async () => {
    const res = await get("/section/error-catalogue/openapi.yaml", "GET", { host: "evil.example:99999" });
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe("/openapi.yaml");
  });
});

describe("docs server, caching", () => {
  it("Given a page fetched once, when asked again with its ETag, then it answers 304 without a body", async () => {
    const first = await get("/");
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await get("/", "GET", { "if-none-match": etag });
    expect(again).toMatchObject({ status: 304, body: "" });
    expect(again.headers.etag).toBe(etag);
    expect((await get("/", "GET", { "if-none-match": `"other", W/${etag}` })).status).toBe(304);
  });

  it("Given another file's ETag, then it answers the file in full", async () => {
    const yaml = await get("/openapi.yaml");
    expect(yaml.headers.etag).not.toBe((await get("/")).headers.etag);
    expect((await get("/", "GET", { "if-none-match": String(yaml.headers.etag) })).status).toBe(200);
  });

  it("Given the page changes on disk after start, then the server keeps answering what it read at start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-docs-memory-"));
    writeFileSync(join(dir, "index.html"), "<title>first</title>");
    const own = await serveDocs({ root: dir, port: 0 });
    try {
      writeFileSync(join(dir, "index.html"), "<title>second</title>");
      expect((await get("/", "GET", {}, own)).body).toBe("<title>first</title>");
    } finally {
      await own.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("docs server, security headers", () => {
  it("Given the page, then CSP (with frame-ancestors), nosniff and no-referrer are HTTP headers", async () => {
    const { headers } = await get("/");
    const policy = String(headers["content-security-policy"]);
    expect(policy).toBe(`${pagePolicy(PAGE)}; frame-ancestors 'none'`);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("no-referrer");
  });

  it("Given the page's inline scripts, then the header allows exactly them by hash, not any inline script", () => {
    const policy = pagePolicy(PAGE);
    const scriptSrc = policy.split("; ").find((d) => d.startsWith("script-src "));
    expect(scriptSrc).toBe(`script-src 'self' ${inlineScriptHashes(PAGE).join(" ")}`);
    expect(inlineScriptHashes(PAGE)).toEqual(["'sha256-/5pjdBR9P5n258AYvvlGiOMF+17JVHPoI5NFO88kzhc='"]);
    expect(policy).not.toContain("'unsafe-inline' 'self'");
    expect(scriptSrc).not.toContain("unsafe-inline");
    // Everything else is the page's meta policy.
    expect(policy.replace(scriptSrc ?? "", "")).toBe(
      CONTENT_SECURITY_POLICY.replace("script-src 'self' 'unsafe-inline'", ""),
    );
  });

  it.each(["/openapi.json", "/missing.html"])(
    "Given %s, then it is sent with a policy that runs and frames nothing",
    async (path) => {
      const { headers } = await get(path);
      expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("no-referrer");
    },
  );

  it("Given an invalid Host header, then no answer reflects it", async () => {
    const answer = await raw(
      "GET /section/openapi.yaml HTTP/1.1\r\nHost: ..:99999\r\nConnection: close\r\n\r\n",
    );
    expect(answer).toMatch(/^HTTP\/1\.1 308 /);
    expect(answer).not.toContain("99999");
  });
});

describe("docs server, client behaviour", () => {
  it("Given an HTTP/1.0 client that half-closes after its request, then it still gets the page", async () => {
    const answer = await raw("GET / HTTP/1.0\r\n\r\n", { halfClose: true });
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.endsWith(PAGE)).toBe(true);
  });

  it("Given an HTTP/1.1 client that half-closes (SHUT_WR) after its request, then it still gets the file", async () => {
    const answer = await raw("GET /openapi.yaml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", { halfClose: true });
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.endsWith("openapi: 3.1.0\n")).toBe(true);
  });

  it("Given a request line Node cannot parse, then it answers 400 with a body", async () => {
    const answer = await raw("NOT HTTP AT ALL\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\n\r\nBad Request\n$/);
  });

  it("Given headers larger than Node accepts, then it answers 431 with a body", async () => {
    const answer = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(answer).toMatch(/\r\n\r\nRequest Header Fields Too Large\n$/);
  });

  it("Given a client that never finishes its headers, then it is answered 408 when the header time is up", async () => {
    const own = await serveDocs({ root, port: 0, headersTimeout: 200, requestTimeout: 300 });
    try {
      // Node checks the timeouts on an interval, so the answer comes some time after 300 ms.
      const answer = await raw("GET / HTTP/1.1\r\nHost: x\r\n", { server: own });
      expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(answer).toMatch(/\r\n\r\nRequest Timeout\n$/);
    } finally {
      await own.close();
    }
  });

  it("Given the connection cap is reached, then one more client gets 503 with Retry-After, and is served once a slot frees", async () => {
    const own = await serveDocs({ root, port: 0, maxConnections: 2 });
    try {
      const held = [connect(own.port, "127.0.0.1"), connect(own.port, "127.0.0.1")];
      await Promise.all(held.map((s) => new Promise((resolve) => s.once("connect", resolve))));
      // The server counts a connection when it accepts it; an answered request proves both are counted.
      await expect
        .poll(async () => (await raw("GET / HTTP/1.0\r\n\r\n", { server: own })).slice(0, 12))
        .toBe("HTTP/1.1 503");
      const refused = await raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n", { server: own });
      expect(refused).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(refused).toMatch(/\r\nretry-after: 1\r\n/i);
      expect(refused).toMatch(/\r\n\r\nService Unavailable\n$/);
      for (const socket of held) socket.destroy();
      await expect
        .poll(async () => (await raw("GET / HTTP/1.0\r\n\r\n", { server: own })).slice(0, 12))
        .toBe("HTTP/1.1 200");
    } finally {
      await own.close();
    }
  });
});
