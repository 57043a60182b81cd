// The one normalised model of the contract (browser-safe: no `node:` import). The build writes a
// dereferenced bundle (Redocly's `bundle` with `dereference: true` in scripts/bundle.mjs →
// dist/openapi.deref.json, so no `$ref` is resolved by hand here); `buildModel()` reads it once
// into typed operations that every package uses: the mock's engine, the client's generator, the
// docs and the tests. Nothing else walks the raw document.
import {
  compareMicroversions,
  isWellFormed,
  microversionsBetween,
  type VersionRange,
} from "./microversion.js";
import { NAMES, OPERATIONS, SCHEMAS } from "./names.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema objects stay plain JSON.
export type JsonSchema = any;
// biome-ignore lint/suspicious/noExplicitAny: the document as parsed JSON.
type Json = any;

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";
const METHODS: readonly HttpMethod[] = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

export interface NamedExample {
  /** The name a client puts in Prism's `Prefer: example=<key>`. */
  key: string;
  summary: string | undefined;
  description: string | undefined;
  value: unknown;
}

export interface ServerEntry {
  url: string;
  description: string | undefined;
  variables: Record<string, { default: string; enum?: string[]; description?: string }>;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  description: string | undefined;
  schema: JsonSchema;
  example: unknown;
  /** The parameter's named examples (e.g. `compute 2.45` for the microversion header). */
  examples: NamedExample[];
  deprecated: boolean;
  /** Vendor extensions (`x-…`) of the parameter object. */
  extensions: Record<string, unknown>;
}

export interface Header {
  name: string;
  required: boolean;
  description: string | undefined;
  schema: JsonSchema;
  examples: NamedExample[];
  /** The microversions the header exists in (`x-openstack`); undefined: always. */
  range: VersionRange | undefined;
  extensions: Record<string, unknown>;
}

export interface Media {
  type: string;
  schema: JsonSchema;
  examples: NamedExample[];
  /** The microversions this body exists in (`x-openstack` on the schema or the media type). */
  range: VersionRange | undefined;
}

export interface Response {
  status: number;
  description: string;
  /** The microversions the whole status exists in (e.g. 403 up to 2.38). */
  range: VersionRange | undefined;
  /** The single top-level key of the JSON error body (`badRequest`, `error`, …), for status ≥ 400. */
  faultKey: string | undefined;
  headers: Header[];
  content: Media[];
  /** Marked elements: `header:<Name>` / `body:<media type>` with their ranges. */
  variants: Variant[];
  extensions: Record<string, unknown>;
}

/** A marked element of one response and the microversions it exists in. */
export interface Variant {
  /** e.g. `header:Location` or `body:application/json`. */
  element: string;
  range: VersionRange;
}

export interface RequestBody {
  required: boolean;
  description: string | undefined;
  /** The content types (with `x-also-accepts`): what the service reads as this body. */
  mediaTypes: string[];
  /** The JSON schema of `application/json` (dereferenced). */
  schema: JsonSchema;
  examples: NamedExample[];
  /** `x-max-body-bytes`: larger bodies are refused with 413. */
  maxBytes: number | undefined;
}

export interface Operation {
  id: string;
  method: HttpMethod;
  /** The path key, e.g. `/v2.1/{project_id}/servers/{server_id}/action`. */
  path: string;
  summary: string | undefined;
  description: string | undefined;
  /** The operation's `servers`, else the path item's, else the document's (OpenAPI 3.1 §4.8.10:
   * an operation's list overrides its path item's, which overrides the root's). */
  servers: ServerEntry[];
  /** True when the path item or the operation names its own `servers` (another service's endpoint,
   * e.g. IAM or IMS), false when it inherits the document's. */
  ownServers: boolean;
  tags: string[];
  deprecated: boolean;
  /** Alternatives of requirements; an empty alternative means "no credentials needed". */
  security: Record<string, string[]>[];
  /** True when every alternative needs credentials. */
  secured: boolean;
  parameters: Parameter[];
  requestBody: RequestBody | undefined;
  responses: Response[];
  /** Vendor extensions of the operation. */
  extensions: Record<string, unknown>;
}

export interface SecurityScheme {
  key: string;
  type: string;
  in: string | undefined;
  name: string | undefined;
  description: string | undefined;
}

export interface SpecModel {
  title: string;
  description: string;
  /** info.version: the maximum microversion. */
  maxMicroversion: string;
  /** info.x-openstack-min-version. */
  minMicroversion: string;
  /** The `Microversion` schema's pattern ("X.Y" or the `latest` keyword). */
  microversionPattern: RegExp;
  /** Every microversion of the range, in order. */
  microversions: readonly string[];
  servers: ServerEntry[];
  tags: { name: string; description: string | undefined }[];
  securitySchemes: SecurityScheme[];
  operations: Operation[];
  /** The operation with this operationId; throws when the spec has none. */
  operation(id: string): Operation;
  /** A component schema by its title (the dereferenced bundle keeps titles); throws when missing. */
  schema(title: string): JsonSchema;
  /** Every named example of the document: operations' request bodies, responses and headers. */
  examples(): { operation: Operation; where: string; example: NamedExample }[];
}

const extensionsOf = (node: Json): Record<string, unknown> =>
  Object.fromEntries(Object.entries(node ?? {}).filter(([k]) => k.startsWith("x-")));

const examplesOf = (holder: Json): NamedExample[] =>
  Object.entries<Json>(holder?.examples && !Array.isArray(holder.examples) ? holder.examples : {}).map(
    ([key, ex]) => ({ key, summary: ex?.summary, description: ex?.description, value: ex?.value }),
  );

const serversOf = (list: Json): ServerEntry[] =>
  (list ?? []).map((s: Json) => ({
    url: String(s.url),
    description: s.description,
    variables: s.variables ?? {},
  }));

function fail(what: string): never {
  throw new Error(`the spec has no ${what}`);
}

/**
 * The part of a dereferenced bundle that `buildModel` reads: all of it but the `components`
 * sections other than `schemas` (read by title) and `securitySchemes`. The bundle has inlined the
 * others into `paths` already; a copy shipped to build the model elsewhere (the mock's browser data)
 * need not carry them twice. Kept next to `buildModel`, which must read nothing else of `components`.
 */
export function modelSource(doc: Json): Json {
  const { schemas, securitySchemes } = doc.components ?? {};
  return { ...doc, components: { schemas, securitySchemes } };
}

/** Builds the model from the dereferenced bundle (dist/openapi.deref.json, parsed). */
export function buildModel(doc: Json): SpecModel {
  const maxMicroversion = String(doc.info?.version ?? "");
  const minMicroversion = String(doc.info?.["x-openstack-min-version"] ?? "");
  if (!isWellFormed(maxMicroversion)) fail("info.version as X.Y");
  if (!isWellFormed(minMicroversion)) fail("info.x-openstack-min-version as X.Y");
  const rangeOf = (node: Json): VersionRange | undefined => {
    const mark = node?.["x-openstack"];
    if (!mark) return undefined;
    return { min: mark["min-ver"] ?? minMicroversion, max: mark["max-ver"] ?? maxMicroversion };
  };

  const schemasByTitle = new Map<string, JsonSchema>();
  for (const [key, schema] of Object.entries<Json>(doc.components?.schemas ?? {}))
    schemasByTitle.set(schema?.title ?? key, schema);
  const schema = (title: string) => schemasByTitle.get(title) ?? fail(`schema titled ${title}`);

  const rootServers = serversOf(doc.servers);
  const rootSecurity: Record<string, string[]>[] = doc.security ?? [];
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method.toLowerCase()];
      if (!op) continue;
      const security: Record<string, string[]>[] = op.security ?? rootSecurity;
      const parameters: Parameter[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(
        (p: Json) => ({
          name: String(p.name),
          in: p.in,
          required: p.required === true,
          description: p.description,
          schema: p.schema,
          example: p.example,
          examples: examplesOf(p),
          deprecated: p.deprecated === true,
          extensions: extensionsOf(p),
        }),
      );
      let requestBody: RequestBody | undefined;
      if (op.requestBody) {
        const rb = op.requestBody;
        const json = rb.content?.["application/json"];
        requestBody = {
          required: rb.required === true,
          description: rb.description,
          mediaTypes: [...Object.keys(rb.content ?? {}), ...(rb["x-also-accepts"] ?? [])],
          schema: json?.schema,
          examples: examplesOf(json),
          maxBytes: rb["x-max-body-bytes"],
        };
      }
      const responses: Response[] = Object.entries<Json>(op.responses ?? {}).map(([status, res]) => {
        const code = Number(status);
        const headers: Header[] = Object.entries<Json>(res.headers ?? {}).map(([name, h]) => ({
          name,
          required: h.required === true,
          description: h.description,
          schema: h.schema,
          examples:
            h.example !== undefined
              ? [{ key: "", summary: undefined, description: undefined, value: h.example }, ...examplesOf(h)]
              : examplesOf(h),
          range: rangeOf(h),
          extensions: extensionsOf(h),
        }));
        const content: Media[] = Object.entries<Json>(res.content ?? {}).map(([type, media]) => ({
          type,
          schema: media.schema,
          examples: examplesOf(media),
          range: rangeOf(media.schema) ?? rangeOf(media),
        }));
        const jsonSchema = res.content?.["application/json"]?.schema;
        const variants: Variant[] = [
          ...headers
            .filter((h) => h.range)
            .map((h) => ({ element: `header:${h.name}`, range: h.range as VersionRange })),
          ...content
            .filter((m) => m.range)
            .map((m) => ({ element: `body:${m.type}`, range: m.range as VersionRange })),
        ];
        return {
          status: code,
          description: String(res.description ?? ""),
          range: rangeOf(res),
          faultKey:
            code >= 400 && jsonSchema?.required?.length === 1 ? String(jsonSchema.required[0]) : undefined,
          headers,
          content,
          variants: variants.sort((a, b) => compareMicroversions(a.range.min, b.range.min)),
          extensions: extensionsOf(res),
        };
      });
      operations.push({
        id: String(op.operationId ?? fail(`operationId on ${method} ${path}`)),
        method,
        path,
        summary: op.summary,
        description: op.description,
        servers: op.servers ? serversOf(op.servers) : item.servers ? serversOf(item.servers) : rootServers,
        ownServers: Boolean(op.servers ?? item.servers),
        tags: op.tags ?? [],
        deprecated: op.deprecated === true,
        security,
        secured: security.length > 0 && security.every((alt) => Object.keys(alt).length > 0),
        parameters,
        requestBody,
        responses,
        extensions: extensionsOf(op),
      });
    }
  }
  const byId = new Map(operations.map((o) => [o.id, o]));
  const operation = (id: string) => byId.get(id) ?? fail(`operation ${id}`);

  const model: SpecModel = {
    title: String(doc.info?.title ?? ""),
    description: String(doc.info?.description ?? ""),
    maxMicroversion,
    minMicroversion,
    microversionPattern: new RegExp(schema(SCHEMAS.microversion).pattern),
    microversions: microversionsBetween(minMicroversion, maxMicroversion),
    servers: rootServers,
    tags: (doc.tags ?? []).map((t: Json) => ({ name: String(t.name), description: t.description })),
    securitySchemes: Object.entries<Json>(doc.components?.securitySchemes ?? {}).map(([key, s]) => ({
      key,
      type: s.type,
      in: s.in,
      name: s.name,
      description: s.description,
    })),
    operations,
    operation,
    schema,
    examples() {
      const out: ReturnType<SpecModel["examples"]> = [];
      for (const op of operations) {
        for (const example of op.requestBody?.examples ?? [])
          out.push({ operation: op, where: "request", example });
        for (const res of op.responses) {
          for (const media of res.content)
            for (const example of media.examples)
              out.push({ operation: op, where: `${res.status} ${media.type}`, example });
          for (const header of res.headers)
            for (const example of header.examples)
              if (example.key)
                out.push({ operation: op, where: `${res.status} header ${header.name}`, example });
        }
      }
      return out;
    },
  };
  for (const id of Object.values(OPERATIONS)) operation(id);
  checkNames(model);
  return model;
}

/** Every constant of NAMES must be what the document says; a rename in the spec fails here. */
function checkNames(model: SpecModel): void {
  const create = model.operation(OPERATIONS.createImage);
  const accepted = create.responses.find((r) => r.status === 202) ?? fail("202 of createImage");
  const header = (name: string) =>
    accepted.headers.find((h) => h.name === name) ?? fail(`header ${name} on the createImage 202`);
  const standard = header(NAMES.standardVersionHeader);
  if (!String(standard.schema?.pattern ?? "").startsWith(`^${NAMES.serviceType} `))
    fail(`${NAMES.standardVersionHeader} pattern for service type ${NAMES.serviceType}`);
  header(NAMES.requestIdHeader);
  if (!header(NAMES.locationHeader).range) fail(`x-openstack range on ${NAMES.locationHeader}`);
  if (!create.parameters.some((p) => p.in === "header" && p.name === NAMES.legacyVersionHeader))
    fail(`${NAMES.legacyVersionHeader} request header parameter`);
  if (
    !model.securitySchemes.some(
      (s) => s.type === "apiKey" && s.in === "header" && s.name === NAMES.tokenHeader,
    )
  )
    fail(`apiKey security scheme in header ${NAMES.tokenHeader}`);
  if (!String(model.microversionPattern.source).includes(`|${NAMES.latest})`))
    fail(`"${NAMES.latest}" alternative in the Microversion pattern`);
  const action = model.schema(SCHEMAS.createImageAction);
  if (Object.keys(action.properties ?? {}).join() !== NAMES.actionKey)
    fail(`${SCHEMAS.createImageAction} with the one property ${NAMES.actionKey}`);
  if (!(NAMES.imageIdField in (model.schema(SCHEMAS.createImageResult).properties ?? {})))
    fail(`${NAMES.imageIdField} in ${SCHEMAS.createImageResult}`);
}

/** The response of an operation with this status; throws when the spec has none. */
export function responseOf(operation: Operation, status: number): Response {
  return (
    operation.responses.find((r) => r.status === status) ?? fail(`${status} response of ${operation.id}`)
  );
}
