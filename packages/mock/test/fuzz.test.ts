// Property-based fuzzing of bodies, version headers and content types: whatever comes in, the
// answer is never a 5xx, never Prism's 422, and always a JSON fault (or a success) body.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  actionPath,
  contract,
  expectNovaShape,
  fetchOf,
  legacyPath,
  problemsOf,
  send,
  token,
  useMock,
} from "./helpers.js";

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

// The adversarial shapes (see the spec's fixtures/adversarial-bodies.json), built as text so that a
// body 20,000 deep is never a JavaScript value on this side: wide objects, deep nesting at every
// position, strings near the size limit, lone surrogate escapes, duplicate keys, bytes that are not UTF-8.
const HEAVY_RUNS = 25;
const jsonText = (v: unknown) => JSON.stringify(v);
const scalar = fc.oneof(
  fc.constantFrom("1", '""', '"v"', "null", "true", "[]", "{}", '"\\ud800"', '"a\\u0000"'),
  fc.string({ maxLength: 20 }).map(jsonText),
);
const key = fc.oneof(
  fc.nat({ max: 99_999 }).map((i) => `k${i}`),
  fc.constantFrom("/x", "", " ", "\udc00", "name", "metadata", "createImage"),
);
const wideObject = fc
  .tuple(fc.integer({ min: 1_000, max: 9_000 }), key, scalar, fc.boolean())
  .map(([n, k, v, distinct]) => {
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(`${jsonText(distinct ? `${k}${i}` : k)}:${v}`);
    return `{${items.join(",")}}`;
  });
const deepValue = fc
  .tuple(fc.integer({ min: 900, max: 20_000 }), fc.constantFrom("[", '{"a":', "mixed"))
  .map(([depth, open]) => {
    const opens: string[] = [];
    for (let i = 0; i < depth; i++) opens.push(open === "mixed" ? (i % 2 ? "[" : '{"a":') : open);
    const closes = opens.map((o) => (o === "[" ? "]" : "}")).reverse();
    return `${opens.join("")}1${closes.join("")}`;
  });
const hugeString = fc
  .tuple(
    fc.integer({ min: 1_000, max: 18_000 }),
    fc.constantFrom("a", "\\u00e9", "\\ud800", "日", "\\n", "'"),
  )
  .map(([n, unit]) => `"${unit.repeat(n)}"`);
const heavyValue = fc.oneof(wideObject, deepValue, hugeString);
/** The value placed where a name, a metadata value or key, createImage or the whole body goes. */
const adversarialBody = fc
  .tuple(
    heavyValue,
    fc.constantFrom("name", "metadata", "metadata value", "createImage", "extra key", "whole body"),
  )
  .map(([value, at]) => {
    switch (at) {
      case "name":
        return `{"createImage":{"name":${value}}}`;
      case "metadata":
        return `{"createImage":{"name":"a","metadata":${value}}}`;
      case "metadata value":
        return `{"createImage":{"name":"a","metadata":{"k":${value}}}}`;
      case "createImage":
        return `{"createImage":${value}}`;
      case "extra key":
        return `{"createImage":{"name":"a","x":${value}}}`;
      default:
        return value;
    }
  });
const duplicateKeys = fc
  .tuple(fc.integer({ min: 2, max: 5_000 }), fc.constantFrom("createImage", "name", "k"), scalar)
  .map(([n, k, v]) => {
    const inner = Array.from({ length: n }, () => `"${k}":${v}`).join(",");
    if (k === "createImage") return `{${inner}}`;
    if (k === "name") return `{"createImage":{${inner}}}`;
    return `{"createImage":{"name":"a","metadata":{${inner}}}}`;
  });
/** A valid body with bytes that are not UTF-8 spliced into it (inside the name or later). */
const notUtf8 = fc
  .tuple(
    fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 40_000 }),
    fc.nat({ max: 20 }),
  )
  .map(([bytes, at]) => {
    const text = new TextEncoder().encode('{"createImage":{"name":"image-name","metadata":{"k":"v"}}}');
    const cut = Math.min(at + 23, text.length);
    // 0xFF never occurs in UTF-8: the spliced bytes cannot happen to be a valid sequence.
    return Buffer.concat([text.subarray(0, cut), Buffer.from([0xff, ...bytes]), text.subarray(cut)]);
  });

async function sendRaw(path: string, body: string | Buffer) {
  const res = await fetchOf(ctx.mock)(`${ctx.mock.url}${path}`, {
    method: "POST",
    headers: { ...token, "Content-Type": "application/json" },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  const text = await res.text();
  expect(
    problemsOf("POST", path, { status: res.status, headers: res.headers, text, json: undefined }),
  ).toEqual([]);
  return { status: res.status, type: res.headers.get("content-type"), text };
}

describe("fuzzing the adversarial shapes", () => {
  it("given a wide, deep or huge value at any position, then a Nova answer (413 only over the limit)", async () => {
    await fc.assert(
      fc.asyncProperty(adversarialBody, fc.boolean(), async (body, legacy) => {
        const r = await sendRaw(legacy ? legacyPath() : actionPath(), body);
        if (Buffer.byteLength(body) > contract.maxBodyBytes) expect(r.status).toBe(413);
        else expect(r.status).not.toBe(413);
        expectNovaShape(r);
      }),
      { numRuns: HEAVY_RUNS },
    );
  });

  it("given duplicate keys, then a Nova answer", async () => {
    await fc.assert(
      fc.asyncProperty(duplicateKeys, async (body) => expectNovaShape(await sendRaw(actionPath(), body))),
      { numRuns: HEAVY_RUNS },
    );
  });

  it("given bytes that are not UTF-8 in a body, then 400 Malformed request body", async () => {
    await fc.assert(
      fc.asyncProperty(notUtf8, async (body) => {
        const r = await sendRaw(actionPath(), body);
        if (body.length > contract.maxBodyBytes) return expect(r.status).toBe(413);
        expectNovaShape(r);
        expect(JSON.parse(r.text).badRequest.message).toBe("Malformed request body");
      }),
      { numRuns: HEAVY_RUNS },
    );
  });
});

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
