// CORS for browsers (oslo.middleware cors answers preflights before anything else, no token
// needed). Plain data, shared by the node:http and fetch adapters; the header lists come from the
// spec through the engine.
import type { Engine } from "../engine/engine.js";

const joined = new WeakMap<Engine, { allow: string; expose: string; methods: string }>();
function listsOf(engine: Engine) {
  let found = joined.get(engine);
  if (!found) {
    found = {
      allow: engine.cors.allowHeaders.join(", "),
      expose: engine.cors.exposeHeaders.join(", "),
      methods: engine.cors.allowMethods.join(", "),
    };
    joined.set(engine, found);
  }
  return found;
}

/** The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`). */
export function preflight(engine: Engine): { status: number; headers: Record<string, string> } {
  const lists = listsOf(engine);
  return {
    status: 204,
    headers: {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": lists.methods,
      "Access-Control-Allow-Headers": lists.allow,
      "Access-Control-Max-Age": "3600",
    },
  };
}

/** The answer's headers with what lets a cross-origin page read them. */
export function withCors(headers: Record<string, string>, engine: Engine): Record<string, string> {
  headers["Access-Control-Allow-Origin"] = "*";
  headers["Access-Control-Expose-Headers"] = listsOf(engine).expose;
  return headers;
}
