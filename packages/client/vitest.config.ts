import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The type tests (`*.test-d.ts`) run through tsc in the same `vitest run`.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    // A bound for a hung test, not a timing assertion: files run two at a time beside the other
    // packages' suites on 2 cores, where subprocesses (tsc, npm, the mock) can take several times
    // as long as alone.
    testTimeout: 60_000,
    // The same bound for the hooks that start mocks and servers (vitest's default is 10 s).
    hookTimeout: 60_000,
    // Two files at a time even on 2 cores (vitest's default there is one): the pack test waits
    // for npm, tsc and the README blocks' snapshots, and the other files fill that time.
    maxWorkers: 2,
    // One module graph per worker, not per file: the mock and the spec model the files import were
    // most of their import time. No file mocks modules or leaves globals changed.
    isolate: false,
  },
});
