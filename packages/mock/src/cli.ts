import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadContract } from "@ecs-api/spec";
import { stopOnSignals } from "./adapters/stop-on-signals.js";
import { connectHints } from "./connect.js";
import { type FixtureServer, type MockUser, WORKFLOW_DEFAULTS } from "./engine/engine.js";
import { MockStartError, SERVER_DEFAULTS, startMock, type WorkflowOptions } from "./mock.js";

/** The default spec's range, for the help text; a missing spec is reported when the mock starts. */
function specRange(): { min: string; max: string } | undefined {
  try {
    const contract = loadContract();
    return { min: contract.minMicroversion, max: contract.maxMicroversion };
  } catch {
    return undefined;
  }
}

const help = (
  range = specRange(),
) => `ecs-mock — a mock of the OTC ECS createImage call that answers like OpenStack Nova

Usage: ecs-mock [options]

Options (each also read from the environment variable shown; an option wins over its variable):
  --port <n>                 Port to listen on, 0 for any free port.    ECS_MOCK_PORT   (default 4010)
  --host <addr>              Address to bind.                            ECS_MOCK_HOST   (default 127.0.0.1)
  --max-microversion <X.Y>   Highest microversion served (${range?.min ?? "the spec's minimum"} up to the spec's maximum).
                                                                          ECS_MOCK_MAX_MICROVERSION (default: the spec's${range ? `, ${range.max}` : ""})
  --image-base-url <url>     Base of the image URL in Location (<url>/images/<uuid>).
                                                                          ECS_MOCK_IMAGE_BASE_URL (default: the mock's own origin)
  --seed <text>              Reproducible image and request IDs.         ECS_MOCK_SEED
  --quiet                    No per-request log lines.                   ECS_MOCK_QUIET=1
  --spec <file>              Bundled spec (JSON).                        ECS_MOCK_SPEC   (default: @ecs-api/spec's dist/openapi.json)
  --max-connections <n>      Open connections at most; one more gets 503 with Retry-After.
                                                                          ECS_MOCK_MAX_CONNECTIONS (default ${SERVER_DEFAULTS.maxConnections})

The workflow (identity at /identity/v3, compute at /v2.1/<project_id>, image at /image):
  --snapshot-seconds <n>     How long a snapshot takes; 0: at once.      ECS_MOCK_SNAPSHOT_SECONDS (default ${WORKFLOW_DEFAULTS.snapshotSeconds})
  --users <file>             JSON list [{"name", "password", "domain"?}]: only they may log in.
                                                                          ECS_MOCK_USERS  (default: any user, non-empty password)
  --servers <file>           JSON list [{"id", "name"}]: named servers for ?name= lookups.
                                                                          ECS_MOCK_SERVERS
  --strict-tokens            Accept only tokens the mock issued, unexpired. ECS_MOCK_STRICT_TOKENS=1
  --region <name>            Region of the catalog's endpoints.          ECS_MOCK_REGION (default ${WORKFLOW_DEFAULTS.region})
  --max-images <n>           Images kept in memory (oldest evicted).     ECS_MOCK_MAX_IMAGES (default ${WORKFLOW_DEFAULTS.maxImages})
  --aksk <AK:SK>             An access key whose SDK-HMAC-SHA256 signatures are verified (repeatable).
                                                                          ECS_MOCK_AKSK (comma-separated AK:SK pairs)
  -h, --help                 Show this help.

Reserved server IDs (404, 409 vm_state error, 409 snapshot pending) are listed in the README.
Stop with Ctrl-C (SIGINT) or SIGTERM.
`;

type Env = Record<string, string | undefined>;

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}

/**
 * pnpm 10 hands a `--` after the script name through to the script (`pnpm --filter @ecs-api/mock
 * start -- --port 4011` runs `ecs-mock -- --port 4011`), where npm and pnpm 9 drop it. A leading one
 * is that separator, never an option list of its own; anywhere else `--` still ends the options.
 */
function withoutLeadingSeparator(argv: string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : argv;
}

/** Runs the CLI; resolves once the mock listens (it then runs until a signal). */
export async function main(argv: string[], env: Env): Promise<void> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(withoutLeadingSeparator(argv));
  } catch (error) {
    process.stderr.write(`ecs-mock: ${(error as Error).message}\n\n${help()}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(help());
    return;
  }
  const portText = values.port ?? env.ECS_MOCK_PORT ?? "4010";
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    process.stderr.write(`ecs-mock: --port must be a number from 0 to 65535, got "${portText}"\n`);
    process.exit(2);
  }
  const pick = (flag: string | undefined, name: string) => flag ?? (env[name] || undefined);
  const maxMicroversion = pick(values["max-microversion"], "ECS_MOCK_MAX_MICROVERSION");
  const imageBaseUrl = pick(values["image-base-url"], "ECS_MOCK_IMAGE_BASE_URL");
  const seed = pick(values.seed, "ECS_MOCK_SEED");
  const specPath = pick(values.spec, "ECS_MOCK_SPEC");
  const host = pick(values.host, "ECS_MOCK_HOST");
  const connectionsText = pick(values["max-connections"], "ECS_MOCK_MAX_CONNECTIONS");
  const maxConnections = connectionsText === undefined ? undefined : Number(connectionsText);
  if (connectionsText !== undefined && (!/^\d{1,6}$/.test(connectionsText) || maxConnections === 0)) {
    process.stderr.write(
      `ecs-mock: --max-connections must be a whole number of at least 1, got "${connectionsText}"\n`,
    );
    process.exit(2);
  }
  let workflow: WorkflowOptions;
  try {
    workflow = workflowOptions(values, env, pick);
  } catch (error) {
    process.stderr.write(`ecs-mock: ${(error as Error).message}\n`);
    process.exit(2);
  }
  try {
    const mock = await startMock({
      port,
      ...(host ? { host } : {}),
      ...(maxMicroversion ? { maxMicroversion } : {}),
      ...(imageBaseUrl ? { imageBaseUrl } : {}),
      ...(seed ? { seed } : {}),
      ...(specPath ? { specPath } : {}),
      ...(maxConnections !== undefined ? { maxConnections } : {}),
      quiet: values.quiet || truthy(env.ECS_MOCK_QUIET),
      workflow,
    });
    // Before the line that says it is ready: a signal sent as soon as it is read must find the handler.
    stopOnSignals(() => mock.close());
    process.stdout.write(
      `ecs-mock: listening on ${mock.url} (createImage on /v2.1 with microversions ${mock.minMicroversion} to ${mock.maxMicroversion}, and /v2)${seed ? ` seed=${seed}` : ""}\n`,
    );
    if (!values.quiet) process.stdout.write(connectHints(mock.url, workflow.region));
  } catch (error) {
    const message = error instanceof MockStartError ? error.message : (error as Error).stack;
    process.stderr.write(`ecs-mock: ${message}\n`);
    process.exit(1);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "max-microversion": { type: "string" },
      "image-base-url": { type: "string" },
      seed: { type: "string" },
      quiet: { type: "boolean", default: false },
      spec: { type: "string" },
      "max-connections": { type: "string" },
      "snapshot-seconds": { type: "string" },
      users: { type: "string" },
      servers: { type: "string" },
      "strict-tokens": { type: "boolean", default: false },
      region: { type: "string" },
      "max-images": { type: "string" },
      aksk: { type: "string", multiple: true },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
}

/** A JSON list from a file, each entry checked by `valid`. */
function listFile<T>(path: string, what: string, valid: (entry: unknown) => entry is T): T[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${what} file ${path} is not readable JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || !parsed.every(valid))
    throw new Error(`${what} file ${path} must be a JSON list of ${what} objects`);
  return parsed;
}

const isUser = (u: unknown): u is MockUser =>
  !!u &&
  typeof u === "object" &&
  typeof (u as MockUser).name === "string" &&
  typeof (u as MockUser).password === "string";
const isServer = (s: unknown): s is FixtureServer =>
  !!s &&
  typeof s === "object" &&
  typeof (s as FixtureServer).id === "string" &&
  typeof (s as FixtureServer).name === "string";

function workflowOptions(
  values: ReturnType<typeof parse>,
  env: Env,
  pick: (flag: string | undefined, name: string) => string | undefined,
): WorkflowOptions {
  const count = (text: string | undefined, flag: string) => {
    if (text === undefined) return undefined;
    if (!/^\d{1,7}$/.test(text)) throw new Error(`--${flag} must be a whole number, got "${text}"`);
    return Number(text);
  };
  const snapshotSeconds = count(
    pick(values["snapshot-seconds"], "ECS_MOCK_SNAPSHOT_SECONDS"),
    "snapshot-seconds",
  );
  const maxImages = count(pick(values["max-images"], "ECS_MOCK_MAX_IMAGES"), "max-images");
  if (maxImages === 0) throw new Error("--max-images must be at least 1");
  const users = pick(values.users, "ECS_MOCK_USERS");
  const servers = pick(values.servers, "ECS_MOCK_SERVERS");
  const region = pick(values.region, "ECS_MOCK_REGION");
  const pairs = values.aksk?.length ? values.aksk : (env.ECS_MOCK_AKSK?.split(",").filter(Boolean) ?? []);
  const aksk = pairs.map((pair) => {
    const at = pair.indexOf(":");
    if (at <= 0 || at === pair.length - 1) throw new Error("--aksk must be ACCESS_KEY:SECRET_KEY");
    return { accessKey: pair.slice(0, at), secretKey: pair.slice(at + 1) };
  });
  return {
    ...(aksk.length ? { aksk } : {}),
    ...(snapshotSeconds !== undefined ? { snapshotSeconds } : {}),
    ...(maxImages !== undefined ? { maxImages } : {}),
    ...(users ? { users: listFile(users, "users", isUser) } : {}),
    ...(servers ? { servers: listFile(servers, "servers", isServer) } : {}),
    ...(region ? { region } : {}),
    strictTokens: values["strict-tokens"] || truthy(env.ECS_MOCK_STRICT_TOKENS),
  };
}
