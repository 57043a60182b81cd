import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Packing, npm's dry-run publish and attw are child processes of a few seconds each.
    testTimeout: 60_000,
    // One file at a time: start-signals.test.ts forces rebuilds of the packages' outputs, which the
    // READMEs' commands and the packing checks read (on 2 cores vitest runs one file at a time anyway).
    fileParallelism: false,
    hookTimeout: 120_000,
  },
});
