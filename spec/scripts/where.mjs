// Printed by `pnpm start` until there is something to serve: where the bundled contract is.
import { fileURLToPath } from "node:url";

for (const ext of ["yaml", "json"]) {
  console.log(`Bundled spec: ${fileURLToPath(new URL(`../dist/openapi.${ext}`, import.meta.url))}`);
}
