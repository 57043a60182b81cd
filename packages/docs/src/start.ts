import { pathToFileURL } from "node:url";
import { loadSpec } from "@ecs-api/spec";
import { mockServerUrl } from "./guides.js";
import { DEFAULT_DOCS_PORT } from "./paths.js";
import { serveDocs } from "./serve.js";

// `pnpm start`: the docs and the mock side by side, both URLs printed. Each prefers its usual port
// (the mock's is the "Local mock" entry of the spec's servers) and takes a free one when it is taken,
// because the machine may be shared.

interface Closable {
  url: string;
  close(): Promise<void> | void;
}

function isAddressInUse(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EADDRINUSE" || /EADDRINUSE|address already in use/i.test(String(error));
}

/** Starts on `port`, or on a free port when `port` is taken. */
export async function withFallback<T>(port: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(port);
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    return start(0);
  }
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
  close(): Promise<void>;
}

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<Started> {
  const mockPort = portFrom(env.ECS_MOCK_PORT, Number(new URL(mockServerUrl(loadSpec())).port));
  const docsPort = portFrom(env.DOCS_PORT, DEFAULT_DOCS_PORT);
  // Imported here so `serve`-only users and the tests of this module's helpers do not load Prism.
  const { startMock } = await import("@ecs-api/mock");
  const mock = await withFallback(mockPort, (port) => startMock({ port }));
  let docs: Closable;
  try {
    docs = await withFallback(docsPort, (port) => serveDocs({ port }));
  } catch (error) {
    await mock.close();
    throw error;
  }
  return {
    docs,
    mock,
    close: async () => {
      await Promise.allSettled([docs.close(), mock.close()]);
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = await start();
  console.log(`Docs: ${started.docs.url}`);
  console.log(`Mock: ${started.mock.url}`);
  console.log("Press Ctrl+C to stop both.");
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void started.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
