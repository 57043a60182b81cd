import { loadSpec } from "../src/index.js";
import { createResponseValidator } from "../src/testing.js";

export const spec = loadSpec();

/** Validates data against the schema at a JSON pointer of the bundled document (Ajv, JSON Schema 2020-12). */
export const createValidator = () => createResponseValidator(spec);
