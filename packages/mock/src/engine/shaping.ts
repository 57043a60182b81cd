// Shaping an answer from a template: version headers and Vary on /v2.1 where the spec declares
// them, the `x-openstack` variant of the negotiated microversion, fresh image and request IDs, and
// version documents on the mock's own origin. Every header, range and example comes from the model;
// this file holds only how Nova combines them.
import type { Contract } from "@ecs-api/spec";
import { inRange } from "@ecs-api/spec/microversion";
import type { Ctx, OperationInfo } from "./context.js";
import type { UuidSource } from "./ids.js";
import type { Answer, Template } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: version documents are plain JSON.
type Json = any;

/**
 * What a template looks like at one microversion, worked out once: the headers that do not change
 * per request, whether the `x-openstack` variant drops the body, and the body text with a hole where
 * the image UUID goes. Cached per (template, microversion) for the spec's templates: in-range
 * versions bounded by the spec (operations × statuses × examples × versions), the versions a 406
 * names (anything a client sends) in a small cache per template.
 */
interface Plan {
  status: number;
  headers: Record<string, string>;
  /**
   * `headers` followed by the request ID headers (values filled in per request), in the order an
   * answer sends them: copied with a spread, which clones the object's shape in one step instead
   * of adding each header as a new property.
   */
  answerHeaders: Record<string, string>;
  hasLocation: boolean;
  /** The body text, split where the fresh image UUID goes (one part when there is none). */
  body: string[] | undefined;
  /** The fault key, when the body is a Nova fault whose message may be replaced. */
  faultKey: string | undefined;
  /**
   * `JSON.stringify({ [faultKey]: { code: status, message: "" } })` up to the message: a fault with
   * its own message is this, the message as a JSON string, and `}}` (the same bytes, without
   * building and serialising an object per request).
   */
  faultPrefix: string | undefined;
  /** A version document: links and range are filled in per request. */
  versionDoc: Json | undefined;
}

export interface ShaperOptions {
  contract: Contract;
  maxMicroversion: string;
  /** Base of the image URL in `Location`; undefined: the request's origin. */
  imageBase: string | undefined;
  /** The image service's path on the mock's origin (`/image`): the default image base. */
  imagePrefix: string;
  imageIds: UuidSource;
  /** The versions served (min..max), for an O(1) "in range" on the hot path. */
  served: ReadonlySet<string>;
  /** The operation whose answers an unrouted request gets in its scope. */
  faultInfo: (ctx: Ctx) => OperationInfo;
}

export type Shaper = ReturnType<typeof createShaper>;

export function createShaper(options: ShaperOptions) {
  const { contract, faultInfo, imageIds, served } = options;
  const names = contract.names;
  const STANDARD = names.standardVersionHeader;
  const LEGACY = names.legacyVersionHeader;
  const LOCATION = names.locationHeader;
  const VARY = `${STANDARD}, ${LEGACY}`;
  const REQUEST_ID = names.requestIdHeader;
  const REQUEST_ID_ALIASES = names.requestIdAliases;
  const UUID_ONLY = names.uuidPattern;
  // The spec's UUID pattern unanchored, to find the UUID inside a Location example.
  const UUID = new RegExp(UUID_ONLY.source.replace(/^\^/, "").replace(/\$$/, ""));
  const rebuilt = new Set(
    [STANDARD, LEGACY, "Vary", REQUEST_ID, ...REQUEST_ID_ALIASES].map((h) => h.toLowerCase()),
  );
  const plans = new WeakMap<Template, Map<string, Plan>>();
  const strayPlans = new WeakMap<Template, Map<string, Plan>>();
  const STRAY_PLANS = 32;
  const inServed = (version: string | undefined) => version === undefined || served.has(version);
  // A marker JSON.stringify leaves as it is and no example can contain.
  const HOLE = `~image-id-${crypto.randomUUID()}~`;

  let locationBefore = "";
  let locationAfter = "";
  /** Reads the Location example of createImage's 202 once: its path with a hole for the UUID. */
  function useLocationExample(info: OperationInfo): void {
    const example = info.templates.get(202)?.[0]?.headers[LOCATION];
    const path = example && URL.canParse(example) ? new URL(example).pathname : "";
    if (!UUID.test(path))
      throw new Error(`the spec's createImage 202 has no ${LOCATION} example with a UUID in its path`);
    [locationBefore = "", locationAfter = ""] = path.split(UUID);
  }

  function template(info: OperationInfo, status: number, exampleKey?: string): Template {
    const list = info.templates.get(status);
    const found = exampleKey ? list?.find((t) => t.exampleKey === exampleKey) : list?.[0];
    if (!found)
      throw new Error(
        `the spec has no ${status}${exampleKey ? ` example ${exampleKey}` : ""} for ${info.operation.id}`,
      );
    return found;
  }

  function declaresVersion(info: OperationInfo, status: number): boolean {
    const declared = info.responses.get(status)?.headers ?? [];
    return declared.some((h) => h.name.toLowerCase() === STANDARD.toLowerCase());
  }

  function plan(info: OperationInfo, tpl: Template, version: string | undefined): Plan {
    const status = tpl.status;
    const response = info.responses.get(status);
    const outOfRange = new Set<string>();
    if (version !== undefined) {
      for (const v of response?.variants ?? []) if (!inRange(version, v.range)) outOfRange.add(v.element);
    }
    const headers: Record<string, string> = {};
    // Only what the spec's response declares (and the content type): Prism adds headers of its own,
    // e.g. `Deprecation: true` on /v2, that Nova never sends.
    const declared = new Set((response?.headers ?? []).map((h) => h.name.toLowerCase()));
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
    // Both built afresh: a delete above leaves `headers` a dictionary-mode object, slow to copy.
    const fixed: Record<string, string> = {};
    for (const name in headers) fixed[name] = headers[name] as string;
    const answerHeaders: Record<string, string> = { ...fixed };
    answerHeaders[REQUEST_ID] = "";
    for (const alias of REQUEST_ID_ALIASES) answerHeaders[alias] = "";
    return {
      status,
      headers: fixed,
      answerHeaders,
      hasLocation: headers[LOCATION] !== undefined,
      // A text or HTML example (Glance's error pages) is its own text; everything else is JSON.
      body:
        body === undefined
          ? undefined
          : (typeof body === "string" && !/json/.test(type ?? "") ? body : JSON.stringify(body)).split(HOLE),
      faultKey,
      faultPrefix:
        faultKey === undefined ? undefined : `{${JSON.stringify(faultKey)}:{"code":${status},"message":`,
      versionDoc,
    };
  }

  /**
   * The plan of a template at a version, cached: in-range versions for good (bounded by the spec),
   * any other version (a 406 names what the client sent) in a small cache per template that is
   * emptied when full, so a client cycling through made-up versions cannot grow it.
   */
  function planFor(info: OperationInfo, tpl: Template, version: string | undefined, inRange: boolean): Plan {
    const cache = inRange ? plans : strayPlans;
    let byVersion = cache.get(tpl);
    if (!byVersion) {
      byVersion = new Map();
      cache.set(tpl, byVersion);
    }
    const key = version ?? "";
    let found = byVersion.get(key);
    if (!found) {
      found = plan(info, tpl, version);
      if (!inRange && byVersion.size >= STRAY_PLANS) byVersion.clear();
      byVersion.set(key, found);
    }
    return found;
  }

  /**
   * The spec's version documents, with links on the mock's origin (under the service's path prefix,
   * e.g. `/identity`) and the configured range.
   */
  function versionDocument(body: Json, origin: string, prefix: string): Json {
    const fix = (v: Json) => {
      const out = { ...v };
      if (Array.isArray(v.links)) {
        out.links = v.links.map((l: Json) => {
          if (l.rel !== "self") return l;
          try {
            const path = new URL(l.href).pathname;
            return { ...l, href: `${origin}${path.startsWith(`${prefix}/`) ? path : `${prefix}${path}`}` };
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

  /** Turns a template (from the build or from a live Prism call) into the answer for this request. */
  function finish(ctx: Ctx, tpl: Template, message?: string, live = false): Answer {
    const version = ctx.version;
    const info = faultInfo(ctx);
    // A live Prism answer is a fresh template each time: nothing to cache it by.
    const p = live ? plan(info, tpl, version) : planFor(info, tpl, version, inServed(version));
    const headers: Record<string, string> = { ...p.answerHeaders };
    headers[REQUEST_ID] = ctx.requestId;
    for (const alias of REQUEST_ID_ALIASES) headers[alias] = ctx.requestId;
    let text = "";
    if (p.status === 202) {
      // A named example that exists is answered as it is, IDs included (the microversion's variant
      // still applies): a Location example from the spec's header, a body example as Prism returned
      // it. Any other name (`example=nope`) gets fresh IDs like a request without one.
      const response = info.responses.get(202);
      const named =
        ctx.example === undefined
          ? undefined
          : response?.headers.find((h) => h.name === LOCATION)?.examples.find((e) => e.key === ctx.example)
              ?.value;
      const namedBody =
        live &&
        ctx.example !== undefined &&
        tpl.exampleKey === ctx.example &&
        (response?.content ?? []).some((m) => m.examples.some((e) => e.key === ctx.example));
      const id = ctx.imageId ?? imageIds();
      if (p.hasLocation)
        headers[LOCATION] =
          typeof named === "string"
            ? named
            : `${options.imageBase ?? `${ctx.req.origin}${options.imagePrefix}`}${locationBefore}${id}${locationAfter}`;
      if (p.body) text = namedBody ? JSON.stringify(tpl.body) : p.body.join(id);
    } else if (message !== undefined && p.faultPrefix !== undefined) {
      text = `${p.faultPrefix}${JSON.stringify(message)}}}`;
    } else if (p.versionDoc !== undefined) {
      text = JSON.stringify(versionDocument(p.versionDoc, ctx.req.origin, info.route.prefix));
    } else if (p.body) {
      text = p.body.join("");
    }
    return { status: p.status, headers, body: text, microversion: version };
  }

  /**
   * An answer whose body the engine builds (a server, an image, a token): the status's template gives
   * the headers (version headers, request ID) and the media type; `body` replaces the example's.
   */
  function answerWith(
    ctx: Ctx,
    status: number,
    body: unknown,
    extraHeaders?: Record<string, string>,
  ): Answer {
    const info = faultInfo(ctx);
    const tpl = template(info, status);
    const p = planFor(info, tpl, ctx.version, inServed(ctx.version));
    const headers: Record<string, string> = { ...p.headers, ...extraHeaders };
    headers[REQUEST_ID] = ctx.requestId;
    for (const alias of REQUEST_ID_ALIASES) headers[alias] = ctx.requestId;
    if (body === undefined) delete headers["Content-Type"];
    else headers["Content-Type"] ??= "application/json";
    return {
      status,
      headers,
      body: body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body),
      microversion: ctx.version,
    };
  }

  const fault = (ctx: Ctx, status: number, message: string) =>
    finish(ctx, template(faultInfo(ctx), status), message);
  const example = (ctx: Ctx, status: number, key?: string) =>
    finish(ctx, template(faultInfo(ctx), status, key));

  /** May an answer with this status stand at this microversion (the status's `x-openstack` range)? */
  function statusAllowed(ctx: Ctx, status: number): boolean {
    const response = faultInfo(ctx).responses.get(status);
    if (!response) return false;
    return !response.range || ctx.version === undefined || inRange(ctx.version, response.range);
  }

  return { useLocationExample, template, finish, answerWith, fault, example, statusAllowed };
}
