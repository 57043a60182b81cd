import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each file starts its own mock on port 0; the CLI tests start real processes.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
