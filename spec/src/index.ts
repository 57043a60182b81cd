// The package's Node entry: the bundled documents on disk, the model and the contract view read from
// them, and the tables of request bodies. The browser-safe parts are the subpaths
// `@ecs-api/spec/model` and `@ecs-api/spec/microversion`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Contract, contractOf } from "./contract.js";
import { buildModel, type SpecModel } from "./model.js";

export * from "./contract.js";
export * from "./microversion.js";
export * from "./model.js";
export * from "./names.js";

/** Absolute paths of the bundled documents (`deref`: every `$ref` resolved, for the model). */
export const specPaths = {
  json: fileURLToPath(new URL("../dist/openapi.json", import.meta.url)),
  yaml: fileURLToPath(new URL("../dist/openapi.yaml", import.meta.url)),
  deref: fileURLToPath(new URL("../dist/openapi.deref.json", import.meta.url)),
} as const;

/** The bundled OpenAPI document, parsed (a fresh copy each call); for tools that need `$ref`s. */
// biome-ignore lint/suspicious/noExplicitAny: plain JSON.
export function loadSpec(): any {
  return JSON.parse(readFileSync(specPaths.json, "utf8"));
}

/** The dereferenced bundle, parsed (a fresh copy each call). */
// biome-ignore lint/suspicious/noExplicitAny: plain JSON.
export function loadDereferencedSpec(path: string = specPaths.deref): any {
  return JSON.parse(readFileSync(path, "utf8"));
}

const models = new Map<string, SpecModel>();
/** The model of the bundled spec (read once per path and kept). */
export function loadModel(path: string = specPaths.deref): SpecModel {
  let model = models.get(path);
  if (!model) {
    model = buildModel(loadDereferencedSpec(path));
    models.set(path, model);
  }
  return model;
}

/** The contract's rules, read from the model. */
export function loadContract(): Contract {
  return contractOf(loadModel());
}

export interface BodyCase {
  /** What the case shows, e.g. "name of 243 ASCII characters". */
  case: string;
  /** The rule of the reference it exercises. */
  rule: string;
  body: unknown;
}

/** A body Nova refuses, with Nova's answer (on /v2.1 at every microversion). */
export interface BadBodyCase extends BodyCase {
  status: 400 | 404;
  fault: "badRequest" | "itemNotFound";
  message: string;
  /**
   * `false` where JSON Schema cannot express the rule (the name's byte limit, Nova's full printable
   * rule): the schema accepts the body and code that validates refuses it.
   */
  schemaRejects?: false;
  /** Where the legacy /v2 endpoint answers otherwise (it drops unknown keys inside createImage). */
  legacyV2?: { status: number; message?: string };
}

/** A body Nova accepts. */
export interface GoodBodyCase extends BodyCase {
  /** More metadata items than the quota: 403 where the spec's 403 range applies, and on /v2. */
  quotaExceeded?: true;
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), "utf8"));

/** Request bodies the schema rejects, with Nova's answer. Shared by the spec, mock and client tests. */
export function badBodies(): BadBodyCase[] {
  return fixture("bad-bodies.json");
}

/** Request bodies the schema accepts. */
export function goodBodies(): GoodBodyCase[] {
  return fixture("good-bodies.json");
}

/** A bundled document (with local `$ref`s) dereferenced by `@redocly/openapi-core` (loaded only then). */
// biome-ignore lint/suspicious/noExplicitAny: plain JSON in, plain JSON out.
export async function dereference(doc: any): Promise<any> {
  const { bundle, createConfig, makeDocumentFromString } = await import("@redocly/openapi-core");
  const config = await createConfig({});
  const result = await bundle({
    doc: makeDocumentFromString(JSON.stringify(doc), "/openapi.json"),
    config,
    dereference: true,
  });
  return result.bundle.parsed;
}

/** The model of a bundled document held in memory (e.g. a test's edited copy of `loadSpec()`). */
// biome-ignore lint/suspicious/noExplicitAny: plain JSON.
export async function modelOf(doc: any): Promise<SpecModel> {
  return buildModel(await dereference(doc));
}

/**
 * The model of any bundled document on disk (e.g. the mock's `--spec`): a dereferenced bundle is
 * read as it is, a normal one is dereferenced first.
 */
export async function loadModelFrom(path: string): Promise<SpecModel> {
  if (path === specPaths.json || path === specPaths.deref) return loadModel();
  const text = readFileSync(path, "utf8");
  const parsed = JSON.parse(text);
  return text.includes('"$ref"') ? modelOf(parsed) : buildModel(parsed);
}
