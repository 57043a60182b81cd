import { CREATE_IMAGE_PATH, type VersionRange } from "@ecs-api/spec";
import { type Json, type NamedExample, operationsOf } from "../openapi.js";

// What more than one guide reads from the bundled spec.

export const JSON_TYPE = "application/json";

export function operationById(doc: Json, operationId: string) {
  const found = operationsOf(doc).find((o) => o.operation.operationId === operationId);
  if (!found) throw new Error(`The spec has no operation ${operationId}`);
  return found;
}

/** The current (/v2.1) createImage operation: the POST on the path the contract is read from. */
export function createImageOperation(doc: Json) {
  const found = operationsOf(doc).find((o) => o.path === CREATE_IMAGE_PATH && o.method === "post");
  if (!found) throw new Error(`The spec has no POST ${CREATE_IMAGE_PATH}`);
  return found;
}

export function rangeText(range: VersionRange): string {
  return range.min === range.max ? range.min : `${range.min} – ${range.max}`;
}

/** The message of a fault example: `{<faultKey>: {code, message}}`. */
export function messageOf(example: NamedExample, faultKey: string): string {
  return String(example.value?.[faultKey]?.message ?? "");
}
