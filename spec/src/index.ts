import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readContract } from "./contract.js";

export * from "./contract.js";
export * from "./microversion.js";

/** Absolute paths of the bundled document. */
export const specPaths = {
  json: fileURLToPath(new URL("../dist/openapi.json", import.meta.url)),
  yaml: fileURLToPath(new URL("../dist/openapi.yaml", import.meta.url)),
} as const;

/** The bundled OpenAPI document, parsed (a fresh copy each call). */
// biome-ignore lint/suspicious/noExplicitAny: plain JSON.
export function loadSpec(): any {
  return JSON.parse(readFileSync(specPaths.json, "utf8"));
}

/** The contract's rules, read from the bundled document. */
export function loadContract() {
  return readContract(loadSpec());
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
