import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadContract, loadModel, loadSpec, specPaths } from "@ecs-api/spec";
import { readClientSamples } from "./client-samples.js";
import { buildDocsDocument } from "./document.js";
import {
  CONTENT_SECURITY_POLICY,
  findRemoteReferences,
  neutralizeRemoteUrls,
  removePageActions,
} from "./html.js";
import { DEFAULT_DOCS_PORT, distDir, packageDir } from "./paths.js";
import { readSamples } from "./samples.js";

// Set here, not only in the package script, so every way of running the build keeps Redocly offline:
// with telemetry on, the CLI probes a remote host and the page itself posts traces from readers' browsers.
process.env.REDOCLY_TELEMETRY = "off";
process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE = "true";

const require = createRequire(import.meta.url);
const redoclyCli = require.resolve("@redocly/cli/bin/cli.js");

export function build(): void {
  const started = Date.now();
  mkdirSync(distDir, { recursive: true });
  // dist/ is the site only; compiled scripts live in lib/ (an older build put them in dist/lib/).
  rmSync(join(distDir, "lib"), { recursive: true, force: true });
  const doc = buildDocsDocument({
    spec: loadSpec(),
    model: loadModel(),
    contract: loadContract(),
    samples: readSamples(),
    clientSamples: readClientSamples(),
    ports: { docs: DEFAULT_DOCS_PORT },
  });

  const work = mkdtempSync(join(tmpdir(), "ecs-docs-"));
  try {
    const input = join(work, "openapi.docs.json");
    writeFileSync(input, JSON.stringify(doc, null, 2));
    const output = join(work, "index.html");
    execFileSync(
      process.execPath,
      [
        redoclyCli,
        "build-docs",
        input,
        "--inlineBundle",
        "--config",
        join(packageDir, "redocly.yaml"),
        "--template",
        join(packageDir, "template.hbs"),
        "--templateOptions.csp",
        CONTENT_SECURITY_POLICY,
        "--output",
        output,
      ],
      { stdio: ["ignore", "ignore", "pipe"], env: process.env },
    );
    const html = removePageActions(neutralizeRemoteUrls(readFileSync(output, "utf8")));
    const remote = findRemoteReferences(html);
    if (remote.length) {
      throw new Error(
        `The page would load from remote hosts:\n${remote.map((r) => `  ${r.kind}: ${r.url}`).join("\n")}`,
      );
    }
    writeFileSync(join(distDir, "index.html"), html);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // The published contract, unchanged, for download beside the page.
  copyFileSync(specPaths.yaml, join(distDir, "openapi.yaml"));
  copyFileSync(specPaths.json, join(distDir, "openapi.json"));
  console.log(`docs: dist/index.html, dist/openapi.yaml, dist/openapi.json (${Date.now() - started} ms)`);
}

build();
