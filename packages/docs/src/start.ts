import { pathToFileURL } from "node:url";
import { loadModel } from "@ecs-api/spec";
import { mockServerUrl } from "./guides/index.js";
import { DEFAULT_DOCS_PORT } from "./paths.js";
import { serveDocs } from "./serve.js";

// `pnpm start`: the docs and the mock side by side, both URLs printed. Each prefers its usual port
// (the mock's is the "Local mock" entry of the spec's servers) and takes the next free one when it is
// taken, with a line saying so, because the machine may be shared.

interface Closable {
  url: string;
  close(): Promise<void> | void;
}

function isAddressInUse(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EADDRINUSE" || /EADDRINUSE|address already in use/i.test(String(error));
}

/** How many ports after the usual one are tried before giving up with the way out. */
export const PORT_TRIES = 10;

export interface Listening<T> {
  value: T;
  /** The ports that were taken before this one was free. */
  skipped: number[];
}

/**
 * Starts on `port`, or on the next free port after it (up to PORT_TRIES in all), so the URL stays
 * predictable on a shared machine; the caller prints a line saying which port was taken. When all are
 * taken it fails and says how to choose one. Port 0 means any free port: nothing to skip.
 */
export async function withFallback<T>(
  port: number,
  start: (port: number) => Promise<T>,
  variable = "DOCS_PORT",
): Promise<Listening<T>> {
  const skipped: number[] = [];
  for (let candidate = port; ; candidate++) {
    try {
      return { value: await start(candidate), skipped };
    } catch (error) {
      if (!isAddressInUse(error) || port === 0) throw error;
      skipped.push(candidate);
      if (skipped.length >= PORT_TRIES || candidate >= 65535) {
        throw new Error(
          `Ports ${port}-${candidate} are all taken. Set ${variable} to a free port, or to 0 for any free port.`,
        );
      }
    }
  }
}

/** The line `start` prints when the usual port was taken. */
export function takenLine(name: string, listening: Listening<{ url: string }>): string | undefined {
  const [first] = listening.skipped;
  if (first === undefined) return undefined;
  const taken =
    listening.skipped.length === 1 ? `port ${first} is` : `ports ${first}-${listening.skipped.at(-1)} are`;
  return `${name}: ${taken} taken, using ${new URL(listening.value.url).port} instead`;
}

function portFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Not a port: ${value}`);
  return port;
}

export interface Started {
  docs: Closable;
  mock: Closable;
  /** Lines saying which usual ports were taken. */
  notes: string[];
  close(): Promise<void>;
}

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<Started> {
  const mockPort = portFrom(env.ECS_MOCK_PORT, Number(new URL(mockServerUrl(loadModel())).port));
  const docsPort = portFrom(env.DOCS_PORT, DEFAULT_DOCS_PORT);
  // Imported here so `serve`-only users and the tests of this module's helpers do not load Prism.
  const { startMock } = await import("@ecs-api/mock");
  const mock = await withFallback(mockPort, (port) => startMock({ port }), "ECS_MOCK_PORT");
  let docs: Listening<Closable>;
  try {
    docs = await withFallback(docsPort, (port) => serveDocs({ port }));
  } catch (error) {
    await mock.value.close();
    throw error;
  }
  const notes = [takenLine("Docs", docs), takenLine("Mock", mock)].filter((l): l is string => !!l);
  return {
    docs: docs.value,
    mock: mock.value,
    notes,
    close: async () => {
      await Promise.allSettled([docs.value.close(), mock.value.close()]);
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  let started: Started;
  try {
    started = await start();
  } catch (error) {
    // A message with the way out, not a stack trace.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  for (const note of started.notes) console.log(note);
  console.log(`Docs: ${started.docs.url}`);
  console.log(`Mock: ${started.mock.url}`);
  // Where the mock's services are and how to point openstack, nova, openstacksdk and gophercloud at it.
  const { connectHints } = await import("@ecs-api/mock");
  console.log(connectHints(started.mock.url).trimEnd());
  console.log("Press Ctrl+C to stop both.");
  let stopping = false;
  // Ctrl+C and SIGTERM are the normal way to stop: one line, exit 0 (a package runner then reports no
  // failure). A second signal while closing stops at once.
  const stop = () => {
    if (stopping) process.exit(0);
    stopping = true;
    void started.close().then(() => {
      console.log("stopped");
      process.exit(0);
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
