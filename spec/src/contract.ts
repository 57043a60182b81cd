// `loadContract()`'s view of the model: the rules the mock, the client's generated constants, the
// docs and the tests read, each taken from one place of the model (and so of the spec).
import type { VersionRange } from "./microversion.js";
import { responseOf, type SpecModel, type Variant } from "./model.js";
import { NAMES, OPERATIONS, SCHEMAS } from "./names.js";

export type { Variant } from "./model.js";

/**
 * The rules the contract states, read from the model. The mock, the client's generated constants
 * and the tests take them from here, so each is written once, in the spec.
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
  /** Protocol names (the constants of names.ts, checked against the spec) and what the spec derives. */
  names: typeof NAMES & {
    /** Headers that repeat the request ID (`x-also-sent-as`). */
    requestIdAliases: string[];
    /** The version `/v2` answers as (its version document's id without the `v`). */
    legacyV2Version: string;
    uuidPattern: RegExp;
  };
}

export const CREATE_IMAGE_PATH = "/v2.1/{project_id}/servers/{server_id}/action";
export const CREATE_IMAGE_LEGACY_PATH = "/v2/{project_id}/servers/{server_id}/action";

export function contractOf(model: SpecModel): Contract {
  const op = model.operation(OPERATIONS.createImage);
  const faultKeys: Record<number, string> = {};
  const responseRanges: Record<number, VersionRange> = {};
  for (const res of op.responses) {
    if (res.range) responseRanges[res.status] = res.range;
    // keystonemiddleware's 401 ({"error": …}) is not a Nova fault.
    if (res.faultKey && res.status !== 401) faultKeys[res.status] = res.faultKey;
  }
  const name = model.schema(SCHEMAS.imageName);
  const metadata = model.schema(SCHEMAS.imageMetadata);
  const [keyPattern = "", value] =
    Object.entries<{ maxLength: number }>(metadata.patternProperties ?? {})[0] ?? [];
  const accepted = responseOf(op, 202);
  const requestId = accepted.headers.find((h) => h.name === NAMES.requestIdHeader);
  const legacyDoc = responseOf(model.operation(OPERATIONS.showVersionV2), 200).content[0]?.examples[0]
    ?.value as { version?: { id?: string } } | undefined;
  const legacyV2Version = legacyDoc?.version?.id?.replace(/^v/, "");
  if (!legacyV2Version) throw new Error("the spec has no /v2/ version document example");
  const serverParam = op.parameters.find((p) => p.extensions["x-mock-scenarios"]);
  const body = op.requestBody;
  if (!body?.maxBytes) throw new Error("the spec has no x-max-body-bytes on createImage");
  return {
    minMicroversion: model.minMicroversion,
    maxMicroversion: model.maxMicroversion,
    microversionPattern: model.microversionPattern,
    faultKeys,
    createImageVariants: accepted.variants,
    responseRanges,
    name: {
      minLength: name.minLength,
      maxBytes: name["x-max-bytes"],
      pattern: new RegExp(name.pattern, "u"),
    },
    metadata: {
      keyPattern: new RegExp(keyPattern, "u"),
      valueMaxLength: Number(value?.maxLength),
      quotaMaxItems: metadata["x-quota-max-properties"],
    },
    maxBodyBytes: body.maxBytes,
    requestMediaTypes: body.mediaTypes,
    scenarios: (serverParam?.extensions["x-mock-scenarios"] ?? {}) as Record<string, string>,
    names: {
      ...NAMES,
      requestIdAliases: (requestId?.extensions["x-also-sent-as"] as string[] | undefined) ?? [],
      legacyV2Version,
      uuidPattern: new RegExp(model.schema(SCHEMAS.uuid).pattern),
    },
  };
}
