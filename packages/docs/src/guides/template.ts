import { readFileSync } from "node:fs";
import { packageDir } from "../paths.js";

/** Where the prose lives: `src/guides/<name>.md`, read from the package (tests and build alike). */
const templatesDir = `${packageDir}src/guides/`;

/**
 * A guide's Markdown with its `{{placeholders}}` filled. Every placeholder needs a value and every value
 * a placeholder, so a renamed fact cannot silently drop out of a guide or leave `{{...}}` in the page.
 */
export function fill(name: string, values: Record<string, string>): string {
  const template = readFileSync(`${templatesDir}${name}.md`, "utf8");
  const used = new Set<string>();
  const text = template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`src/guides/${name}.md: no value for {{${key}}}`);
    used.add(key);
    return value;
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`src/guides/${name}.md: no placeholder for ${unused.join(", ")}`);
  return text;
}
