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
  scenarios: Record<string, string>;
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
  return {
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
