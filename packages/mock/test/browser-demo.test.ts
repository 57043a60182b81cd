// The example page (examples/browser), as a user runs it: `serve.mjs` started as a process, the
// page opened in Chromium against a mock on another origin whose snapshots take long enough to be
// watched. Submitting the prefilled form must log in, create an image and show it go queued →
// saving → active with the server's task_state, ending on an ID the mock lists as active; the
// reserved failing server must end on the client's typed error.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";
import { launchChromium } from "./chromium.js";
import { SCENARIOS, UUID } from "./helpers.js";

const SERVE = fileURLToPath(new URL("../examples/browser/serve.mjs", import.meta.url));
// Long enough for several polls (the page polls every 250 ms) in each image status.
const SNAPSHOT_SECONDS = 2;

let mock: RunningMock;
let serve: ChildProcess | undefined;
let pageUrl: string;
let browser: Browser;
// One tab for both tests: the npm-shipped Chromium runs single-process, and closing its last tab
// ends it.
let tab: Page;
const errors: string[] = [];

beforeAll(async () => {
  mock = await startMock({ port: 0, quiet: true, workflow: { snapshotSeconds: SNAPSHOT_SECONDS } });
  serve = spawn(process.execPath, [SERVE, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const origin = await new Promise<string>((resolve, reject) => {
    let out = "";
    serve?.stdout?.on("data", (chunk: Buffer) => {
      out += chunk;
      const url = out.match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0];
      if (url) resolve(url);
    });
    serve?.stderr?.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    serve?.once("exit", (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
  });
  pageUrl = `${origin}?mock=${encodeURIComponent(mock.url)}`;
  browser = await launchChromium();
  tab = await browser.newPage();
  tab.on("pageerror", (error) => errors.push(String(error)));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  serve?.kill("SIGTERM");
  await mock?.close();
});

interface Shown {
  outcome: string;
  className: string;
  imageId: string | undefined;
  kind: string | undefined;
  rows: { status: string; taskState: string }[];
}

/** Opens the page, optionally sets the server, submits and waits for the outcome. */
async function submit(server?: string): Promise<Shown> {
  await tab.goto(pageUrl);
  if (server !== undefined) await tab.fill("#server", server);
  await tab.click("#submit");
  await tab.waitForSelector("#outcome.active, #outcome.failed", { timeout: 30_000 });
  return tab.evaluate(() => {
    const outcome = document.querySelector<HTMLElement>("#outcome");
    return {
      outcome: outcome?.textContent ?? "",
      className: outcome?.className ?? "",
      imageId: outcome?.dataset.imageId,
      kind: outcome?.dataset.kind,
      rows: [...document.querySelectorAll<HTMLElement>("#progress tr")].map((tr) => ({
        status: tr.dataset.status ?? "",
        taskState: tr.dataset.taskState ?? "",
      })),
    };
  });
}

/** The values in order, each run of repeats once. */
const runs = (values: string[]) => values.filter((v, i) => v !== values[i - 1]);

describe("the example browser page", { timeout: 60_000 }, () => {
  it("is prefilled with the mock's demo login and logs in, creates an image and shows it go to active", async () => {
    const shown = await submit();
    expect(shown.className, shown.outcome).toBe("active");
    expect(errors).toEqual([]);

    const statuses = runs(shown.rows.map((r) => r.status));
    expect(statuses.slice(-2)).toEqual(["saving", "active"]);
    expect(statuses.filter((s) => s !== "queued")).toEqual(["saving", "active"]);
    // The server's task_state while the snapshot ran, and none once the image is active.
    const taskStates = runs(shown.rows.map((r) => r.taskState));
    expect(taskStates.length).toBeGreaterThanOrEqual(2);
    expect(taskStates.at(-1)).toBe("");
    expect(taskStates.slice(0, -1).every((t) => t.startsWith("image_"))).toBe(true);

    expect(shown.imageId).toMatch(UUID);
    expect(shown.outcome).toContain(`Image ${shown.imageId} is active.`);
    const listed = await fetch(`${mock.url}/image/v2/images`, { headers: { "X-Auth-Token": "t" } });
    const { images } = (await listed.json()) as { images: { id: string; status: string }[] };
    expect(images.find((image) => image.id === shown.imageId)?.status).toBe("active");
  });

  it("shows the client's typed error for the reserved server whose snapshot fails", async () => {
    const shown = await submit(SCENARIOS["snapshot-fails"]);
    expect(shown.className, shown.outcome).toBe("failed");
    expect(shown.kind).toBe("snapshot-failed");
    expect(shown.outcome).toMatch(
      /^EcsError \(snapshot-failed, HTTP 404\): Image [0-9a-f-]{36} is gone: the snapshot failed \(HTTP 404, request req-[0-9a-f-]{36}\)$/,
    );
    // It was accepted and polled before it failed.
    expect(shown.rows.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
