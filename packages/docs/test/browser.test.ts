import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadContract, loadSpec } from "@ecs-api/spec";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocsDocument } from "../src/document.js";
import { errorRows, rangeText, segments } from "../src/guides.js";
import { type Json, operationsOf } from "../src/openapi.js";
import { distDir, packageDir } from "../src/paths.js";
import { readSamples, SAMPLE_LANGUAGES } from "../src/samples.js";
import { type DocsServer, serveDocs } from "../src/serve.js";
import { isLocal, launchChromium } from "./browser.js";

// A reader's visit with the network cut: the built page served from loopback, every other host
// refused and recorded, the console watched, and what the issue asks for looked at on screen.

const outputDir = join(packageDir, "test-output");
const spec = loadSpec();
const contract = loadContract();
const docsDoc = buildDocsDocument({ spec, contract, samples: readSamples(), ports: { docs: 8080 } });
const groups: { name: string; tags: string[] }[] = docsDoc["x-tagGroups"];
const ops = operationsOf(docsDoc);

let docs: DocsServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const remoteRequests: string[] = [];
const localRequests: string[] = [];
const consoleErrors: string[] = [];

async function waitForRedoc(p: Page): Promise<void> {
  // Redoc's search box says "Loading..." until the page is hydrated and interactive.
  await p.waitForFunction(() => {
    const icon = document.querySelector('[data-component-name="icons/SearchIcon/SearchIcon"]');
    return icon !== null && !icon.parentElement?.textContent?.includes("Loading...");
  });
}

const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const quoted = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const menuLink = (text: string) => page.locator(`a:has([data-text=${quoted(text)}])`).first();
/** An operation's title: the heading whose deep link names exactly this summary. */
const titleOf = (p: Page, summary: string) =>
  p.locator(`main h2:has(a[aria-label=${quoted(`link to ${summary}`)}])`);

beforeAll(async () => {
  if (!existsSync(join(distDir, "index.html"))) {
    throw new Error("dist/index.html is missing: run `pnpm --filter @ecs-api/docs build`");
  }
  mkdirSync(outputDir, { recursive: true });
  docs = await serveDocs({ port: 0 });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    remoteRequests.push(url);
    return route.abort("internetdisconnected");
  });
  context.on("request", (request) => {
    const url = request.url();
    if (isLocal(url)) localRequests.push(url);
    else if (!remoteRequests.includes(url)) remoteRequests.push(url);
  });
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
  page.on("websocket", (socket) => remoteRequests.push(socket.url()));
  await page.goto(docs.url);
  await waitForRedoc(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await docs?.close();
});

describe("the served docs in a browser, offline", () => {
  it("Given the served page, when Redoc has rendered, then the title and every guide heading are visible", async () => {
    await page.screenshot({ path: join(outputDir, "docs-home.png") });
    await expect
      .poll(() => page.getByRole("heading", { name: spec.info.title }).first().isVisible())
      .toBe(true);
    for (const heading of [
      "Microversion guide",
      "Error catalogue",
      "Getting started for frontend teams",
      "Differences from the OTC documentation",
    ]) {
      const h = page.locator("h1, h2, h3", { hasText: new RegExp(`^${regexEscape(heading)}$`) });
      expect(await h.isVisible(), heading).toBe(true);
    }
  });

  it("Given the microversion guide, then its table shows what each microversion range returns", async () => {
    for (const seg of segments(contract)) {
      const first = page.getByRole("cell", {
        name: new RegExp(`microversion ${regexEscape(rangeText(seg))}$`),
      });
      const row = page.getByRole("row").filter({ has: first });
      await row.first().scrollIntoViewIfNeeded();
      expect(await row.first().isVisible(), rangeText(seg)).toBe(true);
      const present = contract.createImageVariants.filter((v) => v.range.min === seg.min);
      for (const { element } of present) {
        const shown = element.startsWith("header:") ? element.slice("header:".length) : "image_id";
        expect(await row.first().textContent()).toContain(shown);
      }
    }
  });

  it("Given the error catalogue, then every status shows its fault key", async () => {
    for (const { status, faultKey } of errorRows(spec)) {
      const row = page
        .getByRole("row")
        .filter({ has: page.getByRole("cell", { name: String(status), exact: true }) })
        .filter({ has: page.getByRole("cell", { name: faultKey, exact: true }) });
      expect(await row.first().isVisible(), `${status} ${faultKey}`).toBe(true);
    }
  });

  for (const group of groups) {
    for (const tag of group.tags) {
      for (const { operation } of ops.filter((o) => o.operation.tags.includes(tag))) {
        const statuses = Object.keys(operation.responses);
        it(`Given the "${tag}" section, when a reader opens "${operation.summary}", then its title and responses ${statuses.join(", ")} are visible`, async () => {
          const op = menuLink(operation.summary);
          if (!(await op.isVisible())) await menuLink(tag).click();
          await op.click();
          const route = decodeURIComponent((await op.getAttribute("href")) ?? "").replace(/^#?\/?/, "");
          const title = titleOf(page, operation.summary);
          await title.waitFor({ state: "visible" });
          if (operation.deprecated) expect(await title.textContent()).toMatch(/deprecated/i);
          const tabs = page.locator(`[id="${route}/responses"] [role="tab"]`);
          await tabs.first().waitFor({ state: "visible" });
          expect(await tabs.allInnerTexts()).toEqual(statuses);
          for (const status of statuses) {
            expect(await tabs.filter({ hasText: new RegExp(`^${status}$`) }).isVisible(), status).toBe(true);
          }
        });
      }
    }
  }

  it("Given createImage, then the code sample box offers curl, TypeScript and python-novaclient and shows each", async () => {
    const createImage = ops.find((o) => o.operation.operationId === "createImage")?.operation as Json;
    const op = menuLink(createImage.summary);
    if (!(await op.isVisible())) await menuLink(createImage.tags[0]).click();
    await op.click();
    const samples: { label: string; source: string }[] = createImage["x-codeSamples"];
    const labels = Object.values(SAMPLE_LANGUAGES).map((l) => l.label);
    expect(samples.map((s) => s.label)).toEqual(labels);
    for (const { label, source } of samples) {
      // The language switch shows the current language; open it and pick this one.
      const current = page.getByRole("button", {
        name: new RegExp(`^(${labels.map(regexEscape).join("|")})$`),
      });
      await current.first().click();
      await page.getByRole("menuitem", { name: label, exact: true }).click();
      const line = source.split("\n").find((l) => l.trim() && !/^\s*(#|\/\/)/.test(l)) ?? source;
      const code = page.getByText(line.trim(), { exact: false }).first();
      await code.waitFor({ state: "visible" });
      expect(await code.isVisible(), label).toBe(true);
      if (label === "TypeScript") {
        await code.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(outputDir, "createImage-typescript.png") });
      }
    }
  });

  it("Given a deep link to createImage, when it is opened directly, then the page renders it", async () => {
    const fresh = await context.newPage();
    fresh.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
    const createImage = ops.find((o) => o.operation.operationId === "createImage")?.operation as Json;
    const href = await menuLink(createImage.summary).getAttribute("href");
    await fresh.goto(new URL(href ?? "", docs.url).href);
    await waitForRedoc(fresh);
    await titleOf(fresh, createImage.summary).waitFor({ state: "visible" });
    await fresh.close();
  });

  it("Given the whole visit, then the console showed no error", () => {
    expect(consoleErrors).toEqual([]);
  });

  it("Given the whole visit, then every request stayed on localhost", () => {
    expect(localRequests.length).toBeGreaterThan(0);
    expect(remoteRequests).toEqual([]);
  });
});
