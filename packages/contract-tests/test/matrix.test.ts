import { createEcsClient } from "@ecs-api/client";
import {
  CREATE_IMAGE_LEGACY_PATH,
  CREATE_IMAGE_PATH,
  compareMicroversions,
  loadContract,
} from "@ecs-api/spec";
import { createResponseValidator } from "@ecs-api/spec/testing";
import { describe, expect, inject, it } from "vitest";
import { NOVA } from "../src/nova.js";
import { observedFetch } from "../src/observe.js";

// The whole matrix the issue names: URI version × microversion × header form.
const contract = loadContract();
const URI_VERSIONS = ["/v2.1", "/v2"] as const;
const MICROVERSIONS = [undefined, "2.1", "2.44", "2.45", contract.maxMicroversion, "latest"] as const;
const HEADER_FORMS = ["standard", "legacy", "both"] as const;
type Form = (typeof HEADER_FORMS)[number];

const STANDARD = "OpenStack-API-Version";
const LEGACY = "X-OpenStack-Nova-API-Version";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SERVER = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
const { problems } = createResponseValidator();

/** Sends the wanted microversion in exactly the given header form(s), whatever the client set. */
const sendAs = (microversion: string | undefined, form: Form) => (headers: Headers) => {
  headers.delete(STANDARD);
  headers.delete(LEGACY);
  if (microversion === undefined) return;
  if (form !== "legacy") headers.set(STANDARD, `compute ${microversion}`);
  if (form !== "standard") headers.set(LEGACY, microversion);
};

const cases = URI_VERSIONS.flatMap((uri) =>
  MICROVERSIONS.flatMap((microversion) => HEADER_FORMS.map((form) => ({ uri, microversion, form }))),
);

describe("the client against the mock, across the matrix", () => {
  it("has the 36 cases of the issue (2 URI versions × 6 microversions × 3 header forms)", () => {
    expect(cases).toHaveLength(36);
  });

  it.each(
    cases.map((c) => [`${c.uri} microversion ${c.microversion ?? "none"} sent as ${c.form}`, c] as const),
  )(
    "given %s, createImage resolves to the same shape and the wire answer is Nova's",
    async (_, { uri, microversion, form }) => {
      const observed = observedFetch(sendAs(microversion, form));
      const client = createEcsClient({
        baseUrl: inject("mockUrl"),
        projectId: "9c53a566cb3443ab910cf0daebca90c4",
        token: "contract-token",
        fetch: observed.fetch,
      });
      const legacyV2 = uri === "/v2";
      const result = await client.createImage(
        SERVER,
        { name: "contract-image", metadata: { suite: "matrix" } },
        legacyV2 ? { legacyV2: true } : {},
      );

      // What /v2.1 answers with: no header → 2.1, latest → the maximum. /v2 ignores the headers.
      const effective = legacyV2
        ? undefined
        : microversion === undefined
          ? NOVA.minMicroversion
          : microversion === "latest"
            ? NOVA.maxMicroversion
            : microversion;
      const [exchange] = observed.exchanges;
      expect(exchange?.status).toBe(202);
      if (!exchange) return;

      // The client's normalized result.
      expect(result.imageId).toMatch(UUID);
      expect(result.microversion).toBe(effective ?? "2.0");
      const bodyFromHere =
        effective !== undefined && compareMicroversions(effective, NOVA.imageIdInBodyFrom) >= 0;
      if (bodyFromHere) {
        expect(result.location).toBeUndefined();
        expect(JSON.parse(exchange.body)).toEqual({ image_id: result.imageId });
        expect(exchange.headers.get("content-type")).toBe("application/json");
      } else {
        expect(result.location).toMatch(new RegExp(`^https?://.+/images/${result.imageId}$`));
        expect(exchange.headers.get("location")).toBe(result.location);
        expect(exchange.body).toBe("");
      }

      // The raw answer: version headers on /v2.1 only, and valid against the spec and its variant.
      if (legacyV2) {
        expect(exchange.headers.get(STANDARD)).toBeNull();
        expect(exchange.headers.get(LEGACY)).toBeNull();
      } else {
        expect(exchange.headers.get(STANDARD)).toBe(`compute ${effective}`);
        expect(exchange.headers.get(LEGACY)).toBe(effective);
        expect(exchange.headers.get("vary")).toMatch(/OpenStack-API-Version.*X-OpenStack-Nova-API-Version/);
      }
      const path = legacyV2 ? CREATE_IMAGE_LEGACY_PATH : CREATE_IMAGE_PATH;
      expect(problems({ ...exchange, path }, effective)).toEqual([]);
    },
  );

  it("given two calls, answers two different image IDs", async () => {
    const client = createEcsClient({
      baseUrl: inject("mockUrl"),
      projectId: "p",
      token: "t",
      microversion: "latest",
    });
    const [a, b] = await Promise.all([
      client.createImage(SERVER, { name: "one" }),
      client.createImage(SERVER, { name: "two" }),
    ]);
    expect(a.imageId).not.toBe(b.imageId);
  });
});
