// The openapi-fetch client behind `raw` (loaded on first use): every raw request goes through the
// client's one transport (endpoint, credentials, microversion, timeout, retries of reads).
import createClient from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { ROUTES } from "./generated/routes.js";
import type { RawClient } from "./raw.js";
import type { Outgoing, Send, Service } from "./transport.js";

// openapi-fetch needs an absolute base; requests are re-addressed to the service's endpoint.
const PLACEHOLDER = "http://endpoint.invalid";
// A null-body status cannot be given a body, even an empty one, when rebuilding a Response.
const NULL_BODY = [101, 204, 205, 304];
const serviceOf = (path: string): Service => ROUTES.find(([pattern]) => pattern.test(path))?.[1] ?? "compute";

export interface RawParts {
  send: Send;
  endpointOf: (service: Service) => Promise<string>;
  /** The client's prebuilt headers at its default microversion. */
  versionHeaders: () => Record<string, string>;
  defaultVersion: string;
  /** The standard microversion header's name, lower-case. */
  versionHeader: string;
  token: string | undefined;
  /** The token header's name, lower-case (passed in, so this chunk shares no module with the core). */
  tokenHeader: string;
  headers: Record<string, string>;
}

export function createRawClient(parts: RawParts): RawClient {
  const { send, endpointOf, token } = parts;
  return createClient<paths>({
    baseUrl: PLACEHOLDER,
    headers: parts.headers,
    fetch: async (request: Request) => {
      const url = new URL(request.url);
      const service = serviceOf(url.pathname);
      const headers = Object.fromEntries(request.headers);
      let requested: string | undefined;
      // Resources under /v2.1/<project> are versioned (unless the caller chose); version documents are not.
      if (service === "compute" && /^\/v2\.1\/./.test(url.pathname) && !(parts.versionHeader in headers)) {
        Object.assign(headers, parts.versionHeaders(), headers);
        requested = parts.defaultVersion;
      }
      if (token !== undefined && service !== "identity") headers[parts.tokenHeader] = token;
      const outgoing: Outgoing = {
        method: request.method,
        url: (await endpointOf(service)) + url.pathname + url.search,
        headers,
      };
      if (request.body) outgoing.body = await request.text();
      const { response, text } = await send(outgoing, {
        idempotent: request.method !== "POST" && request.method !== "PATCH",
        signal: request.signal,
        microversion: requested,
        authenticate: service !== "identity",
      });
      return new Response(NULL_BODY.includes(response.status) ? null : text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
  });
}
