// The node:http adapter: the only place that touches IncomingMessage and ServerResponse. It reads
// the body within the engine's size limit while streaming, answers CORS for browsers, writes one log
// line per request, and hands the engine plain data. No API rule lives here.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Engine } from "../engine/engine.js";
import type { Answer, EngineRequest } from "../engine/types.js";
import { preflight, withCors } from "./cors.js";
import { originOf, redactQuery } from "./plumbing.js";

export interface NodeAdapterOptions {
  engine: Engine;
  /** Origin to use when the request's Host header is missing or unusable. */
  fallbackOrigin: string;
  /** Receives one line per request; undefined means no request log. */
  log: ((line: string) => void) | undefined;
}

/** Methods whose requests carry no body unless they announce one. */
const BODYLESS = new Set(["GET", "HEAD", "DELETE", "OPTIONS"]);

export function createNodeHandler(options: NodeAdapterOptions): RequestListener {
  const { engine, fallbackOrigin, log } = options;
  const tokenHeader = engine.tokenHeader;
  const limit = engine.maxBodyBytes;
  const hostOrigin = originOf(fallbackOrigin);

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
    // node:http lower-cases names and joins repeated values with ", " (set-cookie aside, which the
    // engine never reads), which is the engine's header form already: no copy per request.
    const headers = req.headers as Record<string, string>;
    const cross = headers.origin !== undefined;

    const send = (answer: Answer, closeAfter = false) => {
      if (res.headersSent) return;
      const out: Record<string, string | number> = cross ? withCors(answer.headers, engine) : answer.headers;
      out["Content-Length"] = Buffer.byteLength(answer.body);
      if (closeAfter) out.Connection = "close";
      res.writeHead(answer.status, out);
      res.end(answer.body);
      if (log) {
        const token = headers[tokenHeader] ? "[redacted]" : "-";
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
          [engine.internalFaultKey]: {
            code: 500,
            message: `ecs-mock internal error: ${error instanceof Error ? error.message : String(error)}`,
          },
        }),
        microversion: undefined,
      });
    };
    const answer = (request: EngineRequest, closeAfter = false) => {
      try {
        const result = engine.handle(request);
        if (result instanceof Promise) result.then((a) => send(a, closeAfter), crash);
        else send(result, closeAfter);
      } catch (error) {
        crash(error);
      }
    };

    if (method === "OPTIONS" && cross && headers["access-control-request-method"] !== undefined) {
      const pre = preflight(engine);
      res.writeHead(pre.status, { ...pre.headers, "Content-Length": 0 });
      res.end();
      log?.(`OPTIONS ${path} mv=- 204 ${(performance.now() - started).toFixed(2)}ms preflight`);
      return;
    }

    const request: EngineRequest = {
      method,
      path,
      query: rawQuery,
      headers,
      body: undefined,
      origin: hostOrigin(headers.host),
    };
    const announced = headers["content-length"];
    if (announced === undefined && headers["transfer-encoding"] === undefined && BODYLESS.has(method)) {
      answer(request);
      return;
    }
    if (Number(announced ?? 0) > limit) {
      // Refused unread, as oslo's sizelimit middleware does; the connection closes after.
      request.bodyTooLarge = "announced";
      answer(request, true);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        request.bodyTooLarge = "streamed";
        answer(request, true);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (over) return;
      // The request object is this request's own: filled in rather than copied.
      request.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      answer(request);
    });
    // A client that goes away mid-body needs no answer.
    req.on("error", () => {});
  };
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
