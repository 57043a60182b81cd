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
  /** What the case shows, e.g. "name longer than 242 bytes". */
  case: string;
  /** The rule of the reference it exercises. */
  rule: string;
  body: unknown;
  /** Where the /v2 legacy endpoint answers differently (it drops unknown keys inside createImage). */
  legacyV2?: { status: number };
}

export interface BadBodyCase extends BodyCase {
  status: 400;
  fault: "badRequest";
  message: string;
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), "utf8"));

/** Request bodies the schema rejects, with Nova's answer. Shared by the spec, mock and client tests. */
export function badBodies(): BadBodyCase[] {
  return fixture("bad-bodies.json");
}

/** Request bodies the schema accepts. */
export function goodBodies(): BodyCase[] {
  return fixture("good-bodies.json");
}
