// The request body checks, in Nova's order and with Nova's messages. The rules come from the
// spec's request schema (compiled once with Ajv), including the name's printable pattern and its
// UTF-8 byte limit (`x-max-bytes`, an Ajv keyword here). What this file adds is what OpenAPI
// cannot say: how Nova peeks at the action key before validating, which of several schema errors
// it reports (the first one python-jsonschema's iter_errors yields: first-error.ts), and its wording.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { codePointLength, compileFirstError, type SchemaError } from "./first-error.js";
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

/** Python's int("…") refuses more digits than this (sys.int_info.default_max_str_digits, 3.11+ and the 3.7–3.10 security releases). */
export const MAX_INT_DIGITS = 4300;

/**
 * Why Python's json.loads would refuse a JSON text that JSON.parse takes, found in one pass over
 * the text before it is parsed (so a body nested 50,000 deep is never built): arrays and objects
 * nesting deeper than `maxDepth` (RecursionError), or an integer literal (no fraction, no exponent)
 * of more than `maxDigits` digits (ValueError from int()). Brackets and digits inside strings do not
 * count. For a text that is not JSON at all the answer does not matter: it is malformed anyway.
 */
export function refusedByPython(text: string, maxDepth: number, maxDigits: number): boolean {
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: jump to the quote that closes it (one preceded by an even run of backslashes)
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end < 0) return false;
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end + 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
      i++;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
      i++;
    } else if (c >= 0x30 && c <= 0x39) {
      const start = i;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      const next = text.charCodeAt(i);
      // A fraction or exponent makes it a float, which has no digit limit; its own digits are
      // skipped by the next turns (they are not preceded by a fresh literal).
      if (i - start > maxDigits && next !== 0x2e && next !== 0x65 && next !== 0x45) return true;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (!((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d))
          break;
        i++;
      }
    } else i++;
  }
  return false;
}

// Python sorts str by code point; JS's default sort compares UTF-16 units, which differ only where
// a surrogate meets U+E000..U+FFFF. At the first unit that differs, the code points there decide
// (taken from the unit before when it is the high half of a pair the two strings share).
export function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const high = (c: number) => c >= 0xd800 && c <= 0xdbff;
  const at = i > 0 && high(a.charCodeAt(i - 1)) ? i - 1 : i;
  return (a.codePointAt(at) ?? 0) - (b.codePointAt(at) ?? 0);
}

// Below U+D800 UTF-16 order is code point order: the native sort (no comparator) is then exact.
const BEYOND_BMP_ORDER = /[\uD800-\uFFFF]/;
function sortedByCodePoint(items: readonly string[]): string[] {
  const copy = [...items];
  return copy.some((s) => BEYOND_BMP_ORDER.test(s)) ? copy.sort(byCodePoint) : copy.sort();
}

/** jsonschema's wording of one error (python-jsonschema 4.21+, _keywords.py). */
function reason(error: SchemaError, legacy: boolean): string {
  const data = error.data;
  const params = error.params;
  switch (error.keyword) {
    case "type":
      return `${pyrepr(data)} is not of type ${(params.type as string[]).map((t) => reprString(t)).join(", ")}`;
    case "minLength":
      return `${pyrepr(data)} ${params.limit === 1 ? "should be non-empty" : "is too short"}`;
    case "maxLength":
    case MAX_BYTES:
      return `${pyrepr(data)} ${params.limit === 0 ? "is expected to be empty" : "is too long"}`;
    case "required":
      return `${reprString(params.missingProperty)} is a required property`;
    case "additionalProperties": {
      const extras = sortedByCodePoint(error.extras ?? []);
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
      return `${pyrepr(data)} is not valid under the given schema`;
  }
}

/** Ajv's error in the walk's form: used only if the walk finds none where Ajv does (a bug). */
function fromAjv(error: ErrorObject): SchemaError {
  const params = error.params as Json;
  const unescapeToken = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");
  const path = error.instancePath === "" ? [] : error.instancePath.slice(1).split("/").map(unescapeToken);
  return {
    keyword: error.keyword,
    data: error.data,
    path,
    params: error.keyword === "type" ? { type: String(params.type).split(",") } : params,
    parentSchema: error.parentSchema,
    ...(error.keyword === "additionalProperties" ? { extras: [String(params.additionalProperty)] } : {}),
  };
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

  // The verdict: Ajv, stopping at its first error (no error list is built for a body with many).
  const ajv = new Ajv2020({ strict: false, allErrors: false, verbose: true });
  ajv.addKeyword({
    keyword: MAX_BYTES,
    type: "string",
    schemaType: "number",
    error: { message: "is too long", params: ({ schemaCode }) => ({ limit: schemaCode }) as never },
    validate: (limit: number, data: string) => utf8Length(data) <= limit,
  });
  const validate: ValidateFunction = ajv.compile(schema);
  // Which error Nova reports, in python-jsonschema's order.
  const firstError = compileFirstError(schema, {
    custom: { [MAX_BYTES]: (limit: number, data) => typeof data !== "string" || utf8Length(data) <= limit },
  });

  function schemaFault(body: unknown, legacy: boolean): BodyVerdict | undefined {
    if (validate(body)) return undefined;
    const found = firstError(body, legacy);
    // /v2 drops unknown keys where the schema has no patternProperties: Ajv's only errors there
    // are not errors on /v2.
    if (!found && legacy) return undefined;
    const first = found ?? fromAjv((validate.errors ?? [])[0] as ErrorObject);
    if (first.keyword === "pattern" && nameSchemas.has(first.parentSchema)) {
      return { kind: "fault", status: 400, message: INVALID_NAME };
    }
    const text = reason(first, legacy);
    const path = first.path;
    const message =
      path.length === 0 ? text : invalidInput(path[path.length - 1] as string, pystr(first.data), text);
    return { kind: "fault", status: 400, message };
  }

  function check(raw: Uint8Array, legacy: boolean): BodyVerdict {
    let body: unknown;
    try {
      const text = utf8.decode(raw);
      // Deeper than Python's recursion limit, json.loads raises before Nova sees the body. Nova
      // would let that RecursionError become a 500; the mock promises never a 5xx and answers what
      // Nova answers for any body it cannot decode. An integer literal too long for Python's int()
      // is a ValueError in json.loads: malformed too.
      if (refusedByPython(text, MAX_JSON_DEPTH, MAX_INT_DIGITS)) return { kind: "malformed" };
      body = JSON.parse(text);
    } catch {
      return { kind: "malformed" };
    }
    // Nova's action_peek: len(decoded) must be 1, then decoded.keys() names the action.
    // Values without len() or keys() (numbers, null, booleans, [x], "x") fail the routing
    // itself, which answers webob's plain 404.
    if (body === null || typeof body !== "object") {
      if (typeof body === "string" && codePointLength(body) !== 1) return { kind: "malformed" };
      return { kind: "fault", status: 404, message: RESOURCE_NOT_FOUND };
    }
    if (Array.isArray(body)) {
      if (body.length !== 1) return { kind: "malformed" };
      return { kind: "fault", status: 404, message: RESOURCE_NOT_FOUND };
    }
    let keys = 0;
    let only = "";
    for (const key in body) {
      only = key;
      if (++keys > 1) return { kind: "malformed" };
    }
    if (keys !== 1) return { kind: "malformed" };
    if (only !== action) return { kind: "fault", status: 400, message: noSuchAction(only) };
    return (
      schemaFault(body, legacy) ?? {
        kind: "ok",
        action: (body as Record<string, Record<string, unknown>>)[action] ?? {},
      }
    );
  }

  return { action, check };
}
