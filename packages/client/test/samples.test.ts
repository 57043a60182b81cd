import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const samples = new URL("../samples/", import.meta.url);

it("Given the samples, when tsc checks them against the built package (its exports and .d.ts), then it reports nothing", async () => {
  const outcome = await run(process.execPath, [tscBin, "-p", samples.pathname]).then(
    () => "",
    (error: { stdout?: string }) => error.stdout || String(error),
  );
  expect(outcome).toBe("");
  // tsc in a subprocess takes 3–5 s alone and over 10 s beside the other test files on 2 busy
  // cores: a bound, not a timing assertion.
}, 120_000);

it("Given the samples, when listed, then each login mode has a cloud sample and the mock sample uses all three", () => {
  const files = readdirSync(samples).filter((f) => f.endsWith(".ts"));
  expect(files.sort()).toEqual(["cloud-aksk.ts", "cloud-password.ts", "cloud-token.ts", "mock.ts"]);
  const mock = readFileSync(new URL("mock.ts", samples), "utf8");
  for (const needle of ["passwordAuth(", "akskAuth(", "token:"]) expect(mock).toContain(needle);
});
