import { existsSync, readFileSync } from "node:fs";
import { type Compiled, compileWithPrism, prismVersion, sha256Of } from "./compile.js";

/** Where the build stores Prism's templates (scripts/generate.mjs). */
export const TEMPLATES_FILE = new URL("../../generated/templates.json", import.meta.url);

/**
 * Prism's operations and templates for the spec at `specPath`: the build's copy when it was made
 * from this very file by this Prism version, else computed now with Prism (1–2 s).
 */
export async function loadCompiled(specPath: string): Promise<Compiled> {
  const sha = sha256Of(specPath);
  if (existsSync(TEMPLATES_FILE)) {
    try {
      const stored = JSON.parse(readFileSync(TEMPLATES_FILE, "utf8")) as Compiled;
      if (stored.specSha256 === sha && stored.prism === prismVersion()) return stored;
    } catch {
      // An unreadable copy is as good as none.
    }
  }
  return compileWithPrism(specPath);
}
