import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "ecs-spec-lint-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Copies the spec folder, applies one edit, and lints the copy as the build does (redocly.yaml). */
function lintWith(name: string, file: string, edit: (text: string) => string): string {
  const dir = join(work, name);
  for (const part of [
    "openapi.yaml",
    "description.md",
    "redocly.yaml",
    ".redocly.lint-ignore.yaml",
    "paths",
    "components",
    "generated",
    "plugins",
    // The plugin imports the one microversion module from the build.
    "dist/microversion.js",
  ]) {
    cpSync(join(root, part), join(dir, part), { recursive: true });
  }
  const target = join(dir, file);
  const before = readFileSync(target, "utf8");
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(target, after);
  try {
    // The lint step of the build itself (scripts/bundle.mjs), run in the copy.
    execFileSync(process.execPath, [join(root, "scripts/bundle.mjs"), "--lint"], { cwd: dir, stdio: "pipe" });
    return "";
  } catch (error) {
    const { stdout, stderr } = error as { stdout: Buffer; stderr: Buffer };
    return `${stdout}${stderr}`;
  }
}

describe("house lint rules", () => {
  it("given the document as it is, report nothing", () => {
    expect(lintWith("clean", "description.md", (t) => `${t}\n`)).toBe("");
  });

  it("given a response without an example, fail with response-has-example", () => {
    const out = lintWith("no-example", "components/responses/Conflict.yaml", (t) =>
      t.replace(/ {4}examples:[\s\S]*$/, ""),
    );
    expect(out).toContain("house-rules/response-has-example");
  });

  it("given a max-ver that is not a version string, fail with x-openstack-range", () => {
    const out = lintWith("bad-range", "components/headers/Location-max-2.44.yaml", (t) =>
      t.replace('max-ver: "2.44"', "max-ver: 2.44"),
    );
    expect(out).toContain("house-rules/x-openstack-range");
    // The build's own closing line: which file failed, how many errors, where the rules are.
    expect(out).toContain("openapi.yaml: lint failed with 1 error(s) (rules: redocly.yaml)");
  });

  it("given a min-ver above the maximum microversion, fail with x-openstack-range", () => {
    const out = lintWith("above-max", "components/schemas/CreateImageResult.yaml", (t) =>
      t.replace('min-ver: "2.45"', 'min-ver: "2.99"'),
    );
    expect(out).toContain("x-openstack-range");
  });
});
