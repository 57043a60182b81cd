import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { compareMicroversions, loadContract, loadSpec } from "@ecs-api/spec";
import { expect } from "vitest";
import { EcsError } from "../src/index.js";

export const spec = loadSpec();
export const contract = loadContract();
export const PROJECT = "9c53a566cb3443ab910cf0daebca90c4";
export const SERVER = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
export const TOKEN = "gAAAAA-test-token";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The spec's example value by name (components/examples). */
export const example = (name: string) => spec.components.examples[name].value;

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A `fetch` that records what it is given and answers with `respond`. */
export function observedFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const headers = new Headers(init.headers ?? request?.headers);
    const call: Call = {
      url: request ? request.url : String(input),
      method: init.method ?? request?.method ?? "GET",
      headers: Object.fromEntries(headers),
      body: typeof init.body === "string" ? init.body : request ? await request.text() : undefined,
    };
    calls.push(call);
    return respond(call);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/**
 * A 202 as Nova sends it (reference: create-image-behaviour.md): for a concrete microversion, the
 * element the spec marks for that range carries the new image's ID. `undefined` is the legacy /v2.
 */
export function accepted(microversion: string | undefined, imageId: string = randomUUID()): Response {
  const headers = new Headers({ "X-Openstack-Request-Id": `req-${randomUUID()}` });
  if (microversion !== undefined) {
    headers.set("OpenStack-API-Version", `compute ${microversion}`);
    headers.set("X-OpenStack-Nova-API-Version", microversion);
    headers.set("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
  }
  const carrier = contract.createImageVariants.find(
    (v) =>
      microversion !== undefined &&
      compareMicroversions(microversion, v.range.min) >= 0 &&
      compareMicroversions(microversion, v.range.max) <= 0,
  );
  if (carrier?.element === "body:application/json") {
    headers.set("Content-Type", "application/json");
    return new Response(JSON.stringify({ image_id: imageId }), { status: 202, headers });
  }
  headers.set("Location", `https://ims.eu-de.otc.t-systems.com/images/${imageId}`);
  return new Response(null, { status: 202, headers });
}

/** A Nova fault answer. */
export function fault(status: number, key: string, message: string, microversion?: string): Response {
  const headers = new Headers({
    "Content-Type": "application/json; charset=UTF-8",
    "X-Openstack-Request-Id": "req-3e2c5a0b-93d4-4cc4-9a6e-1a2b3c4d5e6f",
  });
  if (microversion) {
    headers.set("OpenStack-API-Version", `compute ${microversion}`);
    headers.set("X-OpenStack-Nova-API-Version", microversion);
  }
  return new Response(JSON.stringify({ [key]: { code: status, message } }), { status, headers });
}

/** A node:http server on 127.0.0.1, port 0. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound once by us, then released. */
export async function refusedUrl(): Promise<string> {
  const server = await startServer(() => {});
  await server.close();
  return server.url;
}

/** The `EcsError` a call rejects with; the test fails when the call resolves or rejects with something else. */
export const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the call resolved"),
    (error: unknown) => {
      expect(error).toBeInstanceOf(EcsError);
      return error as EcsError;
    },
  );
