import { fileURLToPath } from "node:url";

/** This package's folder: this file runs from src/ (tests) or lib/ (compiled), both one level down. */
export const packageDir = fileURLToPath(new URL("../", import.meta.url));

export const distDir = `${packageDir}dist/`;
export const samplesDir = `${packageDir}samples/`;

/** The port `pnpm start` serves the docs on when it is free (the mock's comes from the spec's servers). */
export const DEFAULT_DOCS_PORT = 8080;
