// What each reserved server ID of the spec's `x-mock-scenarios` (on the server_id parameter) does.
// The IDs live in the spec; what a server in that state makes Nova answer lives here.

export type ScenarioName = "not-found" | "vm-state-error" | "snapshot-pending" | "snapshot-fails";

export type ScenarioBehaviour =
  | { status: 404 }
  | { status: 409; attr: "vm_state" | "task_state"; state: string }
  /** createImage is accepted; the snapshot then fails (the workflow state deletes the image). */
  | { status: 202; snapshotFails: true };

export const SCENARIO_BEHAVIOURS: Readonly<Record<ScenarioName, ScenarioBehaviour>> = {
  "not-found": { status: 404 },
  // compute/api.py check_instance_state: vm_state must be active/stopped/paused/suspended...
  "vm-state-error": { status: 409, attr: "vm_state", state: "error" },
  // ...and task_state None: a snapshot already running blocks the next one.
  "snapshot-pending": { status: 409, attr: "task_state", state: "image_snapshot_pending" },
  // ...and a snapshot that fails: Nova's @delete_image_on_error deletes the image, task_state resets.
  "snapshot-fails": { status: 202, snapshotFails: true },
};

/** Checks that the spec's scenarios are exactly the ones this layer can play. */
export function scenarioTable(
  fromSpec: Record<string, string> | undefined,
): Readonly<Record<ScenarioName, string>> {
  const known = Object.keys(SCENARIO_BEHAVIOURS).sort();
  const given = Object.keys(fromSpec ?? {}).sort();
  if (known.join() !== given.join()) {
    throw new Error(
      `the spec's x-mock-scenarios (${given.join(", ") || "none"}) do not match the scenarios the mock plays (${known.join(", ")})`,
    );
  }
  return Object.freeze({ ...(fromSpec as Record<ScenarioName, string>) });
}
