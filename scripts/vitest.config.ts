import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Packing, npm's dry-run publish and attw are child processes of a few seconds each.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
