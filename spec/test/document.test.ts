import { describe, expect, it } from "vitest";
import { loadContract } from "../src/index.js";
import { derefSpec as spec } from "./helpers.js";

// biome-ignore lint/suspicious/noExplicitAny: the dereferenced bundle is plain JSON.
type Json = any;

const contract = loadContract();
const V21 = "/v2.1/{project_id}/servers/{server_id}/action";
const V2 = "/v2/{project_id}/servers/{server_id}/action";
const operations = Object.entries<Record<string, Record<string, unknown>>>(spec.paths).flatMap(
  ([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map(([method, op]) => ({
        path,
        method,
        op: op as Record<string, never> & { responses: Record<string, unknown> },
      })),
);
const VERSION_HEADERS = ["OpenStack-API-Version", "X-OpenStack-Nova-API-Version", "Vary"];

describe("the document", () => {
  it("is OpenAPI 3.1 whose info.version is the maximum microversion", () => {
    expect(spec.openapi).toBe("3.1.0");
    expect(spec.info.version).toMatch(/^2\.[1-9][0-9]*$/);
  });

  it("describes createImage on both URI versions, /v2 deprecated", () => {
    expect(spec.paths[V21].post.operationId).toBe("createImage");
    expect(spec.paths[V21].post.deprecated).toBeUndefined();
    expect(spec.paths[V2].post.operationId).toBe("createImageLegacyV2");
    expect(spec.paths[V2].post.deprecated).toBe(true);
  });

  it("describes every version document without security", () => {
    for (const path of ["/", "/v2.1/", "/v2.1", "/v2/"]) {
      expect(spec.paths[path]?.get?.security, path).toEqual([]);
    }
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    "%s has an operationId, a summary, a description, a tag and responses with examples",
    (_, { op }) => {
      expect(op.operationId).toMatch(/^[a-zA-Z0-9]+$/);
      expect(op.summary).toBeTruthy();
      expect(op.description).toBeTruthy();
      expect(op.tags).toHaveLength(1);
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        const res = response;
        const examples = [
          ...Object.values<Record<string, unknown>>(res.content ?? {}).flatMap((m) =>
            Object.keys(m.examples ?? {}),
          ),
          ...Object.values<Json>(res.headers ?? {}).flatMap((h) => {
            const header = h;
            return header.example !== undefined ? ["example"] : Object.keys(header.examples ?? {});
          }),
        ];
        expect(examples.length, `response ${status}`).toBeGreaterThan(0);
      }
    },
  );

  it("protects both createImage operations with X-Auth-Token and nothing else", () => {
    const scheme = spec.components.securitySchemes.XAuthToken;
    expect(scheme).toMatchObject({ type: "apiKey", in: "header", name: "X-Auth-Token" });
    expect(spec.paths[V21].post.security).toEqual([{ XAuthToken: [] }]);
    expect(spec.paths[V2].post.security).toEqual([{ XAuthToken: [] }]);
  });

  it("takes both microversion headers on /v2.1 only", () => {
    const names = (op: { parameters?: unknown[] }) => (op.parameters ?? []).map((p: Json) => p.name);
    expect(names(spec.paths[V21].post)).toEqual(["OpenStack-API-Version", "X-OpenStack-Nova-API-Version"]);
    expect(names(spec.paths[V2].post)).toEqual([]);
  });

  it("answers every status of the reference on each URI version", () => {
    expect(Object.keys(spec.paths[V21].post.responses)).toEqual([
      "202",
      "400",
      "401",
      "403",
      "404",
      "406",
      "409",
      "413",
      "415",
    ]);
    expect(Object.keys(spec.paths[V2].post.responses)).toEqual([
      "202",
      "400",
      "401",
      "403",
      "404",
      "409",
      "413",
      "415",
    ]);
  });

  it("sends the version headers on every /v2.1 response Nova writes (not the keystone 401 nor the size-limit 413)", () => {
    for (const [status, response] of Object.entries<Json>(spec.paths[V21].post.responses)) {
      const headers = Object.keys(response.headers ?? {});
      const expected = status === "401" || status === "413" ? [] : VERSION_HEADERS;
      for (const h of VERSION_HEADERS)
        expect(headers.includes(h), `${status} ${h}`).toBe(expected.includes(h));
    }
    for (const response of Object.values<Json>(spec.paths[V2].post.responses)) {
      const headers = Object.keys(response.headers ?? {});
      expect(headers.filter((h) => VERSION_HEADERS.includes(h))).toEqual([]);
    }
  });

  it("gives the 401 keystonemiddleware's body and WWW-Authenticate", () => {
    const unauthorized = spec.paths[V21].post.responses["401"];
    expect(Object.keys(unauthorized.headers)).toContain("WWW-Authenticate");
    expect(unauthorized.content["application/json"].schema.required).toEqual(["error"]);
  });

  it("names the local mock and both OTC regions as servers", () => {
    expect(spec.servers[0].url).toBe("https://ecs.{region}.otc.t-systems.com");
    expect(spec.servers[0].variables.region.enum).toEqual(["eu-de", "eu-nl"]);
    expect(spec.servers.some((s: { url: string }) => s.url.startsWith("http://127.0.0.1"))).toBe(true);
  });

  it("keeps the reference's name and metadata rules", () => {
    expect(contract.name.maxBytes).toBe(242);
    expect(spec.components.schemas.ImageName.maxLength).toBe(contract.name.maxBytes);
    expect(contract.metadata.keyPattern.source).toBe("^[a-zA-Z0-9-_:. ]{1,255}$");
    expect(contract.metadata.valueMaxLength).toBe(255);
    expect(contract.maxBodyBytes).toBe(114688);
  });

  it("states the differences from the OTC documentation", () => {
    const text: string = spec.info.description;
    expect(text).toContain("## Differences from the OTC documentation");
    for (const topic of ["2.44", "2.45", "242", "255 characters", "`{}`", "401"])
      expect(text).toContain(topic);
  });
});

describe("the maximum microversion", () => {
  const examples = spec.components.examples;

  it("agrees with the version documents' examples", () => {
    const v21 = examples.versions.value.versions.find((v: { id: string }) => v.id === "v2.1");
    expect(v21.version).toBe(contract.maxMicroversion);
    expect(v21.min_version).toBe(contract.minMicroversion);
    expect(examples["version-v2.1"].value.version.version).toBe(contract.maxMicroversion);
    expect(examples["version-v2.1"].value.version.min_version).toBe(contract.minMicroversion);
  });

  it("agrees with the 406 example's message", () => {
    expect(examples["fault-version-not-supported"].value.computeFault.message).toContain(
      `Minimum is ${contract.minMicroversion} and maximum is ${contract.maxMicroversion}.`,
    );
  });
});

describe("the mock scenarios", () => {
  it("reserve four distinct server IDs used by the error examples", () => {
    const ids = Object.values(contract.scenarios);
    expect(new Set(ids).size).toBe(4);
    const examples = JSON.stringify(spec.components.examples);
    expect(examples).toContain(
      `instance ${contract.scenarios["vm-state-error"]} while it is in vm_state error`,
    );
    expect(examples).toContain(
      `instance ${contract.scenarios["snapshot-pending"]} while it is in task_state`,
    );
    expect(examples).toContain(`Instance ${contract.scenarios["not-found"]} could not be found.`);
  });

  it("document every reserved ID, the failing snapshot included, in the server_id description", () => {
    const param = spec.components.parameters.server_id;
    expect(contract.scenarios["snapshot-fails"]).toMatch(contract.names.uuidPattern);
    for (const [name, id] of Object.entries(contract.scenarios)) {
      expect(param.description, name).toContain(`\`${name}\` (…${id.slice(-4)})`);
    }
  });
});
