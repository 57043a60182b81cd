// generated/engine-data.js, the browser entry's data (scripts/generate.mjs writes it with every
// repeated subtree once, shared): it must read back as the data it was made from, and an engine
// built on it must answer like the engine Node builds from spec/dist, without writing to it.
import { readFileSync } from "node:fs";
import { loadDereferencedSpec, loadModel, specPaths } from "@ecs-api/spec";
import { buildModel, modelSource } from "@ecs-api/spec/model";
import { describe, expect, it } from "vitest";
import data from "#engine-data";
import { createEngine } from "../src/engine/engine.js";
import type { Answer, EngineRequest } from "../src/engine/types.js";
import { templatesOf } from "../src/prism/compile.js";
import { loadCompiled } from "../src/prism/load.js";
import { adversarialBodies } from "./corpus.js";
import { actionPath } from "./helpers.js";

// biome-ignore lint/suspicious/noExplicitAny: the bundled document is plain JSON, walked by key.
type Json = any;

const moduleFile = new URL("../generated/engine-data.js", import.meta.url);
/** The origin every request names (links and Location are built on it). */
const ORIGIN = "http://127.0.0.1:4010";

/** Freezes every object reachable from `value`, without recursion (the data is some 20 levels deep). */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    Object.freeze(node);
    for (const child of Object.values(node)) stack.push(child);
  }
  return value;
}

describe("generated/engine-data.js", () => {
  it("reads back as the dereferenced bundle (as modelSource keeps it) and the build's templates", async () => {
    const compiled = await loadCompiled(specPaths.json);
    expect(data).toStrictEqual({
      spec: modelSource(loadDereferencedSpec()),
      templates: templatesOf(compiled),
      specSha256: compiled.specSha256,
      prism: compiled.prism,
    });
  });

  it("writes each repeated subtree once: the module is under half the size of the same data as JSON", () => {
    const moduleText = readFileSync(moduleFile, "utf8");
    expect(moduleText.length).toBeLessThan(JSON.stringify(data).length / 2);
  });

  it("shares the subtrees as one object each: the request-ID header is the same object in every response", () => {
    // A path item's values are its operations (and its parameters, which have no responses).
    const found = Object.values<Json>(data.spec.paths)
      .flatMap((item) => Object.values<Json>(item))
      .flatMap((op) => Object.values<Json>(op?.responses ?? {}))
      .map((res) => res?.headers?.["X-Openstack-Request-Id"])
      .filter((header) => header !== undefined);
    expect(found.length).toBeGreaterThan(10);
    expect(new Set(found).size).toBe(1);
  });
});

describe("an engine on a frozen copy of generated/engine-data.js", () => {
  const seed = "engine-data";
  const now = () => Date.UTC(2026, 0, 1);
  const frozen = deepFreeze(structuredClone(data));
  const browser = createEngine({ model: buildModel(frozen.spec), templates: frozen.templates, seed, now });
  // What createNodeEngine builds, without live Prism (the browser has none).
  const node = loadCompiled(specPaths.json).then((compiled) =>
    createEngine({ model: loadModel(), templates: templatesOf(compiled), seed, now }),
  );

  /** Every operation at the lowest, a middle and the highest microversion, with each request example, then each named response example. */
  function requests(): EngineRequest[] {
    const model = loadModel();
    const out: EngineRequest[] = [];
    const encoder = new TextEncoder();
    for (const op of model.operations) {
      let path = op.path;
      for (const p of op.parameters)
        if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(String(p.example ?? "x")));
      const bodies = op.requestBody?.examples.map((e) => encoder.encode(JSON.stringify(e.value))) ?? [];
      const base = {
        method: op.method.toUpperCase(),
        path,
        query: "",
        origin: ORIGIN,
      };
      const headers = (extra: Record<string, string>): Record<string, string> => ({
        "x-auth-token": "engine-data-token",
        ...(op.requestBody ? { "content-type": op.requestBody.mediaTypes[0] ?? "application/json" } : {}),
        ...extra,
      });
      for (const version of [model.minMicroversion, "2.45", model.maxMicroversion, "latest"])
        for (const body of bodies.length > 0 ? bodies : [undefined])
          out.push({ ...base, headers: headers({ "openstack-api-version": `compute ${version}` }), body });
      for (const res of op.responses)
        for (const media of res.content)
          for (const example of media.examples)
            out.push({
              ...base,
              headers: headers({ prefer: `code=${res.status}, example=${example.key}` }),
              body: bodies[0],
            });
    }
    for (const c of adversarialBodies())
      out.push({
        method: "POST",
        path: actionPath(),
        query: "",
        origin: ORIGIN,
        headers: { "x-auth-token": "engine-data-token", "content-type": "application/json" },
        body: c.bytes,
      });
    return out;
  }

  it("answers every operation, microversion, example and adversarial body exactly as Node's engine", async () => {
    const reference = await node;
    const all = requests();
    expect(all.length).toBeGreaterThan(100);
    const statuses = new Set<number>();
    for (const request of all) {
      const expected: Answer = await reference.handle(request);
      const got: Answer = await browser.handle(request);
      expect(got, `${request.method} ${request.path} ${JSON.stringify(request.headers)}`).toStrictEqual(
        expected,
      );
      statuses.add(got.status);
    }
    // The requests reach the engine's work, not only its refusals.
    expect([...statuses]).toEqual(expect.arrayContaining([200, 202, 400, 404, 409]));
  });
});
