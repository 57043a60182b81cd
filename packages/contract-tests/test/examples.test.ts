import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CREATE_IMAGE_PATH, loadContract, loadModel, loadSpec } from "@ecs-api/spec";
import { createResponseValidator } from "@ecs-api/spec/testing";
import { describe, expect, inject, it } from "vitest";

// biome-ignore lint/suspicious/noExplicitAny: plain JSON.
type Json = any;
const spec = loadSpec();
const contract = loadContract();
const model = loadModel();
const { problems } = createResponseValidator(spec);
const docsHtml = readFileSync(
  join(dirname(createRequire(import.meta.url).resolve("@ecs-api/docs/package.json")), "dist/index.html"),
  "utf8",
);
const SERVER = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
const VALID_BODY = JSON.stringify({ createImage: { name: "example-check" } });

/** Every named response example: operation, status, where it sits (body or header), name, value. */
function responseExamples() {
  const out: {
    path: string;
    method: string;
    status: number;
    where: string;
    type?: string;
    name: string;
    value: Json;
  }[] = [];
  for (const op of model.operations) {
    const [path, method] = [op.path, op.method.toLowerCase()];
    for (const response of op.responses) {
      for (const media of response.content)
        for (const ex of media.examples)
          out.push({
            path,
            method,
            status: response.status,
            where: "body",
            type: media.type,
            name: ex.key,
            value: ex.value,
          });
      for (const header of response.headers)
        for (const ex of header.examples)
          if (ex.key)
            out.push({
              path,
              method,
              status: response.status,
              where: `header ${header.name}`,
              name: ex.key,
              value: ex.value,
            });
    }
  }
  return out;
}

/** The lowest microversion at which an example is shown: for the 202, its variant's range (body or header). */
function versionFor(status: number, where: string): string {
  if (status !== 202) return contract.minMicroversion;
  const element = where === "body" ? "body:application/json" : `header:${where.slice("header ".length)}`;
  return (
    contract.createImageVariants.find((v) => v.element === element)?.range.min ?? contract.minMicroversion
  );
}

/** A request to `path` that the mock routes to the operation: concrete IDs, a token, a microversion inside the example's range. */
/** The path prefix of an operation's local-mock server (`/identity`, `/image`, or none). */
function prefixOf(path: string, method: string): string {
  const op = model.operations.find((o) => o.path === path && o.method === method.toUpperCase());
  const local = op?.servers.find((s) => s.url.startsWith("http://127.0.0.1"));
  return local ? new URL(local.url).pathname.replace(/\/$/, "") : "";
}

/** The first request example of an operation (createImage: a body every server accepts). */
function bodyFor(path: string, method: string): string {
  if (path === CREATE_IMAGE_PATH || path.endsWith("/action")) return VALID_BODY;
  const op = model.operations.find((o) => o.path === path && o.method === method.toUpperCase());
  return JSON.stringify(op?.requestBody?.examples[0]?.value ?? {});
}

function requestFor(path: string, method: string, status: number, where = "body") {
  const url =
    prefixOf(path, method) +
    path
      .replace("{project_id}", "9c53a566cb3443ab910cf0daebca90c4")
      .replace("{server_id}", SERVER)
      .replace("{image_id}", "0e7761dd-ee98-41f0-ba35-05994e446431");
  const headers: Record<string, string> = {
    "X-Auth-Token": "contract-token",
    "Content-Type": "application/json",
  };
  // An example of a microversion-marked variant is asked for inside its range.
  if (path === CREATE_IMAGE_PATH) headers["OpenStack-API-Version"] = `compute ${versionFor(status, where)}`;
  return {
    url,
    init: {
      method: method.toUpperCase(),
      headers,
      ...(method === "post" ? { body: bodyFor(path, method) } : {}),
    },
  };
}

const examples = responseExamples();

describe("every named response example", () => {
  it("is found (faults, 202 variants, version documents)", () => {
    expect(examples.length).toBeGreaterThanOrEqual(20);
  });

  it.each(
    examples.map(
      (e) => [`${e.method.toUpperCase()} ${e.path} ${e.status} ${e.where} "${e.name}"`, e] as const,
    ),
  )("%s is what the mock answers when asked for it, and the docs show it", async (_, e) => {
    const { url, init } = requestFor(e.path, e.method, e.status, e.where);
    const res = await fetch(`${inject("mockUrl")}${url}`, {
      ...init,
      headers: {
        ...init.headers,
        ...(e.type ? { Accept: e.type } : {}),
        Prefer: `code=${e.status}, example=${e.name}`,
      },
    });
    const body = await res.text();
    expect(res.status).toBe(e.status);
    if (e.where === "body" && typeof e.value === "string") {
      expect(body).toBe(e.value);
    } else if (e.where === "body") {
      // Version documents carry links on the mock's own origin (and service prefix); everything
      // else is the example verbatim.
      const origins = (text: string) => text.replace(/https?:\/\/[^/"]+(\/identity|\/image)?/g, "ORIGIN");
      expect(origins(JSON.stringify(JSON.parse(body)))).toBe(origins(JSON.stringify(e.value)));
    } else {
      expect(res.headers.get(e.where.slice("header ".length))).toBe(e.value);
    }
    const version = res.headers.get("X-OpenStack-Nova-API-Version") ?? undefined;
    expect(
      problems(
        { method: init.method, path: e.path, status: res.status, headers: res.headers, body },
        version,
      ),
    ).toEqual([]);
    expect(docsHtml).toContain(e.name);
  });
});

describe("every named request example", () => {
  const requestExamples = model.operation("createImage").requestBody?.examples ?? [];

  it.each(requestExamples.map((ex) => [ex.key, ex.value] as const))(
    "%s is accepted by the mock and shown in the docs",
    async (name, value) => {
      const { url, init } = requestFor(CREATE_IMAGE_PATH, "post", 202);
      const res = await fetch(`${inject("mockUrl")}${url}`, { ...init, body: JSON.stringify(value) });
      expect(res.status).toBe(202);
      expect(docsHtml).toContain(name);
    },
  );
});
