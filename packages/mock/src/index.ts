import { loadContract } from "@ecs-api/spec";
import { type ScenarioName, scenarioTable } from "./nova/scenarios.js";

export { type MockOptions, MockStartError, type RunningMock, startMock } from "./mock.js";
export type { ScenarioName } from "./nova/scenarios.js";

/**
 * Reserved server IDs that play a scenario (from the spec's `x-mock-scenarios` on `server_id`):
 * `not-found` → 404 "Instance <id> could not be found.", `vm-state-error` → 409 "... in vm_state
 * error", `snapshot-pending` → 409 "... in task_state image_snapshot_pending". Every other
 * well-formed server ID is an active server.
 */
export const SCENARIOS: Readonly<Record<ScenarioName, string>> = scenarioTable(loadContract().scenarios);
