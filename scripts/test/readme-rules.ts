// How each README command is checked. Every command a README prints must match one rule, so a new
// command fails the test until someone decides here whether it is run (and how) or why it is not.
// The first rule that matches wins; exact strings are preferred, a pattern only for a whole family
// that is never run (installs from the registry, publishing).

export type Signal = "SIGINT" | "SIGTERM";

/** What a probe of a started server must see; the URLs come from its own output. */
export type Probe = "docs" | "mock" | "docs+mock";

export type How =
  /** Not run, and why. */
  | { kind: "skip"; why: string }
  /** Runs to completion: exit 0 (and `expect` in its output). */
  | { kind: "exits"; cwd?: string; expect?: RegExp; timeoutMs?: number }
  /**
   * Starts a server: it must print `ready`, answer `probe`, and stop on each signal (sent to its
   * process group, as a terminal's Ctrl-C is) with one line "stopped" and exit 0. A port it names is
   * replaced by 0 (any free port), and ECS_MOCK_PORT / DOCS_PORT are 0: the machine may be shared.
   */
  | {
      kind: "serves";
      cwd?: string;
      ready: RegExp;
      probe: Probe;
      signals: Signal[];
      /** Lines that must come before `ready` (the build's progress). */
      before?: RegExp;
      /** The highest microversion the mock must announce, where the command sets one. */
      maxMicroversion?: string;
      /**
       * Why the runner around the server may die of the signal (or exit 128 + its number) after the
       * server itself printed "stopped" and exited 0.
       */
      diesOfTheSignal?: string;
    };

export interface Rule {
  match: string | RegExp;
  how: How;
}

const SUITE = "a task of `pnpm test`, which this test is part of";
const REGISTRY = "installs from the npm registry, which no test reaches";
const NEW_PROJECT =
  "a step in the reader's own new project outside the repository (its other steps install from the registry)";
const FRAGMENT = "a fragment quoted in prose (elided or without its arguments), not a command to run";
const LONG = "a benchmark: minutes of full load on every core, run by hand (see docs/benchmarks.md)";
const REAL_CLIENTS =
  "run as printed, with its block, by packages/mock/test/real-clients.test.ts (a mock of its own per tool)";
const WEB_APP =
  "a step in the reader's new web app; packages/mock/test/msw-packed.test.ts runs that README block as one script, offline";

export const RULES: Rule[] = [
  // The first hour: install, start, test.
  {
    match: "corepack enable && pnpm install && pnpm start",
    how: {
      kind: "skip",
      why: "changes the machine (corepack's shims) and installs; .ci/run runs these steps on a clean clone, and `pnpm start` is run here on its own",
    },
  },
  {
    match: "corepack enable",
    how: { kind: "skip", why: "puts pnpm shims beside node (changes the machine); .ci/run runs it" },
  },
  {
    match: "corepack enable && pnpm install",
    how: {
      kind: "skip",
      why: "changes the machine (corepack's shims) and installs; .ci/run runs these steps",
    },
  },
  {
    match: "pnpm install && pnpm build",
    how: { kind: "skip", why: "installs; `pnpm build` is run here on its own and .ci/run installs" },
  },
  { match: "pnpm test", how: { kind: "skip", why: SUITE } },
  { match: /^pnpm --filter @ecs-api\/[a-z-]+ test(:[a-z]+)?$/, how: { kind: "skip", why: SUITE } },
  { match: /^pnpm test:(packaging|all)$/, how: { kind: "skip", why: SUITE } },
  {
    match: "pnpm start",
    how: {
      kind: "serves",
      ready: /^Press Ctrl\+C to stop both\.$/m,
      probe: "docs+mock",
      signals: ["SIGINT", "SIGTERM"],
      before: /^@ecs-api\/docs:build: cache (hit|miss)/m,
    },
  },
  {
    match: "pnpm --filter @ecs-api/docs start",
    how: {
      kind: "serves",
      ready: /^Press Ctrl\+C to stop both\.$/m,
      probe: "docs+mock",
      signals: ["SIGINT"],
    },
  },
  {
    match: "pnpm --filter @ecs-api/docs serve",
    how: { kind: "serves", ready: /^Docs: http:\/\/\S+$/m, probe: "docs", signals: ["SIGINT", "SIGTERM"] },
  },
  {
    match: "pnpm mock",
    how: {
      kind: "serves",
      ready: /listening on http:\/\/\S+/,
      probe: "mock",
      signals: ["SIGINT", "SIGTERM"],
      before: /^@ecs-api\/mock:build: cache (hit|miss)/m,
    },
  },
  {
    match: "pnpm --filter @ecs-api/mock start -- --port 4011 --max-microversion 2.50",
    how: {
      kind: "serves",
      ready: /listening on http:\/\/\S+/,
      probe: "mock",
      signals: ["SIGINT"],
      maxMicroversion: "2.50",
    },
  },
  {
    // The mock as the READMEs start it in a reader's project, with the options they show.
    match: /^npx ecs-mock( --snapshot-seconds 0| --aksk my-access-key:my-secret-key)$/,
    how: {
      kind: "serves",
      // Where the package is installed: the docs package depends on it.
      cwd: "packages/docs",
      ready: /listening on http:\/\/\S+/,
      probe: "mock",
      signals: ["SIGINT"],
      diesOfTheSignal:
        "npm exec runs the bin under its own `sh -c`, and npm and Debian's dash die of the signal a terminal sends the whole group; the mock still prints `stopped` and exits 0",
    },
  },
  { match: "npx ecs-mock --help", how: { kind: "exits", cwd: "packages/docs", expect: /^Usage: ecs-mock/m } },

  // Builds and checks.
  { match: "pnpm build", how: { kind: "exits", timeoutMs: 300_000 } },
  { match: "pnpm --filter @ecs-api/docs build", how: { kind: "exits", expect: /dist\/index\.html/ } },
  { match: "pnpm --filter @ecs-api/spec build", how: { kind: "exits", expect: /openapi\.deref\.json/ } },
  { match: "pnpm lint", how: { kind: "exits", timeoutMs: 300_000 } },
  { match: "pnpm typecheck", how: { kind: "exits", timeoutMs: 300_000 } },
  {
    match: "pnpm format",
    how: { kind: "skip", why: "rewrites source files (biome --write); `pnpm lint` checks the same format" },
  },
  {
    match: "pnpm --filter @ecs-api/spec generate",
    how: { kind: "skip", why: "rewrites the spec's generated files; its `--check` twin runs in `pnpm lint`" },
  },
  {
    match: "pnpm mutation-check",
    how: {
      kind: "skip",
      why: "runs the contract tests once per mutation (minutes); .ci/run runs it after the tests",
    },
  },
  { match: "pnpm bench", how: { kind: "skip", why: LONG } },
  { match: /^pnpm --filter @ecs-api\/[a-z-]+ bench(:[a-z-]+)?$/, how: { kind: "skip", why: LONG } },
  { match: /^node bench\/compare\.mjs /, how: { kind: "skip", why: LONG } },
  {
    match: "pnpm pack:all",
    how: {
      kind: "skip",
      why: "builds every package (turbo) while other test tasks read their dist/; scripts/test/packages.test.ts packs each package as it does",
    },
  },
  {
    match: "node packages/mock/examples/browser/serve.mjs",
    how: {
      kind: "skip",
      why: "run by packages/mock/test/browser-demo.test.ts, with a mock, in Chromium (it serves a page, not the docs or the mock)",
    },
  },
  {
    match: "pnpm --filter @ecs-api/mock clients",
    how: { kind: "exits", expect: /^PASS novaclient/m, timeoutMs: 120_000 },
  },

  // The OpenStack tools against the mock: run as printed by packages/mock/test/real-clients.test.ts
  // (the real tools, each on a mock of its own), with the other ways those tools are used.
  {
    match:
      "openstack --os-cloud ecs-mock server image create --name my-image --wait 7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21",
    how: { kind: "skip", why: REAL_CLIENTS },
  },
  {
    match: "export OS_AUTH_URL=http://127.0.0.1:4010/identity/v3 OS_USERNAME=alice OS_PASSWORD=secret",
    how: { kind: "skip", why: REAL_CLIENTS },
  },
  {
    match:
      "export OS_USER_DOMAIN_NAME=Default OS_PROJECT_NAME=eu-de OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME=eu-de",
    how: { kind: "skip", why: REAL_CLIENTS },
  },
  { match: "nova image-create --poll web-01 my-image", how: { kind: "skip", why: REAL_CLIENTS } },

  {
    match: "npm install-scripts approve msw",
    how: {
      kind: "skip",
      why: "records an approval in the reader's new web app's package.json; msw-packed.test.ts runs `npx msw init` instead, which writes the same worker",
    },
  },
  // Never run here.
  { match: /^npm (install|i|ci|add)\b/, how: { kind: "skip", why: REGISTRY } },
  { match: /\b(npm|pnpm|changeset) publish\b/, how: { kind: "skip", why: "publishes to the registry" } },
  {
    match:
      /^(mkdir ecs-demo && cd ecs-demo|npm init -y|npm pkg set type=module|npm init -y && npm pkg set type=module)$/,
    how: { kind: "skip", why: NEW_PROJECT },
  },
  {
    match:
      /^(mkdir ecs-frontend && cd ecs-frontend|npx vite( build| preview)?|npx msw init( public\/( --save)?)?)$/,
    how: { kind: "skip", why: WEB_APP },
  },
  {
    match: /^npx ecs-mock( --aksk my-access-key:my-secret-key)? &$/,
    how: { kind: "skip", why: `a background job with no stop, in ${NEW_PROJECT.slice(2)}` },
  },
  {
    match: /^pnpm changeset( version)?$/,
    how: {
      kind: "skip",
      why: "writes changesets, versions and CHANGELOGs (a release step; `pnpm changeset` asks questions)",
    },
  },
  { match: /^(pnpm release|npm login)$/, how: { kind: "skip", why: "publishes to the registry" } },
  {
    match: "npm pack",
    how: {
      kind: "skip",
      why: "packs in a package's folder (refused for client and mock by design); scripts/test/packages.test.ts checks the refusal and what pnpm packs",
    },
  },
  { match: "npx tsx mock.ts", how: { kind: "skip", why: NEW_PROJECT } },
  {
    match: "npx tsx cloud-password.ts",
    how: { kind: "skip", why: "logs in to the real cloud with the reader's credentials" },
  },
  { match: "node sample.mjs", how: { kind: "skip", why: "runs the reader's own file" } },
  { match: "openstack … --wait", how: { kind: "skip", why: FRAGMENT } },
  { match: "nova image-create --poll", how: { kind: "skip", why: FRAGMENT } },
  { match: "curl -d", how: { kind: "skip", why: FRAGMENT } },
];

export function ruleFor(command: string): Rule | undefined {
  return RULES.find((rule) =>
    typeof rule.match === "string" ? rule.match === command : rule.match.test(command),
  );
}
