/**
 * Ctrl+C (SIGINT) and SIGTERM are the normal way to stop the docs servers: one line "stopped", exit
 * 0, so a package runner around them reports no failure. A terminal's Ctrl+C reaches the whole
 * process group and pnpm then forwards one more SIGINT: a second signal while closing stops at once,
 * with the same one line. The listeners stay attached, so no signal falls back to Node's default of
 * dying by it (which pnpm would report as a failed command).
 */
export function stopOnSignals(close: () => Promise<unknown>): void {
  let stopping = false;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    console.log("stopped");
    process.exit(0);
  };
  const stop = () => {
    if (stopping) return finish();
    stopping = true;
    close().then(finish, finish);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
