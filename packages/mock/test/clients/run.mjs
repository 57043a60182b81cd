#!/usr/bin/env node
// Starts the mock and runs the Python client check against it. Not part of `pnpm test`: it needs
// Debian's python3-novaclient and python3-openstacksdk. `pnpm --filter @ecs-api/mock clients`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startMock } from "../../dist/index.js";

const lines = [];
// Snapshots finish at once: the checks create one image after another from the same server, and a
// snapshot still running would make the next createImage Nova's 409 (task_state).
const mock = await startMock({ port: 0, log: (line) => lines.push(line), workflow: { snapshotSeconds: 0 } });
const script = fileURLToPath(new URL("novaclient_check.py", import.meta.url));
// The mock lives in this process: the client runs asynchronously so the mock keeps answering.
const code = await new Promise((resolve) => {
  const child = spawn(process.env.PYTHON ?? "/usr/bin/python3", [script, mock.url], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  child.on("error", (error) => {
    console.error(`cannot run python: ${error.message}`);
    resolve(1);
  });
  child.on("exit", (status) => {
    clearTimeout(timer);
    resolve(status);
  });
});
await mock.close();
console.log(`\nmock log (${lines.length} requests):\n${lines.join("\n")}`);
process.exit(code === 0 ? 0 : 1);
