// Routes compiled once from the model's operations, so the hot path matches a few anchored regular
// expressions instead of running Prism's router per request. Each operation lives under the path of
// its local-mock server entry (`http://127.0.0.1:4010/identity` → `/identity`), which is how one
// mock origin serves several services in a devstack-like layout.
import type { Operation } from "@ecs-api/spec/model";

export interface Route {
  operation: Operation;
  method: string;
  /** The path prefix of the operation's local-mock server ("" at the origin's root). */
  prefix: string;
  regex: RegExp;
  params: string[];
  /** The path's text up to its first parameter (prefix included): a path without it cannot match. */
  literal: string;
}

export type Match = { route: Route; params: Record<string, string> } | undefined;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function decode(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The local mock's entry among an operation's servers: the loopback one. */
export function localPrefix(operation: Operation): string {
  for (const server of operation.servers) {
    try {
      const url = new URL(server.url);
      if (url.hostname === "127.0.0.1" || url.hostname === "localhost")
        return url.pathname.replace(/\/+$/, "");
    } catch {
      // A templated OTC URL ({region}) is not the local one.
    }
  }
  return "";
}

export function compileRoutes(operations: readonly Operation[]): Route[] {
  // Fewer parameters first, so a literal segment wins over a parameter (`/servers/detail` before
  // `/servers/{server_id}`), as Nova's router matches; the sort is stable for the rest.
  const ordered = [...operations].sort(
    (a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0),
  );
  return ordered.map((operation) => {
    const params: string[] = [];
    const prefix = localPrefix(operation);
    const source = operation.path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        if (/^\{[^}]+\}$/.test(part)) {
          params.push(part.slice(1, -1));
          return "([^/]+)";
        }
        return escapeRegex(part);
      })
      .join("");
    const brace = operation.path.indexOf("{");
    return {
      operation,
      method: operation.method,
      prefix,
      regex: new RegExp(`^${escapeRegex(prefix)}${source}$`),
      params,
      literal: prefix + (brace < 0 ? operation.path : operation.path.slice(0, brace)),
    };
  });
}

function exact(routes: readonly Route[], method: string, path: string): Match {
  for (const route of routes) {
    // The anchored regex starts with the literal: a cheap test first spares most regex runs.
    if (route.method !== method || !path.startsWith(route.literal)) continue;
    const m = route.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    const names = route.params;
    for (let i = 0; i < names.length; i++) params[names[i] as string] = decode(m[i + 1] ?? "");
    return { route, params };
  }
  return undefined;
}

/**
 * Matches a request path. A path without parameters also matches with its trailing slash
 * toggled (`GET /v2` finds `/v2/`), as Nova's version documents answer both.
 */
export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const found = exact(routes, method, path);
  if (found || path === "/") return found;
  const toggled = path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
  const again = exact(routes, method, toggled);
  return again && again.route.params.length === 0 ? again : undefined;
}
