// `raw` loads openapi-fetch on its first use (a dynamic import, so bundlers put it in a chunk of its
// own): a consumer that never touches `raw` does not download it. Its calls return promises anyway;
// `use`/`eject` are replayed on the real client once it exists.
import type { Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";

export type RawClient = Client<paths>;
type Method = "request" | "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";
const METHODS: Method[] = ["request", "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

export function lazyRaw(make: () => Promise<RawClient>): RawClient {
  const registry: ["use" | "eject", Parameters<RawClient["use"]>][] = [];
  let client: Promise<RawClient> | undefined;
  const load = () => {
    client ??= make().then((real) => {
      for (const [op, middleware] of registry) real[op](...middleware);
      return real;
    });
    return client;
  };
  const raw: Record<string, unknown> = {};
  for (const method of METHODS) {
    raw[method] = (...args: unknown[]) =>
      load().then((real) => (real[method] as (...a: unknown[]) => unknown)(...args));
  }
  for (const op of ["use", "eject"] as const) {
    raw[op] = (...middleware: Parameters<RawClient["use"]>) => {
      registry.push([op, middleware]);
      // Chained on the same promise as later calls, so it is in place before they run.
      void client?.then((real) => real[op](...middleware));
    };
  }
  return raw as unknown as RawClient;
}
