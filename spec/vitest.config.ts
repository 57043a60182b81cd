import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The lint-rule tests run Redocly on copies of the spec, the portability tests run Python and
    // Go: seconds each while the other packages' suites load the two cores.
    testTimeout: 60_000,
  },
});
