// The Nova layer: everything OpenAPI cannot express about the real service, applied in Nova's
// order — token (401), announced size (413), microversion (400/406), content type (415), body
// (400), server (404), quota (403), server state (409) — and the shaping of every answer: version
// headers and Vary on /v2.1 where the spec declares them, the `x-openstack` variant of the negotiated microversion, fresh image
// and request IDs, version documents on the mock's own origin. Every limit, pattern, range, fault
// key and example comes from the spec (`@ecs-api/spec`'s contract, the raw document, or Prism's
// templates); this file holds only Nova's rules for combining them.
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import {
  type Contract,
  CREATE_IMAGE_LEGACY_PATH,
  CREATE_IMAGE_PATH,
  deref,
  inRange,
  microversionsBetween,
  rangeOf,
  type VersionRange,
  variantsOf,
} from "@ecs-api/spec";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { type UuidSource, uuidSource } from "../ids.js";
import type { OperationSummary, Template } from "../prism/compile.js";
import { type LivePrism, namedExample, wantsPrism } from "../prism/live.js";
import { matchRoute, type Route } from "../prism/router.js";
import { type BodyChecker, compileBodyChecker, inline } from "./body.js";
import { instanceNotFound, invalidState, RESOURCE_NOT_FOUND } from "./messages.js";
import { type MicroversionRules, negotiate } from "./microversion.js";
import { SCENARIO_BEHAVIOURS, type ScenarioName, scenarioTable } from "./scenarios.js";

// biome-ignore lint/suspicious/noExplicitAny: the bundled document is plain JSON, walked by key.
type Json = any;

/** The schema Nova validates with its `name` format (parameter_types.name). */
const NAME_SCHEMA_REF = "#/components/schemas/ImageName";
/** The spec examples the Nova layer answers with when the message never varies. */
const EXAMPLE = {
  malformed: "fault-malformed-body",
  quota: "fault-metadata-limit",
} as const;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The microversion the answer carries in its headers (for the log). */
  microversion: string | undefined;
}

export interface RequestHead {
  method: string;
  path: string;
  query: URLSearchParams | undefined;
  headers: IncomingHttpHeaders;
  /** `http://host:port` as the client addressed the mock. */
  origin: string;
}

type Scope = "v2.1" | "v2" | "root";

interface OperationInfo {
  id: string;
  route: Route;
  secured: boolean;
  /** Raw spec response objects by status, dereferenced. */
  responses: Map<number, Json>;
  /** Marked elements per status (`header:Location`, `body:application/json`). */
  variants: Map<number, ReturnType<typeof variantsOf>>;
  /** x-openstack range of a whole status (e.g. 403 up to 2.38). */
  statusRanges: Map<number, VersionRange>;
  templates: Map<number, Template[]>;
  body?: {
    checker: BodyChecker;
    maxBytes: number;
    mediaTypes: Set<string>;
  };
}

interface Ctx {
  head: RequestHead;
  scope: Scope;
  info: OperationInfo | undefined;
  params: Record<string, string>;
  version: string | undefined;
  requestId: string;
  prism: boolean;
  /** The example the client named: its IDs are kept instead of fresh ones. */
  example: string | undefined;
}

export interface Pending {
  ctx: Ctx;
  maxBytes: number;
}

export type HeadResult = { answer: Answer | Promise<Answer> } | { pending: Pending };

export interface NovaOptions {
  doc: Json;
  contract: Contract;
  /** Prism answering live, for requests that ask for Prism's features. */
  live: LivePrism;
  routes: Route[];
  maxMicroversion: string;
  imageBaseUrl: string | undefined;
  seed: string | undefined;
}

const firstSegment = (path: string) => `/${path.split("/")[1] ?? ""}`;
/** The first value of a header node:http gives as a list when repeated. */
const firstValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function createNovaLayer(options: NovaOptions) {
  const { doc, contract, live: prismLive, routes } = options;
  const names = contract.names;
  // The spec's UUID pattern, and unanchored to find the UUID inside a Location example.
  const UUID_ONLY = names.uuidPattern;
  const UUID = new RegExp(UUID_ONLY.source.replace(/^\^/, "").replace(/\$$/, ""));
  const LOCATION = names.locationHeader;
  const scenarios = scenarioTable(contract.scenarios);
  const scenarioById = new Map<string, ScenarioName>(
    Object.entries(scenarios).map(([name, id]) => [id.toLowerCase(), name as ScenarioName]),
  );
  const imageIds: UuidSource = uuidSource(options.seed, "image");
  const requestIds: UuidSource = uuidSource(options.seed, "request");
  const v21Prefix = firstSegment(CREATE_IMAGE_PATH);
  const v2Prefix = firstSegment(CREATE_IMAGE_LEGACY_PATH);

  const STANDARD = names.standardVersionHeader;
  const LEGACY = names.legacyVersionHeader;
  const VARY = `${STANDARD}, ${LEGACY}`;
  const served = new Set(microversionsBetween(contract.minMicroversion, options.maxMicroversion));
  const inServedRange = (version: string) => served.has(version);
  const rules: MicroversionRules = {
    standardHeader: STANDARD.toLowerCase(),
    legacyHeader: LEGACY.toLowerCase(),
    serviceType: names.serviceType,
    latest: names.latest,
    pattern: contract.microversionPattern,
    min: contract.minMicroversion,
    max: options.maxMicroversion,
    served,
  };

  // The request ID header every response of the spec declares, and the headers repeating it.
  const REQUEST_ID = names.requestIdHeader;
  const REQUEST_ID_ALIASES = names.requestIdAliases;
  const rebuilt = new Set(
    [STANDARD, LEGACY, "Vary", REQUEST_ID, ...REQUEST_ID_ALIASES].map((h) => h.toLowerCase()),
  );
  const TOKEN = names.tokenHeader.toLowerCase();

  const serverParam = [...(doc.paths[CREATE_IMAGE_PATH].parameters ?? [])]
    .map((p: Json) => deref(doc, p))
    .find((p: Json) => p["x-mock-scenarios"]);
  const ajv = new Ajv2020({ strict: false });
  addFormats.default(ajv);
  const serverIdValid: ValidateFunction = ajv.compile(
    inline(doc, serverParam.schema, (_ref, target) => target),
  );
  const serverIdName = String(serverParam.name);

  const infos = new Map<Route, OperationInfo>();
  for (const route of routes) {
    const op = route.operation;
    const raw = doc.paths[route.path][route.method.toLowerCase()];
    const responses = new Map<number, Json>();
    const variants = new Map<number, ReturnType<typeof variantsOf>>();
    const statusRanges = new Map<number, VersionRange>();
    for (const [status, response] of Object.entries<Json>(raw.responses ?? {})) {
      const code = Number(status);
      const res = deref(doc, response);
      responses.set(code, res);
      variants.set(code, variantsOf(doc, res));
      const range = rangeOf(doc, res);
      if (range) statusRanges.set(code, range);
    }
    const info: OperationInfo = {
      id: op.id,
      route,
      secured: op.secured,
      responses,
      variants,
      statusRanges,
      templates: templatesOf(op),
    };
    if (raw.requestBody) {
      const requestBody = deref(doc, raw.requestBody);
      info.body = {
        checker: compileBodyChecker(doc, requestBody.content["application/json"].schema, NAME_SCHEMA_REF),
        maxBytes: Number(requestBody["x-max-body-bytes"] ?? contract.maxBodyBytes),
        mediaTypes: new Set(contract.requestMediaTypes.map((t) => t.toLowerCase())),
      };
    }
    infos.set(route, info);
  }
  const createInfo = [...infos.values()].find((i) => i.route.path === CREATE_IMAGE_PATH);
  const legacyInfo = [...infos.values()].find((i) => i.route.path === CREATE_IMAGE_LEGACY_PATH);
  if (!createInfo || !legacyInfo) throw new Error("the spec must have both createImage operations");

  // Location: the example's path with a fresh UUID, on the image base (or the mock's origin).
  const locationExample = createInfo.templates.get(202)?.[0]?.headers[LOCATION];
  const locationPath =
    locationExample && URL.canParse(locationExample) ? new URL(locationExample).pathname : "";
  if (!UUID.test(locationPath))
    throw new Error(`the spec's createImage 202 has no ${LOCATION} example with a UUID in its path`);
  const [locationBefore = "", locationAfter = ""] = locationPath.split(UUID);
  const imageBase = options.imageBaseUrl?.replace(/\/+$/, "");

  function template(info: OperationInfo, status: number, exampleKey?: string): Template {
    const list = info.templates.get(status);
    const found = exampleKey ? list?.find((t) => t.exampleKey === exampleKey) : list?.[0];
    if (!found)
      throw new Error(
        `the spec has no ${status}${exampleKey ? ` example ${exampleKey}` : ""} for ${info.id}`,
      );
    return found;
  }
  // Fail at start-up, not on the first request, when an example the layer relies on is gone.
  for (const info of [createInfo, legacyInfo]) {
    template(info, 400, EXAMPLE.malformed);
    template(info, 403, EXAMPLE.quota);
    for (const status of [202, 401, 404, 409, 413, 415]) template(info, status);
  }

  // An unrouted request answers as its endpoint does; outside /v2.1 and /v2 nothing is
  // deprecated and no version is set, so /v2.1's answers (without version headers) stand.
  const faultInfo = (ctx: Ctx) => ctx.info ?? (ctx.scope === "v2" ? legacyInfo : createInfo);

  /**
   * What a template looks like at one microversion, worked out once: the headers that do not
   * change per request, whether the `x-openstack` variant drops the body, and the body text with
   * a hole where the image UUID goes. Cached per (template, microversion) for the spec's templates
   * and in-range versions only, so the cache is bounded by the spec (operations × statuses ×
   * examples × microversions).
   */
  interface Plan {
    status: number;
    headers: Record<string, string>;
    hasLocation: boolean;
    /** The body text, split where the fresh image UUID goes (one part when there is none). */
    body: string[] | undefined;
    /** The fault key, when the body is a Nova fault whose message may be replaced. */
    faultKey: string | undefined;
    /** A version document: links and range are filled in per request. */
    versionDoc: Json | undefined;
  }
  const plans = new WeakMap<Template, Map<string, Plan>>();
  // A marker JSON.stringify leaves as it is and no example can contain.
  const HOLE = `~image-id-${randomUUID()}~`;

  function plan(info: OperationInfo, tpl: Template, version: string | undefined): Plan {
    const status = tpl.status;
    const outOfRange = new Set<string>();
    if (version !== undefined) {
      for (const v of info.variants.get(status) ?? [])
        if (!inRange(version, v.range)) outOfRange.add(v.element);
    }
    const headers: Record<string, string> = {};
    // Only what the spec's response declares (and the content type): Prism adds headers of its own,
    // e.g. `Deprecation: true` on /v2, that Nova never sends.
    const declared = new Set(
      Object.keys(info.responses.get(status)?.headers ?? {}).map((h) => h.toLowerCase()),
    );
    declared.add("content-type");
    for (const name in tpl.headers) {
      if (!declared.has(name.toLowerCase())) continue;
      if (rebuilt.has(name.toLowerCase()) || outOfRange.has(`header:${name}`)) continue;
      headers[name] = tpl.headers[name] as string;
    }
    const type = headers["Content-Type"];
    let body: unknown = type !== undefined && outOfRange.has(`body:${type}`) ? undefined : tpl.body;
    let faultKey: string | undefined;
    let versionDoc: Json | undefined;
    // Version headers wherever the spec's response declares them (not on 401 and 413, which
    // middleware in front of Nova answers).
    if (version !== undefined && declaresVersion(info, status)) {
      headers[STANDARD] = `${names.serviceType} ${version}`;
      headers[LEGACY] = version;
      headers.Vary = VARY;
    }
    if (status === 202 && body && typeof body === "object") {
      // Every UUID-valued field of the 202 body is the new image's ID.
      const stamped: Record<string, unknown> = { ...(body as Record<string, unknown>) };
      for (const k in stamped)
        if (typeof stamped[k] === "string" && UUID_ONLY.test(stamped[k] as string)) stamped[k] = HOLE;
      body = stamped;
    } else if (status >= 400 && body && typeof body === "object") {
      faultKey = Object.keys(body as object)[0];
      // Nova's Fault sets charset=UTF-8; keystonemiddleware's 401 does not.
      if (status !== 401 && type === "application/json")
        headers["Content-Type"] = "application/json; charset=UTF-8";
    } else if (status === 200 && body && typeof body === "object") {
      versionDoc = body;
    }
    if (body === undefined) delete headers["Content-Type"];
    return {
      status,
      headers,
      hasLocation: headers[LOCATION] !== undefined,
      body: body === undefined ? undefined : JSON.stringify(body).split(HOLE),
      faultKey,
      versionDoc,
    };
  }

  function declaresVersion(info: OperationInfo, status: number): boolean {
    const declared = info.responses.get(status)?.headers ?? {};
    return Object.keys(declared).some((h) => h.toLowerCase() === STANDARD.toLowerCase());
  }

  function planFor(info: OperationInfo, tpl: Template, version: string | undefined, cache: boolean): Plan {
    if (!cache) return plan(info, tpl, version);
    let byVersion = plans.get(tpl);
    if (!byVersion) {
      byVersion = new Map();
      plans.set(tpl, byVersion);
    }
    const key = version ?? "";
    let found = byVersion.get(key);
    if (!found) {
      found = plan(info, tpl, version);
      byVersion.set(key, found);
    }
    return found;
  }

  /** Turns a template (from the build or from a live Prism call) into the answer for this request. */
  function finish(ctx: Ctx, tpl: Template, message?: string, live = false): Answer {
    const version = ctx.version;
    // 406 answers name versions outside the range: those plans are not kept.
    const cacheable = !live && (version === undefined || inServedRange(version));
    const p = planFor(faultInfo(ctx), tpl, version, cacheable);
    const headers: Record<string, string> = Object.assign({}, p.headers);
    headers[REQUEST_ID] = ctx.requestId;
    for (const alias of REQUEST_ID_ALIASES) headers[alias] = ctx.requestId;
    let text = "";
    if (p.status === 202) {
      // A named example that exists is answered as it is, IDs included (the microversion's variant
      // still applies): a Location example from the spec's header, a body example as Prism returned
      // it. Any other name (`example=nope`) gets fresh IDs like a request without one.
      const response = faultInfo(ctx).responses.get(202);
      const named =
        ctx.example === undefined
          ? undefined
          : deref(doc, deref(doc, response?.headers?.[LOCATION])?.examples?.[ctx.example])?.value;
      const namedBody =
        live &&
        ctx.example !== undefined &&
        tpl.exampleKey === ctx.example &&
        Object.values<Json>(response?.content ?? {}).some((m) => m.examples?.[ctx.example as string]);
      const id = imageIds();
      if (p.hasLocation)
        headers[LOCATION] =
          typeof named === "string"
            ? named
            : `${imageBase ?? ctx.head.origin}${locationBefore}${id}${locationAfter}`;
      if (p.body) text = namedBody ? JSON.stringify(tpl.body) : p.body.join(id);
    } else if (message !== undefined && p.faultKey !== undefined) {
      text = JSON.stringify({ [p.faultKey]: { code: p.status, message } });
    } else if (p.versionDoc !== undefined) {
      text = JSON.stringify(versionDocument(p.versionDoc, ctx.head.origin));
    } else if (p.body) {
      text = p.body.join("");
    }
    return { status: p.status, headers, body: text, microversion: version };
  }

  /** The spec's version documents, with links on the mock's origin and the configured range. */
  function versionDocument(body: Json, origin: string): Json {
    const fix = (v: Json) => {
      const out = { ...v };
      if (Array.isArray(v.links)) {
        out.links = v.links.map((l: Json) => {
          if (l.rel !== "self") return l;
          try {
            return { ...l, href: `${origin}${new URL(l.href).pathname}` };
          } catch {
            return l;
          }
        });
      }
      if (typeof v.version === "string" && v.version !== "") {
        out.version = options.maxMicroversion;
        out.min_version = contract.minMicroversion;
      }
      return out;
    };
    if (Array.isArray(body.versions)) return { ...body, versions: body.versions.map(fix) };
    if (body.version && typeof body.version === "object") return { ...body, version: fix(body.version) };
    return body;
  }

  const fault = (ctx: Ctx, status: number, message: string) =>
    finish(ctx, template(faultInfo(ctx), status), message);
  const example = (ctx: Ctx, status: number, key?: string) =>
    finish(ctx, template(faultInfo(ctx), status, key));

  /** May a live Prism answer with this status stand at this microversion? */
  function statusAllowed(ctx: Ctx, status: number): boolean {
    const info = faultInfo(ctx);
    if (!info.responses.has(status)) return false;
    const range = info.statusRanges.get(status);
    return !range || ctx.version === undefined || inRange(ctx.version, range);
  }

  async function live(ctx: Ctx, body: unknown, fallback: () => Answer): Promise<Answer> {
    const { head } = ctx;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(head.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    // Nova reads a missing Content-Type as JSON; tell Prism so.
    if (ctx.info?.body && !headers["content-type"]) headers["content-type"] = "application/json";
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(head.query?.keys() ?? [])) {
      const all = head.query?.getAll(key) ?? [];
      query[key] = all.length === 1 ? (all[0] as string) : all;
    }
    try {
      const answer = await prismLive({
        method: head.method,
        path: head.path,
        query,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      // A preference Prism cannot honour here (unknown code, example, status outside the
      // microversion's range, or a request Prism finds invalid) is ignored, as RFC 7240 allows.
      if (!answer || answer.invalid || !statusAllowed(ctx, answer.template.status)) return fallback();
      return finish(ctx, answer.template, undefined, true);
    } catch {
      return fallback();
    }
  }

  function head(head: RequestHead): HeadResult {
    const { method, path, headers } = head;
    const scope: Scope =
      path === v21Prefix || path.startsWith(`${v21Prefix}/`)
        ? "v2.1"
        : path === v2Prefix || path.startsWith(`${v2Prefix}/`)
          ? "v2"
          : "root";
    const match = matchRoute(routes, method, path);
    const info = match ? infos.get(match.route) : undefined;
    const ctx: Ctx = {
      head,
      scope,
      info,
      params: match ? match.params : {},
      version: undefined,
      requestId: `req-${requestIds()}`,
      prism: wantsPrism(headers, head.query),
      example: namedExample(headers, head.query),
    };

    // keystonemiddleware sits in front of the whole API, routed or not; version documents are open.
    const needsToken = info ? info.secured : scope !== "root";
    if (needsToken && !firstValue(headers[TOKEN])) {
      return { answer: example(ctx, 401) };
    }
    // The size limit is middleware in front of Nova (oslo.middleware sizelimit): an announced
    // oversized body is refused before the microversion is looked at, and without reading it.
    if (info?.body && Number(headers["content-length"] ?? 0) > info.body.maxBytes) {
      return { answer: example(ctx, 413) };
    }
    if (scope === "v2.1") {
      const negotiated = negotiate(headers, rules);
      ctx.version = negotiated.version;
      if (!negotiated.ok) return { answer: fault(ctx, negotiated.status, negotiated.message) };
    }
    if (!info) return { answer: fault(ctx, 404, RESOURCE_NOT_FOUND) };
    if (!info.body) {
      if (ctx.prism) return { answer: live(ctx, undefined, () => finish(ctx, template(info, 200))) };
      return { answer: finish(ctx, template(info, 200)) };
    }
    const type = headers["content-type"];
    if (type) {
      const mediaType = (type.split(";")[0] ?? "").trim().toLowerCase();
      // Nova reads text/plain (eventlet's default) and an empty type as "none given", i.e. JSON.
      if (mediaType !== "" && mediaType !== "text/plain" && !info.body.mediaTypes.has(mediaType)) {
        return { answer: example(ctx, 415) };
      }
    }
    return { pending: { ctx, maxBytes: info.body.maxBytes } };
  }

  function tooLarge(pending: Pending): Answer {
    return example(pending.ctx, 413);
  }

  function body(pending: Pending, raw: Buffer): Answer | Promise<Answer> {
    const { ctx } = pending;
    const info = ctx.info as OperationInfo & { body: NonNullable<OperationInfo["body"]> };
    const verdict = info.body.checker.check(raw, ctx.scope === "v2");
    if (verdict.kind === "malformed") return example(ctx, 400, EXAMPLE.malformed);
    if (verdict.kind === "fault") return fault(ctx, verdict.status, verdict.message);
    const decide = () => decideAction(ctx, info, verdict.action);
    if (ctx.prism) return live(ctx, { [info.body.checker.action]: verdict.action }, decide);
    return decide();
  }

  function decideAction(ctx: Ctx, info: OperationInfo, action: Record<string, unknown>): Answer {
    const serverId = ctx.params[serverIdName] ?? "";
    const scenario = scenarioById.get(serverId.toLowerCase());
    if (!serverIdValid(serverId) || scenario === "not-found")
      return fault(ctx, 404, instanceNotFound(serverId));
    const metadata = action.metadata;
    const items = metadata && typeof metadata === "object" ? Object.keys(metadata).length : 0;
    if (items > contract.metadata.quotaMaxItems && statusAllowed(ctx, 403))
      return example(ctx, 403, EXAMPLE.quota);
    if (scenario) {
      const behaviour = SCENARIO_BEHAVIOURS[scenario];
      if (behaviour.status === 409)
        return fault(ctx, 409, invalidState(serverId, behaviour.attr, behaviour.state));
    }
    return finish(ctx, template(info, 202));
  }

  return {
    head,
    body,
    tooLarge,
    scenarios,
    headerNames: { token: names.tokenHeader },
  };
}

export type NovaLayer = ReturnType<typeof createNovaLayer>;

function templatesOf(op: OperationSummary): Map<number, Template[]> {
  return new Map(Object.entries(op.templates).map(([status, list]) => [Number(status), list]));
}
