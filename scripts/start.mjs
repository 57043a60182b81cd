// `pnpm start` (docs and mock) and `pnpm mock` (the mock alone): build what the server needs with
// turbo, then run the server in this same process.
//
//   node scripts/start.mjs docs
//   node scripts/start.mjs mock [ecs-mock options]
//
// One process from the first build line to the end, which pnpm `exec`s: with `turbo … && exec node …`
// a Ctrl-C during the build (the terminal signals the whole foreground process group) ended turbo, and
// pnpm reported the script as failed by SIGINT (exit 130). Here a SIGINT or SIGTERM at any moment
// ends the same way as while serving: one line "stopped", exit 0.
//
// - Building: turbo is a child whose output is passed through (its progress lines) until a signal
//   comes; then its output (its shutdown report, the tasks' errors) is dropped, the signal is passed
//   on to it, and once it has exited: "stopped". Turbo and its tasks run in a process group of their
//   own, so the terminal's Ctrl-C reaches them only through this file, after their output is cut off
//   (in the terminal's group, turbo's "Shutting down Turborepo tasks..." could come first). A turbo
//   that outlives the signal by TURBO_GRACE_MS is killed; so is one still running when this process
//   exits otherwise (a hang-up). A build that fails ends with turbo's exit code, as `&&` did.
// - Serving: the server's entry is loaded as `node <entry> …` would run it (process.argv is what it
//   would be), so its start-up output, taken-port fallback and signal handling are its own. Its
//   handlers say "stopped"; this file's handler then steps aside (it acts only while it is the only
//   listener), and in the moment between the build and the server's handlers it stops alone.
//
// Turbo reads TURBO_FORCE=true from the environment, like `--force`: the tests use it to make the
// build phase real (test/start-signals.test.ts).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const TARGETS = {
  docs: { filter: "@ecs-api/docs", entry: "packages/docs/lib/start.js" },
  mock: { filter: "@ecs-api/mock", entry: "packages/mock/bin/ecs-mock.js" },
};
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
const TURBO_GRACE_MS = 10_000;

const [name, ...args] = process.argv.slice(2);
const target = TARGETS[name];
if (!target) {
  console.error(`usage: node scripts/start.mjs ${Object.keys(TARGETS).join("|")} [options]`);
  process.exit(2);
}
const root = fileURLToPath(new URL("..", import.meta.url));
const turboBin = createRequire(import.meta.url).resolve("turbo/bin/turbo");

let phase = "building";
let turbo;
let atLineStart = true;

function stopped() {
  process.stdout.write(atLineStart ? "stopped\n" : "\nstopped\n");
  process.exit(0);
}

/** Signals turbo's process group (turbo and every task it runs), if it is still there. */
function signalTurbo(signal) {
  try {
    process.kill(-turbo.pid, signal);
  } catch {
    // Already gone.
  }
}

function onSignal(signal) {
  // The server's own handlers are attached: they close it and say "stopped".
  if (process.listenerCount(signal) > 1) return;
  if (signal === "SIGHUP") {
    // The terminal is gone: nobody reads a "stopped"; end the build and go as a hang-up goes (death
    // by a signal runs no "exit" listener).
    if (phase === "building" || phase === "stopping") signalTurbo("SIGKILL");
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  } else if (phase === "building") {
    phase = "stopping";
    signalTurbo(signal);
    setTimeout(() => signalTurbo("SIGKILL"), TURBO_GRACE_MS).unref();
  } else if (phase === "starting") {
    stopped();
  }
  // "stopping": a second signal (pnpm forwards one after the terminal's) waits for turbo as well.
}
for (const signal of SIGNALS) process.on(signal, onSignal);
process.on("exit", () => {
  if (phase === "building" || phase === "stopping") signalTurbo("SIGKILL");
});

const code = await new Promise((resolve) => {
  turbo = spawn(
    process.execPath,
    [
      turboBin,
      "run",
      "build",
      `--filter=${target.filter}`,
      "--output-logs=hash-only",
      ...(process.stdout.isTTY ? ["--color"] : []),
    ],
    {
      cwd: root,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  const pass = (out) => (chunk) => {
    if (phase !== "building") return;
    out.write(chunk);
    atLineStart = chunk.at(-1) === 0x0a;
  };
  turbo.stdout.on("data", pass(process.stdout));
  turbo.stderr.on("data", pass(process.stderr));
  turbo.on("error", (error) => {
    console.error(`turbo: ${error.message}`);
    resolve(1);
  });
  // "close", not "exit": every byte turbo wrote has been passed on by then.
  turbo.on("close", (exitCode) => resolve(exitCode ?? 1));
});
if (phase === "stopping") stopped();
if (code !== 0) process.exit(code);

phase = "starting";
const entry = fileURLToPath(new URL(`../${target.entry}`, import.meta.url));
process.argv = [process.execPath, entry, ...args];
await import(pathToFileURL(entry).href);
