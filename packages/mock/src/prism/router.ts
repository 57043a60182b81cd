// Routes compiled once from Prism's operations (the spec's path keys), so the hot path matches a
// few anchored regular expressions instead of running Prism's router per request.
import type { OperationSummary } from "./compile.js";

export interface Route {
  operation: OperationSummary;
  method: string;
  /** The spec's path key, e.g. `/v2.1/{project_id}/servers/{server_id}/action`. */
  path: string;
  regex: RegExp;
  params: string[];
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

export function compileRoutes(operations: OperationSummary[]): Route[] {
  return operations.map((operation) => {
    const path = String(operation.path);
    const params: string[] = [];
    const source = path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        if (/^\{[^}]+\}$/.test(part)) {
          params.push(part.slice(1, -1));
          return "([^/]+)";
        }
        return escapeRegex(part);
      })
      .join("");
    return {
      operation,
      method: String(operation.method).toUpperCase(),
      path,
      regex: new RegExp(`^${source}$`),
      params,
    };
  });
}

function exact(routes: Route[], method: string, path: string): Match {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.params.forEach((name, i) => {
      params[name] = decode(m[i + 1] ?? "");
    });
    return { route, params };
  }
  return undefined;
}

/**
 * Matches a request path. A path without parameters also matches with its trailing slash
 * toggled (`GET /v2` finds `/v2/`), as Nova's version documents answer both.
 */
export function matchRoute(routes: Route[], method: string, path: string): Match {
  const found = exact(routes, method, path);
  if (found || path === "/") return found;
  const toggled = path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
  const again = exact(routes, method, toggled);
  return again && again.route.params.length === 0 ? again : undefined;
}
