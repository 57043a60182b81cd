// Prism answering live (Node only), injected into the engine for requests that ask for a Prism
// feature (Prefer / __code ...). Loaded on the first such request, so start-up does not pay for it
// (see compile.ts for the split).
import type { LivePrism } from "../engine/engine.js";
import { mockConfig, toTemplate } from "./compile.js";

export function livePrism(specPath: string): LivePrism {
  let loading: Promise<LivePrism> | undefined;
  const load = async (): Promise<LivePrism> => {
    const { createInstance, getHttpOperationsFromSpec } = await import("@stoplight/prism-http");
    const { createLogger } = await import("@stoplight/prism-core");
    // Prism's own parsing of Prefer and of the __code/__example/__dynamic/__seed query parameters.
    const { getHttpConfigFromRequest } = await import(
      "@stoplight/prism-http-server/dist/getHttpConfigFromRequest.js"
    );
    const operations = await getHttpOperationsFromSpec(specPath);
    const prism = createInstance(mockConfig(false, { dynamic: false }), {
      logger: createLogger("ecs-mock", { enabled: false }),
    });
    return async (request) => {
      const input = {
        method: request.method.toLowerCase() as "post",
        url: { path: request.path, query: request.query },
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      };
      const preferences = getHttpConfigFromRequest(input);
      if (preferences._tag === "Left") return undefined;
      const p = preferences.right;
      const mock: Parameters<typeof mockConfig>[1] = { dynamic: p.dynamic ?? false };
      if (p.code !== undefined) mock.code = p.code;
      if (p.exampleKey !== undefined) mock.exampleKey = p.exampleKey;
      if (p.seed !== undefined) mock.seed = p.seed;
      const result = await prism.request(input, operations, mockConfig(true, mock) as never)();
      if (result._tag === "Left") return undefined;
      // Severity 0 is DiagnosticSeverity.Error.
      const invalid = result.right.validations.input.some((v: { severity: number }) => v.severity === 0);
      return { template: toTemplate(result.right.output as never, p.exampleKey), invalid };
    };
  };
  return (request) => {
    loading ??= load();
    return loading.then((answer) => answer(request));
  };
}
