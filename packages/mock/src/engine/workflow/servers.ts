// Compute servers: `GET .../servers/{id}`, `.../servers` and `.../servers/detail`. Any well-formed
// server UUID is an ACTIVE server with deterministic fields; the fixture servers (the spec's example
// servers, plus `--servers FILE`) give `?name=` lookups something to find; the reserved scenario IDs
// keep their meaning. The shape is the spec's example server, cut to the negotiated microversion by
// the `x-openstack` ranges of the `Server` schema's properties.
import { inRange, type VersionRange } from "@ecs-api/spec/microversion";
import type { SpecModel } from "@ecs-api/spec/model";
import { RE2JS } from "re2js";
import type { Ctx } from "../context.js";
import { invalidQuery, notARegex, QUERY_NOT_UTF8 } from "../messages.js";
import { reprString } from "../pyrepr.js";
import { parseWebobQuery } from "../query.js";
import type { ScenarioName } from "../scenarios.js";
import type { Shaper } from "../shaping.js";
import type { Answer } from "../types.js";
import { exampleValue, type Json, replaceAll } from "./examples.js";
import type { State } from "./state.js";

/** A server `--servers FILE` (or the spec's examples) names. */
export interface FixtureServer {
  id: string;
  name: string;
}

export interface ServersOptions {
  model: SpecModel;
  shape: Shaper;
  state: State;
  examples: Map<string, unknown>;
  fixtures: FixtureServer[];
  scenarioOf: (serverId: string) => ScenarioName | undefined;
  serverIdPattern: RegExp;
  /** Nova's messages the spec cannot hold as examples. */
  instanceNotFound: (id: string) => string;
}

const EX = {
  server: "server-get-resp",
  newer: "servers-details-resp",
  list: "servers-list-resp",
  badLimit: "fault-invalid-limit",
  badMarker: "fault-marker-not-found",
} as const;

export function createServers(options: ServersOptions) {
  const { model, shape, state, examples } = options;
  const base = exampleValue(examples, EX.server).server as Json;
  const newer = (exampleValue(examples, EX.newer).servers as Json[])[0] as Json;
  const schema = model.schema("Server");
  const rangeOf = (node: Json): VersionRange | undefined =>
    node?.["x-openstack"]
      ? {
          min: node["x-openstack"]["min-ver"] ?? model.minMicroversion,
          max: node["x-openstack"]["max-ver"] ?? model.maxMicroversion,
        }
      : undefined;
  const badLimitExample = exampleValue(examples, EX.badLimit).badRequest.message as string;
  const badMarkerExample = (Object.values(exampleValue(examples, EX.badMarker))[0] as Json).message as string;

  /** The example server's fields at one microversion (cached: bounded by the spec's range). */
  const shapes = new Map<string, Json>();
  function fieldsAt(version: string | undefined): Json {
    const key = version ?? "";
    let found = shapes.get(key);
    if (found) return found;
    found = structuredClone(base);
    for (const [prop, propSchema] of Object.entries<Json>(schema.properties ?? {})) {
      const range = rangeOf(propSchema);
      if (range && version !== undefined && !inRange(version, range)) {
        delete found[prop];
        continue;
      }
      if (range && found[prop] === undefined && newer[prop] !== undefined)
        found[prop] = structuredClone(newer[prop]);
      // A field with per-microversion forms (flavor): the form of this version, from whichever example has it.
      const forms: Json[] | undefined = propSchema.oneOf;
      if (forms?.some((f) => rangeOf(f)) && version !== undefined) {
        const form = forms.find((f) => {
          const r = rangeOf(f);
          return !r || inRange(version, r);
        });
        const fits = (value: Json) => value && (form?.required ?? []).every((k: string) => k in value);
        found[prop] = structuredClone(
          fits(found[prop]) ? found[prop] : fits(newer[prop]) ? newer[prop] : found[prop],
        );
      }
    }
    shapes.set(key, found);
    return found;
  }

  const fixtureName = new Map(options.fixtures.map((f) => [f.id.toLowerCase(), f.name]));
  const nameOf = (id: string) =>
    fixtureName.get(id.toLowerCase()) ?? `server-${id.slice(0, 8).toLowerCase()}`;
  const links = (origin: string, projectId: string, id: string, v2: boolean) => [
    { href: `${origin}/${v2 ? "v2" : "v2.1"}/${projectId}/servers/${id}`, rel: "self" },
    { href: `${origin}/${projectId}/servers/${id}`, rel: "bookmark" },
  ];

  /** A server as Nova shows it now: ACTIVE (ERROR for the error scenario) with its task_state. */
  function server(ctx: Ctx, id: string): Json {
    const projectId = ctx.params.project_id ?? "";
    const scenario = options.scenarioOf(id);
    const out = structuredClone(fieldsAt(ctx.version));
    out.id = id;
    out.name = nameOf(id);
    out.tenant_id = projectId;
    out.links = links(ctx.req.origin, projectId, id, ctx.scope === "v2");
    const error = scenario === "vm-state-error";
    out.status = error ? "ERROR" : "ACTIVE";
    out["OS-EXT-STS:vm_state"] = error ? "error" : "active";
    out["OS-EXT-STS:task_state"] =
      scenario === "snapshot-pending" ? "image_snapshot_pending" : state.taskState(id);
    return out;
  }

  /**
   * Nova's `?name=` is a regular expression (format `regex`: Python's re.compile must take it, an
   * empty one is refused) searched anywhere in the name. It runs here on RE2 (re2js), which takes
   * the same syntax for ordinary patterns and matches in time linear in the name: a client's
   * pattern cannot backtrack for minutes. What RE2 cannot run (lookarounds, backreferences) is
   * refused as Nova refuses a pattern Python cannot compile.
   */
  const regexOf = (pattern: string): RE2JS | undefined => {
    if (pattern === "") return undefined;
    try {
      return RE2JS.compile(pattern);
    } catch {
      return undefined;
    }
  };

  /** The fixtures that match Nova's filters, after Nova's query validation (name, then limit). */
  function listed(ctx: Ctx): FixtureServer[] | Answer {
    const query = parseWebobQuery(ctx.req.query);
    if (!query) return shape.fault(ctx, 400, QUERY_NOT_UTF8);
    // query_schema checks every value of a repeated parameter; Nova then reads the last one.
    let regex: RE2JS | undefined;
    for (const pattern of query.get("name") ?? []) {
      regex = regexOf(pattern);
      if (!regex) return shape.fault(ctx, 400, invalidQuery("name", pattern, notARegex(reprString(pattern))));
    }
    let limit: number | undefined;
    for (const text of query.get("limit") ?? []) {
      // non_negative_integer: `pattern` comes before `minLength` in Nova's schema.
      if (!/^[0-9]*$/.test(text))
        return shape.fault(
          ctx,
          400,
          replaceAll(
            replaceAll(badLimitExample, "'abc'", reprString(text)),
            "Value: abc.",
            `Value: ${text}.`,
          ),
        );
      if (text === "") return shape.fault(ctx, 400, invalidQuery("limit", "", "'' should be non-empty"));
      limit = Number(text);
    }
    let servers = options.fixtures;
    if (regex) {
      const found = regex;
      servers = servers.filter((s) => found.test(s.name));
    }
    const marker = query.get("marker")?.at(-1);
    if (marker) {
      const at = servers.findIndex((s) => s.id === marker);
      if (at < 0)
        return shape.fault(
          ctx,
          400,
          String(badMarkerExample).replace(/\[.*\]/, () => `[${marker}]`),
        );
      servers = servers.slice(at + 1);
    }
    return limit === undefined ? servers : servers.slice(0, limit);
  }

  return {
    showServer(ctx: Ctx): Answer {
      const id = ctx.params.server_id ?? "";
      if (!options.serverIdPattern.test(id) || options.scenarioOf(id) === "not-found")
        return shape.fault(ctx, 404, options.instanceNotFound(id));
      return shape.answerWith(ctx, 200, { server: server(ctx, id) });
    },
    listServers(ctx: Ctx): Answer {
      const found = listed(ctx);
      if (!Array.isArray(found)) return found;
      const projectId = ctx.params.project_id ?? "";
      return shape.answerWith(ctx, 200, {
        servers: found.map((s) => ({
          id: s.id,
          name: s.name,
          links: links(ctx.req.origin, projectId, s.id, ctx.scope === "v2"),
        })),
      });
    },
    listServersDetailed(ctx: Ctx): Answer {
      const found = listed(ctx);
      if (!Array.isArray(found)) return found;
      return shape.answerWith(ctx, 200, { servers: found.map((s) => server(ctx, s.id)) });
    },
  };
}

/** The named servers of the spec's examples: `?name=` finds them without a fixture file. */
export function exampleServers(examples: Map<string, unknown>): FixtureServer[] {
  const out = new Map<string, FixtureServer>();
  for (const key of [EX.list, EX.server, EX.newer]) {
    const value = exampleValue(examples, key) as Json;
    for (const s of value.servers ?? [value.server])
      if (s?.id && s?.name) out.set(s.id, { id: s.id, name: s.name });
  }
  return [...out.values()];
}
