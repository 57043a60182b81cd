import { existsSync, readFileSync } from "node:fs";
import { type Compiled, compileWithPrism, prismVersion, sha256Of } from "./compile.js";

/** Where the build stores Prism's templates: dist/ seen from dist/prism/, or from src/prism/ in tests. */
export const COMPILED_FILES = [
  new URL("../prism-compiled.json", import.meta.url),
  new URL("../../dist/prism-compiled.json", import.meta.url),
];

/**
 * Prism's operations and templates for the spec at `specPath`: the build's copy when it was made
 * from this very file by this Prism version, else computed now with Prism (1–2 s).
 */
export async function loadCompiled(specPath: string): Promise<Compiled & { fromBuild: boolean }> {
  const sha = sha256Of(specPath);
  for (const file of COMPILED_FILES) {
    if (!existsSync(file)) continue;
    try {
      const stored = JSON.parse(readFileSync(file, "utf8")) as Compiled;
      if (stored.specSha256 === sha && stored.prism === prismVersion()) return { ...stored, fromBuild: true };
    } catch {
      // An unreadable copy is as good as none.
    }
  }
  return { ...(await compileWithPrism(specPath)), fromBuild: false };
}
