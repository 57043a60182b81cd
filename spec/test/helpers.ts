import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { loadSpec } from "../src/index.js";

export const spec = loadSpec();

/**
 * An independent JSON Schema 2020-12 validator over the bundled document: every
 * `#/components/...` reference resolves inside it, so any schema can be compiled by pointer.
 */
export function createValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // OpenAPI keywords that are annotations, not validation.
  ajv.addVocabulary(["example", "x-openstack", "x-max-bytes", "x-quota-max-properties"]);
  ajv.addSchema(spec, "openapi.json");
  return {
    ajv,
    /** Validates `data` against the schema at a JSON pointer of the bundled document. */
    validate(pointer: string, data: unknown): { ok: boolean; errors: string } {
      const check = ajv.getSchema(`openapi.json#${pointer}`);
      if (!check) throw new Error(`no schema at ${pointer}`);
      const ok = check(data) as boolean;
      return { ok, errors: ajv.errorsText(check.errors) };
    },
  };
}
