// The Nova layer's pieces that have no HTTP in them.
import { describe, expect, it } from "vitest";
import { requestedVersion } from "../src/engine/microversion.js";
import { pyrepr, pystr } from "../src/engine/pyrepr.js";

describe("Python's repr", () => {
  it.each([
    ["a", "'a'"],
    ["it's", `"it's"`],
    [`say "hi" it's`, `'say "hi" it\\'s'`],
    ["back\\slash", "'back\\\\slash'"],
    ["tab\tnew\nret\r", "'tab\\tnew\\nret\\r'"],
    ["nul\u0000 del\u007f nbsp\u00a0", "'nul\\x00 del\\x7f nbsp\\xa0'"],
    ["zwsp\u200b ls\u2028", "'zwsp\\u200b ls\\u2028'"],
    ["émoji 😀 日本", "'émoji 😀 日本'"],
    ["private \u{F0000}", "'private \\U000f0000'"],
  ])("given the string %j, then %s", (input, expected) => {
    expect(pyrepr(input)).toBe(expected);
  });

  it("given decoded JSON values, then Python's spelling", () => {
    expect(pyrepr(null)).toBe("None");
    expect(pyrepr(true)).toBe("True");
    expect(pyrepr([1, 1.5, false, "x"])).toBe("[1, 1.5, False, 'x']");
    expect(pyrepr({ name: "a", foo: { b: [] } })).toBe("{'name': 'a', 'foo': {'b': []}}");
    expect(pystr("raw")).toBe("raw");
    expect(pystr({})).toBe("{}");
  });
});

describe("which header names the microversion (microversion-parse)", () => {
  const rules = {
    standardHeader: "openstack-api-version",
    legacyHeader: "x-openstack-nova-api-version",
    serviceType: "compute",
    latest: "latest",
    pattern: /^(([1-9][0-9]*)\.([1-9][0-9]*|0)|latest)$/,
    min: "2.1",
    max: "2.60",
  };
  it.each([
    [{}, undefined],
    [{ "openstack-api-version": "compute 2.5" }, "2.5"],
    [{ "openstack-api-version": "compute   2.5  " }, "2.5"],
    [{ "openstack-api-version": "compute 2.5, compute 2.7" }, "2.7"],
    [{ "openstack-api-version": "compute" }, undefined],
    [{ "openstack-api-version": "compute", "x-openstack-nova-api-version": "2.9" }, "2.9"],
    [{ "openstack-api-version": "volume 3.1", "x-openstack-nova-api-version": "2.9, 2.11" }, "2.11"],
    [{ "x-openstack-nova-api-version": "" }, ""],
    [{ "openstack-api-version": "compute 2.1 extra" }, "2.1 extra"],
  ])("given %j, then %j", (headers, expected) => {
    expect(requestedVersion(headers, rules)).toBe(expected);
  });
});
