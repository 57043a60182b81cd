// The browser engine's model comes from generated/engine-data.js, a copy of the dereferenced
// document without the `components` sections the model does not read (scripts/generate.mjs,
// forTheModel). That copy must give the very model the server builds from the whole document.
import { readFileSync } from "node:fs";
import { specPaths } from "@ecs-api/spec";
import { buildModel } from "@ecs-api/spec/model";
import { describe, expect, it } from "vitest";
import data from "#engine-data";

const whole = JSON.parse(readFileSync(specPaths.deref, "utf8"));
const fromWhole = buildModel(whole);
const fromShipped = buildModel(data.spec);

describe("the browser engine's copy of the spec", () => {
  it("gives the model of the whole document: its data, every schema by title and every example", () => {
    // JSON drops the model's lookup functions; their answers are compared below.
    expect(JSON.stringify(fromShipped)).toBe(JSON.stringify(fromWhole));
    expect(fromShipped.microversionPattern.source).toBe(fromWhole.microversionPattern.source);
    const titles = Object.entries<{ title?: string }>(whole.components.schemas).map(
      ([key, s]) => s.title ?? key,
    );
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(fromShipped.schema(title), title).toEqual(fromWhole.schema(title));
    expect(JSON.stringify(fromShipped.examples())).toBe(JSON.stringify(fromWhole.examples()));
  });

  it("leaves out the sections the bundle inlined into paths", () => {
    const shipped = JSON.stringify(data.spec).length;
    const all = JSON.stringify(whole).length;
    console.log(`engine data's spec: ${shipped} B of the dereferenced document's ${all} B`);
    expect(shipped).toBeLessThan(all);
  });
});
