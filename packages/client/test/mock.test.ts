import { randomUUID } from "node:crypto";
import { type RunningMock, SCENARIOS, startMock } from "@ecs-api/mock";
import { microversionsBetween } from "@ecs-api/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEcsClient, type Microversion } from "../src/index.js";
import { contract, PROJECT, rejection, SERVER, TOKEN, UUID } from "./helpers.js";

let mock: RunningMock;
let older: RunningMock; // a service whose maximum is below the spec's
beforeAll(async () => {
  [mock, older] = await Promise.all([
    // Snapshots finish at once: several createImage calls on one server do not meet its task_state (409).
    startMock({ port: 0, quiet: true, workflow: { snapshotSeconds: 0 } }),
    startMock({ port: 0, quiet: true, maxMicroversion: "2.50", workflow: { snapshotSeconds: 0 } }),
  ]);
});
afterAll(async () => {
  await Promise.all([mock?.close(), older?.close()]);
});

const client = (url = mock.url, token = TOKEN) =>
  createEcsClient({ baseUrl: url, projectId: PROJECT, token });

describe("against @ecs-api/mock", () => {
  it("Given 2.1, 2.45, latest and /v2, when an image is created with each, then each resolves to the same shape with a fresh UUID", async () => {
    const ecs = client();
    const results = [
      await ecs.createImage(SERVER, { name: "a" }, { microversion: "2.1" }),
      await ecs.createImage(SERVER, { name: "b" }, { microversion: "2.45" }),
      await ecs.createImage(SERVER, { name: "c" }, { microversion: "latest" }),
      await ecs.createImage(SERVER, { name: "d" }, { legacyV2: true }),
    ];
    expect(results.map((r) => r.microversion)).toEqual(["2.1", "2.45", contract.maxMicroversion, "2.0"]);
    for (const r of results) {
      expect(r.imageId).toMatch(UUID);
      expect(r.requestId).toMatch(/^req-/);
    }
    expect(new Set(results.map((r) => r.imageId)).size).toBe(4);
    expect(results.map((r) => r.location !== undefined)).toEqual([true, false, false, true]);
  });

  it("Given every microversion of the spec, when an image is created at each, then each resolves to an image UUID at that version", async () => {
    const ecs = client();
    for (const mv of microversionsBetween(contract.minMicroversion, contract.maxMicroversion)) {
      const result = await ecs.createImage(
        SERVER,
        { name: `img-${mv}` },
        { microversion: mv as Microversion },
      );
      expect([result.microversion, UUID.test(result.imageId)]).toEqual([mv, true]);
    }
  });

  it("Given a server that does not exist, when createImage settles, then it is itemNotFound with Nova's message", async () => {
    const id = SCENARIOS["not-found"];
    const error = await rejection(client().createImage(id, { name: "x" }, { microversion: "2.45" }));
    expect(error).toMatchObject({ kind: "http", status: 404, fault: "itemNotFound", microversion: "2.45" });
    expect(error.requestId).toMatch(/^req-/);
    // Nova's message, then the status and request ID.
    expect(error.message).toBe(`Instance ${id} could not be found. (HTTP 404, request ${error.requestId})`);
  });

  it.each(["vm-state-error", "snapshot-pending"] as const)(
    "Given the %s server, when createImage settles, then it is conflictingRequest",
    async (scenario) => {
      const error = await rejection(client().createImage(SCENARIOS[scenario], { name: "x" }));
      expect(error).toMatchObject({ kind: "http", status: 409, fault: "conflictingRequest" });
      expect(error.message).toContain(SCENARIOS[scenario]);
    },
  );

  it("Given an empty token, when createImage settles, then it is keystone's 401", async () => {
    const error = await rejection(client(mock.url, "").createImage(SERVER, { name: "x" }));
    expect(error).toMatchObject({ kind: "http", status: 401, fault: "Unauthorized" });
  });

  it("Given 129 metadata items, when created at 2.38 and at 2.39, then the first is forbidden and the second accepted", async () => {
    const metadata = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, "v"]));
    const ecs = client();
    const error = await rejection(ecs.createImage(SERVER, { name: "x", metadata }, { microversion: "2.38" }));
    expect(error).toMatchObject({
      status: 403,
      fault: "forbidden",
    });
    expect(error.message).toBe(`Image metadata limit exceeded (HTTP 403, request ${error.requestId})`);
    expect(
      (await ecs.createImage(SERVER, { name: "x", metadata }, { microversion: "2.39" })).imageId,
    ).toMatch(UUID);
  });

  it("Given a body over the service's size limit, when createImage settles, then it is overLimit", async () => {
    const metadata = Object.fromEntries(Array.from({ length: 500 }, () => [randomUUID(), "v".repeat(255)]));
    const error = await rejection(
      client().createImage(SERVER, { name: "x", metadata }, { microversion: "2.45" }),
    );
    expect(error).toMatchObject({ kind: "http", status: 413, fault: "overLimit" });
  });

  it("Given a service whose maximum is 2.50, when 2.55 is asked for, then it is a 406 computeFault echoing 2.55", async () => {
    const error = await rejection(
      client(older.url).createImage(SERVER, { name: "x" }, { microversion: "2.55" }),
    );
    expect(error).toMatchObject({ kind: "http", status: 406, fault: "computeFault", microversion: "2.55" });
    expect(error.message).toBe(
      `Version 2.55 is not supported by the API. Minimum is 2.1 and maximum is 2.50. (HTTP 406, request ${error.requestId})`,
    );
  });

  it("Given a service whose maximum is 2.50, when negotiating latest and 2.45, then it picks 2.50 and 2.45, and createImage works at the pick", async () => {
    const ecs = client(older.url);
    const picked = await ecs.negotiate("latest");
    expect(picked).toBe("2.50");
    expect(await ecs.negotiate("2.45")).toBe("2.45");
    expect((await ecs.createImage(SERVER, { name: "x" }, { microversion: picked })).microversion).toBe(
      "2.50",
    );
  });

  it("Given the mock, when versions() is read, then it lists v2.0 and v2.1 with the v2.1 range", async () => {
    const versions = await client().versions();
    expect(versions.map((v) => [v.id, v.min_version, v.version])).toEqual([
      ["v2.0", "", ""],
      ["v2.1", contract.minMicroversion, contract.maxMicroversion],
    ]);
  });

  it("Given the raw client and a body createImage() would refuse, when sent, then the service's 400 comes back as the typed error body", async () => {
    const { error, response } = await client().raw.POST("/v2.1/{project_id}/servers/{server_id}/action", {
      params: { path: { project_id: PROJECT, server_id: SERVER } },
      body: { createImage: { name: " lead" } },
    });
    expect(response.status).toBe(400);
    expect(error && "badRequest" in error ? error.badRequest.message : undefined).toBe(
      "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
    );
  });
});
