// A real browser (headless Chromium) on another origin calls the mock with fetch: the preflight for
// X-Auth-Token and both version headers must pass, and the page must be able to read Location, the
// version headers, the request ID and the fault bodies. Everything stays on loopback.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.js";
import { ACTIVE, PROJECT, SCENARIOS, UUID, useMock } from "./helpers.js";

const ctx = useMock();
let browser: Browser;
let tab: Page;
let page: Server;
let pageOrigin: string;

beforeAll(async () => {
  // The page's own origin: another port on loopback, so every call to the mock is cross-origin.
  page = createServer((_, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end("<!doctype html><title>frontend</title>");
  });
  await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
  pageOrigin = `http://localhost:${(page.address() as AddressInfo).port}`;
  browser = await launchChromium();
  // One tab for all cases: @sparticuz/chromium runs single-process, closing the last tab ends it.
  tab = await browser.newPage();
  // The browser talks only to loopback.
  await tab.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === "127.0.0.1" || host === "localhost" ? route.continue() : route.abort();
  });
  await tab.goto(pageOrigin);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => page?.close(resolve));
});

interface Seen {
  status: number;
  location: string | null;
  version: string | null;
  legacy: string | null;
  requestId: string | null;
  body: string;
}

async function fetchFromPage(path: string, headers: Record<string, string>, body: unknown): Promise<Seen> {
  return tab.evaluate(
    async ({ url, headers, body }) => {
      const res = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
      return {
        status: res.status,
        location: res.headers.get("Location"),
        version: res.headers.get("OpenStack-API-Version"),
        legacy: res.headers.get("X-OpenStack-Nova-API-Version"),
        requestId: res.headers.get("X-Openstack-Request-Id"),
        body: await res.text(),
      };
    },
    { url: `${ctx.mock.url}${path}`, headers, body },
  );
}

const token = { "X-Auth-Token": "browser-token", "Content-Type": "application/json" };
const action = (server = ACTIVE) => `/v2.1/${PROJECT}/servers/${server}/action`;

describe("a browser on another origin", () => {
  it("given createImage at 2.1 with both version headers, then it can read Location and the version headers", async () => {
    const seen = await fetchFromPage(
      action(),
      { ...token, "OpenStack-API-Version": "compute 2.1", "X-OpenStack-Nova-API-Version": "2.1" },
      { createImage: { name: "from-the-browser", metadata: {} } },
    );
    expect(seen.status).toBe(202);
    expect(seen.location?.split("/").pop()).toMatch(UUID);
    expect(seen.version).toBe("compute 2.1");
    expect(seen.legacy).toBe("2.1");
    expect(seen.requestId).toMatch(/^req-/);
  });

  it("given createImage at 2.45, then it reads image_id from the body", async () => {
    const seen = await fetchFromPage(
      action(),
      { ...token, "OpenStack-API-Version": "compute 2.45" },
      { createImage: { name: "b" } },
    );
    expect(seen.status).toBe(202);
    expect(JSON.parse(seen.body).image_id).toMatch(UUID);
  });

  it("given the server in ERROR, then it can read Nova's fault", async () => {
    const seen = await fetchFromPage(action(SCENARIOS["vm-state-error"]), token, {
      createImage: { name: "b" },
    });
    expect(seen.status).toBe(409);
    expect(JSON.parse(seen.body).conflictingRequest.message).toContain("vm_state error");
  });
});
