// @ecs-api/mock/msw: the engine as MSW request handlers, for `setupServer` (msw/node, vitest/jest)
// and `setupWorker` (the browser). No `node:` import and no Prism: the spec's model and Prism's
// templates come precompiled (generated/engine-data.js); `Prefer: code=…, example=…` still selects
// a template. Same options as the CLI.
import { buildModel } from "@ecs-api/spec/model";
import { type HttpHandler, http } from "msw";
import data from "#engine-data";
import { createFetchHandler } from "./adapters/fetch.js";
import { createEngine, type Engine, type EngineOptions } from "./engine/engine.js";

export interface HandlerOptions
  extends Pick<
    EngineOptions,
    "snapshotSeconds" | "maxImages" | "region" | "users" | "strictTokens" | "servers"
  > {
  /** The origin the handlers answer for. Default `http://127.0.0.1:4010` (the CLI's default). */
  baseUrl?: string;
  /** Highest microversion served (the CLI's --max-microversion). Default: the spec's maximum. */
  maxMicroversion?: string;
  /** Base of the image URL in `Location` (--image-base-url). Default: `baseUrl`. */
  imageBaseUrl?: string;
  /** Reproducible image and request IDs (--seed). */
  seed?: string;
}

let model: ReturnType<typeof buildModel> | undefined;

/** The engine the handlers use, for callers that want it directly. */
export function createBrowserEngine(options: Omit<HandlerOptions, "baseUrl"> = {}): Engine {
  model ??= buildModel(data.spec);
  const { maxMicroversion: _m, imageBaseUrl: _i, seed: _s, ...workflow } = options;
  return createEngine({
    model,
    templates: data.templates,
    ...workflow,
    ...(options.maxMicroversion !== undefined ? { maxMicroversion: options.maxMicroversion } : {}),
    ...(options.imageBaseUrl !== undefined ? { imageBaseUrl: options.imageBaseUrl } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
}

/** MSW handlers answering every request to `baseUrl` like the mock's server. */
export function createHandlers(options: HandlerOptions = {}): HttpHandler[] {
  const base = (options.baseUrl ?? "http://127.0.0.1:4010").replace(/\/+$/, "");
  const handle = createFetchHandler(createBrowserEngine(options));
  const resolver = ({ request }: { request: Request }) => handle(request);
  return [http.all(`${base}/*`, resolver), http.all(`${base}/`, resolver)];
}
