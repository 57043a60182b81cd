import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { badBodies, goodBodies } from "@ecs-api/spec";
import { Ajv2020 } from "ajv/dist/2020.js";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { checkCreateImageAction, createEcsClient, EcsError } from "../src/index.js";
import { accepted, observedFetch, PROJECT, SERVER, spec, TOKEN } from "./helpers.js";

const bad = badBodies();
const good = goodBodies();
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Compiles `const cN: CreateImageAction = <body N>` for every row in one program and returns, per
 * row, whether tsc refused it: what the shipped types do to a caller who writes that body.
 */
function compileRows(bodies: unknown[]): boolean[] {
  const file = join(root, "test", "__bodies__.ts");
  const source = [
    'import type { CreateImageAction } from "../src/index.js";',
    ...bodies.map((body, i) => `export const c${i}: CreateImageAction = ${JSON.stringify(body)};`),
  ]
    .join("\n")
    // tsc counts U+2028/U+2029 as line breaks; escaped, every row stays on its own line.
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(String(d.messageText));
      },
    },
  );
  if (!config) throw new Error("no tsconfig");
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, ts.ScriptTarget.ES2022, true)
      : getSourceFile(name, ...rest);
  const program = ts.createProgram({ rootNames: [file], options: { ...config.options, noEmit: true }, host });
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) throw new Error("virtual file not loaded");
  const refused = bodies.map(() => false);
  for (const d of program.getSemanticDiagnostics(sourceFile)) {
    const line = sourceFile.getLineAndCharacterOfPosition(d.start ?? 0).line;
    if (line === 0) throw new Error(`import failed: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    refused[line - 1] = true;
  }
  return refused;
}

/**
 * An independent oracle for what types can express: the spec's CreateImageAction schema with its
 * value rules (lengths, patterns, byte limits) removed, leaving only the JSON shape.
 */
function shapeOnly(): (body: unknown) => boolean {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== "object") return node;
    const object = node as Record<string, unknown>;
    if (typeof object.$ref === "string") {
      const target = object.$ref
        .replace(/^#\//, "")
        .split("/")
        .reduce<Record<string, unknown>>((n, p) => n[p] as Record<string, unknown>, spec);
      return strip(target);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      if (
        ["pattern", "minLength", "maxLength", "format", "examples", "example"].includes(key) ||
        key.startsWith("x-")
      )
        continue;
      if (key === "patternProperties") out.additionalProperties = strip(Object.values(value as object)[0]);
      else if (key === "additionalProperties" && "patternProperties" in object) continue;
      else out[key] = strip(value);
    }
    return out;
  };
  const validate = new Ajv2020({ strict: false }).compile(
    strip(spec.components.schemas.CreateImageAction) as object,
  );
  return (body) => validate(body) as boolean;
}

describe("the spec's body tables", () => {
  it("Given the tables, when they are read, then both have cases", () => {
    expect(bad.length).toBeGreaterThan(10);
    expect(good.length).toBeGreaterThan(5);
  });

  describe("runtime validation (checkCreateImageAction, run by createImage)", () => {
    it.each(bad.map((c) => [c.case, c] as const))(
      "Given the bad body %s, when it is checked, then it is refused",
      async (_, c) => {
        expect(await checkCreateImageAction(c.body)).toEqual(expect.any(String));
      },
    );

    it.each(good.map((c) => [c.case, c] as const))(
      "Given the good body %s, when it is checked, then it passes",
      async (_, c) => {
        expect(await checkCreateImageAction(c.body)).toBeUndefined();
      },
    );
  });

  describe("createImage()", () => {
    const client = () => {
      const observed = observedFetch(() => accepted("2.45"));
      return {
        ...observed,
        ecs: createEcsClient({
          baseUrl: "https://e.test",
          projectId: PROJECT,
          token: TOKEN,
          fetch: observed.fetch,
        }),
      };
    };
    // Rows whose body is `{createImage: X}` can be written as createImage(serverId, X).
    const asCall = (body: unknown) =>
      body && typeof body === "object" && !Array.isArray(body) && Object.keys(body).join() === "createImage"
        ? (body as { createImage: never }).createImage
        : undefined;
    const badCalls = bad.filter(
      (c) => asCall(c.body) !== undefined || (c.body as { createImage?: unknown })?.createImage === null,
    );

    it.each(badCalls.map((c) => [c.case, c] as const))(
      "Given the bad body %s, when passed to createImage, then it rejects with invalid-request, the service's fault, and sends nothing",
      async (_, c) => {
        const { ecs, calls } = client();
        const error = await ecs
          .createImage(SERVER, (c.body as { createImage: never }).createImage)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EcsError);
        expect((error as EcsError).kind).toBe("invalid-request");
        expect((error as EcsError).fault).toBe(c.fault);
        expect(calls).toHaveLength(0);
      },
    );

    it.each(good.map((c) => [c.case, c] as const))(
      "Given the good body %s, when passed to createImage, then exactly that body is sent",
      async (_, c) => {
        const { ecs, calls } = client();
        await ecs.createImage(SERVER, asCall(c.body) as never);
        expect(JSON.parse(calls[0]?.body ?? "")).toEqual(c.body);
      },
    );
  });

  describe("types (tsc over `const x: CreateImageAction = <body>`)", () => {
    const refusedGood = compileRows(good.map((c) => c.body));
    const refusedBad = compileRows(bad.map((c) => c.body));
    const shapeOk = shapeOnly();

    it.each(good.map((c, i) => [c.case, i] as const))(
      "Given the good body %s, when it is compiled, then tsc accepts it",
      (_, i) => {
        expect(refusedGood[i]).toBe(false);
      },
    );

    it.each(bad.map((c, i) => [c.case, i] as const))(
      "Given the bad body %s, when it is compiled, then tsc refuses it only for a shape error, and a shape error tsc lets through is refused at runtime",
      async (_, i) => {
        const body = bad[i]?.body;
        if (refusedBad[i]) expect(shapeOk(body)).toBe(false);
        // TypeScript lets `[]` into a `{[key: string]: string}`; validation is the net for such holes.
        else if (!shapeOk(body)) expect(await checkCreateImageAction(body)).toEqual(expect.any(String));
        expect(refusedBad[i] || (await checkCreateImageAction(body)) !== undefined).toBe(true);
      },
    );

    it("Given the bad table, when it is compiled, then the types alone stop the shape errors (at least a third of it)", () => {
      expect(refusedBad.filter(Boolean).length).toBeGreaterThanOrEqual(Math.ceil(bad.length / 3));
    });
  });
});
