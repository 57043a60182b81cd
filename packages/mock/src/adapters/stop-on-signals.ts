// How a node:http server of this project stops: shared by the mock's CLI and the docs servers
// (`@ecs-api/mock/stop-on-signals`), so both stop alike. Node only; no dependency, no API rule.

/**
 * Ctrl-C (SIGINT) and SIGTERM are the normal way to stop: one line "stopped", exit 0, so a package
 * runner around the server reports no failure. A terminal's Ctrl-C reaches the whole process group,
 * and pnpm then forwards one more SIGINT: a second signal while closing ends at once, still with that
 * one line. Listeners stay attached throughout, so no signal falls back to Node's default (death by
 * signal, which pnpm reports as a failed command).
 */
export function stopOnSignals(close: () => Promise<unknown>): void {
  let stopping = false;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    process.stdout.write("stopped\n");
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
