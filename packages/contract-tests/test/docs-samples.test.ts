import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { loadSpec } from "@ecs-api/spec";
import { describe, expect, inject, it } from "vitest";

// The TypeScript code samples the docs page shows, compiled against @ecs-api/client and run against
// this suite's mock: a sample that stops compiling or stops working against the mock fails here.
const run = promisify(execFile);
const require = createRequire(import.meta.url);
const docsDir = dirname(require.resolve("@ecs-api/docs/package.json"));
const samplesDir = join(docsDir, "samples");
// Inside this package, so the compiled samples resolve @ecs-api/client and @types/node from here.
const outDir = join(dirname(new URL(import.meta.url).pathname), "../test-output/docs-samples");
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const spec = loadSpec();
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const operationIds = new Set(
  Object.values<Record<string, { operationId?: string }>>(spec.paths).flatMap((item) =>
    Object.values(item).flatMap((op) => (op?.operationId ? [op.operationId] : [])),
  ),
);
// Operation samples are named after their operationId; guide snippets are not run here.
const samples = readdirSync(samplesDir).filter((f) => f.endsWith(".ts") && operationIds.has(f.slice(0, -3)));

describe("the docs' TypeScript samples", () => {
  it("exist for both createImage operations", () => {
    expect(samples).toEqual(expect.arrayContaining(["createImage.ts", "createImageLegacyV2.ts"]));
  });

  it("compile against @ecs-api/client and run against the mock", async () => {
    const tsconfig = join(outDir, "tsconfig.json");
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(samplesDir, "tsconfig.json"),
        compilerOptions: { outDir },
        include: samples.map((s) => join(samplesDir, s)),
      }),
    );
    const tsc = require.resolve("typescript/bin/tsc", { paths: [docsDir] });
    const compiled = await run(process.execPath, [tsc, "-p", tsconfig]).then(
      (r) => r.stdout,
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(compiled).toBe("");
    const env = {
      PATH: process.env.PATH,
      ECS_ENDPOINT: inject("mockUrl"),
      OS_PROJECT_ID: spec.components.parameters.project_id.example,
      OS_AUTH_TOKEN: "contract-token",
      SERVER_ID: spec.components.parameters.server_id.example,
    };
    for (const sample of samples) {
      const js = join(outDir, sample.replace(/\.ts$/, ".js"));
      const { stdout } = await run(process.execPath, [js], { env, timeout: 20_000 });
      expect(stdout.trim(), sample).not.toBe("");
      if (sample.startsWith("createImage")) expect(stdout, sample).toMatch(UUID);
    }
    // tsc and one node per sample in subprocesses: seconds alone, over 20 s beside the other
    // packages' tests on 2 busy cores. A bound, not a timing assertion.
  }, 120_000);
});
