// @ts-check
// `pnpm pack:all`: every publishable package as a tarball in packs/, packed by pnpm as `pnpm publish`
// would (each package's prepack builds it; `workspace:` ranges become versions). The names carry no
// version (packs/ecs-api-client.tgz), so the install line in the READMEs holds from release to release.
// Prints, per package, the `npm install` line that installs it with the workspace packages it needs.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { publishablePackages, ROOT, tarballName, withWorkspaceDependencies } from "./manifest.mjs";

const out = join(ROOT, "packs");
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const packages = publishablePackages();
// One at a time: each prepack runs turbo, and two turbo builds of the same package must not overlap.
for (const pkg of packages) {
  const packed = spawnSync("pnpm", ["pack", "--out", join(out, tarballName(pkg.name))], {
    cwd: pkg.dir,
    stdio: ["ignore", 2, 2],
  });
  if (packed.status !== 0) {
    process.stderr.write(`pack:all: packing ${pkg.name} failed\n`);
    process.exit(1);
  }
}
const lines = packages.map((pkg) => {
  const file = join(out, tarballName(pkg.name));
  return `  ${relative(ROOT, file).padEnd(28)} ${pkg.name}@${pkg.version}, ${Math.round(statSync(file).size / 1024)} KiB`;
});
const installs = packages.map(
  (pkg) =>
    `  ${pkg.name}:\n    npm install ${withWorkspaceDependencies(pkg.name, packages)
      .map((name) => join(out, tarballName(name)))
      .join(" ")}`,
);
process.stdout.write(`${lines.join("\n")}\nInstall in a project:\n${installs.join("\n")}\n`);
