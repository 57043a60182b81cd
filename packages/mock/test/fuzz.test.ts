// Property-based fuzzing of bodies, version headers and content types: whatever comes in, the
// answer is never a 5xx, never Prism's 422, and always a JSON fault (or a success) body.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionPath, expectNovaShape, fetchOf, legacyPath, send, token, useMock } from "./helpers.js";

const ctx = useMock();
const RUNS = 150;

const name = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 130 }),
  fc.jsonValue(),
);
const metadata = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 260 }), fc.oneof(fc.string({ maxLength: 260 }), fc.jsonValue()), {
    maxKeys: 5,
  }),
  fc.jsonValue(),
);
const createImageBody = fc
  .record({ name, metadata, extra: fc.jsonValue() }, { requiredKeys: [] })
  .map((createImage) => ({ createImage }));
const anyBody = fc.oneof(
  createImageBody.map((b) => JSON.stringify(b)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue(), { maxKeys: 3 }).map((v) => JSON.stringify(v)),
);
const version = fc.oneof(
  fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 120 })).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom("latest", "Latest", "", " ", "2.", ".1", "2.01", "2.1,2.5", "compute"),
  fc.string({ maxLength: 12 }),
);
const standard = fc.oneof(
  version.map((v) => `compute ${v}`),
  fc.tuple(fc.constantFrom("compute", "volume", "COMPUTE", "identity"), version).map(([s, v]) => `${s} ${v}`),
  fc.string({ maxLength: 20 }),
);
// Header values must be valid HTTP field values to be sent at all.
const headerSafe = (s: string) => /^[\t\x20-\x7e]*$/.test(s);
const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/xml",
    "text/plain",
    "",
    "application/json; charset=latin1",
    "*/*",
  ),
  fc.string({ maxLength: 20 }).filter(headerSafe),
);

describe("fuzzing", () => {
  it("given any body on /v2.1, then a Nova answer", async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        expectNovaShape(await send(ctx.mock, actionPath(), { "Content-Type": "application/json" }, body));
      }),
      { numRuns: RUNS },
    );
  });

  it("given any createImage body on /v2, then a Nova answer", async () => {
    await fc.assert(
      fc.asyncProperty(createImageBody, async (body) => {
        expectNovaShape(
          await send(ctx.mock, legacyPath(), { "Content-Type": "application/json" }, JSON.stringify(body)),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("given any version headers and content type, then a Nova answer", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(standard.filter(headerSafe), { nil: undefined }),
        fc.option(version.filter(headerSafe), { nil: undefined }),
        contentType,
        async (std, legacy, type) => {
          const headers: Record<string, string> = { "Content-Type": type };
          if (std !== undefined) headers["OpenStack-API-Version"] = std;
          if (legacy !== undefined) headers["X-OpenStack-Nova-API-Version"] = legacy;
          const r = await send(
            ctx.mock,
            actionPath(),
            headers,
            JSON.stringify({ createImage: { name: "a" } }),
          );
          expectNovaShape(r);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("given any path under /v2.1, then a 4xx JSON fault or a spec answer, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.webPath(),
        fc.constantFrom("GET", "POST", "PUT", "DELETE"),
        async (path, method) => {
          const res = await fetchOf(ctx.mock)(`${ctx.mock.url}/v2.1${path}`, { method, headers: token });
          const text = await res.text();
          expect(res.status).toBeLessThan(500);
          expect(() => JSON.parse(text)).not.toThrow();
        },
      ),
      { numRuns: RUNS },
    );
  });
});
