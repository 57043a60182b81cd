import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The browser and the sample runs start real processes (Chromium, tsc, the mock).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
