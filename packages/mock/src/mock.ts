import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Contract, compareMicroversions, deref, readContract, specPaths } from "@ecs-api/spec";
import { createNovaLayer } from "./nova/layer.js";
import { livePrism } from "./prism/live.js";
import { loadCompiled } from "./prism/load.js";
import { compileRoutes } from "./prism/router.js";
import { batchedWriter, createHandler } from "./server.js";

// biome-ignore lint/suspicious/noExplicitAny: the bundled document is plain JSON, walked by key.
type Json = any;

export interface MockOptions {
  /** Port to listen on; 0 picks a free one. Default 4010. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Highest microversion the mock serves. Default: the spec's maximum. */
  maxMicroversion?: string;
  /** Base of the image URL in `Location` (`<base>/images/<uuid>`). Default: the mock's own origin. */
  imageBaseUrl?: string;
  /** Makes image and request IDs reproducible. */
  seed?: string;
  /** No request log. */
  quiet?: boolean;
  /** Where request log lines go (default: stdout, batched). */
  log?: (line: string) => void;
  /** The bundled spec as JSON. Default: @ecs-api/spec's dist/openapi.json. */
  specPath?: string;
}

export interface RunningMock {
  /** e.g. `http://127.0.0.1:4010` */
  url: string;
  port: number;
  /** The range served: the spec's minimum up to the configured maximum. */
  minMicroversion: string;
  maxMicroversion: string;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

/** A start-up problem the CLI reports as such (missing spec, port taken, bad option). */
export class MockStartError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "MockStartError";
  }
}

function loadDocument(specPath: string): Json {
  if (!existsSync(specPath)) {
    throw new MockStartError(
      `the spec is missing: ${specPath} does not exist (build it with \`pnpm --filter @ecs-api/spec build\`)`,
      "ENOSPEC",
    );
  }
  try {
    return JSON.parse(readFileSync(specPath, "utf8"));
  } catch (error) {
    throw new MockStartError(
      `the spec at ${specPath} is not valid JSON: ${(error as Error).message}`,
      "EBADSPEC",
    );
  }
}

/** Headers a browser may send and read, all named by the spec (plus Prism's Prefer). */
function corsHeaders(doc: Json, names: Contract["names"]) {
  const allow = new Set<string>(["Content-Type", "Prefer"]);
  const expose = new Set<string>(names.requestIdAliases);
  const methods = new Set<string>(["OPTIONS"]);
  for (const scheme of Object.values<Json>(doc.components?.securitySchemes ?? {})) {
    if (scheme.type === "apiKey" && scheme.in === "header") allow.add(scheme.name);
  }
  for (const item of Object.values<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (method === "parameters") continue;
      methods.add(method.toUpperCase());
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map((x: Json) =>
        deref(doc, x),
      )) {
        if (p.in === "header") allow.add(p.name);
      }
      for (const response of Object.values<Json>(op.responses ?? {})) {
        for (const name of Object.keys(deref(doc, response).headers ?? {})) expose.add(name);
      }
    }
  }
  // A client may pass its own request ID on (oslo.middleware request_id reads it).
  for (const name of [names.requestIdHeader, ...names.requestIdAliases]) allow.add(name);
  return { allowHeaders: [...allow], exposeHeaders: [...expose], allowMethods: [...methods] };
}

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const specPath = options.specPath ?? specPaths.json;
  const doc = loadDocument(specPath);
  const contract = readContract(doc);
  const maxMicroversion = options.maxMicroversion ?? contract.maxMicroversion;
  if (
    !contract.microversionPattern.test(maxMicroversion) ||
    maxMicroversion === contract.names.latest ||
    compareMicroversions(maxMicroversion, contract.minMicroversion) < 0 ||
    compareMicroversions(maxMicroversion, contract.maxMicroversion) > 0
  ) {
    throw new MockStartError(
      `--max-microversion must be a version from ${contract.minMicroversion} to ${contract.maxMicroversion} (the spec's range), got "${maxMicroversion}"`,
      "EBADOPTION",
    );
  }
  if (options.imageBaseUrl !== undefined) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(options.imageBaseUrl).protocol);
    } catch {}
    if (!ok)
      throw new MockStartError(
        `--image-base-url must be an absolute http(s) URL, got "${options.imageBaseUrl}"`,
        "EBADOPTION",
      );
  }
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 4010;

  // Nova's Fault gives every status it has no entry for (406 and 500 alike) its default fault
  // key; the spec states that key on the 406.
  const internalFaultKey = contract.faultKeys[500] ?? contract.faultKeys[406];
  if (!internalFaultKey) throw new MockStartError(`the spec at ${specPath} has no 406 fault key`, "EBADSPEC");

  const compiled = await loadCompiled(specPath);
  const routes = compileRoutes(compiled.operations);
  const nova = createNovaLayer({
    doc,
    contract,
    live: livePrism(specPath),
    routes,
    maxMicroversion,
    imageBaseUrl: options.imageBaseUrl,
    seed: options.seed,
  });
  const log = options.quiet
    ? undefined
    : (options.log ?? batchedWriter((text) => process.stdout.write(text)));
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  const server: Server = createServer({ keepAliveTimeout: 5_000 });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const message =
        error.code === "EADDRINUSE"
          ? `port ${port} on ${host} is already in use; pick another with --port or ECS_MOCK_PORT`
          : error.code === "EACCES"
            ? `no permission to listen on ${host}:${port}`
            : `cannot listen on ${host}:${port}: ${error.message}`;
      reject(new MockStartError(message, error.code ?? "ELISTEN"));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${hostInUrl}:${actual}`;
  // Attached once the port is known: it is the origin for requests without a usable Host header.
  server.on(
    "request",
    createHandler({
      nova,
      cors: corsHeaders(doc, contract.names),
      internalFaultKey,
      fallbackOrigin: url,
      log,
    }),
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    port: actual,
    minMicroversion: contract.minMicroversion,
    maxMicroversion,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 2_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
