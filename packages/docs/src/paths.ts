import { fileURLToPath } from "node:url";

/** This package's folder, whether this file runs from src/ (tests) or from dist/lib/ (build output). */
export const packageDir = fileURLToPath(
  new URL(import.meta.url.includes("/dist/lib/") ? "../../" : "../", import.meta.url),
);

export const distDir = `${packageDir}dist/`;
export const samplesDir = `${packageDir}samples/`;

/** The port `pnpm start` serves the docs on when it is free (the mock's comes from the spec's servers). */
export const DEFAULT_DOCS_PORT = 8080;
