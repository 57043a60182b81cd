// @ecs-api/mock, Node entry: startMock() (node:http), the engine and the fetch adapter.
// The browser/MSW entry is `@ecs-api/mock/msw`.
import { loadContract } from "@ecs-api/spec";
import { type ScenarioName, scenarioTable } from "./engine/scenarios.js";

export { createFetchHandler, type FetchHandler } from "./adapters/fetch.js";
export { cloudsYaml, connectHints, DEMO_LOGIN, openrc } from "./connect.js";
export {
  createEngine,
  type Engine,
  type EngineOptions,
  type FixtureServer,
  type LivePrism,
  type MockUser,
  WORKFLOW_DEFAULTS,
} from "./engine/engine.js";
export type { ScenarioName } from "./engine/scenarios.js";
export type { Answer, EngineRequest } from "./engine/types.js";
export {
  type MockOptions,
  MockStartError,
  type RunningMock,
  SERVER_DEFAULTS,
  startMock,
  type WorkflowOptions,
} from "./mock.js";
export { createNodeEngine } from "./node-engine.js";

/**
 * Reserved server IDs that play a scenario (from the spec's `x-mock-scenarios` on `server_id`):
 * `not-found` → 404 "Instance <id> could not be found.", `vm-state-error` → 409 "... in vm_state
 * error", `snapshot-pending` → 409 "... in task_state image_snapshot_pending". Every other
 * well-formed server ID is an active server.
 */
export const SCENARIOS: Readonly<Record<ScenarioName, string>> = scenarioTable(loadContract().scenarios);
