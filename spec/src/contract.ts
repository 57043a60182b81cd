import { compareMicroversions, type VersionRange } from "./microversion.js";

// biome-ignore lint/suspicious/noExplicitAny: the bundled document is plain JSON, walked by key.
type Json = any;

/** A marked element of one response and the microversions it exists in. */
export interface Variant {
  /** e.g. `header:Location` or `body:application/json`. */
  element: string;
  range: VersionRange;
}

/**
 * The rules the contract states, read from the bundled document. The mock, the client's
 * generated constants and the tests take them from here, so each is written once, in the spec.
 */
export interface Contract {
  minMicroversion: string;
  maxMicroversion: string;
  /** The `Microversion` schema's pattern ("X.Y" or "latest"). */
  microversionPattern: RegExp;
  /** Fault key per status, from each error response's schema (e.g. 404 → itemNotFound). */
  faultKeys: Record<number, string>;
  /** The createImage 202 on /v2.1: which element carries the image ID in which range. */
  createImageVariants: Variant[];
  /** Statuses that exist only in a range on /v2.1 (e.g. 403 up to 2.38). */
  responseRanges: Record<number, VersionRange>;
  name: { minLength: number; maxBytes: number; pattern: RegExp };
  metadata: { keyPattern: RegExp; valueMaxLength: number; quotaMaxItems: number };
  maxBodyBytes: number;
  /** Request media types Nova reads as JSON (the spec's content types and `x-also-accepts`). */
  requestMediaTypes: string[];
  scenarios: Record<string, string>;
  /** Protocol names the spec states once; code reads them from here. */
  names: {
    /** Service type in `OpenStack-API-Version: <type> X.Y` (from that header's pattern). */
    serviceType: string;
    /** The keyword for the maximum (the word alternative of the `Microversion` pattern). */
    latest: string;
    /** The `apiKey` header that carries the token. */
    tokenHeader: string;
    standardVersionHeader: string;
    legacyVersionHeader: string;
    requestIdHeader: string;
    /** Headers that repeat the request ID (`x-also-sent-as`). */
    requestIdAliases: string[];
    locationHeader: string;
    /** The action key of the body (`createImage`) and the 2.45 body's ID field (`image_id`). */
    actionKey: string;
    imageIdField: string;
    /** The version `/v2` answers as (its version document's id without the `v`). */
    legacyV2Version: string;
    uuidPattern: RegExp;
  };
}

export const CREATE_IMAGE_PATH = "/v2.1/{project_id}/servers/{server_id}/action";
export const CREATE_IMAGE_LEGACY_PATH = "/v2/{project_id}/servers/{server_id}/action";

/** Resolves a local `#/components/...` reference. */
export function deref(doc: Json, node: Json): Json {
  let current = node;
  while (current && typeof current.$ref === "string") {
    const parts = current.$ref.replace(/^#\//, "").split("/");
    current = parts.reduce((n: Json, p: string) => n?.[p.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return current;
}

export function rangeOf(doc: Json, marked: Json): VersionRange | undefined {
  const mark = marked?.["x-openstack"];
  if (!mark) return undefined;
  return {
    min: mark["min-ver"] ?? doc.info["x-openstack-min-version"],
    max: mark["max-ver"] ?? doc.info.version,
  };
}

/** The marked variants (headers and body schemas) of one response. */
export function variantsOf(doc: Json, response: Json): Variant[] {
  const res = deref(doc, response);
  const out: Variant[] = [];
  for (const [name, header] of Object.entries(res.headers ?? {})) {
    const range = rangeOf(doc, deref(doc, header));
    if (range) out.push({ element: `header:${name}`, range });
  }
  for (const [type, media] of Object.entries<Json>(res.content ?? {})) {
    const range = rangeOf(doc, deref(doc, media.schema)) ?? rangeOf(doc, media);
    if (range) out.push({ element: `body:${type}`, range });
  }
  return out;
}

export function readContract(doc: Json): Contract {
  const op = doc.paths[CREATE_IMAGE_PATH].post;
  const faultKeys: Record<number, string> = {};
  const responseRanges: Record<number, VersionRange> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    const code = Number(status);
    const res = deref(doc, response);
    const range = rangeOf(doc, res);
    if (range) responseRanges[code] = range;
    const schema = deref(doc, res.content?.["application/json"]?.schema);
    if (code >= 400 && schema?.required?.length === 1 && code !== 401) faultKeys[code] = schema.required[0];
  }
  const schemas = doc.components.schemas;
  const name = schemas.ImageName;
  const metadata = schemas.ImageMetadata;
  const [keyPattern, value] = Object.entries<Json>(metadata.patternProperties)[0] ?? ["", undefined];
  const parameters = [...(doc.paths[CREATE_IMAGE_PATH].parameters ?? []), ...(op.parameters ?? [])];
  const serverParam = parameters.map((p: Json) => deref(doc, p)).find((p: Json) => p.name === "server_id");
  const must = <T>(value: T | undefined | null, what: string): T => {
    if (value === undefined || value === null || value === "") throw new Error(`the spec has no ${what}`);
    return value;
  };
  const accepted = deref(doc, op.responses["202"]);
  const headerNamed = (predicate: (name: string, header: Json) => boolean, what: string) =>
    must(
      Object.entries<Json>(accepted.headers ?? {}).find(([name, h]) => predicate(name, deref(doc, h)))?.[0],
      what,
    );
  const standardVersionHeader = headerNamed(
    (_, h) => /^\^[a-z]+ /.test(h.schema?.pattern ?? ""),
    "service-typed version header",
  );
  const requestIdHeader = headerNamed((_, h) => /\^req-/.test(h.schema?.pattern ?? ""), "request ID header");
  const requestIdSchema = deref(doc, accepted.headers[requestIdHeader]);
  const requestBody = deref(doc, op.requestBody);
  const legacyDoc = deref(doc, doc.paths["/v2/"]?.get?.responses?.["200"]);
  const legacyExample = deref(
    doc,
    Object.values<Json>(legacyDoc?.content?.["application/json"]?.examples ?? {})[0],
  );
  return {
    requestMediaTypes: [...Object.keys(requestBody.content), ...(requestBody["x-also-accepts"] ?? [])],
    names: {
      serviceType: must(
        /^\^([a-z]+) /.exec(deref(doc, accepted.headers[standardVersionHeader]).schema.pattern)?.[1],
        "service type",
      ),
      latest: must(
        /\|([a-z]+)\)\$$/.exec(schemas.Microversion.pattern)?.[1],
        "keyword alternative in Microversion.pattern",
      ),
      tokenHeader: must(
        Object.values<Json>(doc.components.securitySchemes).find(
          (s) => s.type === "apiKey" && s.in === "header",
        )?.name,
        "apiKey header security scheme",
      ),
      standardVersionHeader,
      legacyVersionHeader: must(
        parameters
          .map((p: Json) => deref(doc, p))
          .find((p: Json) => p.in === "header" && p.name !== standardVersionHeader)?.name,
        "legacy microversion header parameter",
      ),
      requestIdHeader,
      requestIdAliases: requestIdSchema["x-also-sent-as"] ?? [],
      locationHeader: headerNamed((_, h) => rangeOf(doc, h) !== undefined, "marked Location header"),
      // The body is one action key (Nova routes on it): more than one property is a broken spec.
      actionKey: must(
        Object.keys(schemas.CreateImageAction.properties).length === 1
          ? Object.keys(schemas.CreateImageAction.properties)[0]
          : undefined,
        "CreateImageAction with exactly one property",
      ),
      imageIdField: must(Object.keys(schemas.CreateImageResult.properties)[0], "image ID field"),
      legacyV2Version: must(legacyExample?.value?.version?.id, "/v2/ version document example").replace(
        /^v/,
        "",
      ),
      uuidPattern: new RegExp(schemas.Uuid.pattern),
    },
    minMicroversion: doc.info["x-openstack-min-version"],
    maxMicroversion: doc.info.version,
    microversionPattern: new RegExp(schemas.Microversion.pattern),
    faultKeys,
    createImageVariants: variantsOf(doc, op.responses["202"]).sort((a, b) =>
      compareMicroversions(a.range.min, b.range.min),
    ),
    responseRanges,
    name: {
      minLength: name.minLength,
      maxBytes: name["x-max-bytes"],
      pattern: new RegExp(name.pattern, "u"),
    },
    metadata: {
      keyPattern: new RegExp(keyPattern, "u"),
      valueMaxLength: value?.maxLength,
      quotaMaxItems: metadata["x-quota-max-properties"],
    },
    maxBodyBytes: deref(doc, op.requestBody)["x-max-body-bytes"],
    scenarios: serverParam["x-mock-scenarios"],
  };
}
