// The request body checks, in Nova's order and with Nova's messages. The rules come from the
// spec's request schema (compiled once with Ajv), including the name's printable pattern and its
// UTF-8 byte limit (`x-max-bytes`, an Ajv keyword here). What this file adds is what OpenAPI
// cannot say: how Nova peeks at the action key before validating, which of several schema errors
// it reports (the first one python-jsonschema's iter_errors yields, not Ajv's), and its wording.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { INVALID_NAME, invalidInput, noSuchAction, RESOURCE_NOT_FOUND } from "./messages.js";
import { pyrepr, pystr, reprString } from "./pyrepr.js";

// biome-ignore lint/suspicious/noExplicitAny: the bundled document is plain JSON, walked by key.
type Json = any;

export type BodyVerdict =
  | { kind: "ok"; action: Record<string, unknown> }
  /** Not JSON, empty, or not exactly one key: the spec's "malformed body" example answers it. */
  | { kind: "malformed" }
  | { kind: "fault"; status: 400 | 404; message: string };

const MAX_BYTES = "x-max-bytes";

/**
 * The subschemas titled `title` (the dereferenced bundle keeps each `$ref`'s target title), found
 * with an explicit stack: the schema is the spec's, but no walk here recurses.
 */
function schemasTitled(schema: Json, title: string): Set<Json> {
  const found = new Set<Json>();
  const stack: Json[] = [schema];
  const seen = new Set<Json>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (!Array.isArray(node) && node.title === title) found.add(node);
    for (const value of Object.values(node)) stack.push(value);
  }
  return found;
}

/** Python's default recursion limit: json.loads fails deeper than this, Nova never sees such a body. */
export const MAX_JSON_DEPTH = 1000;

/** True when a parsed value nests deeper than `limit` (arrays and objects), walked without recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (!node || typeof node !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}

const unescapeToken = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");
const pointer = (path: string) => (path === "" ? [] : path.replace(/^\//, "").split("/").map(unescapeToken));
// Ajv's schemaPath is a URI fragment (its segments are percent-encoded); instancePath is a plain
// JSON pointer. Schema paths are few (bounded by the schema) and kept; instance paths are not.
const schemaPaths = new Map<string, string[]>();
function schemaSegments(path: string): string[] {
  let found = schemaPaths.get(path);
  if (!found) {
    found = pointer(path.replace(/^#/, "")).map((s) => decodeURIComponent(s));
    schemaPaths.set(path, found);
  }
  return found;
}

// Python sorts str by code point; JS's default sort compares UTF-16 units.
function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0) ?? 0);
  const y = [...b].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

// The index of a key in an object's insertion order, looked up in O(1): an object is indexed once
// (O(keys)) the first time an error needs it, so thousands of errors on one wide object stay linear.
const keyIndexes = new WeakMap<object, Map<string, number>>();
function keyIndex(node: Json, key: string): number {
  if (!node || typeof node !== "object") return -1;
  let index = keyIndexes.get(node);
  if (!index) {
    index = new Map();
    let i = 0;
    for (const k of Object.keys(node)) index.set(k, i++);
    keyIndexes.set(node, index);
  }
  return index.get(key) ?? -1;
}

/**
 * The position python-jsonschema's iter_errors would reach this error at: it walks the schema's
 * keywords in document order, `properties` in the schema's order, `patternProperties` per pattern
 * and then per instance key in request order. Compared as a tuple, the smallest is Nova's error.
 */
function jsonschemaPosition(schema: Json, data: unknown, error: ErrorObject): number[] {
  const key: number[] = [];
  const path = schemaSegments(error.schemaPath);
  const instancePath = pointer(error.instancePath);
  let node = schema;
  let instance: Json = data;
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    const keyword = path[i] as string;
    key.push(keyIndex(node, keyword));
    if ((keyword === "properties" || keyword === "patternProperties") && i + 1 < path.length) {
      const child = path[++i] as string;
      key.push(keyIndex(node[keyword], child));
      const instanceKey = instancePath[depth++] as string;
      if (keyword === "patternProperties") key.push(keyIndex(instance, instanceKey));
      node = node[keyword][child];
      instance = instance?.[instanceKey];
    }
  }
  return key;
}

function comparePositions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** jsonschema's wording of one error (python-jsonschema 4.21+, _keywords.py). */
function reason(error: ErrorObject, group: ErrorObject[], legacy: boolean): string {
  const data = error.data;
  const params = error.params as Json;
  switch (error.keyword) {
    case "type": {
      const types = Array.isArray(params.type) ? params.type : String(params.type).split(",");
      return `${pyrepr(data)} is not of type ${types.map((t: string) => reprString(t)).join(", ")}`;
    }
    case "minLength":
      return `${pyrepr(data)} ${params.limit === 1 ? "should be non-empty" : "is too short"}`;
    case "maxLength":
    case MAX_BYTES:
      return `${pyrepr(data)} ${params.limit === 0 ? "is expected to be empty" : "is too long"}`;
    case "required":
      return `${reprString(params.missingProperty)} is a required property`;
    case "additionalProperties": {
      const extras = group.map((e) => String((e.params as Json).additionalProperty)).sort(byCodePoint);
      const patterns = Object.keys(error.parentSchema?.patternProperties ?? {}).sort(byCodePoint);
      // Nova's /v2 validator (_soft_validate_additional_properties) words it the plain way.
      if (patterns.length > 0 && !legacy) {
        const verb = extras.length === 1 ? "does" : "do";
        return `${extras.map(reprString).join(", ")} ${verb} not match any of the regexes: ${patterns.map(reprString).join(", ")}`;
      }
      const verb = extras.length === 1 ? "was" : "were";
      return `Additional properties are not allowed (${extras.map(reprString).join(", ")} ${verb} unexpected)`;
    }
    case "pattern":
      return `${pyrepr(data)} does not match ${reprString(String(params.pattern))}`;
    case "enum":
    case "const":
      return `${pyrepr(data)} is not one of ${pyrepr(params.allowedValues ?? [params.allowedValue])}`;
    default:
      return error.message ?? "is invalid";
  }
}

export interface BodyChecker {
  /** The action key the operation takes (the request schema's only property). */
  action: string;
  check(raw: Uint8Array, legacy: boolean): BodyVerdict;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** UTF-8 length of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (
      c >= 0xd800 &&
      c <= 0xdbff &&
      i + 1 < text.length &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Compiles the checks for one operation's request body from the spec's (dereferenced) schema.
 * `nameSchemaTitle` is the title of the schema Nova validates with its `name` format.
 */
export function compileBodyChecker(schema: Json, nameSchemaTitle: string): BodyChecker {
  // The copies of the name's schema: a failure of their pattern is Nova's InvalidName (format
  // "name"), which Nova words without the "Invalid input for field" prefix.
  const nameSchemas = schemasTitled(schema, nameSchemaTitle);
  if (nameSchemas.size === 0) throw new Error(`the request schema does not use ${nameSchemaTitle}`);
  const properties = Object.keys(schema.properties ?? {});
  if (schema.type !== "object" || properties.length !== 1) {
    throw new Error("the request schema must be an object with exactly one property, the action");
  }
  const action = properties[0] as string;

  const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true });
  ajv.addKeyword({
    keyword: MAX_BYTES,
    type: "string",
    schemaType: "number",
    error: { message: "is too long", params: ({ schemaCode }) => ({ limit: schemaCode }) as never },
    validate: (limit: number, data: string) => utf8Length(data) <= limit,
  });
  const validate: ValidateFunction = ajv.compile(schema);

  function schemaFault(body: unknown, legacy: boolean): BodyVerdict | undefined {
    if (validate(body)) return undefined;
    let errors = validate.errors ?? [];
    // /v2 silently drops unknown keys of objects without patternProperties (Nova's
    // _soft_validate_additional_properties); they are not errors there.
    if (legacy) {
      errors = errors.filter(
        (e) => e.keyword !== "additionalProperties" || e.parentSchema?.patternProperties,
      );
      if (errors.length === 0) return undefined;
    }
    const ranked = errors
      .map((e) => ({ e, at: jsonschemaPosition(schema, body, e) }))
      .sort((a, b) => comparePositions(a.at, b.at));
    const first = (ranked[0] as { e: ErrorObject }).e;
    if (first.keyword === "pattern" && nameSchemas.has(first.parentSchema)) {
      return { kind: "fault", status: 400, message: INVALID_NAME };
    }
    const group = errors.filter((e) => e.keyword === first.keyword && e.instancePath === first.instancePath);
    const path = pointer(first.instancePath);
    const text = reason(first, group, legacy);
    const message =
      path.length === 0 ? text : invalidInput(path[path.length - 1] as string, pystr(first.data), text);
    return { kind: "fault", status: 400, message };
  }

  function check(raw: Uint8Array, legacy: boolean): BodyVerdict {
    let body: unknown;
    try {
      body = JSON.parse(utf8.decode(raw));
    } catch {
      return { kind: "malformed" };
    }
    // Deeper than Python's recursion limit, json.loads raises before Nova sees the body. Nova would
    // let that RecursionError become a 500; the mock promises never a 5xx and answers what Nova
    // answers for any body it cannot decode.
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) return { kind: "malformed" };
    // Nova's action_peek: len(decoded) must be 1, then decoded.keys() names the action.
    // Values without len() or keys() (numbers, null, booleans, [x], "x") fail the routing
    // itself, which answers webob's plain 404.
    if (body === null || typeof body !== "object") {
      if (typeof body === "string" && [...body].length !== 1) return { kind: "malformed" };
      return { kind: "fault", status: 404, message: RESOURCE_NOT_FOUND };
    }
    if (Array.isArray(body)) {
      if (body.length !== 1) return { kind: "malformed" };
      return { kind: "fault", status: 404, message: RESOURCE_NOT_FOUND };
    }
    const keys = Object.keys(body);
    if (keys.length !== 1) return { kind: "malformed" };
    if (keys[0] !== action) return { kind: "fault", status: 400, message: noSuchAction(keys[0] as string) };
    return (
      schemaFault(body, legacy) ?? {
        kind: "ok",
        action: (body as Record<string, Record<string, unknown>>)[action] ?? {},
      }
    );
  }

  return { action, check };
}
