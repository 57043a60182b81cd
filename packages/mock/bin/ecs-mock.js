#!/usr/bin/env -S node --max-semi-space-size=4
// Committed so pnpm can link the bin before the first build; the CLI itself is compiled to dist/.
//
// --max-semi-space-size=4 (MiB): V8 otherwise grows the young generation from 1 to 16 MiB
// semi-spaces during the first ~15 k requests, so memory climbs by about 10 % and then stays.
// Capped at 4 MiB, the footprint is flat from the start and throughput is the same within noise
// (see bench/README.md). pnpm's bin shim copies the flag from this line.
//
// --heap-growing-percent=50, set here at run time (V8 reads it at every old-space GC, so it takes
// effect after start-up too; one place for the bin, `pnpm mock` and the package's start script):
// every accepted createImage stores an image that lives through the next --max-images, long enough
// to reach V8's old space, which V8 otherwise lets grow by up to 2× between full collections. The
// live heap stays flat either way (bench: live heap 1.00×), but RSS climbed 1.16–1.27× from 10 k to
// 100 k requests; with a 1.5× growth factor it stays within 1.10× (bench/README.md), for a few
// per cent more CPU in major GCs.
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--heap-growing-percent=50");
const { main } = await import("../dist/cli.js");

main(process.argv.slice(2), process.env).catch((error) => {
  process.stderr.write(`ecs-mock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
