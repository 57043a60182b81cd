// Which schema error Nova reports: the first one python-jsonschema's `iter_errors` yields (Nova's
// validator raises it). iter_errors walks a schema's keywords in document order, `properties` in the
// schema's order, `patternProperties` per pattern and then per instance key in request order, and
// reports `additionalProperties: false` once for all extras. This walk does the same and stops at
// the first error, so a body with thousands of bad values costs what one error costs, plus the
// keys it passes on the way: time linear in the body, whatever the number of errors.
//
// Ajv's compiled validator stays the verdict (valid or not); this walk is asked only which error to
// report, so the two can never disagree on whether a body passes. It recurses along the schema
// (the spec's, a few levels deep), never deeper than the schema goes into the request.
import { ownKeys } from "./own-keys.js";

// biome-ignore lint/suspicious/noExplicitAny: the bundled document is plain JSON, walked by key.
type Json = any;

/** One schema error, as python-jsonschema would carry it. */
export interface SchemaError {
  keyword: string;
  /** The failing value (jsonschema's `instance`). */
  data: unknown;
  /** The instance path (jsonschema's `path`): its last segment names the field. */
  path: string[];
  /** What the keyword asked for: `type`, `limit`, `missingProperty`, `pattern`, `allowedValues`. */
  params: Json;
  /** The schema holding the keyword. */
  parentSchema: Json;
  /** `additionalProperties`: every extra key, in request order. */
  extras?: string[];
}

type Check = (data: unknown, path: string[], legacy: boolean) => SchemaError | undefined;

/**
 * Per pattern, which of an object's keys (`ownKeys`, in their order) match it: `patternProperties`
 * and `additionalProperties` of one schema ask the same questions of the same object, answered once.
 */
const keyMatches = new WeakMap<object, Map<RegExp, boolean[]>>();
function matchesOf(data: Record<string, unknown>, regex: RegExp): boolean[] {
  let byPattern = keyMatches.get(data);
  if (!byPattern) {
    byPattern = new Map();
    keyMatches.set(data, byPattern);
  }
  let hits = byPattern.get(regex);
  if (!hits) {
    hits = ownKeys(data).map((k) => regex.test(k));
    byPattern.set(regex, hits);
  }
  return hits;
}

/** Keywords that never fail (annotations); everything else must be known, or compiling fails. */
const ANNOTATIONS = new Set([
  "title",
  "description",
  "default",
  "examples",
  "example",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
  "$schema",
  "$id",
  // Ajv ignores formats it was not given (the mock adds none), and so does this walk.
  "format",
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function isType(data: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isObject(data);
    case "array":
      return Array.isArray(data);
    case "string":
      return typeof data === "string";
    case "number":
      return typeof data === "number";
    case "integer":
      return typeof data === "number" && Number.isInteger(data);
    case "boolean":
      return typeof data === "boolean";
    case "null":
      return data === null;
    default:
      return false;
  }
}

/** Length in code points, as Python's len() and Ajv's ucs2length count (a lone surrogate is one). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}

/** JSON equality for `enum`/`const` (values from the request are at most MAX_JSON_DEPTH deep). */
const jsonEqual = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

export interface FirstErrorOptions {
  /** Keyword → check for custom keywords (the name's UTF-8 byte limit). */
  custom: Record<string, (limit: Json, data: unknown) => boolean>;
}

/**
 * Compiles `schema` into a function that returns the first error python-jsonschema would yield for
 * a request value (undefined when there is none). `legacy` applies Nova's /v2 validator: unknown
 * keys of an object without `patternProperties` are dropped, not errors.
 */
export function compileFirstError(
  schema: Json,
  options: FirstErrorOptions,
): (data: unknown, legacy: boolean) => SchemaError | undefined {
  // One RegExp per pattern, so that the key-match cache serves patternProperties and additionalProperties alike.
  const regexes = new Map<string, RegExp>();
  const regexFor = (pattern: string) => {
    let found = regexes.get(pattern);
    if (!found) {
      found = new RegExp(pattern, "u");
      regexes.set(pattern, found);
    }
    return found;
  };
  const compile = (node: Json): Check => {
    if (node === true || node === undefined) return () => undefined;
    if (node === false)
      return (data, path) => ({ keyword: "false", data, path, params: {}, parentSchema: node });
    const checks: Check[] = [];
    for (const [keyword, value] of Object.entries<Json>(node)) {
      const check = keywordCheck(node, keyword, value);
      if (check) checks.push(check);
    }
    return (data, path, legacy) => {
      for (const check of checks) {
        const error = check(data, path, legacy);
        if (error) return error;
      }
      return undefined;
    };
  };

  const keywordCheck = (node: Json, keyword: string, value: Json): Check | undefined => {
    const fail = (data: unknown, path: string[], params: Json, extras?: string[]): SchemaError => ({
      keyword,
      data,
      path,
      params,
      parentSchema: node,
      ...(extras ? { extras } : {}),
    });
    const custom = options.custom[keyword];
    if (custom) return (data, path) => (custom(value, data) ? undefined : fail(data, path, { limit: value }));
    if (ANNOTATIONS.has(keyword) || keyword.startsWith("x-")) return undefined;
    switch (keyword) {
      case "type": {
        const types: string[] = Array.isArray(value) ? value : [value];
        return (data, path) =>
          types.some((t) => isType(data, t)) ? undefined : fail(data, path, { type: types });
      }
      case "properties": {
        const children = Object.entries<Json>(value).map(([name, sub]) => [name, compile(sub)] as const);
        return (data, path, legacy) => {
          if (!isObject(data)) return undefined;
          for (const [name, check] of children) {
            if (!Object.hasOwn(data, name)) continue;
            const error = check(data[name], [...path, name], legacy);
            if (error) return error;
          }
          return undefined;
        };
      }
      case "patternProperties": {
        const children = Object.entries<Json>(value).map(
          ([pattern, sub]) => [regexFor(pattern), compile(sub)] as const,
        );
        return (data, path, legacy) => {
          if (!isObject(data)) return undefined;
          const keys = ownKeys(data);
          for (const [regex, check] of children) {
            const hits = matchesOf(data, regex);
            for (let i = 0; i < keys.length; i++) {
              if (!hits[i]) continue;
              const key = keys[i] as string;
              const error = check(data[key], [...path, key], legacy);
              if (error) return error;
            }
          }
          return undefined;
        };
      }
      case "additionalProperties": {
        const known = new Set(Object.keys(node.properties ?? {}));
        const patterns = Object.keys(node.patternProperties ?? {}).map(regexFor);
        const extrasOf = (data: Record<string, unknown>) => {
          const matched = patterns.map((p) => matchesOf(data, p));
          return ownKeys(data).filter((k, i) => !known.has(k) && !matched.some((hits) => hits[i]));
        };
        if (value === false) {
          return (data, path, legacy) => {
            if (!isObject(data)) return undefined;
            // Nova's /v2 (_soft_validate_additional_properties) drops these instead.
            if (legacy && patterns.length === 0) return undefined;
            const extras = extrasOf(data);
            return extras.length > 0 ? fail(data, path, {}, extras) : undefined;
          };
        }
        const check = compile(value);
        return (data, path, legacy) => {
          if (!isObject(data)) return undefined;
          for (const key of extrasOf(data)) {
            const error = check(data[key], [...path, key], legacy);
            if (error) return error;
          }
          return undefined;
        };
      }
      case "required":
        return (data, path) => {
          if (!isObject(data)) return undefined;
          for (const name of value as string[])
            if (!Object.hasOwn(data, name)) return fail(data, path, { missingProperty: name });
          return undefined;
        };
      case "minLength":
        return (data, path) =>
          typeof data === "string" && codePointLength(data) < value
            ? fail(data, path, { limit: value })
            : undefined;
      case "maxLength":
        return (data, path) =>
          typeof data === "string" && codePointLength(data) > value
            ? fail(data, path, { limit: value })
            : undefined;
      case "pattern": {
        const regex = new RegExp(value, "u");
        return (data, path) =>
          typeof data === "string" && !regex.test(data) ? fail(data, path, { pattern: value }) : undefined;
      }
      case "enum":
        return (data, path) =>
          (value as unknown[]).some((v) => jsonEqual(v, data))
            ? undefined
            : fail(data, path, { allowedValues: value });
      case "const":
        return (data, path) =>
          jsonEqual(value, data) ? undefined : fail(data, path, { allowedValue: value });
      default:
        throw new Error(
          `the request schema uses "${keyword}", which the mock's Nova error order does not know (src/engine/first-error.ts)`,
        );
    }
  };

  const root = compile(schema);
  return (data, legacy) => root(data, [], legacy);
}
