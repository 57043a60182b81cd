// A response validator for tests: an independent JSON Schema 2020-12 validator (Ajv) over the
// model's dereferenced schemas, plus the `x-openstack` rule that plain OpenAPI cannot check — an
// element marked with a range is present exactly when the response's microversion is inside it.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { loadModel, loadSpec } from "./index.js";
import { inRange } from "./microversion.js";
import type { JsonSchema, SpecModel } from "./model.js";

export interface ObservedResponse {
  method: string;
  /** The path template as in the spec, e.g. `/v2.1/{project_id}/servers/{server_id}/action`. */
  path: string;
  status: number;
  headers: Headers;
  /** The raw body text ("" when empty). */
  body: string;
}

/**
 * `model` gives operations, ranges and schemas; `doc` (the normal bundle, with its `$ref`s) is only
 * for `validate(pointer, …)`, which addresses schemas by their place in the document.
 */
// biome-ignore lint/suspicious/noExplicitAny: the normal bundle is plain JSON.
export function createResponseValidator(doc: any = loadSpec(), model: SpecModel = loadModel()) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, "openapi.json");
  const compiled = new WeakMap<object, ValidateFunction>();
  const check = (schema: JsonSchema): ValidateFunction => {
    let found = compiled.get(schema);
    if (!found) {
      found = ajv.compile(schema);
      compiled.set(schema, found);
    }
    return found;
  };

  /**
   * Returns the problems of one response (empty when it conforms). `microversion` is the version
   * the response says it answered with; undefined on /v2 and for responses without version headers.
   */
  function problems(res: ObservedResponse, microversion?: string): string[] {
    const out: string[] = [];
    const operation = model.operations.find(
      (o) => o.path === res.path && o.method === res.method.toUpperCase(),
    );
    if (!operation) return [`${res.method} ${res.path} is not in the spec`];
    const response = operation.responses.find((r) => r.status === res.status);
    if (!response) return [`status ${res.status} is not documented for ${res.method} ${res.path}`];
    const applies = (range: { min: string; max: string } | undefined) =>
      !range || microversion === undefined || inRange(microversion, range);
    if (!applies(response.range))
      out.push(`status ${res.status} is outside its x-openstack range at ${microversion}`);

    for (const header of response.headers) {
      const value = res.headers.get(header.name);
      if (header.range && microversion !== undefined && !applies(header.range)) {
        if (value !== null) out.push(`header ${header.name} must be absent at ${microversion}`);
        continue;
      }
      if (value === null) {
        if (header.required || (header.range && microversion !== undefined))
          out.push(`header ${header.name} is missing`);
        continue;
      }
      const validate = check(header.schema);
      if (!validate(value)) out.push(`header ${header.name}: ${ajv.errorsText(validate.errors)} (${value})`);
    }

    const type = res.headers.get("content-type") ?? "";
    const bare = (type.split(";")[0] ?? "").trim().toLowerCase();
    const media =
      response.content.find((m) => m.type === bare) ??
      response.content.find((m) => m.type === "application/json");
    if (!media) {
      if (res.body !== "") out.push(`a body where the spec has none: ${res.body.slice(0, 80)}`);
      return out;
    }
    if (media.range && microversion !== undefined && !applies(media.range)) {
      if (res.body !== "") out.push(`the body must be empty at ${microversion}`);
      return out;
    }
    if (res.body === "") return [...out, "the body is empty"];
    if (media.type !== bare) out.push(`content-type ${type} is not ${media.type}`);
    if (!/json/.test(media.type)) return out;
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      return [...out, `the body is not JSON: ${res.body.slice(0, 80)}`];
    }
    const validate = check(media.schema);
    if (!validate(parsed)) out.push(`body: ${ajv.errorsText(validate.errors)}`);
    return out;
  }

  /** Validates `data` against the schema at a JSON pointer of the document (e.g. a request body schema). */
  function validate(pointer: string, data: unknown): { ok: boolean; errors: string } {
    const found = ajv.getSchema(`openapi.json#${pointer}`);
    if (!found) throw new Error(`no schema at ${pointer}`);
    const ok = found(data) as boolean;
    return { ok, errors: ajv.errorsText(found.errors) };
  }

  return { problems, validate };
}
