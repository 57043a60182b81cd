// Lints the contract with redocly.yaml (recommended-strict and the house rules) and writes the three
// bundles to dist/. Redocly's library, not its CLI: the CLI prints notices of its own on every run (a
// boxed "Node.js 20 support is ending" on Node 20, whatever the environment says), which a build must
// not show. The library is the code the CLI runs; the files are written the way its `bundle` command
// writes them (top-level keys in the OpenAPI order, YAML without anchors and without line folding,
// JSON indented by 2, no final newline), so they are byte for byte what `redocly bundle` gave.
//
//   node scripts/bundle.mjs          lint, then write dist/openapi.yaml, .json and .deref.json
//   node scripts/bundle.mjs --lint   lint only
//
// Paths are read from the current folder (the spec package when run by its scripts; a test's copy of
// the spec folder otherwise). A lint error prints Redocly's code frames and exits 1.
import { mkdirSync, writeFileSync } from "node:fs";
import { bundle, formatProblems, getTotals, lint, loadConfig, stringifyYaml } from "@redocly/openapi-core";

const ROOT = "openapi.yaml";
// What the CLI's `bundle` puts first (its sortTopLevelKeysForOas); the other keys keep their order.
const TOP_LEVEL_ORDER = [
  "openapi",
  "info",
  "jsonSchemaDialect",
  "servers",
  "security",
  "tags",
  "externalDocs",
  "paths",
  "webhooks",
  "x-webhooks",
  "components",
];

function sortTopLevel(doc) {
  const sorted = {};
  for (const key of TOP_LEVEL_ORDER) if (Object.hasOwn(doc, key)) sorted[key] = doc[key];
  return Object.assign(sorted, doc);
}

/** Prints the problems as the CLI does and says whether any of them is an error. */
function report(problems, what) {
  const totals = getTotals(problems);
  formatProblems(problems, { format: "codeframe", totals, command: "lint" });
  if (totals.errors > 0) {
    const warnings = totals.warnings ? ` and ${totals.warnings} warning(s)` : "";
    console.error(`${ROOT}: ${what} failed with ${totals.errors} error(s)${warnings} (rules: redocly.yaml)`);
    return false;
  }
  return true;
}

const started = Date.now();
const lintOnly = process.argv.includes("--lint");
const config = await loadConfig({ configPath: "redocly.yaml" });
const problems = await lint({ ref: ROOT, config });
if (!report(problems, "lint")) process.exit(1);
const { ignored, warnings } = getTotals(problems);
if (lintOnly) {
  console.log(`${ROOT}: valid (${warnings} warning(s), ${ignored} ignored in .redocly.lint-ignore.yaml)`);
  process.exit(0);
}

const outputs = [
  ["dist/openapi.yaml", false, (doc) => stringifyYaml(doc, { noRefs: true, lineWidth: -1 })],
  ["dist/openapi.json", false, (doc) => JSON.stringify(doc, null, 2)],
  ["dist/openapi.deref.json", true, (doc) => JSON.stringify(doc, null, 2)],
];
mkdirSync("dist", { recursive: true });
for (const [file, dereference, write] of outputs) {
  const result = await bundle({ ref: ROOT, config, dereference });
  if (!report(result.problems, `bundling ${file}`)) process.exit(1);
  writeFileSync(file, write(sortTopLevel(result.bundle.parsed)));
}
console.log(
  `${ROOT}: valid (${warnings} warning(s), ${ignored} ignored); wrote ${outputs.map(([f]) => f).join(", ")} (${Date.now() - started} ms)`,
);
