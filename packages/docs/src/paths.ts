import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** This package's folder: this file runs from src/ (tests) or lib/ (compiled), both one level down. */
export const packageDir = fileURLToPath(new URL("../", import.meta.url));

/** The repository root (this package is packages/docs). */
export const repositoryDir = fileURLToPath(new URL("../../../", import.meta.url));

export const distDir = `${packageDir}dist/`;
export const samplesDir = `${packageDir}samples/`;

/**
 * The client's workflow samples and their guide text (`samples/` of @ecs-api/client, a workspace
 * dependency): the client package owns and type-checks them; the docs embed them as they are.
 */
export const clientSamplesDir = `${dirname(createRequire(import.meta.url).resolve("@ecs-api/client/package.json"))}/samples/`;

/** The port `pnpm start` serves the docs on when it is free (the mock's comes from the spec's servers). */
export const DEFAULT_DOCS_PORT = 8080;
