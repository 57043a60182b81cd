import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageDir } from "../src/paths.js";

// A clone has only the repository: a README may not send its reader to a folder beside it.

function readmes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (["node_modules", "dist", "test-output"].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return readmes(path);
    return /^readme\.md$/i.test(entry.name) ? [path] : [];
  });
}

describe("READMEs", () => {
  it("Given the package's READMEs, then none points at ../shared or /work/shared", () => {
    const files = readmes(packageDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(readFileSync(file, "utf8"), file).not.toMatch(/(\.\.\/|\/work\/)shared\b/);
  });
});
