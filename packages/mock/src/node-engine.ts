// The engine as Node runs it without a server: the bundled spec's model, the build's templates and
// live Prism. `createFetchHandler(await createNodeEngine())` is an in-process mock for tests.
import { loadModel, specPaths } from "@ecs-api/spec";
import { createEngine, type Engine, type EngineOptions } from "./engine/engine.js";
import { templatesOf } from "./prism/compile.js";
import { livePrism } from "./prism/live.js";
import { loadCompiled } from "./prism/load.js";

export async function createNodeEngine(
  options: Omit<EngineOptions, "model" | "templates" | "live"> = {},
): Promise<Engine> {
  const compiled = await loadCompiled(specPaths.json);
  return createEngine({
    model: loadModel(),
    templates: templatesOf(compiled),
    live: livePrism(specPaths.json),
    ...options,
  });
}
