// startMock(): the engine behind node:http, the way `pnpm mock` and the tests run it. Loads the model
// and Prism's templates (Node), injects live Prism, and attaches the node:http adapter.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { compareMicroversions, loadModelFrom, specPaths } from "@ecs-api/spec";
import { capConnections } from "./adapters/connection-cap.js";
import { batchedWriter, createNodeHandler } from "./adapters/node.js";
import { createEngine, type Engine, type EngineOptions } from "./engine/engine.js";
import { SERVICE_UNAVAILABLE } from "./engine/messages.js";
import { templatesOf } from "./prism/compile.js";
import { livePrism } from "./prism/live.js";
import { loadCompiled } from "./prism/load.js";

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
  /** The workflow's options (snapshot duration, users, servers, strict tokens, region, caps). */
  workflow?: WorkflowOptions;
  /**
   * Open connections at most (default {@link SERVER_DEFAULTS}.maxConnections); one more is answered
   * 503 `serviceUnavailable` with `Retry-After` and closed.
   */
  maxConnections?: number;
}

/** The node:http server's limits: a slow or greedy client cannot hold the mock. */
export const SERVER_DEFAULTS = {
  /** Enough for a load run (the bench uses 32) and a browser's 6 per origin; bounds buffered bodies to ~15 MB. */
  maxConnections: 128,
  keepAliveTimeout: 5_000,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
} as const;

/** A complete HTTP/1.1 answer in Nova's fault shape, for a socket that has no response object. */
function rawFault(status: number, reason: string, key: string, message: string, extra = ""): string {
  const body = JSON.stringify({ [key]: { code: status, message } });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;
}

/** The engine's workflow options, as startMock and the CLI take them. */
export type WorkflowOptions = Pick<
  EngineOptions,
  | "snapshotSeconds"
  | "maxImages"
  | "region"
  | "users"
  | "strictTokens"
  | "servers"
  | "tokenSeconds"
  | "now"
  | "aksk"
>;

export interface RunningMock {
  /** e.g. `http://127.0.0.1:4010` */
  url: string;
  port: number;
  /** The range served: the spec's minimum up to the configured maximum. */
  minMicroversion: string;
  maxMicroversion: string;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
  /** Forgets every token, image and running snapshot. */
  reset(): void;
  /** The engine behind the server (e.g. for an in-process fetch handler on the same state). */
  engine: Engine;
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

async function loadEngine(specPath: string, options: MockOptions): Promise<Engine> {
  if (!existsSync(specPath)) {
    throw new MockStartError(
      `the spec is missing: ${specPath} does not exist (build it with \`pnpm --filter @ecs-api/spec build\`)`,
      "ENOSPEC",
    );
  }
  let model: Awaited<ReturnType<typeof loadModelFrom>>;
  try {
    model = await loadModelFrom(specPath);
  } catch (error) {
    throw new MockStartError(
      `the spec at ${specPath} cannot be read: ${(error as Error).message}`,
      "EBADSPEC",
    );
  }
  const maxMicroversion = options.maxMicroversion ?? model.maxMicroversion;
  if (
    !model.microversionPattern.test(maxMicroversion) ||
    !/^\d/.test(maxMicroversion) ||
    compareMicroversions(maxMicroversion, model.minMicroversion) < 0 ||
    compareMicroversions(maxMicroversion, model.maxMicroversion) > 0
  ) {
    throw new MockStartError(
      `--max-microversion must be a version from ${model.minMicroversion} to ${model.maxMicroversion} (the spec's range), got "${maxMicroversion}"`,
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
  const compiled = await loadCompiled(specPath);
  try {
    return createEngine({
      model,
      templates: templatesOf(compiled),
      maxMicroversion,
      live: livePrism(specPath),
      ...options.workflow,
      ...(options.imageBaseUrl !== undefined ? { imageBaseUrl: options.imageBaseUrl } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    });
  } catch (error) {
    throw new MockStartError(
      `the spec at ${specPath} cannot drive the mock: ${(error as Error).message}`,
      "EBADSPEC",
    );
  }
}

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const specPath = options.specPath ?? specPaths.json;
  const engine = await loadEngine(specPath, options);
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 4010;
  const log = options.quiet
    ? undefined
    : (options.log ?? batchedWriter((text) => process.stdout.write(text)));
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  // A slow client cannot hold a connection for Node's default 300 s: headers within 10 s, the whole
  // request (body included) within 30 s, checked every second.
  const server: Server = createServer({
    keepAliveTimeout: SERVER_DEFAULTS.keepAliveTimeout,
    headersTimeout: SERVER_DEFAULTS.headersTimeout,
    requestTimeout: SERVER_DEFAULTS.requestTimeout,
    connectionsCheckingInterval: 1_000,
  });
  const maxConnections = options.maxConnections ?? SERVER_DEFAULTS.maxConnections;
  if (!Number.isInteger(maxConnections) || maxConnections < 1)
    throw new MockStartError(
      `--max-connections must be a whole number of at least 1, got "${maxConnections}"`,
      "EBADOPTION",
    );
  const cap = capConnections(server, {
    max: maxConnections,
    answer: () =>
      rawFault(
        503,
        "Service Unavailable",
        SERVICE_UNAVAILABLE.faultKey,
        SERVICE_UNAVAILABLE.message,
        "Retry-After: 1\r\n",
      ),
  });

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
  const handler = createNodeHandler({ engine, fallbackOrigin: url, log });
  // A connection refused at the cap has had its answer: nothing it sends is handled.
  server.on("request", (req, res) => {
    if (!cap.refused(req.socket)) handler(req, res);
  });
  // `Expect: 100-continue`: a body the size limit will refuse gets its 413 instead of `100 Continue`.
  server.on("checkContinue", (req, res) => {
    if (cap.refused(req.socket)) return;
    if (Number(req.headers["content-length"] ?? 0) <= engine.maxBodyBytes) res.writeContinue();
    handler(req, res);
  });
  // An expectation other than 100-continue: Node would answer an empty 417; this one has a body.
  server.on("checkExpectation", (req, res) => {
    if (cap.refused(req.socket)) return;
    const body = JSON.stringify({ [engine.internalFaultKey]: { code: 417, message: "Expectation Failed" } });
    res.writeHead(417, {
      "Content-Type": "application/json; charset=UTF-8",
      "Content-Length": Buffer.byteLength(body),
      Connection: "close",
    });
    res.end(body);
  });
  // Node's own rejections (malformed request, headers too large, timeouts) get a body in Nova's
  // fault shape instead of an empty answer, where the socket can still be written.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (cap.refused(socket as Socket) || !socket.writable || error.code === "ECONNRESET")
      return socket.destroy();
    const [status, message] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "Request Header Fields Too Large"]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "Request Timeout"]
          : [400, "Malformed request."];
    const key =
      engine.contract.faultKeys[400] && status === 400
        ? engine.contract.faultKeys[400]
        : engine.internalFaultKey;
    socket.end(rawFault(status, message, key, message));
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    port: actual,
    minMicroversion: engine.minMicroversion,
    maxMicroversion: engine.maxMicroversion,
    reset: engine.reset,
    engine,
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
