import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { loadSpec } from "@ecs-api/spec";
import { describe, expect, it } from "vitest";

// The docs page shows a TypeScript sample per operation, found by its operationId. That each one
// compiles against @ecs-api/client and works against the mock is the docs' own test
// (packages/docs/test/samples.test.ts: tsc, then each sample run against a started mock).
const require = createRequire(import.meta.url);
const samplesDir = join(dirname(require.resolve("@ecs-api/docs/package.json")), "samples");
const spec = loadSpec();
const operationIds = new Set(
  Object.values<Record<string, { operationId?: string }>>(spec.paths).flatMap((item) =>
    Object.values(item).flatMap((op) => (op?.operationId ? [op.operationId] : [])),
  ),
);
// Operation samples are named after their operationId; guide snippets are not.
const samples = readdirSync(samplesDir).filter((f) => f.endsWith(".ts") && operationIds.has(f.slice(0, -3)));

describe("the docs' TypeScript samples", () => {
  it("exist for both createImage operations", () => {
    expect(samples).toEqual(expect.arrayContaining(["createImage.ts", "createImageLegacyV2.ts"]));
  });
});
