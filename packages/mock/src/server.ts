// HTTP plumbing around the Nova layer: node:http, reading the body within the spec's size limit,
// CORS for browsers, and one log line per request. No API rule lives here.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Answer, NovaLayer, Pending } from "./nova/layer.js";

export interface CorsHeaders {
  allowHeaders: string[];
  exposeHeaders: string[];
  allowMethods: string[];
}

export interface HandlerOptions {
  nova: NovaLayer;
  cors: CorsHeaders;
  /** The fault key of a 500 (a bug in the mock), from the spec. */
  internalFaultKey: string;
  /** Origin to use when the request's Host header is missing or unusable. */
  fallbackOrigin: string;
  /** Receives one line per request; undefined means no request log. */
  log: ((line: string) => void) | undefined;
}

// A Host header goes into Location and version links; anything else falls back to our own URL.
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
// Query parameters whose values must never reach a log.
const SECRET_QUERY = /token|auth|key|secret|pass/i;

function redactQuery(query: string): string {
  return query
    .split("&")
    .map((pair) => {
      const [name = "", value] = pair.split("=", 2);
      return value !== undefined && SECRET_QUERY.test(name) ? `${name}=[redacted]` : pair;
    })
    .join("&");
}

export function createHandler(options: HandlerOptions): RequestListener {
  const { nova, cors, fallbackOrigin, log, internalFaultKey } = options;
  const tokenHeader = nova.headerNames.token.toLowerCase();
  const allowHeaders = cors.allowHeaders.join(", ");
  const exposeHeaders = cors.exposeHeaders.join(", ");
  const allowMethods = cors.allowMethods.join(", ");

  // Clients send the same Host over and over: remember the last one checked.
  let lastHost: string | undefined;
  let lastOrigin = fallbackOrigin;
  const originOf = (host: string | undefined) => {
    if (host === undefined) return fallbackOrigin;
    if (host !== lastHost) {
      lastHost = host;
      lastOrigin = HOST.test(host) ? `http://${host}` : fallbackOrigin;
    }
    return lastOrigin;
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    const started = log ? performance.now() : 0;
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    let path = url;
    let rawQuery = "";
    const q = url.indexOf("?");
    if (q >= 0) {
      path = url.slice(0, q);
      rawQuery = url.slice(q + 1);
    }
    if (!path.startsWith("/")) {
      // absolute-form request target (via a proxy)
      try {
        path = new URL(url).pathname;
      } catch {
        path = "/";
      }
    }
    const cross = req.headers.origin !== undefined;
    const origin = originOf(req.headers.host);

    const send = (answer: Answer, closeAfter = false) => {
      if (res.headersSent) return;
      const headers: Record<string, string | number> = answer.headers;
      if (cross) {
        headers["Access-Control-Allow-Origin"] = "*";
        headers["Access-Control-Expose-Headers"] = exposeHeaders;
      }
      headers["Content-Length"] = Buffer.byteLength(answer.body);
      if (closeAfter) headers.Connection = "close";
      res.writeHead(answer.status, headers);
      res.end(answer.body);
      if (log) {
        const token = req.headers[tokenHeader] ? "[redacted]" : "-";
        const shown = rawQuery ? `${path}?${redactQuery(rawQuery)}` : path;
        log(
          `${method} ${shown} mv=${answer.microversion ?? "-"} ${answer.status} ${(performance.now() - started).toFixed(2)}ms token=${token}`,
        );
      }
    };
    const crash = (error: unknown) => {
      // Only a bug in the mock gets here; say so instead of hanging the client.
      send({
        status: 500,
        headers: { "Content-Type": "application/json; charset=UTF-8" },
        body: JSON.stringify({
          [internalFaultKey]: {
            code: 500,
            message: `ecs-mock internal error: ${error instanceof Error ? error.message : String(error)}`,
          },
        }),
        microversion: undefined,
      });
    };
    const deliver = (answer: Answer | Promise<Answer>) => {
      if (answer instanceof Promise) answer.then((a) => send(a), crash);
      else send(answer);
    };

    try {
      // CORS preflight: answered before anything else, no token needed (oslo.middleware cors).
      if (method === "OPTIONS" && cross && req.headers["access-control-request-method"] !== undefined) {
        res.writeHead(204, {
          "Access-Control-Allow-Origin": "*",
          "Access-Control-Allow-Methods": allowMethods,
          "Access-Control-Allow-Headers": allowHeaders,
          "Access-Control-Max-Age": "3600",
          "Content-Length": 0,
        });
        res.end();
        log?.(`OPTIONS ${path} mv=- 204 ${(performance.now() - started).toFixed(2)}ms preflight`);
        return;
      }

      const result = nova.head({
        method,
        path,
        query: rawQuery ? new URLSearchParams(rawQuery) : undefined,
        headers: req.headers,
        origin,
      });
      if ("answer" in result) {
        deliver(result.answer);
        return;
      }
      readBody(req, result.pending, {
        tooLarge: () => send(nova.tooLarge(result.pending), true),
        done: (body) => {
          try {
            deliver(nova.body(result.pending, body));
          } catch (error) {
            crash(error);
          }
        },
      });
    } catch (error) {
      crash(error);
    }
  };
}

function readBody(
  req: IncomingMessage,
  pending: Pending,
  on: { tooLarge: () => void; done: (body: Buffer) => void },
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on("data", (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > pending.maxBytes) {
      over = true;
      chunks.length = 0;
      on.tooLarge();
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (!over) on.done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
  });
  // A client that goes away mid-body needs no answer.
  req.on("error", () => {});
}

/** Batches log lines into one write per event-loop turn, so logging does not cost a syscall per request. */
export function batchedWriter(write: (text: string) => void): (line: string) => void {
  let lines: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const text = `${lines.join("\n")}\n`;
    lines = [];
    write(text);
  };
  return (line: string) => {
    lines.push(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
