// The mock's engine: `handle(request) → answer` over plain data, no `node:` import. Everything
// OpenAPI cannot say about the real service is applied here in Nova's order, one named step each:
//
//   route → token (401) → body size (413) → microversion (400/406) → content type (415)
//   → body (400) → server (404) → quota (403) → server state (409) → answer (shaped per microversion)
//
// Every limit, pattern, range, fault key and example comes from the model (`@ecs-api/spec/model`)
// and from Prism's precompiled templates; live Prism is an optional injection (Node only).

import { ALGORITHM, DATE_HEADER, PROJECT_HEADER, SECURITY_TOKEN_HEADER, verify } from "@ecs-api/signer";
import { type Contract, contractOf } from "@ecs-api/spec/contract";
import { microversionsBetween } from "@ecs-api/spec/microversion";
import type { SpecModel } from "@ecs-api/spec/model";
import { SCHEMAS } from "@ecs-api/spec/names";
import { compileBodyChecker } from "./body.js";
import { boundedMemo } from "./bounded-memo.js";
import type { Ctx, OperationInfo, Scope } from "./context.js";
import { stableHexId, uuidSource } from "./ids.js";
import { instanceNotFound, invalidState, RESOURCE_NOT_FOUND } from "./messages.js";
import { type MicroversionRules, negotiate } from "./microversion.js";
import { namedExample, preference, wantsPrism } from "./prefer.js";
import { compileRoutes, localPrefix, matchRoute } from "./routing.js";
import { SCENARIO_BEHAVIOURS, type ScenarioName, scenarioTable } from "./scenarios.js";
import { createShaper } from "./shaping.js";
import type { Answer, EngineRequest, Template, Templates } from "./types.js";
import { examplesByKey } from "./workflow/examples.js";
import { createIdentity, type MockUser } from "./workflow/identity.js";
import { createImages } from "./workflow/images.js";
import { createServers, exampleServers, type FixtureServer } from "./workflow/servers.js";
import { createState } from "./workflow/state.js";

export type { MockUser } from "./workflow/identity.js";
export type { FixtureServer } from "./workflow/servers.js";

/** The spec examples the engine answers with when the message never varies. */
const EXAMPLE = {
  malformed: "fault-malformed-body",
  quota: "fault-metadata-limit",
} as const;

/** A live Prism call (Node only): answers a request that asks for a Prism feature. */
export type LivePrism = (request: {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: unknown;
}) => Promise<{ template: Template; invalid: boolean } | undefined>;

export interface EngineOptions {
  model: SpecModel;
  /** Prism's templates per operationId and status (the build's `prism-compiled.json`). */
  templates: Templates;
  /** Highest microversion served. Default: the spec's maximum. */
  maxMicroversion?: string;
  /** Base of the image URL in `Location`. Default: the request's origin. */
  imageBaseUrl?: string;
  /** Makes image and request IDs reproducible. */
  seed?: string;
  /** Prism answering live for `Prefer` requests; without it they are answered from the templates. */
  live?: LivePrism;
  /** How long a snapshot takes (task_state steps, image queued → saving → active). Default 4; 0: at once. */
  snapshotSeconds?: number;
  /** Images kept in memory; the oldest are evicted past it. Default 1000. */
  maxImages?: number;
  /** Region of the catalog's endpoints. Default eu-de. */
  region?: string;
  /** Only these users may log in (else any user name with a non-empty password). */
  users?: MockUser[];
  /** Accept only tokens this mock issued and that have not expired (else any non-empty token). */
  strictTokens?: boolean;
  /** Named servers for `?name=` lookups, besides the spec's example servers. */
  servers?: FixtureServer[];
  /** Token lifetime in seconds. Default 86400 (OTC's 24 h). */
  tokenSeconds?: number;
  /** The clock (ms since the epoch). Default Date.now. */
  now?: () => number;
  /**
   * Access keys whose `SDK-HMAC-SHA256` signatures are verified, as OTC's API gateway does: a
   * signed request needs no token; a wrong signature, an unknown key or a stale X-Sdk-Date is a 401.
   */
  aksk?: { accessKey: string; secretKey: string }[];
}

/** Defaults of the workflow options, for the CLI's help and the README. */
export const WORKFLOW_DEFAULTS = {
  snapshotSeconds: 4,
  maxImages: 1000,
  region: "eu-de",
  tokenSeconds: 86_400,
} as const;

export interface Engine {
  handle(request: EngineRequest): Answer | Promise<Answer>;
  /** The largest body any operation takes: adapters stop reading past it. */
  readonly maxBodyBytes: number;
  /** The header names a browser may send and read (CORS), all from the spec. */
  readonly cors: { allowHeaders: string[]; exposeHeaders: string[]; allowMethods: string[] };
  /** The token header, lower-cased (adapters redact it in logs). */
  readonly tokenHeader: string;
  /** The fault key of a 500 (a bug in the mock), for adapters that catch one. */
  readonly internalFaultKey: string;
  readonly contract: Contract;
  readonly minMicroversion: string;
  readonly maxMicroversion: string;
  /** The reserved server IDs of `x-mock-scenarios`. */
  readonly scenarios: Readonly<Record<ScenarioName, string>>;
  /** Forgets every token, image and running snapshot. */
  reset(): void;
  /** How many images and tokens are held (bounded by the caps). */
  size(): { images: number; tokens: number };
}

const firstSegment = (path: string) => `/${path.split("/")[1] ?? ""}`;

export function createEngine(options: EngineOptions): Engine {
  const { model, live: prismLive } = options;
  const contract = contractOf(model);
  const names = contract.names;
  const maxMicroversion = options.maxMicroversion ?? contract.maxMicroversion;
  const scenarios = scenarioTable(contract.scenarios);
  const scenarioById = new Map<string, ScenarioName>(
    Object.entries(scenarios).map(([name, id]) => [id.toLowerCase(), name as ScenarioName]),
  );
  const imageIds = uuidSource(options.seed, "image");
  const requestIds = uuidSource(options.seed, "request");
  const createOp = model.operation("createImage");
  const imageOp = model.operation("showImage");
  const legacyOp = model.operation("createImageLegacyV2");
  const v21Prefix = firstSegment(createOp.path);
  const v2Prefix = firstSegment(legacyOp.path);
  const v21Under = `${v21Prefix}/`;
  const v2Under = `${v2Prefix}/`;
  const served = new Set(microversionsBetween(contract.minMicroversion, maxMicroversion));
  const rules: MicroversionRules = {
    standardHeader: names.standardVersionHeader.toLowerCase(),
    legacyHeader: names.legacyVersionHeader.toLowerCase(),
    serviceType: names.serviceType,
    latest: names.latest,
    pattern: contract.microversionPattern,
    min: contract.minMicroversion,
    max: maxMicroversion,
    served,
  };
  const TOKEN = names.tokenHeader.toLowerCase();
  // Nova's Fault gives every status it has no entry for (406 and 500 alike) its default fault key;
  // the spec states that key on the 406.
  const internalFaultKey = contract.faultKeys[500] ?? contract.faultKeys[406];
  if (!internalFaultKey) throw new Error("the spec has no 406 fault key");

  const serverParam = createOp.parameters.find((p) => p.extensions["x-mock-scenarios"]);
  if (!serverParam) throw new Error("the spec's createImage has no server parameter with x-mock-scenarios");
  // The server ID's schema is the spec's Uuid: its pattern decides "well-formed".
  const serverIdPattern = new RegExp(serverParam.schema.pattern);
  const serverIdName = serverParam.name;

  const routes = compileRoutes(model.operations);
  const infos = new Map<string, OperationInfo>();
  for (const route of routes) {
    const op = route.operation;
    const info: OperationInfo = {
      operation: op,
      route,
      responses: new Map(op.responses.map((r) => [r.status, r])),
      templates: new Map(
        Object.entries(options.templates[op.id] ?? {}).map(([s, list]) => [Number(s), list]),
      ),
    };
    if (op.requestBody && (op.id === createOp.id || op.id === legacyOp.id)) {
      info.body = {
        checker: compileBodyChecker(op.requestBody.schema, SCHEMAS.imageName),
        maxBytes: op.requestBody.maxBytes ?? contract.maxBodyBytes,
        mediaTypes: new Set(op.requestBody.mediaTypes.map((t) => t.toLowerCase())),
      };
    }
    infos.set(op.id, info);
  }
  const info = (id: string) => infos.get(id) as OperationInfo;
  const createInfo = info(createOp.id);
  const legacyInfo = info(legacyOp.id);
  // An unrouted request answers as its endpoint does; outside /v2.1 and /v2 nothing is deprecated
  // and no version is set, so /v2.1's answers (without version headers) stand.
  const faultInfo = (ctx: Ctx) => ctx.info ?? (ctx.scope === "v2" ? legacyInfo : createInfo);
  const shape = createShaper({
    contract,
    maxMicroversion,
    imageBase: options.imageBaseUrl?.replace(/\/+$/, ""),
    imagePrefix: localPrefix(imageOp),
    imageIds,
    served,
    faultInfo,
  });
  shape.useLocationExample(createInfo);
  // Fail at start-up, not on the first request, when an example the engine relies on is gone.
  for (const i of [createInfo, legacyInfo]) {
    shape.template(i, 400, EXAMPLE.malformed);
    shape.template(i, 403, EXAMPLE.quota);
    for (const status of [202, 401, 404, 409, 413, 415]) shape.template(i, status);
  }
  const maxBodyBytes = Math.max(
    0,
    ...model.operations.map((o) => o.requestBody?.maxBytes ?? 0),
    contract.maxBodyBytes,
  );

  // ---- the workflow: state and the services around createImage ----------------------------------
  const now = options.now ?? Date.now;
  const state = createState({
    snapshotSeconds: options.snapshotSeconds ?? WORKFLOW_DEFAULTS.snapshotSeconds,
    maxImages: options.maxImages ?? WORKFLOW_DEFAULTS.maxImages,
    maxTokens: 10_000,
    now,
  });
  const examples = examplesByKey(model);
  const prefixOf = (id: string) => info(id).route.prefix;
  const identity = createIdentity({
    model,
    shape,
    state,
    examples,
    tokenIds: uuidSource(options.seed, "token"),
    now,
    region: options.region ?? WORKFLOW_DEFAULTS.region,
    users: options.users,
    tokenSeconds: options.tokenSeconds ?? WORKFLOW_DEFAULTS.tokenSeconds,
    prefixes: {
      compute: prefixOf(createOp.id),
      image: prefixOf("showImage"),
      identity: prefixOf("createToken"),
    },
  });
  const servers = createServers({
    model,
    shape,
    state,
    examples,
    fixtures: [...exampleServers(examples), ...(options.servers ?? [])],
    scenarioOf: (id) => scenarioById.get(id.toLowerCase()),
    serverIdPattern,
    instanceNotFound,
  });
  const images = createImages({ model, shape, state, examples });
  /** The answer of each workflow operation once the common checks passed. */
  const handlers: Record<string, (ctx: Ctx) => Answer> = {
    createToken: identity.createToken,
    showServer: servers.showServer,
    showServerLegacyV2: servers.showServer,
    listServers: servers.listServers,
    listServersLegacyV2: servers.listServers,
    listServersDetailed: servers.listServersDetailed,
    listServersDetailedLegacyV2: servers.listServersDetailed,
    showImage: images.showImage,
    listImages: images.listImages,
    deleteImage: images.deleteImage,
  };
  /** A service's root (`/image`, `/image/`) answers its version document. */
  const roots = new Map<string, string>();
  for (const id of ["listImageVersions", "showIdentityVersion"]) {
    const prefix = prefixOf(id);
    if (prefix) {
      roots.set(prefix, id);
      roots.set(`${prefix}/`, id);
    }
  }

  // ---- the steps, in Nova's order -------------------------------------------------------------

  function route(req: EngineRequest): Ctx {
    const { path } = req;
    const scope: Scope =
      path === v21Prefix || path.startsWith(v21Under)
        ? "v2.1"
        : path === v2Prefix || path.startsWith(v2Under)
          ? "v2"
          : "root";
    const match = matchRoute(routes, req.method, path);
    const query = req.query ? new URLSearchParams(req.query) : undefined;
    const root = !match && req.method === "GET" ? roots.get(path) : undefined;
    return {
      req,
      query,
      scope,
      info: match ? infos.get(match.route.operation.id) : root ? infos.get(root) : undefined,
      params: match ? match.params : {},
      version: undefined,
      requestId: `req-${requestIds()}`,
      prism: wantsPrism(req.headers, query),
      example: namedExample(req.headers, query),
    };
  }

  /** keystonemiddleware sits in front of the whole API, routed or not; version documents are open. */
  function checkToken(ctx: Ctx): Answer | undefined {
    const needsToken = ctx.info ? ctx.info.operation.secured : ctx.scope !== "root";
    if (!needsToken) return undefined;
    const token = ctx.req.headers[TOKEN];
    if (!token || (options.strictTokens && !state.token(token))) return shape.example(ctx, 401);
    return undefined;
  }

  /** oslo.middleware sizelimit, in front of Nova: an announced oversized body is refused unread. */
  function checkAnnouncedSize(ctx: Ctx): Answer | undefined {
    if (!ctx.info?.body) return undefined;
    const announced =
      ctx.req.bodyTooLarge === "announced" ||
      Number(ctx.req.headers["content-length"] ?? 0) > ctx.info.body.maxBytes;
    return announced ? shape.example(ctx, 413) : undefined;
  }

  function checkMicroversion(ctx: Ctx): Answer | undefined {
    if (ctx.scope !== "v2.1") return undefined;
    const negotiated = negotiate(ctx.req.headers, rules);
    ctx.version = negotiated.version;
    return negotiated.ok ? undefined : shape.fault(ctx, negotiated.status, negotiated.message);
  }

  // A client sends the same Content-Type over and over: the last one's media type is remembered.
  let lastType = "";
  let lastMediaType = "";
  function mediaTypeOf(type: string): string {
    if (type !== lastType) {
      lastType = type;
      lastMediaType = (type.split(";")[0] ?? "").trim().toLowerCase();
    }
    return lastMediaType;
  }

  /** Nova reads text/plain (eventlet's default) and an empty type as "none given", i.e. JSON. */
  function checkContentType(ctx: Ctx): Answer | undefined {
    const type = ctx.req.headers["content-type"];
    if (!type || !ctx.info?.body) return undefined;
    const mediaType = mediaTypeOf(type);
    if (mediaType !== "" && mediaType !== "text/plain" && !ctx.info.body.mediaTypes.has(mediaType))
      return shape.example(ctx, 415);
    return undefined;
  }

  function checkServer(ctx: Ctx, serverId: string, scenario: ScenarioName | undefined): Answer | undefined {
    if (!serverIdPattern.test(serverId) || scenario === "not-found")
      return shape.fault(ctx, 404, instanceNotFound(serverId));
    return undefined;
  }

  function checkQuota(ctx: Ctx, action: Record<string, unknown>): Answer | undefined {
    const metadata = action.metadata;
    let items = 0;
    if (metadata && typeof metadata === "object") for (const _ in metadata) items++;
    if (items > contract.metadata.quotaMaxItems && shape.statusAllowed(ctx, 403))
      return shape.example(ctx, 403, EXAMPLE.quota);
    return undefined;
  }

  function checkServerState(
    ctx: Ctx,
    serverId: string,
    serverKey: string,
    scenario: ScenarioName | undefined,
  ): Answer | undefined {
    const behaviour = scenario ? SCENARIO_BEHAVIOURS[scenario] : undefined;
    if (behaviour?.status === 409)
      return shape.fault(ctx, 409, invalidState(serverId, behaviour.attr, behaviour.state));
    // A snapshot already running: Nova's check_instance_state wants task_state None.
    const task = state.taskState(serverKey);
    if (task !== null) return shape.fault(ctx, 409, invalidState(serverId, "task_state", task));
    return undefined;
  }

  /** Nova creates the Glance image record (queued) and starts the snapshot. */
  function startSnapshot(
    ctx: Ctx,
    serverKey: string,
    scenario: ScenarioName | undefined,
    action: Record<string, unknown>,
  ): void {
    const token = ctx.req.headers[TOKEN];
    const caller = token ? state.token(token) : undefined;
    const projectId = interned(ctx.params.project_id ?? "");
    // The UUID sources give lower-case IDs, the state's key form.
    ctx.imageId = imageIds();
    const metadata: Record<string, string> = {};
    const given = action.metadata;
    if (given && typeof given === "object")
      for (const k of Object.keys(given)) {
        const v = (given as Record<string, unknown>)[k];
        if (typeof v === "string") metadata[k] = v;
      }
    state.startSnapshot({
      id: ctx.imageId,
      name: String(action.name ?? ""),
      serverId: serverKey,
      projectId,
      userId: caller?.userId ?? anonymousUserId(projectId),
      metadata,
      fails: scenario === "snapshot-fails",
    });
  }

  /**
   * One string per ID for what every image of a project or server repeats: a URL parameter is a
   * slice of the request's URL and would keep the whole URL alive for as long as the image is
   * stored (1000 images by default); a client sends the same few IDs over and over.
   */
  const interned = boundedMemo(1024, (id) => id);
  /** A server ID lower-cased (IDs are case-insensitive), remembered per spelling. */
  const serverKeyOf = boundedMemo(1024, (serverId) => interned(serverId.toLowerCase()));
  /** The user of a token identity did not issue: one per project (a few µs to derive). */
  const anonymousUserId = boundedMemo(256, (projectId) => stableHexId("user", `anonymous/${projectId}`));

  function createImage(ctx: Ctx, op: OperationInfo, action: Record<string, unknown>): Answer {
    const serverId = ctx.params[serverIdName] ?? "";
    // Server IDs are case-insensitive: lower-cased once, the key for scenarios and the state.
    const serverKey = serverKeyOf(serverId);
    const scenario = scenarioById.get(serverKey);
    const refused =
      checkServer(ctx, serverId, scenario) ??
      checkQuota(ctx, action) ??
      checkServerState(ctx, serverId, serverKey, scenario);
    if (refused) return refused;
    startSnapshot(ctx, serverKey, scenario, action);
    return shape.finish(ctx, shape.template(op, 202));
  }

  /** A request that asks for a Prism feature: live Prism when injected, else the templates. */
  function preferred(ctx: Ctx, body: unknown, fallback: () => Answer): Answer | Promise<Answer> {
    if (prismLive) return live(ctx, body, fallback);
    const { code, example } = preference(ctx.req.headers, ctx.query);
    const op = faultInfo(ctx);
    const list = code !== undefined ? op.templates.get(code) : [...op.templates.values()].flat();
    const tpl = example !== undefined ? list?.find((t) => t.exampleKey === example) : list?.[0];
    // A preference the templates cannot honour (unknown code or example, a status outside the
    // microversion's range) is ignored, as RFC 7240 allows.
    if (!tpl || (code === undefined && example === undefined) || !shape.statusAllowed(ctx, tpl.status))
      return fallback();
    return shape.finish(ctx, tpl, undefined, true);
  }

  async function live(ctx: Ctx, body: unknown, fallback: () => Answer): Promise<Answer> {
    const headers: Record<string, string> = { ...ctx.req.headers };
    // Nova reads a missing Content-Type as JSON; tell Prism so.
    if (ctx.info?.body && !headers["content-type"]) headers["content-type"] = "application/json";
    // One pass over the parameters (getAll per name would be quadratic in a long query); a Map, so
    // that a parameter named __proto__ is a key like any other.
    const byName = new Map<string, string[]>();
    for (const [key, value] of ctx.query ?? []) {
      const seen = byName.get(key);
      if (seen) seen.push(value);
      else byName.set(key, [value]);
    }
    const query = Object.fromEntries(
      [...byName].map(([key, all]) => [key, all.length === 1 ? (all[0] as string) : all]),
    ) as Record<string, string | string[]>;
    try {
      const answer = await (prismLive as LivePrism)({
        method: ctx.req.method,
        // Prism routes by the spec's path keys: without the service's prefix on the mock's origin.
        path: ctx.info ? ctx.req.path.slice(ctx.info.route.prefix.length) || "/" : ctx.req.path,
        query,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      // A preference Prism cannot honour here (unknown code, example, status outside the
      // microversion's range, or a request Prism finds invalid) is ignored, as RFC 7240 allows.
      if (!answer || answer.invalid || !shape.statusAllowed(ctx, answer.template.status)) return fallback();
      return shape.finish(ctx, answer.template, undefined, true);
    } catch {
      return fallback();
    }
  }

  const secrets = new Map((options.aksk ?? []).map((k) => [k.accessKey, k.secretKey]));
  const GATEWAY_MESSAGES = {
    missing: "Incorrect IAM authentication information: the Authorization header is missing",
    malformed: "Incorrect IAM authentication information: the Authorization header is malformed",
    "unknown-key": "Incorrect IAM authentication information: the access key does not exist",
    "bad-signature": "Incorrect IAM authentication information: verify aksk signature fail",
    expired: "Incorrect IAM authentication information: X-Sdk-Date is more than 15 minutes away",
  } as const;

  /**
   * The API gateway in front of the services: a request signed with `SDK-HMAC-SHA256` is verified
   * (Web Crypto, so asynchronous); a failure is the gateway's 401 `{"error_msg", "error_code":
   * "APIGW.0301", "request_id"}`, which the services' own contract does not describe.
   */
  async function verifySigned(req: EngineRequest, then: () => Answer | Promise<Answer>): Promise<Answer> {
    const verdict = await verify(
      {
        method: req.method,
        url: `${req.origin}${req.path}${req.query ? `?${req.query}` : ""}`,
        headers: req.headers as Record<string, string>,
        ...(req.body ? { body: req.body } : {}),
      },
      (ak) => secrets.get(ak),
      new Date(now()),
    );
    if (verdict.ok) return then();
    const requestId = requestIds().replace(/-/g, "");
    return {
      status: 401,
      headers: { "Content-Type": "application/json", "X-Request-Id": requestId },
      body: JSON.stringify({
        error_msg: GATEWAY_MESSAGES[verdict.reason],
        error_code: "APIGW.0301",
        request_id: requestId,
      }),
      microversion: undefined,
    };
  }

  function handle(req: EngineRequest): Answer | Promise<Answer> {
    if (req.headers.authorization?.startsWith(ALGORITHM)) return verifySigned(req, () => checked(req, true));
    return checked(req, false);
  }

  function checked(req: EngineRequest, signed: boolean): Answer | Promise<Answer> {
    const ctx = route(req);
    const early = (signed ? undefined : checkToken(ctx)) ?? checkAnnouncedSize(ctx) ?? checkMicroversion(ctx);
    if (early) return early;
    const op = ctx.info;
    if (!op) return shape.fault(ctx, 404, RESOURCE_NOT_FOUND);
    const handler = handlers[op.operation.id];
    if (handler && !ctx.prism) return req.bodyTooLarge ? shape.example(ctx, 413) : handler(ctx);
    if (!op.body) {
      const answer = () => (handler ? handler(ctx) : shape.finish(ctx, shape.template(op, 200)));
      if (!ctx.prism) return answer();
      // Prism validates what it is given: hand it the request's JSON body, if any.
      let body: unknown;
      try {
        body = req.body?.length ? JSON.parse(new TextDecoder().decode(req.body)) : undefined;
      } catch {
        body = undefined;
      }
      return preferred(ctx, body, answer);
    }
    const refused = checkContentType(ctx);
    if (refused) return refused;
    if (req.bodyTooLarge) return shape.example(ctx, 413);
    const verdict = op.body.checker.check(req.body ?? new Uint8Array(0), ctx.scope === "v2");
    if (verdict.kind === "malformed") return shape.example(ctx, 400, EXAMPLE.malformed);
    if (verdict.kind === "fault") return shape.fault(ctx, verdict.status, verdict.message);
    const decide = () => createImage(ctx, op, verdict.action);
    return ctx.prism ? preferred(ctx, { [op.body.checker.action]: verdict.action }, decide) : decide();
  }

  return {
    handle,
    maxBodyBytes,
    cors: corsOf(model, contract),
    tokenHeader: TOKEN,
    internalFaultKey,
    contract,
    minMicroversion: contract.minMicroversion,
    maxMicroversion,
    scenarios,
    reset: state.reset,
    size: state.size,
  };
}

/** Headers a browser may send and read, all named by the spec (plus Prism's Prefer). */
function corsOf(model: SpecModel, contract: Contract) {
  const names = contract.names;
  const allow = new Set<string>(["Content-Type", "Prefer"]);
  const expose = new Set<string>(names.requestIdAliases);
  const methods = new Set<string>(["OPTIONS"]);
  for (const scheme of model.securitySchemes) {
    if (scheme.type === "apiKey" && scheme.in === "header" && scheme.name) allow.add(scheme.name);
  }
  for (const op of model.operations) {
    methods.add(op.method);
    for (const p of op.parameters) if (p.in === "header") allow.add(p.name);
    for (const response of op.responses) for (const h of response.headers) expose.add(h.name);
  }
  // A browser may sign with AK/SK instead of a token (the API gateway's headers).
  for (const name of ["Authorization", DATE_HEADER, PROJECT_HEADER, SECURITY_TOKEN_HEADER]) allow.add(name);
  // A client may pass its own request ID on (oslo.middleware request_id reads it).
  for (const name of [names.requestIdHeader, ...names.requestIdAliases]) allow.add(name);
  return { allowHeaders: [...allow], exposeHeaders: [...expose], allowMethods: [...methods] };
}
