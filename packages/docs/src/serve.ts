import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_DOCS_PORT, distDir } from "./paths.js";

// Hand-written on purpose: the site is three flat files (index.html, openapi.yaml, openapi.json), and
// a static-file dependency would bring directory listings, ranges and ETag logic none of them needs.
// Only a flat file name is ever served, so no path can climb out of the root.

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json",
  ".yaml": "application/yaml; charset=utf-8",
  ".png": "image/png",
};

const FLAT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface DocsServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** The folder holding index.html; defaults to this package's dist/. */
  root?: string;
  port?: number;
  host?: string;
}

function typeOf(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? TYPES[name.slice(dot)] : undefined;
}

/** Serves the built docs. Port 0 picks a free port; the returned URL ends with a slash. */
export async function serveDocs(options: ServeOptions = {}): Promise<DocsServer> {
  const root = options.root ?? distDir;
  const host = options.host ?? "127.0.0.1";
  const server = createServer(async (req, res) => {
    const reply = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
      res.end(req.method === "HEAD" ? undefined : text);
    };
    if (req.method !== "GET" && req.method !== "HEAD")
      return reply(405, "Method Not Allowed\n", { allow: "GET, HEAD" });
    let name: string;
    try {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      name = decodeURIComponent(path.slice(1)) || "index.html";
    } catch {
      return reply(400, "Bad Request\n");
    }
    const type = typeOf(name);
    if (!FLAT_NAME.test(name) || !type) return reply(404, "Not Found\n");
    const file = join(root, name);
    try {
      if (!(await stat(file)).isFile()) return reply(404, "Not Found\n");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": type,
        "content-length": String(body.length),
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      reply(404, "Not Found\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// `node dist/lib/serve.js [port]`: serve the built docs alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.argv[2] ?? process.env.DOCS_PORT ?? DEFAULT_DOCS_PORT);
  const docs = await serveDocs({ port });
  console.log(`Docs: ${docs.url}`);
  const stop = () => void docs.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
