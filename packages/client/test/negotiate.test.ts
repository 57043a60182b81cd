import { describe, expect, it } from "vitest";
import { createEcsClient, type Microversion } from "../src/index.js";
import { contract, example, fault, observedFetch, PROJECT, rejection, TOKEN } from "./helpers.js";

const BASE = "https://ecs.example.test";
/** The spec's v2.1 version document with another range. */
const versionDocument = (min: string, max: string) => {
  const doc = structuredClone(example("version-v2.1"));
  doc.version.min_version = min;
  doc.version.version = max;
  return doc;
};
const serving = (body: unknown, status = 200) => {
  const observed = observedFetch(
    () => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }),
  );
  return {
    ...observed,
    ecs: createEcsClient({ baseUrl: BASE, projectId: PROJECT, token: TOKEN, fetch: observed.fetch }),
  };
};

describe("versions()", () => {
  it("Given the service's version list, when versions() resolves, then it is the list from GET /", async () => {
    const { ecs, calls } = serving(example("versions"));
    const versions = await ecs.versions();
    expect(calls[0]?.url).toBe(`${BASE}/`);
    expect(calls[0]?.method).toBe("GET");
    expect(versions.map((v) => [v.id, v.min_version, v.version])).toEqual([
      ["v2.0", "", ""],
      ["v2.1", contract.minMicroversion, contract.maxMicroversion],
    ]);
  });

  it("Given an answer without a list, when versions() settles, then it rejects with invalid-response", async () => {
    const { ecs } = serving({ nothing: true });
    expect((await rejection(ecs.versions())).kind).toBe("invalid-response");
  });

  it("Given a 500 fault, when versions() settles, then it rejects with the typed http error", async () => {
    const observed = observedFetch(() => fault(500, "computeFault", "Unexpected API Error."));
    const ecs = createEcsClient({ baseUrl: BASE, projectId: PROJECT, token: TOKEN, fetch: observed.fetch });
    expect(await rejection(ecs.versions())).toMatchObject({
      kind: "http",
      status: 500,
      fault: "computeFault",
    });
  });
});

describe("negotiate(wanted)", () => {
  it.each([
    ["2.45", "2.1", "2.60", "2.45"],
    ["2.45", "2.1", "2.30", "2.30"],
    ["latest", "2.1", "2.60", contract.maxMicroversion],
    ["latest", "2.1", "2.50", "2.50"],
    // A newer server than the spec: "latest" stops at what this client understands.
    ["latest", "2.1", "2.96", contract.maxMicroversion],
    ["2.10", "2.10", "2.60", "2.10"],
  ])(
    "Given wanted %s and a server at %s–%s, when negotiate resolves, then it picks %s",
    async (wanted, min, max, picked) => {
      const { ecs, calls } = serving(versionDocument(min, max));
      expect(await ecs.negotiate(wanted as Microversion)).toBe(picked);
      expect(calls[0]?.url).toBe(`${BASE}/v2.1/`);
      expect(Object.keys(calls[0]?.headers ?? {}).filter((h) => /api-version/i.test(h))).toEqual([]);
    },
  );

  it("Given no wanted version, when negotiate resolves, then it behaves as latest", async () => {
    const { ecs } = serving(versionDocument("2.1", "2.52"));
    expect(await ecs.negotiate()).toBe("2.52");
  });

  it("Given wanted below the server's minimum, when negotiate settles, then it rejects with version naming both ranges", async () => {
    const { ecs } = serving(versionDocument("2.20", "2.60"));
    const error = await rejection(ecs.negotiate("2.5"));
    expect(error.kind).toBe("version");
    expect(error.message).toContain("2.5");
    expect(error.message).toContain("server 2.20-2.60");
    expect(error.message).toContain(`client ${contract.minMicroversion}-${contract.maxMicroversion}`);
  });

  it("Given a server whose maximum is below this client's minimum, when negotiate settles, then it rejects with version", async () => {
    const { ecs } = serving(versionDocument("1.5", "2.0"));
    expect((await rejection(ecs.negotiate("latest"))).kind).toBe("version");
  });

  it("Given a v2.0-style document with empty versions, when negotiate settles, then it rejects with invalid-response", async () => {
    const { ecs } = serving(example("version-v2"));
    expect((await rejection(ecs.negotiate("2.45"))).kind).toBe("invalid-response");
  });

  it.each([
    ["latest", "2.60"],
    ["2.1", "2.x"],
  ])(
    "Given a document whose range is %s–%s, when negotiate settles, then it rejects with invalid-response",
    async (min, max) => {
      const { ecs } = serving(versionDocument(min, max));
      expect((await rejection(ecs.negotiate("2.45"))).kind).toBe("invalid-response");
    },
  );

  it("Given a malformed wanted version, when negotiate is called, then it rejects with invalid-request and sends nothing", async () => {
    const { ecs, calls } = serving(versionDocument("2.1", "2.60"));
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller can pass anything.
    expect((await rejection(ecs.negotiate("2.x" as any))).kind).toBe("invalid-request");
    expect(calls).toHaveLength(0);
  });
});
