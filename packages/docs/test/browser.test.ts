import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadContract, loadModel, loadSpec, rangeText } from "@ecs-api/spec";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readClientSamples } from "../src/client-samples.js";
import { buildDocsDocument } from "../src/document.js";
import { errorRows, NO_FAULT_KEY, segments } from "../src/guides/index.js";
import { distDir, packageDir } from "../src/paths.js";
import { readSamples, SAMPLE_LANGUAGES } from "../src/samples.js";
import { type DocsServer, serveDocs } from "../src/serve.js";
import { isLocal, launchChromium } from "./browser.js";

// A reader's visit with the network cut: the built page served from loopback, every other host
// refused and recorded, the console watched, and what the issue asks for looked at on screen.

const outputDir = join(packageDir, "test-output");
const spec = loadSpec();
const model = loadModel();
const contract = loadContract();
const samples = readSamples();
const docsDoc = buildDocsDocument({
  spec,
  model,
  contract,
  samples,
  clientSamples: readClientSamples(),
  ports: { docs: 8080 },
});
const groups: { name: string; tags: string[] }[] = docsDoc["x-tagGroups"];
const ops = model.operations;
const createImage = model.operation("createImage");
const createImageSummary = createImage.summary ?? "";
const codeSamplesOf = (id: string) => samples.operations.get(id) ?? [];

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
/** The route a menu link opens, as Redoc names it in ids (`images-(v2.1)/createimage`). */
const routeOf = async (link: Locator) =>
  decodeURIComponent((await link.getAttribute("href")) ?? "").replace(/^#?\/?/, "");
/**
 * The section Redoc renders for the operation a menu link opens (its route, `/images-(v2.1)/createimage`).
 * Code shown there is looked for there only: the client workflow guide shows similar lines.
 */
const sectionOf = async (p: Page, link: Locator) =>
  p.locator(`[data-section-id=${quoted(`/${await routeOf(link)}`)}]`);
/** Opens an operation from the menu, as a reader does (its tag's group first when it is folded): its link. */
async function openOperation(summary: string, tag: string): Promise<Locator> {
  const link = menuLink(summary);
  if (!(await link.isVisible())) await menuLink(tag).click();
  await link.click();
  return link;
}
/** Opens createImage from the menu: the section Redoc renders for it. */
const openCreateImage = async () =>
  sectionOf(page, await openOperation(createImageSummary, createImage.tags[0] ?? ""));
const sampleLabels = Object.values(SAMPLE_LANGUAGES).map((l) => l.label);
/** An operation's code sample switch: the button that shows the current language's label. */
const sampleSwitchOf = (section: Locator) =>
  section.getByRole("button", { name: new RegExp(`^(${sampleLabels.map(regexEscape).join("|")})$`) }).first();
/**
 * Picks a language in an operation's code sample switch, as a reader does: bring the switch into the
 * window, open it, click the item. Redoc portals the open menu to <body> as `position: fixed`, drops it
 * below its button and moves it with the button on every scroll. A button that is visible but near the
 * window's bottom edge (where a longer sample or the page still settling its scroll under load leaves it)
 * drops the menu below the window, where scrolling the item reaches nothing: CI failed so on 8b3c5a8.
 * So the button is scrolled to the middle of the window first (the menu is about 150 px tall), and the
 * click is tried again while the page settles.
 */
async function chooseSampleLanguage(section: Locator, label: string): Promise<void> {
  const button = sampleSwitchOf(section);
  const item = page.getByRole("menuitem", { name: label, exact: true });
  await vi.waitFor(
    async () => {
      await button.evaluate((el) => el.scrollIntoView({ block: "center" }));
      if (!(await item.isVisible())) await button.click();
      await item.click({ timeout: 2_000 });
    },
    { timeout: 30_000, interval: 100 },
  );
}
/** An operation's title: the heading whose deep link names exactly this summary. */
const titleOf = (p: Page, summary: string) =>
  p.locator(`main h2:has(a[aria-label=${quoted(`link to ${summary}`)}])`);

/**
 * How a table sits on the page (runs in the browser, so it is self-contained): the words broken across
 * lines, how far it overflows its wrapper, its right edge, and whether it overlaps a side panel.
 */
function measureTable(t: Element) {
  // A word is a run of letters and digits: a line may break at a space or a hyphen, never inside a run.
  const broken: string[] = [];
  const walker = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of (node.textContent ?? "").matchAll(/[\p{L}\p{N}_]+/gu)) {
      const range = document.createRange();
      range.setStart(node, m.index ?? 0);
      range.setEnd(node, (m.index ?? 0) + m[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  const wrapper = t.parentElement as HTMLElement;
  const box = t.getBoundingClientRect();
  const side = document.querySelector('[data-testid="right-panel"]')?.getBoundingClientRect();
  const overlapsSide =
    side !== undefined &&
    side.width > 0 &&
    side.left < box.right &&
    side.right > box.left &&
    side.top < box.bottom &&
    side.bottom > box.top;
  return {
    broken,
    overflow: wrapper.scrollWidth - wrapper.clientWidth,
    right: box.right,
    overlapsSide,
  };
}

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
    await expect.poll(() => page.getByRole("heading", { name: model.title }).first().isVisible()).toBe(true);
    for (const heading of [
      "Microversion guide",
      "Error catalogue",
      "Getting started for frontend teams",
      "Client workflow",
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
    for (const { status, faultKey } of errorRows(model)) {
      const row = page
        .getByRole("row")
        .filter({ has: page.getByRole("cell", { name: String(status), exact: true }) })
        .filter({ has: page.getByRole("cell", { name: faultKey || NO_FAULT_KEY, exact: true }) });
      expect(await row.first().isVisible(), `${status} ${faultKey}`).toBe(true);
    }
  });

  for (const group of groups) {
    for (const tag of group.tags) {
      for (const operation of ops.filter((o) => o.tags.includes(tag))) {
        const statuses = operation.responses.map((r) => String(r.status));
        it(`Given the "${tag}" section, when a reader opens "${operation.summary}", then its title and responses ${statuses.join(", ")} are visible`, async () => {
          const op = await openOperation(operation.summary ?? "", tag);
          const route = await routeOf(op);
          const title = titleOf(page, operation.summary ?? "");
          await title.waitFor({ state: "visible" });
          if (operation.deprecated) expect(await title.textContent()).toMatch(/deprecated/i);
          const tabs = page.locator(`[id="${route}/responses"] [role="tab"]`);
          await tabs.first().waitFor({ state: "visible" });
          // Read as they settle, not once: a CI run read the three tabs while Redoc was still
          // rendering the section and got '' for each.
          await expect.poll(() => tabs.allInnerTexts()).toEqual(statuses);
          for (const status of statuses) {
            expect(await tabs.filter({ hasText: new RegExp(`^${status}$`) }).isVisible(), status).toBe(true);
          }
        });
      }
    }
  }

  it("Given createImage, then the code sample box offers curl, TypeScript and python-novaclient and shows each", async () => {
    const section = await openCreateImage();
    const shown = codeSamplesOf(createImage.id);
    expect(shown.map((s) => s.label)).toEqual(sampleLabels);
    for (const { label, source } of shown) {
      // The language switch shows the current language; open it and pick this one.
      await chooseSampleLanguage(section, label);
      const line = source.split("\n").find((l) => l.trim() && !/^\s*(#|\/\/)/.test(l)) ?? source;
      const code = section.getByText(line.trim(), { exact: false }).first();
      await code.waitFor({ state: "visible" });
      expect(await code.isVisible(), label).toBe(true);
      if (label === "TypeScript") {
        await code.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(outputDir, "createImage-typescript.png") });
      }
    }
  });

  it("Given createImage's language switch at the window's bottom edge, then a reader can still pick a language", async () => {
    // Where CI left the switch on 8b3c5a8: visible, but with no room below it for the menu Redoc drops.
    const section = await openCreateImage();
    const button = sampleSwitchOf(section);
    // Redoc may still be rendering above the section: place the switch until it stays just above the
    // edge (within 16 px; scroll offsets may be rounded, so no exact pixel is asked for).
    const placeAtBottom = () =>
      button.evaluate(async (el) => {
        window.scrollBy(0, el.getBoundingClientRect().bottom - innerHeight + 8);
        await new Promise((frame) => requestAnimationFrame(() => requestAnimationFrame(frame)));
        const gap = innerHeight - el.getBoundingClientRect().bottom;
        return gap > 0 && gap <= 16;
      });
    await expect.poll(placeAtBottom, { message: "the switch sits just above the bottom edge" }).toBe(true);
    // Away from the language shown first, then back to it: each pick must change the switch.
    for (const label of [...sampleLabels.slice(1), sampleLabels[0] ?? ""]) {
      await chooseSampleLanguage(section, label);
      await expect.poll(() => button.textContent()).toBe(label);
    }
  });

  it("Given a deep link to createImage, when it is opened directly, then the page renders it", async () => {
    const fresh = await context.newPage();
    fresh.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
    const href = await menuLink(createImageSummary).getAttribute("href");
    await fresh.goto(new URL(href ?? "", docs.url).href);
    await waitForRedoc(fresh);
    await titleOf(fresh, createImageSummary).waitFor({ state: "visible" });
    await fresh.close();
  });

  // A guide, the client workflow guide and one of its sample files (a heading three levels down).
  for (const [section, tag] of [
    ["Error catalogue", "h2"],
    ["Client workflow", "h2"],
    ["mock.ts", "h4"],
  ] as const) {
    it(`Given the link to "${section}" opened directly in a fresh page, then the server answers the page and Redoc shows that section`, async () => {
      const href = await menuLink(section).getAttribute("href");
      // Redoc's routes are paths (`/section/...`; some links carry them as `#/section/...`): open the path.
      expect(href).toMatch(/^#?\/section\//);
      const fresh = await context.newPage();
      fresh.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
      const response = await fresh.goto(new URL((href ?? "").replace(/^#/, ""), docs.url).href);
      expect(response?.status()).toBe(200);
      await waitForRedoc(fresh);
      const heading = fresh.locator(tag, { hasText: new RegExp(`^${regexEscape(section)}$`) });
      await expect.poll(() => heading.evaluate((h) => h.getBoundingClientRect().top)).toBeLessThan(300);
      expect(await heading.evaluate((h) => h.getBoundingClientRect().top)).toBeGreaterThanOrEqual(0);
      await fresh.close();
    });
  }

  for (const width of [1280, 1920]) {
    it(`Given a ${width} px wide window, then the error catalogue and the reserved-server table fit, with no word broken across lines`, async () => {
      await page.setViewportSize({ width, height: 1000 });
      const catalogue = page.locator("table", { has: page.getByRole("columnheader", { name: "fault key" }) });
      const reserved = page.locator("table", { has: page.getByRole("columnheader", { name: "server ID" }) });
      await catalogue.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(outputDir, `error-catalogue-${width}.png`) });
      await reserved.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(outputDir, `reserved-servers-${width}.png`) });
      for (const [name, table] of [
        ["error catalogue", catalogue],
        ["reserved servers", reserved],
      ] as const) {
        const layout = await table.evaluate(measureTable);
        expect(layout.broken, `${name} at ${width} px`).toEqual([]);
        expect(layout.overflow, `${name} at ${width} px: columns cut off`).toBeLessThanOrEqual(1);
        expect(layout.right, `${name} at ${width} px`).toBeLessThanOrEqual(width);
        expect(layout.overlapsSide, `${name} at ${width} px`).toBe(false);
      }
      // Every other table fits too, or scrolls sideways inside the column instead of being cut.
      const others = await page.locator(".md-table-wrapper").evaluateAll((wrappers) =>
        wrappers.map((w) => ({
          fits: w.scrollWidth <= w.clientWidth + 1,
          scrolls: ["auto", "scroll"].includes(getComputedStyle(w).overflowX),
          right: w.getBoundingClientRect().right,
        })),
      );
      for (const table of others) {
        expect(table.fits || table.scrolls).toBe(true);
        expect(table.right).toBeLessThanOrEqual(width);
      }
      // What the guide marks as one unit (scenario names, server IDs) is on one line, hyphens and all.
      const units = await reserved.locator(".unbroken").evaluateAll((spans) =>
        spans.map((u) => ({
          text: u.textContent,
          lines: new Set([...u.getClientRects()].map((r) => Math.round(r.top))).size,
        })),
      );
      expect(units.length).toBe(2 * Object.keys(contract.scenarios).length);
      for (const unit of units) expect(unit.lines, `${unit.text} at ${width} px`).toBe(1);
      await page.setViewportSize({ width: 1400, height: 900 });
    });

    it(`Given a ${width} px wide window, then every table of the guides fits its column, with no word broken and no column cut`, async () => {
      await page.setViewportSize({ width, height: 1000 });
      const steps = page
        .locator("table", { has: page.getByRole("columnheader", { name: "service" }) })
        .last();
      await steps.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(outputDir, `client-workflow-steps-${width}.png`) });
      const tables = await page
        .locator(".md-table-wrapper table")
        .evaluateAll((ts) => ts.map((t) => t.querySelector("th")?.textContent ?? ""));
      // The spec's own tables, the guides' and the client guide's (microversion, differences, steps, ...).
      expect(tables.length).toBeGreaterThanOrEqual(8);
      for (const [index, header] of tables.entries()) {
        const layout = await page.locator(".md-table-wrapper table").nth(index).evaluate(measureTable);
        const name = `table ${index + 1} ("${header}" ...) at ${width} px`;
        expect(layout.broken, name).toEqual([]);
        expect(layout.overflow, `${name}: columns cut off`).toBeLessThanOrEqual(1);
        expect(layout.right, name).toBeLessThanOrEqual(width);
      }
      await page.setViewportSize({ width: 1400, height: 900 });
    });

    it(`Given a ${width} px wide window, then the guides' code blocks show their whole lines (wrapped) inside the column`, async () => {
      await page.setViewportSize({ width, height: 1000 });
      const mockSample = page.locator("h4", { hasText: /^mock\.ts$/ });
      await mockSample.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(outputDir, `client-workflow-mock-sample-${width}.png`) });
      const blocks = await page.locator('[data-testid="middle-panel"] pre').evaluateAll((pres) =>
        pres
          .filter((p) => !p.closest('[data-testid="right-panel"]'))
          .map((p) => ({
            start: (p.textContent ?? "").slice(0, 40),
            hidden: p.scrollWidth - p.clientWidth,
            right: p.getBoundingClientRect().right,
          })),
      );
      // The spec's, the guides' and the client guide's blocks (its snippets and sample files).
      expect(blocks.length).toBeGreaterThanOrEqual(10);
      for (const block of blocks) {
        expect(block.hidden, `${block.start} at ${width} px: lines cut`).toBeLessThanOrEqual(1);
        expect(block.right, block.start).toBeLessThanOrEqual(width);
      }
      await page.setViewportSize({ width: 1400, height: 900 });
    });
  }

  it("Given the TypeScript sample at 1280 px, then its lines wrap or scroll inside the panel instead of being cut", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const section = await openCreateImage();
    await chooseSampleLanguage(section, "TypeScript");
    const source = codeSamplesOf(createImage.id).find((s) => s.label === "TypeScript")?.source ?? "";
    const longest = source.split("\n").reduce((a, b) => (b.length > a.length ? b : a));
    const line = section.getByText(longest.trim(), { exact: false }).first();
    await line.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(outputDir, "createImage-typescript-1280.png") });
    const fit = await line.evaluate((el) => {
      const pre = el.closest("pre") ?? el.parentElement?.closest("pre");
      if (!pre) return { found: false, reachable: false, inside: false };
      const panel = pre.closest('[data-testid="right-panel"]') ?? pre.parentElement;
      const style = getComputedStyle(pre);
      const wraps = style.whiteSpace.startsWith("pre-wrap") || style.whiteSpace === "normal";
      const scrolls = ["auto", "scroll"].includes(style.overflowX);
      return {
        found: true,
        reachable: pre.scrollWidth <= pre.clientWidth + 1 || wraps || scrolls,
        inside: pre.getBoundingClientRect().right <= (panel?.getBoundingClientRect().right ?? 0) + 1,
      };
    });
    expect(fit).toEqual({ found: true, reachable: true, inside: true });
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it("Given the page, then it offers no 'Copy for LLM' / 'Open in Claude' / 'Open in ChatGPT' menu", async () => {
    expect(await page.locator('[data-testid="page-actions"]').count()).toBe(0);
    for (const text of ["Copy for LLM", "Open in Claude", "Open in ChatGPT", "More actions"]) {
      expect(await page.getByText(text).count(), text).toBe(0);
      expect(await page.getByRole("button", { name: text }).count(), text).toBe(0);
    }
  });

  it("Given the page, then every outbound link is one the spec itself names (the hidden badge aside)", async () => {
    const named = JSON.stringify(docsDoc);
    const outbound = await page.locator("a[href]").evaluateAll((as) =>
      as
        .map((a) => ({
          href: (a as HTMLAnchorElement).href,
          visible: (a as HTMLElement).offsetParent !== null,
        }))
        .filter((a) => /^https?:/.test(a.href)),
    );
    for (const link of outbound.filter((l) => !isLocal(l.href))) {
      if (link.href === "https://redocly.com/redoc/") {
        expect(link.visible, link.href).toBe(false);
        continue;
      }
      expect(named, link.href).toContain(link.href.replace(/\/$/, ""));
    }
  });

  it("Given the servers card, then the descriptions show as text, without Markdown marks", async () => {
    const card = page.locator('[data-testid="panel-servers"]');
    const text = (await card.textContent()) ?? "";
    for (const server of model.servers) {
      if (server.description) expect(text).toContain(server.description.replace(/`/g, ""));
    }
    expect(text).not.toContain("`");
  });

  it("Given the whole visit, then the console showed no error", () => {
    expect(consoleErrors).toEqual([]);
  });

  it("Given the whole visit, then every request stayed on localhost", () => {
    expect(localRequests.length).toBeGreaterThan(0);
    expect(remoteRequests).toEqual([]);
  });
});
