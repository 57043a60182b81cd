#!/usr/bin/env node
// Proves the contract-test suite can fail: copies the repository to a temporary folder, runs the
// suite once unmutated (it must pass), then once per mutation in mutations.json (it must fail).
// Prints one line per mutation (caught / MISSED) and exits non-zero if any was missed.
//
// Usage: node scripts/mutation-check/run.mjs [--only id,id] [--keep]
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const mutations = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), "mutations.json"), "utf8"),
);
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : undefined;
const keep = args.includes("--keep");
// Bounded: a hung suite counts as a failure of the check, not a catch.
const SUITE_TIMEOUT_MS = 6 * 60 * 1000;
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  CI: "true",
};

function run(cmd, argv, cwd, timeout = SUITE_TIMEOUT_MS) {
  const result = spawnSync(cmd, argv, { cwd, env, encoding: "utf8", timeout, maxBuffer: 64 * 1024 * 1024 });
  return {
    ok: result.status === 0,
    timedOut: result.error?.code === "ETIMEDOUT",
    output: `${result.stdout}${result.stderr}`,
  };
}

// The files git would check out (tracked and new, not ignored), as they are in the working tree.
const files = run("git", ["ls-files", "-co", "--exclude-standard", "-z"], repo)
  .output.split("\0")
  .filter(Boolean);
const work = mkdtempSync(join(tmpdir(), "ecs-mutation-"));
for (const file of files) {
  mkdirSync(dirname(join(work, file)), { recursive: true });
  cpSync(join(repo, file), join(work, file), { dereference: false });
}
const install = run("pnpm", ["install", "--frozen-lockfile", "--offline"], work);
if (!install.ok) {
  console.error(`mutation-check: pnpm install failed in ${work}\n${install.output}`);
  process.exit(2);
}

// The suite under test: the contract tests. turbo builds what they depend on first; a mutation the
// build already refuses (lint, a generator) is reported as caught by the build, apart from the tests.
const build = () =>
  run(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@ecs-api/contract-tests...", "--output-logs=errors-only"],
    work,
  );
const suite = () =>
  run(
    "pnpm",
    ["exec", "turbo", "run", "test", "--filter=@ecs-api/contract-tests", "--output-logs=errors-only"],
    work,
  );
const lastLines = (text, n = 25) => text.trim().split("\n").slice(-n).join("\n");

const started = Date.now();
const baseline = build().ok ? suite() : { ok: false, output: "the build fails" };
if (!baseline.ok) {
  console.error(
    `mutation-check: the suite fails without any mutation, so no catch would mean anything.\n${lastLines(baseline.output)}`,
  );
  process.exit(2);
}
console.log(`baseline        the suite passes unmutated (${((Date.now() - started) / 1000).toFixed(0)} s)`);

let missed = 0;
const selected = mutations.filter((x) => !only || only.includes(x.id));
for (const m of selected) {
  const originals = new Map(m.files.map((file) => [file, readFileSync(join(work, file), "utf8")]));
  const applicable = [...originals.values()].some((text) => text.includes(m.find));
  if (!applicable) {
    console.log(`MISSED          ${m.id}: cannot apply, "${m.find}" not found in ${m.files.join(", ")}`);
    missed++;
    continue;
  }
  for (const [file, text] of originals) {
    writeFileSync(
      join(work, file),
      m.all ? text.replaceAll(m.find, m.replace) : text.replace(m.find, m.replace),
    );
  }
  const t0 = Date.now();
  const built = build();
  const result = built.ok ? suite() : built;
  for (const [file, text] of originals) writeFileSync(join(work, file), text);
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  if (result.ok || result.timedOut) {
    missed++;
    console.log(
      `MISSED          ${m.id}: ${m.description}${result.timedOut ? " (timed out)" : ""} (${seconds} s)`,
    );
  } else {
    const by = built.ok ? "caught (tests)" : "caught (build)";
    console.log(`${by}  ${m.id}: ${m.description} (${seconds} s)`);
  }
}

if (keep) console.log(`copy kept at ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`${selected.length - missed} caught, ${missed} missed`);
process.exit(missed === 0 ? 0 : 1);
