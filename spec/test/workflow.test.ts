// The workflow around createImage (log in, find the server, create, wait): the structure other
// packages code against — operation IDs, each service's servers, security, tags, statuses, headers.
import { describe, expect, it } from "vitest";
import { CREATE_IMAGE_PATH } from "../src/index.js";
import { derefSpec as spec } from "./helpers.js";

// biome-ignore lint/suspicious/noExplicitAny: plain JSON.
type Json = any;
type Service = "identity" | "compute" | "computeLegacy" | "image";

/** The operations the workflow adds, as other agents code against them. */
const OPERATIONS: { id: string; method: string; path: string; service: Service; statuses: string[] }[] = [
  { id: "showIdentityVersion", method: "get", path: "/v3", service: "identity", statuses: ["200"] },
  {
    id: "createToken",
    method: "post",
    path: "/v3/auth/tokens",
    service: "identity",
    statuses: ["201", "400", "401"],
  },
  {
    id: "showServer",
    method: "get",
    path: "/v2.1/{project_id}/servers/{server_id}",
    service: "compute",
    statuses: ["200", "400", "401", "404", "406"],
  },
  {
    id: "listServers",
    method: "get",
    path: "/v2.1/{project_id}/servers",
    service: "compute",
    statuses: ["200", "400", "401", "406"],
  },
  {
    id: "listServersDetailed",
    method: "get",
    path: "/v2.1/{project_id}/servers/detail",
    service: "compute",
    statuses: ["200", "400", "401", "406"],
  },
  {
    id: "showServerLegacyV2",
    method: "get",
    path: "/v2/{project_id}/servers/{server_id}",
    service: "computeLegacy",
    statuses: ["200", "401", "404"],
  },
  {
    id: "listServersLegacyV2",
    method: "get",
    path: "/v2/{project_id}/servers",
    service: "computeLegacy",
    statuses: ["200", "400", "401"],
  },
  {
    id: "listServersDetailedLegacyV2",
    method: "get",
    path: "/v2/{project_id}/servers/detail",
    service: "computeLegacy",
    statuses: ["200", "400", "401"],
  },
  { id: "listImageVersions", method: "get", path: "/versions", service: "image", statuses: ["200"] },
  {
    id: "showImage",
    method: "get",
    path: "/v2/images/{image_id}",
    service: "image",
    statuses: ["200", "401", "404"],
  },
  {
    id: "listImages",
    method: "get",
    path: "/v2/images",
    service: "image",
    statuses: ["200", "400", "401"],
  },
  {
    id: "deleteImage",
    method: "delete",
    path: "/v2/images/{image_id}",
    service: "image",
    statuses: ["204", "401", "403", "404"],
  },
];
const TAGS: Record<Service, string> = {
  identity: "Identity",
  compute: "Servers (v2.1)",
  computeLegacy: "Servers (v2, deprecated)",
  image: "Images (Glance v2)",
};
const OWN_SERVERS: Partial<Record<Service, { otc: string; mock: string; description: string }>> = {
  identity: {
    otc: "https://iam.{region}.otc.t-systems.com",
    mock: "/identity",
    description: "Open Telekom Cloud IAM",
  },
  image: {
    otc: "https://ims.{region}.otc.t-systems.com",
    mock: "/image",
    description: "Open Telekom Cloud IMS",
  },
};
const VERSION_HEADERS = ["OpenStack-API-Version", "X-OpenStack-Nova-API-Version", "Vary"];
const UNSECURED = new Set(["showIdentityVersion", "createToken", "listImageVersions"]);
const LOCAL_MOCK = "Local mock (pnpm mock)";
const rootMock = () => spec.servers.find((s: Json) => s.url.startsWith("http://127.0.0.1"));
const examples = spec.components.examples;
const cases = OPERATIONS.map((o) => [o.id, o] as const);

describe("the workflow's operations", () => {
  it.each(cases)("%s is at its path and method", (id, o) => {
    expect(spec.paths[o.path]?.[o.method]?.operationId).toBe(id);
  });

  it("have unique operation IDs across the document", () => {
    const ids = Object.values<Json>(spec.paths).flatMap((item) =>
      ["get", "post", "put", "patch", "delete"].flatMap((m) => (item[m] ? [item[m].operationId] : [])),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of OPERATIONS) expect(ids).toContain(o.id);
  });

  it.each(cases)("%s answers exactly its statuses", (_, o) => {
    expect(Object.keys(spec.paths[o.path][o.method].responses)).toEqual(o.statuses);
  });

  it.each(cases)("%s is tagged with its service", (_, o) => {
    expect(spec.paths[o.path][o.method].tags).toEqual([TAGS[o.service]]);
  });

  it.each(cases)("%s has the security the workflow needs", (id, o) => {
    const expected = UNSECURED.has(id) ? [] : [{ XAuthToken: [] }];
    expect(spec.paths[o.path][o.method].security).toEqual(expected);
  });

  it.each(cases)("%s is deprecated exactly when it is on /v2", (_, o) => {
    expect(spec.paths[o.path][o.method].deprecated === true).toBe(o.service === "computeLegacy");
  });
});

describe("the servers of each service", () => {
  it("root: ECS and the local mock, described in plain text (docs show it raw)", () => {
    expect(spec.servers.map((s: Json) => s.description)).toEqual(["Open Telekom Cloud", LOCAL_MOCK]);
    for (const s of spec.servers) expect(s.description).not.toMatch(/`/);
  });

  it.each(cases)(
    "%s: IAM and IMS paths carry their OTC host and the mock's prefix, compute paths the root's",
    (_, o) => {
      const own = OWN_SERVERS[o.service];
      const servers = spec.paths[o.path].servers;
      if (!own) {
        expect(servers).toBeUndefined();
        return;
      }
      expect(servers).toHaveLength(2);
      expect(servers[0]).toMatchObject({ url: own.otc, description: own.description });
      expect(servers[0].variables.region.enum).toEqual(spec.servers[0].variables.region.enum);
      expect(servers[0].variables.region.default).toBe("eu-de");
      expect(servers[1]).toEqual({ url: `${rootMock().url}${own.mock}`, description: LOCAL_MOCK });
    },
  );
});

describe("the tags", () => {
  const declared = spec.tags.map((t: Json) => t.name);
  const used = Object.values<Json>(spec.paths).flatMap((item) =>
    ["get", "post", "put", "patch", "delete"].flatMap((m) => item[m]?.tags ?? []),
  );

  it("are declared once each, by service in workflow order (IAM, ECS, IMS), and all used", () => {
    expect(declared).toEqual([
      "Identity",
      "Servers (v2.1)",
      "Servers (v2, deprecated)",
      "Images (v2.1)",
      "Images (v2, deprecated)",
      "Images (Glance v2)",
      "Versions",
    ]);
    expect([...new Set(used)].sort()).toEqual([...declared].sort());
  });

  it("keep createImage under Images (v2.1) and leave the side-menu grouping to the docs package", () => {
    expect(spec.paths[CREATE_IMAGE_PATH].post.tags).toEqual(["Images (v2.1)"]);
    expect(spec["x-tagGroups"]).toBeUndefined();
  });
});

describe("compute reads", () => {
  const compute = OPERATIONS.filter((o) => o.service === "compute");
  const legacy = OPERATIONS.filter((o) => o.service === "computeLegacy");
  const headerNames = (op: Json) =>
    (op.parameters ?? [])
      .map((p: Json) => p)
      .filter((p: Json) => p.in === "header")
      .map((p: Json) => p.name);

  it("take both microversion headers on /v2.1 and none on /v2", () => {
    for (const o of compute)
      expect(headerNames(spec.paths[o.path][o.method]), o.id).toEqual(VERSION_HEADERS.slice(0, 2));
    for (const o of legacy) expect(headerNames(spec.paths[o.path][o.method]), o.id).toEqual([]);
  });

  // Nova writes them on every /v2.1 answer except keystonemiddleware's 401 and the 400 for a malformed
  // microversion (the only 400 of showServer; the lists' 400 also covers bad queries, which have them).
  it("send the version headers on every /v2.1 answer Nova writes with a version, never on /v2", () => {
    for (const o of compute) {
      for (const [status, response] of Object.entries<Json>(spec.paths[o.path][o.method].responses)) {
        const headers = Object.keys(response.headers ?? {});
        const expected = status !== "401" && !(status === "400" && o.id === "showServer");
        for (const h of VERSION_HEADERS) expect(headers.includes(h), `${o.id} ${status} ${h}`).toBe(expected);
      }
    }
    for (const o of legacy) {
      for (const response of Object.values<Json>(spec.paths[o.path][o.method].responses)) {
        const headers = Object.keys(response.headers ?? {});
        expect(
          headers.filter((h) => VERSION_HEADERS.includes(h)),
          o.id,
        ).toEqual([]);
      }
    }
  });

  it("document the name filter as Nova's regular expression", () => {
    for (const o of [...compute, ...legacy].filter((c) => c.id.startsWith("list"))) {
      const names = (spec.paths[o.path][o.method].parameters ?? []).map((p: Json) => p);
      const name = names.find((p: Json) => p.name === "name" && p.in === "query");
      expect(name?.description, o.id).toMatch(/regular expression/);
      expect(
        names.filter((p: Json) => p.in === "query").map((p: Json) => p.name),
        o.id,
      ).toEqual(["name", "status", "limit", "marker"]);
    }
  });

  it("state the snapshot task_state sequence in the schema and the description, in the same order", () => {
    const states = spec.components.schemas.ServerTaskState.enum;
    const sequence = ["image_snapshot_pending", "image_snapshot", "image_pending_upload", "image_uploading"];
    for (const s of [...sequence, null]) expect(states).toContain(s);
    const arrow = `${sequence.map((s) => `\`${s}\``).join(" → ")} → \`null\``;
    expect(spec.info.description.replace(/\s+/g, " ")).toContain(arrow);
    expect(spec.components.schemas.ServerTaskState.description.replace(/\s+/g, " ")).toContain(
      `\`${sequence[0]}\` (set by the API when it accepts createImage) → \`${sequence[1]}\``,
    );
  });

  it("reuse the 404 of createImage for an unknown server", () => {
    expect(spec.paths["/v2.1/{project_id}/servers/{server_id}"].get.responses["404"]).toEqual(
      spec.paths[CREATE_IMAGE_PATH].post.responses["404"],
    );
  });
});

describe("identity", () => {
  const create = spec.paths["/v3/auth/tokens"].post;
  const created = create.responses["201"];

  it("returns the token in X-Subject-Token, marked as a secret", () => {
    const header = created.headers["X-Subject-Token"];
    expect(header.required).toBe(true);
    expect(header.schema.type).toBe("string");
    expect(header.description).toMatch(/secret/i);
  });

  it("answers 400 and 401 in Keystone's shape, with Keystone's messages", () => {
    for (const status of ["400", "401"]) {
      const media = create.responses[status].content["application/json"];
      const schema = media.schema;
      expect(schema.required).toEqual(["error"]);
      const inner = schema.properties.error.allOf[0];
      expect(inner.required).toEqual(["code", "title", "message"]);
      expect(schema.properties.error.allOf[1].properties.code.const).toBe(Number(status));
    }
    const bad = Object.keys(create.responses["400"].content["application/json"].examples);
    expect(bad.length).toBeGreaterThanOrEqual(2);
    expect(examples["keystone-no-auth"].value.error.message).toBe(
      "Expecting to find auth in request body. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
    );
    expect(examples["keystone-invalid-credentials"].value.error.message).toBe(
      examples["keystone-unauthorized"].value.error.message,
    );
  });

  it("lists compute (with the token's project), image and identity in the catalog example, in eu-de", () => {
    const { token } = examples["create-token-resp"].value;
    const byType = Object.fromEntries(token.catalog.map((e: Json) => [e.type, e.endpoints[0]]));
    expect(byType.compute.url).toBe(`https://ecs.eu-de.otc.t-systems.com/v2.1/${token.project.id}`);
    expect(byType.image.url).toBe("https://ims.eu-de.otc.t-systems.com");
    expect(byType.identity.url).toBe("https://iam.eu-de.otc.t-systems.com/v3");
    for (const e of Object.values<Json>(byType))
      expect(e).toMatchObject({ region: "eu-de", interface: "public" });
  });

  it("accepts the user by name and domain or by ID, and the token method, but not a user without a domain", async () => {
    const { createValidator } = await import("./helpers.js");
    const { validate } = createValidator();
    const schema = "/components/schemas/AuthRequest";
    for (const name of [
      "create-token-req-password",
      "create-token-req-otc",
      "create-token-req-project-id",
      "create-token-req-token",
    ])
      expect(validate(schema, examples[name].value).ok, name).toBe(true);
    const body = structuredClone(examples["create-token-req-password"].value);
    delete body.auth.identity.password.user.domain;
    expect(validate(schema, body).ok).toBe(false);
    expect(validate(schema, { auth: {} }).ok).toBe(false);
  });
});

describe("image", () => {
  it("shows a snapshot in each step of its way to active, with Nova's and OTC's properties", () => {
    const steps = ["queued", "saving", "active"].map((s) => examples[`image-show-${s}`].value);
    expect(steps.map((i) => i.status)).toEqual(["queued", "saving", "active"]);
    for (const image of steps) {
      expect(image).toMatchObject({ image_type: "snapshot", disk_format: "zvhd2", visibility: "private" });
      expect(image.__imagetype).toBe("private");
    }
    for (const s of ["queued", "saving", "active"])
      expect(spec.components.schemas.ImageStatus.enum).toContain(s);
  });

  it("documents every Glance error as webob renders it, JSON first (Prism and the mock's templates read the first media type), then HTML and text", () => {
    for (const [path, method, status] of <[string, string, string][]>[
      ["/v2/images/{image_id}", "get", "404"],
      ["/v2/images/{image_id}", "delete", "403"],
      ["/v2/images", "get", "400"],
    ]) {
      const response = spec.paths[path][method].responses[status];
      expect(Object.keys(response.content), `${method} ${path} ${status}`).toEqual([
        "application/json",
        "text/html",
        "text/plain",
      ]);
    }
    const json = examples["glance-image-not-found-json"].value;
    expect(json.code).toBe("404 Not Found");
    expect(json.message.startsWith(`No image found with ID ${examples["image-show-active"].value.id}`)).toBe(
      true,
    );
    expect(examples["glance-image-not-found-html"].value).toContain("<title>404 Not Found</title>");
  });

  it("puts the mock's image endpoint into the mock's Location example, in Nova's <image endpoint>/images/<uuid> form", () => {
    const mockImage = spec.paths["/v2/images/{image_id}"].servers[1].url;
    const id = examples["create-image-resp-v2.45"].value.image_id;
    expect(examples["create-image-resp-v2.1-location-mock"].value).toBe(`${mockImage}/images/${id}`);
    const location = spec.components.headers["Location-max-2.44"];
    expect(Object.keys(location.examples)).toContain("create-image-resp-v2.1-location-mock");
  });

  it("pages the list with next and Glance's default and maximum limit", () => {
    const limit = spec.paths["/v2/images"].get.parameters.find((p: Json) => p.name === "limit");
    expect(limit.schema).toMatchObject({ default: 25, maximum: 1000 });
    const page = examples["images-list-resp"].value;
    expect(page.next).toContain(`marker=${page.images.at(-1).id}`);
    expect(examples["images-list-resp-last-page"].value.next).toBeUndefined();
  });
});

describe("the description", () => {
  const text: string = spec.info.description.replace(/\s+/g, " ");
  const conflict = examples["fault-snapshot-pending"].value.conflictingRequest.message;

  it("explains the workflow step by step: services, polling intervals, failures, retries", () => {
    expect(text).toContain("## The workflow");
    for (const fact of ["IAM", "ECS", "IMS", "every **5 s**", "every **2 s**", "**404**", "`killed`"])
      expect(text, fact).toContain(fact);
    // The 409 it quotes is the one the Conflict example shows, up to the instance and state.
    expect(text).toContain("\"Cannot 'createImage' instance <id> while it is in task_state <state>\"");
    expect(conflict).toMatch(/^Cannot 'createImage' instance \S+ while it is in task_state \S+$/);
    expect(text).toContain("**createImage is not idempotent.**");
  });

  it("says where OTC differs and what is not confirmed", () => {
    expect(text).toContain("### Where OTC differs from upstream OpenStack");
    for (const fact of ["24 h", "`__imagetype`", "`zvhd2`", "SDK-HMAC-SHA256", "catalog", "not confirmed"])
      expect(text, fact).toContain(fact);
  });
});
