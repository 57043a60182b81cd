// The reference's body cases, from the spec package's tables, against a running mock.
import { badBodies, goodBodies, inRange } from "@ecs-api/spec";
import { describe, expect, it } from "vitest";
import { adversarialBodies } from "./corpus.js";
import {
  actionPath,
  call,
  contract,
  createImage,
  faultOf,
  json,
  legacyPath,
  token,
  useMock,
} from "./helpers.js";

const ctx = useMock();
const bad = badBodies();
const good = goodBodies();
const quotaRange = contract.responseRanges[403];
const corpus = adversarialBodies();

describe("the body tables", () => {
  it("are filled in (the cases below run over them)", () => {
    expect(bad.length).toBeGreaterThanOrEqual(25);
    expect(good.length).toBeGreaterThanOrEqual(10);
  });
});

describe("bad bodies on /v2.1", () => {
  it.each(bad.map((c) => [c.case, c] as const))(
    "given %s, then Nova's status, fault and message",
    async (_, c) => {
      for (const version of ["2.1", "latest"]) {
        const r = await createImage(ctx.mock, c.body, { version });
        expect(r.status, version).toBe(c.status);
        expect(faultOf(r), version).toEqual({ key: c.fault, code: c.status, message: c.message });
      }
    },
  );

  it.each(bad.map((c) => [c.case, c] as const))(
    "given %s on a server that does not exist, then still the body's answer",
    async (_, c) => {
      const r = await createImage(ctx.mock, c.body, { server: "00000000-0000-0000-0000-000000000404" });
      expect(r.status).toBe(c.status);
      expect(faultOf(r).message).toBe(c.message);
    },
  );
});

describe("bad bodies on the legacy /v2", () => {
  it.each(bad.map((c) => [c.case, c] as const))("given %s, then /v2's answer", async (_, c) => {
    const legacy = c.legacyV2;
    const r = await call(ctx.mock, legacyPath(), { body: c.body, headers: { ...token, ...json } });
    expect(r.status).toBe(legacy?.status ?? c.status);
    if (r.status !== 202) expect(faultOf(r).message).toBe(legacy?.message ?? c.message);
  });
});

describe("good bodies", () => {
  it.each(good.map((c) => [c.case, c] as const))(
    "given %s, then 202 at 2.1, 2.44, 2.45 and the maximum",
    async (_, c) => {
      for (const version of ["2.1", "2.44", "2.45", contract.maxMicroversion]) {
        const r = await createImage(ctx.mock, c.body, { version });
        const quota = c.quotaExceeded === true && quotaRange !== undefined && inRange(version, quotaRange);
        expect(r.status, version).toBe(quota ? 403 : 202);
      }
    },
  );

  it.each(good.map((c) => [c.case, c] as const))(
    "given %s on /v2, then 202 (403 above the metadata quota)",
    async (_, c) => {
      const r = await call(ctx.mock, legacyPath(), { body: c.body, headers: { ...token, ...json } });
      expect(r.status).toBe(c.quotaExceeded ? 403 : 202);
    },
  );
});

describe("bodies that are not JSON objects", () => {
  const malformed = "Malformed request body";
  it.each([
    ["not JSON", "createImage"],
    ["empty", ""],
    ["truncated JSON", '{"createImage": {"name": "a"}'],
    ["JSON with a trailing comma", '{"createImage": {"name": "a"},}'],
    ["a two-character JSON string", '"ab"'],
    ["an array of two", "[1, 2]"],
  ])("given a body that is %s, then 400 Malformed request body", async (_, raw) => {
    const r = await call(ctx.mock, actionPath(), { raw, headers: { ...token, ...json } });
    expect(r.status).toBe(400);
    expect(faultOf(r)).toEqual({ key: "badRequest", code: 400, message: malformed });
  });

  it("given invalid UTF-8, then 400 Malformed request body", async () => {
    const raw = Buffer.concat([
      Buffer.from('{"createImage": {"name": "'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ]);
    const r = await call(ctx.mock, actionPath(), { raw, headers: { ...token, ...json } });
    expect(faultOf(r).message).toBe(malformed);
  });

  it("given a UTF-8 byte order mark before the JSON, then 400 Malformed request body (Python's json refuses it)", async () => {
    const r = await call(ctx.mock, actionPath(), {
      raw: `\uFEFF${JSON.stringify({ createImage: { name: "a" } })}`,
      headers: { ...token, ...json },
    });
    expect(faultOf(r).message).toBe(malformed);
  });

  it("given a one-element array, then 404 as Nova's routing answers it", async () => {
    const r = await call(ctx.mock, actionPath(), { raw: "[1]", headers: { ...token, ...json } });
    expect(r.status).toBe(404);
    expect(faultOf(r).message).toBe("The resource could not be found.");
  });
});

describe("which schema error Nova reports when there are several", () => {
  const message = async (createImageValue: unknown) =>
    faultOf(await createImage(ctx.mock, { createImage: createImageValue })).message;

  it("given an empty name and an unknown key, then the name error (properties before additionalProperties)", async () => {
    expect(await message({ name: "", foo: 1 })).toBe(
      "Invalid input for field/attribute name. Value: . '' should be non-empty",
    );
  });

  it("given no name and an unknown key, then the required error (required before additionalProperties)", async () => {
    expect(await message({ foo: 1 })).toBe(
      "Invalid input for field/attribute createImage. Value: {'foo': 1}. 'name' is a required property",
    );
  });

  it("given a bad name and bad metadata, then the name error (name comes first in the schema)", async () => {
    expect(await message({ metadata: { k: 1 }, name: 5 })).toBe(
      "Invalid input for field/attribute name. Value: 5. 5 is not of type 'string'",
    );
  });

  it("given two bad metadata values, then the first in request order", async () => {
    expect(await message({ name: "a", metadata: { b: 2, a: 1 } })).toBe(
      "Invalid input for field/attribute b. Value: 2. 2 is not of type 'string'",
    );
  });

  it("given two bad metadata keys, then both, sorted, in one message", async () => {
    expect(await message({ name: "a", metadata: { "b/k": "v", "a/k": "z" } })).toBe(
      "Invalid input for field/attribute metadata. Value: {'b/k': 'v', 'a/k': 'z'}. 'a/k', 'b/k' do not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'",
    );
  });

  it("given a 300-character name with a leading space, then 'too long' (length is checked before the format)", async () => {
    const name = ` ${"a".repeat(299)}`;
    expect(await message({ name })).toBe(
      `Invalid input for field/attribute name. Value: ${name}. '${name}' is too long`,
    );
  });

  it("given keys with %, ~ and /, then they are named as sent", async () => {
    expect(await message({ name: "a", "x%y~1/z": 1 })).toBe(
      "Invalid input for field/attribute createImage. Value: {'name': 'a', 'x%y~1/z': 1}. Additional properties are not allowed ('x%y~1/z' was unexpected)",
    );
  });

  it("given a name with a quote, then the value is shown as Python's repr shows it", async () => {
    expect(await message({ name: "it's", extra: true })).toBe(
      `Invalid input for field/attribute createImage. Value: {'name': "it's", 'extra': True}. Additional properties are not allowed ('extra' was unexpected)`,
    );
  });

  it("given a non-ASCII control character in a value, then repr escapes it", async () => {
    expect(await message({ name: "a", metadata: { k: ["x\u00a0y\n"] } })).toBe(
      "Invalid input for field/attribute k. Value: ['x\\xa0y\\n']. ['x\\xa0y\\n'] is not of type 'string'",
    );
  });
});

describe("the adversarial corpus (the spec's fixtures/adversarial-bodies.json)", () => {
  const raw = (c: (typeof corpus)[number]) => Buffer.from(c.bytes);
  // Messages run to 230 KB: on a mismatch, say where they part instead of printing both.
  const sameText = (actual: string, expected: string | undefined) => {
    if (actual === expected) return "same";
    let i = 0;
    while (i < actual.length && actual[i] === expected?.[i]) i++;
    return `differ at ${i}: ${JSON.stringify(actual.slice(i, i + 80))} instead of ${JSON.stringify(expected?.slice(i, i + 80))}`;
  };
  const expectAnswer = (
    r: Awaited<ReturnType<typeof call>>,
    c: (typeof corpus)[number],
    status: number,
    message: string | undefined,
  ) => {
    expect(r.status).toBe(status);
    if (status === 202 || status === 403) return;
    const fault = faultOf(r);
    expect({ key: fault.key, code: fault.code }).toEqual({ key: c.fault, code: status });
    expect(sameText(fault.message, message)).toBe("same");
  };

  it.each(corpus.map((c) => [c.case, c] as const))(
    "given %s, then Nova's answer at 2.1 and at the maximum",
    async (_, c) => {
      for (const version of ["2.1", contract.maxMicroversion]) {
        const quota = c.quotaExceeded === true && quotaRange !== undefined && inRange(version, quotaRange);
        const r = await call(ctx.mock, actionPath(), {
          raw: raw(c),
          headers: { ...token, ...json, "OpenStack-API-Version": `compute ${version}` },
        });
        expectAnswer(r, c, quota ? 403 : c.status, c.message);
      }
    },
  );

  it.each(corpus.map((c) => [c.case, c] as const))("given %s on /v2, then /v2's answer", async (_, c) => {
    const r = await call(ctx.mock, legacyPath(), { raw: raw(c), headers: { ...token, ...json } });
    const status = c.legacyV2?.status ?? (c.quotaExceeded ? 403 : c.status);
    expectAnswer(r, c, status, c.legacyV2?.message ?? c.message);
  });
});
