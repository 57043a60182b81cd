// The README's scenario table and option table must say what the code does.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCENARIOS } from "./helpers.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("the README", () => {
  it("lists every reserved server ID exactly as the spec (via SCENARIOS)", () => {
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| `([0-9a-f-]{36})` \|/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(rows)).toEqual(SCENARIOS);
  });

  it("documents every CLI option with its environment variable", () => {
    const cli = readFileSync(new URL("../src/cli.ts", import.meta.url), "utf8");
    const flags = [...cli.matchAll(/^ {6}"?([a-z-]+)"?: \{ type:/gm)]
      .map((m) => m[1])
      .filter((f) => f !== "help");
    expect(flags.length).toBeGreaterThanOrEqual(7);
    for (const flag of flags) expect(readme).toContain(`\`--${flag}`);
    for (const env of cli.matchAll(/ECS_MOCK_[A-Z_]+/g)) expect(readme).toContain(env[0]);
  });
});

describe("the README's clouds.yaml", () => {
  it("is the one ecs-mock prints for the default URL", async () => {
    const { cloudsYaml } = await import("../src/connect.js");
    expect(readme).toContain(`\`\`\`yaml\n${cloudsYaml("http://127.0.0.1:4010")}\`\`\``);
    const { openrc } = await import("../src/connect.js");
    expect(readme).toContain(openrc("http://127.0.0.1:4010"));
  });
});
