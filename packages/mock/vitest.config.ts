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
  // Each file starts its own mock on port 0; the CLI tests start real processes. Bounds for a hung
  // test, not timing assertions: on 2 busy cores a subprocess can take several times as long.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // One module graph per worker, not per file: importing the mock, the spec model and Prism again
  // for each of the 40 files was a third of the suite's CPU time. No file mocks modules or keeps
  // globals changed (msw's setupServer restores fetch in afterAll), and vitest shares a worker only
  // within one project, so the fetch project's ECS_MOCK_ADAPTER never meets a node-http graph.
  isolate: false,
};

export default defineConfig({
  test: {
    // Two files at a time even on 2 cores (vitest's default there is one): the packed-MSW and real
    // clients files spend most of their time waiting for npm, Chromium and the clients' polls, and
    // the engine files fill that time instead of running after them.
    maxWorkers: 2,
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
