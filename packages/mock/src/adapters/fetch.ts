// The fetch adapter: `(Request) => Promise<Response>` over the engine, for any fetch-based runtime
// (a service worker, Deno, Bun, edge functions) and in-process tests: `createEcsClient({ fetch })`
// talks to the mock without a socket. Same answers as the node:http adapter, body limit included.
import type { Engine } from "../engine/engine.js";
import type { Answer, EngineRequest } from "../engine/types.js";
import { preflight, withCors } from "./cors.js";

export type FetchHandler = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Reads at most `limit` bytes of a body stream; undefined when it runs over. */
async function readBounded(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The engine's plain request for a fetch Request (body read within the engine's limit). */
export async function toEngineRequest(request: Request, limit: number): Promise<EngineRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const base: EngineRequest = {
    method: request.method.toUpperCase(),
    path: url.pathname,
    query: url.search.replace(/^\?/, ""),
    headers,
    body: undefined,
    origin: url.origin,
  };
  if (Number(headers["content-length"] ?? 0) > limit) return { ...base, bodyTooLarge: "announced" };
  if (!request.body) return base;
  const body = await readBounded(request.body, limit);
  // A fetch body is handed over whole (fetch sends its Content-Length over HTTP), so an oversized
  // one counts as announced: the same answer the same call gets from the node:http adapter.
  return body === undefined ? { ...base, bodyTooLarge: "announced" } : { ...base, body };
}

export function toResponse(answer: Answer): Response {
  // An empty body is `null`: a "" body would make the Response add `Content-Type: text/plain`, and
  // 204/304 must carry none at all.
  return new Response(answer.body === "" ? null : answer.body, {
    status: answer.status,
    headers: answer.headers,
  });
}

/** A fetch handler answering like the mock's server. */
export function createFetchHandler(engine: Engine): FetchHandler {
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const cross = request.headers.has("origin");
    if (request.method === "OPTIONS" && cross && request.headers.has("access-control-request-method")) {
      const pre = preflight(engine);
      return new Response(null, pre);
    }
    const answer = await engine.handle(await toEngineRequest(request, engine.maxBodyBytes));
    return toResponse(cross ? { ...answer, headers: withCors({ ...answer.headers }, engine) } : answer);
  };
}
