// The spec package's adversarial corpus (fixtures/adversarial-bodies.json, expanded by
// fixtures/adversarial.mjs), read from the installed @ecs-api/spec: its exports name the JSON
// tables only, so the generator is found next to the package's package.json.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export interface AdversarialCase {
  case: string;
  rule: string;
  bytes: Uint8Array;
  body: unknown;
  status: 202 | 400 | 404 | 413;
  fault?: string;
  message?: string;
  python?: "ValueError" | "RecursionError" | "unread";
  deviation?: string;
  quotaExceeded?: true;
  legacyV2?: { status: number; message?: string };
}

const specRoot = dirname(createRequire(import.meta.url).resolve("@ecs-api/spec/package.json"));
const generator: { adversarialBodies(): AdversarialCase[] } = await import(
  pathToFileURL(join(specRoot, "fixtures", "adversarial.mjs")).href
);

/** Every corpus case with its body's bytes and Nova's answer. */
export const adversarialBodies = (): AdversarialCase[] => generator.adversarialBodies();
