import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { capConnections } from "@ecs-api/mock/connection-cap";
import { stopOnSignals } from "@ecs-api/mock/stop-on-signals";
import { pagePolicy } from "./html.js";
import { DEFAULT_DOCS_PORT, distDir } from "./paths.js";
import { isAddressInUse, portFrom } from "./ports.js";

// Hand-written on purpose: the site is three flat files (index.html, openapi.yaml, openapi.json), and
// a static-file dependency would bring directory listings, ranges and disk reads per request that none
// of them needs. The files are read once at start and served from memory; only a flat file name that
// was read then is ever served, so no path can climb out of the root.

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json",
  ".yaml": "application/yaml; charset=utf-8",
  ".png": "image/png",
};

const FLAT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The last path segment names a file when it ends in a dot and a letter-led extension (`.html`,
 * `.yaml`). Redoc's own routes never do (`/section/1.-start-the-mock`, `/images-(v2.1)`), so they get
 * the page, and a request for an unknown file still gets a 404 instead of HTML.
 */
const FILE_LIKE = /\.[A-Za-z][A-Za-z0-9]*$/;

const PAGE = "index.html";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" };

/**
 * The heading routes of the page (`/section/error-catalogue`), read from the ids Redoc renders into
 * it. A heading may end like a file name (the client guide's sample `mock.ts`): a path the page names
 * is its route, whatever it ends in, while any other file-like path is still a file (or a 404).
 */
export function pageRoutes(html: string): Set<string> {
  const routes = new Set<string>();
  for (const m of html.matchAll(/\sid="(section\/[^"<>]+)"/g)) {
    routes.add(
      `/${(m[1] ?? "").replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, e: string) => ENTITIES[e] ?? "")}`,
    );
  }
  return routes;
}

/** Everything but the page: nothing to run, nothing to frame. */
const FILE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Sent with every answer. */
const COMMON_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
} as const;

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
  /** Open connections at most; one more is answered 503 with `Retry-After`. */
  maxConnections?: number;
  /** Time for a client to send its request headers, and its whole request (ms). */
  headersTimeout?: number;
  requestTimeout?: number;
}

/** Defaults sized for a page a handful of readers open: generous for them, short for a stalled client. */
export const SERVE_DEFAULTS = {
  maxConnections: 64,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
} as const;

interface Entry {
  body: Buffer;
  headers: Record<string, string>;
  etag: string;
}

function typeOf(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? TYPES[name.slice(dot)] : undefined;
}

/** Reads every servable file of the root once: flat names with a known type, nothing below it. */
export function readSite(root: string): Map<string, Entry> {
  const site = new Map<string, Entry>();
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    // No build yet: every request gets a 404 that says so.
  }
  for (const name of names.sort()) {
    const type = typeOf(name);
    const file = join(root, name);
    if (!FLAT_NAME.test(name) || !type || !statSync(file).isFile()) continue;
    const body = readFileSync(file);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    // The page's own policy (script hashes included) as a header too: `frame-ancestors` works only there.
    const policy =
      name === PAGE ? `${pagePolicy(body.toString("utf8"))}; frame-ancestors 'none'` : FILE_POLICY;
    site.set(name, {
      body,
      etag,
      headers: {
        "content-type": type,
        "content-length": String(body.length),
        "cache-control": "no-cache",
        etag,
        "content-security-policy": policy,
        ...COMMON_HEADERS,
      },
    });
  }
  return site;
}

/** RFC 9110 If-None-Match: `*` or a list of (weak-compared) entity tags. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

type Target = { file: string } | { redirect: string } | { status: 400 | 404 };

/**
 * What a path asks for: a flat file, the page at a Redoc route (links opened directly or shared),
 * or a flat file asked for below a route (a relative download link clicked on a deep link).
 */
export function resolveTarget(
  rawUrl: string,
  site: ReadonlySet<string>,
  routes: ReadonlySet<string> = new Set(),
): Target {
  let segments: string[];
  let pathname: string;
  try {
    pathname = new URL(rawUrl, "http://localhost").pathname;
    segments = pathname.slice(1).split("/").map(decodeURIComponent);
  } catch {
    return { status: 400 };
  }
  // A decoded slash, backslash or dot segment never names anything here.
  if (segments.some((s) => /[/\\\0]/.test(s) || s === "." || s === "..")) return { status: 404 };
  const last = segments.at(-1) ?? "";
  if (!FILE_LIKE.test(last) || routes.has(`/${segments.join("/")}`)) {
    if (!site.has(PAGE)) return { status: 404 };
    // Redoc's heading links are paths (`/section/error-catalogue`) but it only scrolls to a route it
    // finds in the fragment (its menu links are `#/section/...`): send the reader to the page with
    // the route as fragment. URL parsing leaves no CR/LF in `pathname`.
    return pathname === "/" ? { file: PAGE } : { redirect: `/#${pathname}` };
  }
  if (!FLAT_NAME.test(last) || !site.has(last)) return { status: 404 };
  return segments.length === 1 ? { file: last } : { redirect: `/${last}` };
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  413: "Payload Too Large",
  431: "Request Header Fields Too Large",
  503: "Service Unavailable",
};

/** A complete HTTP/1.1 answer for a socket the HTTP layer has no response object for. */
function rawAnswer(status: number, extra: Record<string, string> = {}): string {
  const reason = REASONS[status] ?? "Bad Request";
  const body = `${reason}\n`;
  const headers = {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
    ...COMMON_HEADERS,
    ...extra,
  };
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${status} ${reason}\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
}

/** Node's parser and timeout errors, as the status a client should see. */
function statusOfClientError(error: NodeJS.ErrnoException): number {
  if (error.code === "HPE_HEADER_OVERFLOW") return 431;
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return 408;
  if (error.code === "HPE_CHUNK_EXTENSIONS_OVERFLOW") return 413;
  return 400;
}

/** Serves the built docs. Port 0 picks a free port; the returned URL ends with a slash. */
export async function serveDocs(options: ServeOptions = {}): Promise<DocsServer> {
  const root = options.root ?? distDir;
  const host = options.host ?? "127.0.0.1";
  const maxConnections = options.maxConnections ?? SERVE_DEFAULTS.maxConnections;
  const site = readSite(root);
  const names = new Set(site.keys());
  const routes = pageRoutes(site.get(PAGE)?.body.toString("utf8") ?? "");

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const head = req.method === "HEAD";
    const reply = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        "content-type": "text/plain; charset=utf-8",
        "content-length": String(Buffer.byteLength(text)),
        "content-security-policy": FILE_POLICY,
        ...COMMON_HEADERS,
        ...headers,
      });
      res.end(head ? undefined : text);
    };
    if (req.method !== "GET" && !head) return reply(405, "Method Not Allowed\n", { allow: "GET, HEAD" });
    const target = resolveTarget(req.url ?? "/", names, routes);
    if ("status" in target) {
      return target.status === 400
        ? reply(400, "Bad Request\n")
        : reply(404, names.has(PAGE) ? "Not Found\n" : "Not Found: build the docs first\n");
    }
    // Relative, so no Host value (valid or not) is ever reflected.
    if ("redirect" in target) {
      const status = target.redirect.startsWith("/#") ? 302 : 308;
      return reply(status, `${target.redirect}\n`, { location: target.redirect });
    }
    const entry = site.get(target.file);
    if (!entry) return reply(404, "Not Found\n");
    if (matches(req.headers["if-none-match"], entry.etag)) {
      const { "content-length": _, "content-type": __, ...headers } = entry.headers;
      res.writeHead(304, headers);
      return res.end();
    }
    res.writeHead(200, entry.headers);
    res.end(head ? undefined : entry.body);
  };

  const headersTimeout = options.headersTimeout ?? SERVE_DEFAULTS.headersTimeout;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: options.requestTimeout ?? SERVE_DEFAULTS.requestTimeout,
      keepAliveTimeout: SERVE_DEFAULTS.keepAliveTimeout,
      // Node checks both timeouts on this interval (30 s by default, which would let a stalled client
      // hold its slot three times longer than headersTimeout).
      connectionsCheckingInterval: Math.min(1_000, headersTimeout / 2),
    },
    (req, res) => {
      if (cap.refused(req.socket)) return;
      handle(req, res);
    },
  );
  // Node answers a request whose client half-closed after sending it (HTTP/1.0 tools, `nc -N`,
  // `shutdown(SHUT_WR)`) only with this set; otherwise it drops the request when the FIN arrives.
  // There is no constructor option for it.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;

  // The cap answers instead of dropping (Node's own `maxConnections` closes the socket unanswered).
  const cap = capConnections(server, {
    max: maxConnections,
    answer: () => rawAnswer(503, { "retry-after": "1" }),
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    // Same test as Node's default handler: an answer only where none has started.
    const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (cap.refused(socket) || error.code === "ECONNRESET" || !socket.writable || current?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(rawAnswer(statusOfClientError(error)));
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
        for (const socket of cap.open) socket.destroy();
      }),
  };
}

// `node lib/serve.js [port]`: serve the built docs alone, on the port it is given (a taken one is an
// error that says how to choose another). A leading `--` is the separator pnpm 10 hands through.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(process.argv[2] === "--" ? 3 : 2);
  try {
    const port = portFrom(args[0] ?? process.env.DOCS_PORT, DEFAULT_DOCS_PORT);
    const docs = await serveDocs({ port }).catch((error: unknown) => {
      if (!isAddressInUse(error)) throw error;
      throw new Error(
        `Port ${port} is taken. Give another one (DOCS_PORT or a port argument), or 0 for any free port.`,
      );
    });
    // Before the line that says it is ready: a signal sent as soon as it is read must find the handler.
    stopOnSignals(() => docs.close());
    console.log(`Docs: ${docs.url}`);
  } catch (error) {
    // A message with the way out, not a stack trace.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
