import { defineConfig } from "vitest/config";

/** The engine's suite: plain request → answer cases, run through both adapters. */
const ENGINE_SUITE = [
  "test/bodies.test.ts",
  "test/microversions.test.ts",
  "test/prism.test.ts",
  "test/fuzz.test.ts",
  "test/errors.test.ts",
  "test/versions.test.ts",
  "test/aksk.test.ts",
];

const shared = {
  // Each file starts its own mock on port 0; the CLI tests start real processes.
  testTimeout: 20_000,
  hookTimeout: 20_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: "node-http", include: ["test/**/*.test.ts"] } },
      {
        test: {
          ...shared,
          name: "fetch",
          include: ENGINE_SUITE,
          env: { ECS_MOCK_ADAPTER: "fetch" },
        },
      },
    ],
  },
});
