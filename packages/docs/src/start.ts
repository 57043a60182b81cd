import { pathToFileURL } from "node:url";
import { stopOnSignals } from "@ecs-api/mock/stop-on-signals";
import { loadModel } from "@ecs-api/spec";
import { mockServerUrl } from "./guides/index.js";
import { DEFAULT_DOCS_PORT } from "./paths.js";
import { type Listening, portFrom, takenLine, withFallback } from "./ports.js";
import { serveDocs } from "./serve.js";

// `pnpm start`: the docs and the mock side by side, both URLs printed. Each prefers its usual port
// (the mock's is the "Local mock" entry of the spec's servers) and takes the next free one when it is
// taken, with a line saying so, because the machine may be shared.

interface Closable {
  url: string;
  close(): Promise<void> | void;
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
  // Before the lines that say it is ready: a signal sent as soon as they are read must find the handler.
  stopOnSignals(() => started.close());
  for (const note of started.notes) console.log(note);
  console.log(`Docs: ${started.docs.url}`);
  console.log(`Mock: ${started.mock.url}`);
  // Where the mock's services are and how to point openstack, nova, openstacksdk and gophercloud at it.
  const { connectHints } = await import("@ecs-api/mock");
  console.log(connectHints(started.mock.url).trimEnd());
  console.log("Press Ctrl+C to stop both.");
}
