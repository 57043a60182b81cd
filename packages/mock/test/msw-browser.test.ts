// @ecs-api/mock/msw in a real browser: the handlers bundled for the browser platform (which fails on
// any `node:` import), registered with msw's setupWorker on a page served from loopback, and the
// page's fetches answered exactly as the spec says — createImage at 2.1 (readable Location) and 2.45
// (image_id), a bad body, bad microversions, a reserved server.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.js";
import { actionPath, problemsOf, SCENARIOS, UUID } from "./helpers.js";

const MSW_ENTRY = fileURLToPath(new URL("../src/msw.ts", import.meta.url));
const workerScript = readFileSync(createRequire(import.meta.url).resolve("msw/mockServiceWorker.js"), "utf8");

let browser: Browser;
let page: Server;
let origin: string;
let pageBundle = "";

beforeAll(async () => {
  const result = await build({
    stdin: {
      contents: `import { setupWorker } from "msw/browser";
import { createHandlers } from ${JSON.stringify(MSW_ENTRY)};
const worker = setupWorker(...createHandlers({ snapshotSeconds: 0 }));
await worker.start({ quiet: true, serviceWorker: { url: "/mockServiceWorker.js" } });
window.ready = true;`,
      resolveDir: fileURLToPath(new URL("..", import.meta.url)),
      loader: "ts",
    },
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
  });
  pageBundle = result.outputFiles[0]?.text ?? "";
  page = createServer((req, res) => {
    const type = req.url === "/" ? "text/html" : "text/javascript";
    const body =
      req.url === "/"
        ? '<!doctype html><script type="module" src="/page.js"></script>'
        : req.url === "/page.js"
          ? pageBundle
          : req.url === "/mockServiceWorker.js"
            ? workerScript
            : undefined;
    res.writeHead(body === undefined ? 404 : 200, { "content-type": type });
    res.end(body);
  });
  await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => page?.close(resolve));
});

describe("@ecs-api/mock/msw bundled for the browser", () => {
  it("has no node: import (esbuild's browser platform resolves none) and reports its gzip size", async () => {
    const alone = await build({
      entryPoints: [MSW_ENTRY],
      bundle: true,
      platform: "browser",
      format: "esm",
      external: ["msw"],
      write: false,
      metafile: true,
      minify: true,
    });
    const inputs = Object.keys(alone.metafile?.inputs ?? {});
    expect(inputs.filter((i) => i.startsWith("node:"))).toEqual([]);
    const text = alone.outputFiles[0]?.text ?? "";
    expect(text).not.toMatch(/from\s*["']node:/);
    const gzip = gzipSync(text).length;
    console.log(`@ecs-api/mock/msw browser bundle: ${text.length} B minified, ${gzip} B gzip (msw external)`);
    expect(gzip).toBeGreaterThan(0);
  });

  it("answers createImage, faults and scenarios in the page exactly as the spec says", async () => {
    const tab = await browser.newPage();
    await tab.goto(`${origin}/`);
    await tab.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, {
      timeout: 20_000,
    });
    const calls: [string, Record<string, string>, string][] = [
      [actionPath(), { "OpenStack-API-Version": "compute 2.1" }, '{"createImage":{"name":"a"}}'],
      [actionPath(), { "OpenStack-API-Version": "compute 2.45" }, '{"createImage":{"name":"a"}}'],
      [actionPath(), {}, '{"createImage":{}}'],
      [actionPath(), { "OpenStack-API-Version": "compute 2.x" }, '{"createImage":{"name":"a"}}'],
      [actionPath(), { "OpenStack-API-Version": "compute 2.99" }, '{"createImage":{"name":"a"}}'],
      [actionPath(SCENARIOS["vm-state-error"]), {}, '{"createImage":{"name":"a"}}'],
    ];
    const answers = await tab.evaluate(async (list) => {
      const out = [];
      for (const [path, headers, body] of list) {
        const res = await fetch(`http://127.0.0.1:4010${path}`, {
          method: "POST",
          headers: { "X-Auth-Token": "t", "Content-Type": "application/json", ...headers },
          body,
        });
        out.push({ status: res.status, headers: [...res.headers], text: await res.text() });
      }
      return out;
    }, calls);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 400, 400, 406, 409]);
    for (const a of answers) {
      const headers = new Headers(a.headers);
      const reply = {
        status: a.status,
        headers,
        text: a.text,
        json: a.text ? JSON.parse(a.text) : undefined,
      };
      expect(problemsOf("POST", actionPath(), reply), a.text).toEqual([]);
    }
    expect(new Headers(answers[0]?.headers).get("location")?.split("/").pop()).toMatch(UUID);
    expect(JSON.parse(answers[1]?.text ?? "{}").image_id).toMatch(UUID);
    expect(JSON.parse(answers[5]?.text ?? "{}").conflictingRequest.code).toBe(409);
    await tab.close();
  }, 60_000);
});
