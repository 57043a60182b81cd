import { describe, expect, it } from "vitest";
import { badBodies, goodBodies, loadContract } from "../src/index.js";
import { createValidator } from "./helpers.js";

const { validate } = createValidator();
const REQUEST_SCHEMA = "/components/schemas/CreateImageAction";
const bad = badBodies();
const good = goodBodies();
const contract = loadContract();
const utf8Bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("the bad-body table", () => {
  it("has at least 25 cases, each with Nova's status, fault key and message", () => {
    expect(bad.length).toBeGreaterThanOrEqual(25);
    for (const c of bad) {
      expect(c.message, c.case).not.toBe("");
      expect(contract.faultKeys[c.status], c.case).toBe(c.fault);
    }
  });

  it("names every case once", () => {
    expect(new Set(bad.map((c) => c.case)).size).toBe(bad.length);
  });

  const schemaCases = bad.filter((c) => c.schemaRejects !== false);
  it.each(schemaCases.map((c) => [c.case, c] as const))("given %s, the request schema rejects it", (_, c) => {
    expect(validate(REQUEST_SCHEMA, c.body).ok).toBe(false);
  });

  // Rules JSON Schema cannot state (UTF-8 bytes, Unicode categories) are code's job. The schema
  // accepting them is part of the contract: tightening the schema must update the table.
  const codeCases = bad.filter((c) => c.schemaRejects === false);
  it.each(codeCases.map((c) => [c.case, c] as const))("given %s, only code can reject it", (_, c) => {
    expect(validate(REQUEST_SCHEMA, c.body).ok).toBe(true);
  });

  it("covers the name's byte limit with a name the schema's character count lets through", () => {
    const names = codeCases.map((c) => (c.body as { createImage: { name: string } }).createImage.name);
    expect(names.some((n) => n.length <= 242 && utf8Bytes(n) > contract.name.maxBytes)).toBe(true);
  });
});

describe("the good-body table", () => {
  it("has at least 10 cases", () => {
    expect(good.length).toBeGreaterThanOrEqual(10);
  });

  it.each(good.map((c) => [c.case, c] as const))("given %s, the request schema accepts it", (_, c) => {
    const result = validate(REQUEST_SCHEMA, c.body);
    expect(result.errors).toBe("No errors");
  });

  it("keeps every name within the byte limit the spec states", () => {
    for (const c of good) {
      const { name } = (c.body as { createImage: { name: string } }).createImage;
      expect(utf8Bytes(name), c.case).toBeLessThanOrEqual(contract.name.maxBytes);
    }
  });

  it("marks exactly the cases over the metadata quota", () => {
    for (const c of good) {
      const items = Object.keys(
        (c.body as { createImage: { metadata?: object } }).createImage.metadata ?? {},
      ).length;
      expect(c.quotaExceeded === true, c.case).toBe(items > contract.metadata.quotaMaxItems);
    }
  });
});
