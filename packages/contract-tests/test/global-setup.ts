import { startMock } from "@ecs-api/mock";
import type { TestProject } from "vitest/node";

/** One mock for the whole suite, on a free port of 127.0.0.1. */
export default async function setup(project: TestProject) {
  const mock = await startMock({
    port: 0,
    host: "127.0.0.1",
    quiet: true,
    seed: "contract-tests",
    // Examples are asked for one after another on one server: no snapshot may still be running.
    workflow: { snapshotSeconds: 0 },
  });
  project.provide("mockUrl", mock.url);
  return () => mock.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    mockUrl: string;
  }
}
