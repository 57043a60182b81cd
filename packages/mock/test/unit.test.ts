// The Nova layer's pieces that have no HTTP in them.
import { describe, expect, it } from "vitest";
import { requestedVersion } from "../src/engine/microversion.js";
import { pyrepr, pystr } from "../src/engine/pyrepr.js";
import { evictOldest } from "../src/engine/workflow/eviction.js";

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

describe("evictOldest (the capped stores' insertion order)", () => {
  const fill = (cap: number) => {
    const map = new Map<string, number>();
    const evicted: number[] = [];
    const order = evictOldest(map, cap, (v) => evicted.push(v));
    const add = (k: string, v: number) => {
      map.set(k, v);
      order.added(k);
    };
    return { map, evicted, order, add };
  };

  it("given more inserts than the cap, then the oldest go first and the map stays at the cap", () => {
    const { map, evicted, add } = fill(3);
    for (let i = 0; i < 6; i++) add(`k${i}`, i);
    expect([...map.keys()]).toEqual(["k3", "k4", "k5"]);
    expect(evicted).toEqual([0, 1, 2]);
  });

  it("given keys the caller deleted, then they are skipped and the oldest live one is evicted", () => {
    const { map, evicted, add } = fill(2);
    add("a", 1);
    add("b", 2);
    map.delete("a");
    add("c", 3);
    expect(evicted).toEqual([]);
    add("d", 4);
    expect(evicted).toEqual([2]);
    expect([...map.keys()]).toEqual(["c", "d"]);
  });

  it("given many inserts and deletes, then eviction still takes the oldest live entry (after compactions)", () => {
    const { map, evicted, add } = fill(5);
    for (let i = 0; i < 20_000; i++) {
      add(`k${i}`, i);
      // Every other entry is deleted by the caller before the cap is reached.
      if (i % 2 === 0) map.delete(`k${i}`);
    }
    expect(map.size).toBe(5);
    expect([...map.keys()]).toEqual(["k19991", "k19993", "k19995", "k19997", "k19999"]);
    expect(evicted.at(-1)).toBe(19989);
  });

  it("given inserts each deleted at once (no eviction ever runs), then the keys held stay bounded and the order holds", () => {
    const { map, evicted, order, add } = fill(5);
    for (let i = 0; i < 5_000; i++) {
      add(`gone${i}`, -1);
      map.delete(`gone${i}`);
    }
    expect(order.held()).toBeLessThanOrEqual(2 * 5 + 1024 + 1);
    for (let i = 0; i < 6; i++) add(`k${i}`, i);
    expect(evicted).toEqual([0]);
  });

  it("given clear() with the map's clear(), then the same keys can be added again", () => {
    const { map, evicted, order, add } = fill(2);
    add("a", 1);
    add("b", 2);
    map.clear();
    order.clear();
    add("b", 3);
    add("a", 4);
    add("c", 5);
    expect(evicted).toEqual([3]);
    expect([...map.keys()]).toEqual(["a", "c"]);
  });
});
