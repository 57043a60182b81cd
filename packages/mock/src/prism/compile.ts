// Prism is the engine: it reads the bundled spec into operations and mocks every response the
// spec documents. Prism per request costs about 0.5 ms of CPU (routing, validation and example
// selection through fp-ts pipelines), which caps a mock at 1–2 k requests/s, and loading Prism
// takes 1–2 s. So the work is split:
//
// - Once, at build time (`dist/prism-compiled.json`, checked against the spec's SHA-256 at start-up
//   and recomputed when it does not match): Prism turns the spec into operations and answers one
//   request per (operation, status, example) with `code`/`exampleKey` set. Those answers are the
//   response templates: status, headers and body exactly as Prism mocks them from the examples.
// - Per request, by default: the Nova layer decides the status (and the example, or the message)
//   and answers from the template. No Prism call on this path.
// - Per request that asks for a Prism feature (`Prefer: code=…, example=…, dynamic=…` or the
//   `__code`/`__example`/`__dynamic`/`__seed` query parameters): Prism answers live (loaded on the
//   first such request), after the Nova layer's token, microversion, content-type and body
//   checks, and the Nova layer shapes its answer like any template (see live.ts).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import type { Template, Templates } from "../engine/types.js";

/** What the mock needs of one of Prism's operations. */
export interface OperationSummary {
  /** The operationId. */
  id: string;
  method: string;
  path: string;
  secured: boolean;
  /** templates[status] lists one template per example, in spec order. */
  templates: Record<string, Template[]>;
}

/** The templates per operationId, as the engine takes them. */
export function templatesOf(compiled: Compiled): Templates {
  return Object.fromEntries(compiled.operations.map((op) => [op.id, op.templates]));
}

export interface Compiled {
  /** SHA-256 of the spec file the templates were computed from. */
  specSha256: string;
  prism: string;
  operations: OperationSummary[];
}

/** The installed Prism engine's version: templates from another version are recomputed. */
export function prismVersion(): string {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve("@stoplight/prism-http/package.json"), "utf8")).version;
}

export const sha256Of = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

export function toTemplate(
  output: { statusCode: number; headers?: Record<string, unknown>; body?: unknown },
  exampleKey?: string,
): Template {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(output.headers ?? {})) {
    headers[name.toLowerCase() === "content-type" ? "Content-Type" : name] = String(value);
  }
  return {
    status: output.statusCode,
    headers,
    ...(output.body !== undefined && output.body !== null && output.body !== "" ? { body: output.body } : {}),
    ...(exampleKey !== undefined ? { exampleKey } : {}),
  };
}

/** Prism's mock settings for one call (`mock` as Prism's IHttpOperationConfig). */
export const mockConfig = (
  validate: boolean,
  mock: { dynamic: boolean; code?: number; exampleKey?: string; seed?: string },
) => ({
  mock,
  checkSecurity: validate,
  validateRequest: validate,
  validateResponse: false,
  errors: false,
  upstreamProxy: undefined,
  isProxy: false as const,
});

/** Runs Prism over the spec: its operations and, for each documented response, its mocked answer. */
export async function compileWithPrism(specPath: string): Promise<Compiled> {
  const { createInstance, getHttpOperationsFromSpec } = await import("@stoplight/prism-http");
  const { createLogger } = await import("@stoplight/prism-core");
  const operations = await getHttpOperationsFromSpec(specPath);
  const prism = createInstance(mockConfig(false, { dynamic: false }), {
    logger: createLogger("ecs-mock", { enabled: false }),
  });
  const out: OperationSummary[] = [];
  for (const operation of operations) {
    const templates: Record<string, Template[]> = {};
    // Path parameters do not matter to the mocker; validation is off while compiling.
    const path = String(operation.path).replace(/\{[^}]+\}/g, "x");
    for (const response of operation.responses ?? []) {
      const code = Number(response.code);
      if (!Number.isInteger(code)) continue;
      const keys: (string | undefined)[] = (response.contents?.[0]?.examples ?? []).map(
        (e: { key: string }) => e.key,
      );
      if (keys.length === 0) keys.push(undefined);
      const list: Template[] = [];
      for (const exampleKey of keys) {
        const mock = { dynamic: false, code, ...(exampleKey ? { exampleKey } : {}) };
        const result = await prism.request(
          { method: operation.method as "get", url: { path }, headers: {} },
          [operation],
          mockConfig(false, mock),
        )();
        if (result._tag === "Left") {
          throw new Error(
            `Prism cannot mock ${operation.method} ${operation.path} ${code}: ${result.left.message}`,
          );
        }
        list.push(toTemplate(result.right.output as never, exampleKey));
      }
      templates[String(code)] = list;
    }
    out.push({
      id: String(operation.iid ?? operation.id),
      method: String(operation.method).toUpperCase(),
      path: String(operation.path),
      // Secured unless the spec offers an alternative without credentials.
      secured:
        (operation.security ?? []).length > 0 && (operation.security ?? []).every((alt) => alt.length > 0),
      templates,
    });
  }
  return { specSha256: sha256Of(specPath), prism: prismVersion(), operations: out };
}
