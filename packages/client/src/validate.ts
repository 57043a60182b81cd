import {
  ACTION_KEY,
  IMAGE_KEYS,
  METADATA_KEY_PATTERN,
  METADATA_VALUE_MAX_LENGTH,
  NAME_MAX_BYTES,
  NAME_MIN_LENGTH,
  NAME_PATTERN_ASCII,
} from "./generated/contract.js";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const encoder = new TextEncoder();
const ASCII = /^\p{ASCII}*$/u;
let namePattern: Promise<RegExp> | undefined;

/**
 * Nova's printable-name rule. The whole pattern is ~2.4 kB gzipped, so it is a chunk of its own,
 * loaded on the first name with a character outside ASCII; an ASCII name gets the same verdict from
 * the pattern's ASCII classes (see scripts/generate.mjs).
 */
async function isPrintableName(name: string): Promise<boolean> {
  if (ASCII.test(name)) return NAME_PATTERN_ASCII.test(name);
  namePattern ??= import("./generated/name-pattern.js").then((m) => m.NAME_PATTERN);
  return (await namePattern).test(name);
}

/**
 * The first way `image` (the value of `createImage`) breaks the contract, or `undefined` when it
 * follows it. Checks the rules the service checks on the body; quotas and server state are the
 * service's to answer.
 */
export async function checkImage(image: unknown): Promise<string | undefined> {
  if (!isObject(image)) return `${ACTION_KEY} must be an object`;
  for (const key of Object.keys(image))
    if (!IMAGE_KEYS.includes(key)) return `${ACTION_KEY}.${key} is not allowed`;
  const { name, metadata } = image;
  // Up to a third of the limit in UTF-16 units cannot exceed it in bytes: skip encoding (~0.4 µs).
  const bytes =
    typeof name !== "string"
      ? -1
      : name.length * 3 > NAME_MAX_BYTES
        ? encoder.encode(name).length
        : name.length;
  if (bytes < NAME_MIN_LENGTH || bytes > NAME_MAX_BYTES) {
    return `name must be a string of ${NAME_MIN_LENGTH} to ${NAME_MAX_BYTES} UTF-8 bytes`;
  }
  if (!(await isPrintableName(name as string))) {
    return "name must be printable and not start or end with whitespace";
  }
  if (metadata === undefined) return undefined;
  if (!isObject(metadata)) return "metadata must be an object";
  for (const key of Object.keys(metadata)) {
    const value = metadata[key];
    if (!METADATA_KEY_PATTERN.test(key)) return `metadata key "${key}" must match ${METADATA_KEY_PATTERN}`;
    // Nova (Python) counts code points, not UTF-16 units.
    if (typeof value !== "string" || [...value].length > METADATA_VALUE_MAX_LENGTH) {
      return `metadata "${key}" must be a string of at most ${METADATA_VALUE_MAX_LENGTH} characters`;
    }
  }
  return undefined;
}

/**
 * The first way a whole action body breaks the contract, or `undefined` when it follows it. For
 * bodies sent through the raw client; `createImage()` runs the same checks.
 */
export async function checkCreateImageAction(body: unknown): Promise<string | undefined> {
  if (!isObject(body)) return "the body must be a JSON object";
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== ACTION_KEY) return `the body must have one key, ${ACTION_KEY}`;
  return checkImage(body[ACTION_KEY]);
}
