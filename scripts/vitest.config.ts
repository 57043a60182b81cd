import { defineConfig } from "vitest/config";

// Three projects, run one group after the other when the whole suite runs here: the packaging
// checks (read-only: the tarballs of pack-cache, npm's dry runs, attw), then the READMEs' commands
// (they rebuild the docs and the spec), then start-signals.test.ts, which forces rebuilds of the
// packages' outputs that both others read. `pnpm test` at the root runs the packaging checks as a
// task of their own beside the other packages' tests (turbo.json here) and the other two last.
export default defineConfig({
  test: {
    // Packing, npm's dry-run publish and attw are child processes of a few seconds each.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: "packaging", include: ["test/packages.test.ts"], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "readmes", include: ["test/readme-commands.test.ts"], sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: "start-signals", include: ["test/start-signals.test.ts"], sequence: { groupOrder: 2 } },
      },
    ],
  },
});
