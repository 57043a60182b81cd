import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The browser and the sample runs start real processes (Chromium, tsc, the mock).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two files at a time even on 2 cores (vitest's default there is one): the browser and the
    // samples files mostly wait for Chromium, tsc and the mock, and run side by side.
    maxWorkers: 2,
  },
});
