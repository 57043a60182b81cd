#!/usr/bin/env -S node --max-semi-space-size=4
// Committed so pnpm can link the bin before the first build; the CLI itself is compiled to dist/.
//
// --max-semi-space-size=4 (MiB): V8 otherwise grows the young generation from 1 to 16 MiB
// semi-spaces during the first ~15 k requests, so memory climbs by about 10 % and then stays.
// Capped at 4 MiB, the footprint is flat from the start and throughput is the same within noise
// (see bench/README.md). pnpm's bin shim copies the flag from this line.
import { main } from "../dist/cli.js";

main(process.argv.slice(2), process.env).catch((error) => {
  process.stderr.write(`ecs-mock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
