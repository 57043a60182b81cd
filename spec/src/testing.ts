// A response validator for tests: an independent JSON Schema 2020-12 validator (Ajv) over the
// bundled document, plus the `x-openstack` rule that plain OpenAPI cannot check — an element marked
// with a range is present exactly when the response's microversion is inside it.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { deref, rangeOf } from "./contract.js";
import { loadSpec } from "./index.js";
import { inRange } from "./microversion.js";

// biome-ignore lint/suspicious/noExplicitAny: plain JSON.
type Json = any;

export interface ObservedResponse {
  method: string;
  /** The path template as in the spec, e.g. `/v2.1/{project_id}/servers/{server_id}/action`. */
  path: string;
  status: number;
  headers: Headers;
  /** The raw body text ("" when empty). */
  body: string;
}

const pointerEscape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

export function createResponseValidator(doc: Json = loadSpec()) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, "openapi.json");
  const compile = (pointer: string) => {
    const check = ajv.getSchema(`openapi.json#${pointer}`);
    if (!check) throw new Error(`no schema at ${pointer}`);
    return check;
  };

  /**
   * Returns the problems of one response (empty when it conforms). `microversion` is the version
   * the response says it answered with; undefined on /v2 and for responses without version headers.
   */
  function problems(res: ObservedResponse, microversion?: string): string[] {
    const out: string[] = [];
    const operation = doc.paths[res.path]?.[res.method.toLowerCase()];
    if (!operation) return [`${res.method} ${res.path} is not in the spec`];
    const base = `/paths/${pointerEscape(res.path)}/${res.method.toLowerCase()}/responses/${res.status}`;
    const response = operation.responses[String(res.status)];
    if (!response) return [`status ${res.status} is not documented for ${res.method} ${res.path}`];
    const resolved = deref(doc, response);
    const applies = (node: Json) => {
      const range = rangeOf(doc, node);
      return !range || microversion === undefined || inRange(microversion, range);
    };
    if (!applies(resolved))
      out.push(`status ${res.status} is outside its x-openstack range at ${microversion}`);

    for (const [name, headerRef] of Object.entries<Json>(resolved.headers ?? {})) {
      const header = deref(doc, headerRef);
      const value = res.headers.get(name);
      const marked = rangeOf(doc, header) !== undefined;
      if (marked && microversion !== undefined && !applies(header)) {
        if (value !== null) out.push(`header ${name} must be absent at ${microversion}`);
        continue;
      }
      if (value === null) {
        if (header.required || (marked && microversion !== undefined)) out.push(`header ${name} is missing`);
        continue;
      }
      const pointer = response.$ref
        ? `${response.$ref.replace(/^#/, "")}/headers/${pointerEscape(name)}/schema`
        : `${base}/headers/${pointerEscape(name)}/schema`;
      const check = compile(headerRef.$ref ? `${headerRef.$ref.replace(/^#/, "")}/schema` : pointer);
      if (!check(value)) out.push(`header ${name}: ${ajv.errorsText(check.errors)} (${value})`);
    }

    const media = resolved.content?.["application/json"];
    if (!media) {
      if (res.body !== "") out.push(`a body where the spec has none: ${res.body.slice(0, 80)}`);
      return out;
    }
    const schema = deref(doc, media.schema);
    if (rangeOf(doc, schema) && microversion !== undefined && !applies(schema)) {
      if (res.body !== "") out.push(`the body must be empty at ${microversion}`);
      return out;
    }
    if (res.body === "") return [...out, "the body is empty"];
    const type = res.headers.get("content-type") ?? "";
    if (!/^application\/json\b/.test(type)) out.push(`content-type ${type} is not JSON`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      return [...out, `the body is not JSON: ${res.body.slice(0, 80)}`];
    }
    const pointer = media.schema.$ref
      ? media.schema.$ref.replace(/^#/, "")
      : `${response.$ref ? response.$ref.replace(/^#/, "") : base}/content/application~1json/schema`;
    const check = compile(pointer);
    if (!check(parsed)) out.push(`body: ${ajv.errorsText(check.errors)}`);
    return out;
  }

  /** Validates `data` against the schema at a JSON pointer of the document (e.g. a request body schema). */
  function validate(pointer: string, data: unknown): { ok: boolean; errors: string } {
    const check = compile(pointer);
    const ok = check(data) as boolean;
    return { ok, errors: ajv.errorsText(check.errors) };
  }

  return { problems, validate };
}
