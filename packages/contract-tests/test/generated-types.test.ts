import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { specPaths } from "@ecs-api/spec";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";

// The client's generated types are openapi-typescript's output for the bundled spec, byte for byte
// (below the do-not-edit header): a client built from a stale spec fails here.
const clientDir = dirname(createRequire(import.meta.url).resolve("@ecs-api/client/package.json"));

describe("the client's generated types", () => {
  it("are in step with the bundled spec", async () => {
    const onDisk = readFileSync(join(clientDir, "src/generated/openapi.ts"), "utf8");
    const fresh = astToString(await openapiTS(pathToFileURL(specPaths.json), { silent: true }));
    expect(onDisk.length).toBeGreaterThan(1000);
    expect(onDisk.endsWith(fresh)).toBe(true);
  });
});
