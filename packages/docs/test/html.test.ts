import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadModel, specPaths } from "@ecs-api/spec";
import { describe, expect, it } from "vitest";
import {
  CONTENT_SECURITY_POLICY,
  findRemoteReferences,
  neutralizeRemoteUrls,
  REDOCLY_HOSTS,
  removePageActions,
} from "../src/html.js";
import { distDir } from "../src/paths.js";

const indexPath = join(distDir, "index.html");
if (!existsSync(indexPath))
  throw new Error("dist/index.html is missing: run `pnpm --filter @ecs-api/docs build`");
const html = readFileSync(indexPath, "utf8");
const model = loadModel();

describe("built page", () => {
  it("Given the built page, then every operationId of the bundled spec appears in it", () => {
    const ids = model.operations.map((o) => o.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(html, id).toContain(`"operationId":"${id}"`);
  });

  it("Given the built page, then every named example of the bundled spec appears in it", () => {
    // Bodies' and headers' examples, and the request parameters' (the microversion headers).
    const keys = new Set([
      ...model.examples().map((e) => e.example.key),
      ...model.operations.flatMap((o) => o.parameters.flatMap((p) => p.examples.map((e) => e.key))),
    ]);
    expect(keys.size).toBeGreaterThan(60);
    for (const key of keys) expect(html, key).toContain(`"${key}"`);
  });

  it("Given the built page, then nothing in it would load from a remote host", () => {
    expect(findRemoteReferences(html)).toEqual([]);
  });

  it("Given the built page, then it is one file: no external script or stylesheet", () => {
    expect(html).not.toMatch(/<script\b[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b[^>]*rel=["']?(stylesheet|modulepreload|preload|icon)/i);
    expect(html.length).toBeGreaterThan(1_000_000);
  });

  it("Given the built page, then Redoc's telemetry is disabled in its options", () => {
    const options = /const __redoc_options = (\{.*?\});/.exec(html)?.[1];
    expect(JSON.parse(options ?? "{}")).toMatchObject({ disableTelemetry: true });
  });

  it("Given the built page, then its Content-Security-Policy allows only the page's own origin", () => {
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta?.replace(/&#x27;/g, "'")).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
  });

  it("Given the build, then dist holds the published contract unchanged beside the page", () => {
    expect(readFileSync(join(distDir, "openapi.yaml"), "utf8")).toBe(readFileSync(specPaths.yaml, "utf8"));
    expect(readFileSync(join(distDir, "openapi.json"), "utf8")).toBe(readFileSync(specPaths.json, "utf8"));
  });
});

describe("page actions", () => {
  it("Given the built page, then Redoc's page-actions menu (Copy for LLM, Open in Claude/ChatGPT) is switched off", () => {
    expect(html).not.toContain("showPageActions:!0");
    expect(html).toContain("showPageActions:!1");
  });

  it("Given a bundle without the flag, when the page actions are removed, then the build stops for a review", () => {
    expect(() => removePageActions("<html></html>")).toThrow(/review/);
    expect(removePageActions("{showPageActions:!0,a:1}")).toBe("{showPageActions:!1,a:1}");
  });
});

describe("remote reference scan", () => {
  it.each([
    ["a script", '<script src="https://cdn.example.com/redoc.js"></script>'],
    ["a protocol-relative image", "<img alt=x src=//cdn.example.com/logo.svg>"],
    ["a stylesheet", '<link rel="stylesheet" href="https://fonts.example.com/css">'],
    ["a CSS url()", "<style>body{background:url('https://example.com/bg.png')}</style>"],
    ["a CSS @import", '<style>@import "https://example.com/x.css";</style>'],
    ["a srcset", '<img srcset="/a.png 1x, https://example.com/b.png 2x">'],
    ["an image source in script", "jsx(`img`,{src:`https://example.com/logo.svg`})"],
    ["a fetch in script", 'fetch("https://telemetry.example.com/v1/traces")'],
    ["a Redocly host anywhere", `e?"https://${REDOCLY_HOSTS[0]}/redoc/logo-mini.svg":x`],
  ])("Given a page with %s, then the scan reports it", (_, snippet) => {
    expect(findRemoteReferences(`<html>${snippet}</html>`)).not.toEqual([]);
  });

  it("Given a page with plain links and text URLs, then the scan reports nothing", () => {
    const page = '<a href="https://docs.openstack.org/">docs</a><p>https://ecs.eu-de.otc.t-systems.com</p>';
    expect(findRemoteReferences(page)).toEqual([]);
  });

  it("Given Redoc's badge logo URL, when neutralized, then no Redocly host is left", () => {
    const bundle = `src:e?\`https://${REDOCLY_HOSTS[0]}/redoc/logo-mini-full.svg\`:\`https://${REDOCLY_HOSTS[0]}/redoc/logo-mini.svg\``;
    const out = neutralizeRemoteUrls(bundle);
    expect(out).not.toContain(REDOCLY_HOSTS[0]);
    expect(findRemoteReferences(out)).toEqual([]);
  });

  it("Given a bundle without the expected logo URL, when neutralized, then the build stops for a review", () => {
    expect(() => neutralizeRemoteUrls("<html></html>")).toThrow(/review/);
  });
});
