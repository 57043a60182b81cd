import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

it("imports nothing: no node: module, no package (browser-safe)", () => {
  const source = readFileSync(new URL("../src/index.ts", import.meta.url), "utf8");
  expect(source).not.toMatch(/^\s*import\s/m);
  expect(source).not.toMatch(/require\(|from\s+["']/);
});
