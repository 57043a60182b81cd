import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    // A bound for a hung test, not a timing assertion (subprocesses on 2 busy cores).
    testTimeout: 60_000,
  },
});
