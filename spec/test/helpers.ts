import { loadDereferencedSpec, loadSpec } from "../src/index.js";
import { createResponseValidator } from "../src/testing.js";

export const spec = loadSpec();

/** Validates data against the schema at a JSON pointer of the bundled document (Ajv, JSON Schema 2020-12). */
export const createValidator = () => createResponseValidator(spec);

/** The dereferenced bundle (every `$ref` resolved by Redocly), for tests that read nested objects. */
export const derefSpec = loadDereferencedSpec();
