import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DocsServer, serveDocs } from "../src/serve.js";

let root: string;
let docs: DocsServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ecs-docs-serve-"));
  root = join(dir, "dist");
  mkdirSync(join(root, "lib"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<!DOCTYPE html><title>docs</title>");
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
function get(path: string, method = "GET"): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(docs.url, { method, path }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"] ?? "", body }),
      );
    });
    req.on("error", reject);
    req.end();
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
});
