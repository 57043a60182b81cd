// The README's "Mocking in the browser with MSW", done as a frontend developer would: the packed
// @ecs-api/mock installed with npm into a new Vite project, `msw init`, the README's page built
// with `vite build`, served on loopback and opened in Chromium. Each createImage answer the page
// shows must come from the service worker and equal what the packed node:http mock (`ecs-mock`)
// answers for the same request. npm installs from a registry on loopback that serves the
// workspace's packages (see local-registry.ts): nothing reaches the network.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadModel, NAMES, OPERATIONS, responseOf } from "@ecs-api/spec";
import type { Browser, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.js";
import { problemsOf, UUID } from "./helpers.js";
import { installClosure, type LocalRegistry, startLocalRegistry } from "./local-registry.js";

const run = promisify(execFile);
const mockDir = fileURLToPath(new URL("..", import.meta.url));
const workspaceRoot = join(mockDir, "..", "..");
const model = loadModel();
const createImage = model.operation(OPERATIONS.createImage);

/** The README section's fenced blocks, by language. */
function readmeSection(): { sh: string; html: string; js: string } {
  const readme = readFileSync(join(mockDir, "README.md"), "utf8");
  const start = readme.indexOf("## Mocking in the browser with MSW");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const block = (lang: string) => {
    const found = section.match(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``))?.[1];
    if (found === undefined) throw new Error(`the README's MSW section has no ${lang} block`);
    return found;
  };
  return { sh: block("sh"), html: block("html"), js: block("js") };
}

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".map": "application/json",
};

/** A static file server for the built site (any would do; Vite's preview needs a fixed port). */
function serveFolder(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/"));
    const file = join(root, path === "/" ? "index.html" : path);
    try {
      if (!file.startsWith(root)) throw new Error("outside");
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  fromServiceWorker: boolean;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Sends a request as the browser sent it (its Host too) to the node:http mock on `port`. */
function replay(port: number, seen: Seen): Promise<Answer> {
  const target = new URL(seen.url);
  const headers: Record<string, string> = { ...seen.headers, host: target.host };
  for (const name of Object.keys(headers)) if (name.startsWith(":")) delete headers[name];
  headers["content-length"] = String(Buffer.byteLength(seen.body));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method: seen.method, path: target.pathname + target.search, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: toHeaders(res.headers),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(seen.body);
  });
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : [value ?? ""]) headers.append(name, v);
  }
  return headers;
}

const withoutIds = (text: string | null) =>
  text?.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>") ?? null;

/** What must be equal: the status, each header the spec declares for it, and the body, IDs aside. */
function comparable(answer: Answer) {
  const declared = responseOf(createImage, answer.status).headers.map((h) => h.name);
  return {
    status: answer.status,
    headers: Object.fromEntries(
      [...declared, "Content-Type"].map((name) => [name, withoutIds(answer.headers.get(name))]),
    ),
    body: withoutIds(answer.text),
  };
}

let dir: string;
let registry: LocalRegistry;
let site: Server;
let browser: Browser;
let nodeMock: ChildProcess | undefined;
let nodeMockPort = 0;
let project: string;
/** How the browser decoded the README's index.html (served as text/html, as Vite's preview does). */
let charset = "";
let shown: { microversion: string; status: number; headers: Record<string, string>; body: string }[] = [];
const seen: Seen[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ecs-mock-msw-packed-"));
  const msw = join(mockDir, "node_modules", "msw");
  const vite = join(mockDir, "node_modules", "vite");
  mkdirSync(join(dir, "tarballs"));
  registry = await startLocalRegistry(installClosure([mockDir, msw, vite]).values(), {
    out: join(dir, "tarballs"),
    workspaceRoot,
  });

  const { sh, html, js } = readmeSection();
  const files = join(dir, "files");
  mkdirSync(files);
  writeFileSync(join(files, "index.html"), html);
  writeFileSync(join(files, "main.js"), js);
  // The README's commands as one script; its "save index.html and main.js" step is a copy here.
  const script = sh.replace(/^# save .*$/m, `cp ${files}/index.html ${files}/main.js .`);
  if (script === sh) throw new Error("the README's commands have no step that saves the files");
  writeFileSync(join(dir, "npmrc"), "");
  // A user's shell: none of the npm_config_* that pnpm and vitest pass down, and npm's registry
  // and cache pointed at the loopback registry and a fresh folder.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_(config|package|lifecycle)_/i.test(name)),
  );
  Object.assign(env, {
    npm_config_registry: `${registry.url}/`,
    npm_config_cache: join(dir, "npm-cache"),
    npm_config_userconfig: join(dir, "npmrc"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_loglevel: "error",
  });
  await run("sh", ["-e", "-c", script], { cwd: dir, env });
  project = join(dir, "ecs-frontend");

  site = await serveFolder(join(project, "dist"));
  // The packed node:http mock, started as the README says, with the page's options.
  nodeMock = spawn(
    process.execPath,
    [
      join(project, "node_modules", "@ecs-api", "mock", "bin", "ecs-mock.js"),
      "--port",
      "0",
      "--quiet",
      "--snapshot-seconds",
      "0",
    ],
    { cwd: project, stdio: ["ignore", "pipe", "pipe"] },
  );
  nodeMockPort = await new Promise<number>((resolve, reject) => {
    let out = "";
    nodeMock?.stdout?.on("data", (chunk: Buffer) => {
      out += chunk;
      const port = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/)?.[1];
      if (port) resolve(Number(port));
    });
    nodeMock?.once("exit", (code) => reject(new Error(`ecs-mock exited with ${code}: ${out}`)));
  });

  browser = await launchChromium();
  const tab = await browser.newPage();
  // The origin the page's handlers answer for (nothing listens there).
  const origin = js.match(/const MOCK = "([^"]+)"/)?.[1];
  if (!origin) throw new Error("the README's main.js names no MOCK origin");
  const requests: Request[] = [];
  tab.on("request", (req) => {
    if (req.url().startsWith(`${origin}/`)) requests.push(req);
  });
  await tab.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
  await tab.waitForFunction(
    () => document.querySelector("#answers")?.textContent?.startsWith("["),
    undefined,
    {
      timeout: 30_000,
    },
  );
  shown = JSON.parse((await tab.textContent("#answers")) ?? "[]");
  charset = await tab.evaluate(() => document.characterSet);
  for (const req of requests) {
    seen.push({
      method: req.method(),
      url: req.url(),
      headers: await req.allHeaders(),
      body: req.postData() ?? "",
      fromServiceWorker: (await req.response())?.fromServiceWorker() ?? false,
    });
  }
  await tab.close();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  nodeMock?.kill("SIGTERM");
  site?.closeAllConnections();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await registry?.close();
  // About 250 MB in thousands of files (the project's node_modules, the tarballs, npm's cache).
  if (dir) await rm(dir, { recursive: true, force: true });
}, 120_000);

describe("the packed mock with MSW in a Vite project", () => {
  it("installs from the packed tarballs, @ecs-api/mock's workspace dependencies packed as published", () => {
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8"));
    const installed = Object.keys(lock.packages).filter((path) => path !== "");
    expect(installed).toEqual(
      expect.arrayContaining([
        "node_modules/@ecs-api/mock",
        "node_modules/@ecs-api/spec",
        "node_modules/@ecs-api/signer",
        "node_modules/msw",
        "node_modules/vite",
      ]),
    );
    for (const path of installed)
      expect(lock.packages[path].resolved, path).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const manifest = JSON.parse(
      readFileSync(join(project, "node_modules/@ecs-api/mock/package.json"), "utf8"),
    );
    expect(JSON.stringify(manifest)).not.toContain("workspace:");
    const prism = installed.filter((path) => path.includes("@stoplight/"));
    console.log(
      `npm install --save-dev @ecs-api/mock msw vite: ${installed.length} packages; @stoplight/*: ${prism.length}; registry served ${registry.packages.length}`,
    );
  });

  it("has mockServiceWorker.js from msw init and a bundle without Prism or Node built-ins", async () => {
    const dist = join(project, "dist");
    expect(readFileSync(join(dist, "mockServiceWorker.js"), "utf8")).toContain("addEventListener('fetch'");
    // A second build with source maps, only to list the modules the bundle is made of.
    await run(
      join(project, "node_modules", ".bin", "vite"),
      ["build", "--sourcemap", "--outDir", "dist-map"],
      {
        cwd: project,
      },
    );
    const maps = readdirSync(join(project, "dist-map", "assets")).filter((f) => f.endsWith(".map"));
    const sources = maps.flatMap(
      (f) => JSON.parse(readFileSync(join(project, "dist-map", "assets", f), "utf8")).sources as string[],
    );
    expect(sources.some((s) => s.includes("@ecs-api/mock/dist/msw.js"))).toBe(true);
    expect(sources.filter((s) => /@stoplight\/|__vite-browser-external|^node:/.test(s))).toEqual([]);
  });

  it("decodes the README's page as UTF-8 (its placeholder is U+2026, not mojibake)", () => {
    expect(charset).toBe("UTF-8");
  });

  it("answers createImage at 2.1 and 2.45 in the page from the service worker", () => {
    expect(shown.map((a) => [a.microversion, a.status])).toEqual([
      ["2.1", 202],
      ["2.45", 202],
    ]);
    expect(seen.map((s) => [s.method, s.fromServiceWorker])).toEqual([
      ["POST", true],
      ["POST", true],
    ]);
    expect(shown[0]?.headers.location?.split("/").pop()).toMatch(UUID);
    expect(JSON.parse(shown[1]?.body ?? "{}")[NAMES.imageIdField]).toMatch(UUID);
  });

  it("answers each as the packed node:http mock answers the same request", async () => {
    for (const [i, request] of seen.entries()) {
      const page = shown[i];
      if (!page) throw new Error(`the page showed no answer for request ${i}`);
      const inPage: Answer = { status: page.status, headers: new Headers(page.headers), text: page.body };
      const fromServer = await replay(nodeMockPort, request);
      const path = new URL(request.url).pathname;
      for (const answer of [inPage, fromServer]) {
        const problems = problemsOf("POST", path, {
          ...answer,
          json: answer.text ? JSON.parse(answer.text) : undefined,
        });
        expect(problems, answer.text).toEqual([]);
      }
      expect(comparable(inPage), page.microversion).toEqual(comparable(fromServer));
    }
  });
});
