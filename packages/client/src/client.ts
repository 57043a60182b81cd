import createClient, { type Client } from "openapi-fetch";
import { EcsError } from "./errors.js";
import {
  ACCEPTED_STATUS,
  BAD_REQUEST_FAULT,
  type KnownMicroversion,
  LATEST,
  LEGACY_V2_VERSION,
  MAX_MICROVERSION,
  MICROVERSION_PATTERN,
  MIN_MICROVERSION,
  SERVICE_TYPE,
  TOKEN_HEADER,
  UUID_PATTERN,
} from "./generated/contract.js";
import type { components, operations, paths } from "./generated/openapi.js";
import { checkImage } from "./validate.js";

// Names the generated types check: renaming a path, header or field in the spec breaks the build here.
const V21_PATH = "/v2.1/{project_id}/servers/{server_id}/action" satisfies keyof paths;
const V2_PATH = "/v2/{project_id}/servers/{server_id}/action" satisfies keyof paths;
type CreateImageOp = operations["createImage"];
type VersionHeaders = Required<NonNullable<CreateImageOp["parameters"]["header"]>>;
type AcceptedHeaders = keyof components["responses"]["CreateImageAccepted"]["headers"];
const JSON_TYPE = "application/json" satisfies keyof CreateImageOp["requestBody"]["content"];
const VERSION_HEADER = "OpenStack-API-Version" satisfies keyof VersionHeaders & AcceptedHeaders;
const LEGACY_VERSION_HEADER = "X-OpenStack-Nova-API-Version" satisfies keyof VersionHeaders & AcceptedHeaders;
const REQUEST_ID_HEADER = "X-Openstack-Request-Id" satisfies AcceptedHeaders;
const LOCATION_HEADER = "Location" satisfies AcceptedHeaders;
const IMAGE_ID = "image_id" satisfies keyof components["schemas"]["CreateImageResult"];
const KEYSTONE_ERROR = "error" satisfies keyof components["schemas"]["KeystoneError"];

/** A microversion this client knows (`"2.1"` … max) or `"latest"` (the server's maximum). */
export type Microversion = KnownMicroversion | typeof LATEST;
/** The `createImage` action body, as the spec defines it. */
export type CreateImageAction = CreateImageOp["requestBody"]["content"][typeof JSON_TYPE];
/** The image to create: `{ name, metadata? }`. */
export type ImageInput = CreateImageAction["createImage"];
export type Version = components["schemas"]["Version"];
/** The openapi-fetch client over the spec's paths, with the token and headers of this client. */
export type RawClient = Client<paths>;

export interface CreateImageResult {
  /** UUID of the new image, from the body (2.45 and later) or the `Location` header (before, and /v2). */
  imageId: string;
  /** The microversion that answered (`"2.0"` on /v2). */
  microversion: string;
  /** The image's URL in the image service, when the answer carries one. */
  location?: string;
  requestId?: string;
}

export type CreateImageOptions = { signal?: AbortSignal } & (
  | { legacyV2?: false; microversion?: Microversion }
  /** The deprecated `/v2` endpoint: it has no microversions. */
  | { legacyV2: true; microversion?: never }
);

export type CallOptions = { signal?: AbortSignal };

interface BaseOptions {
  /** Endpoint without a version, e.g. `https://ecs.eu-de.otc.t-systems.com`. */
  baseUrl: string;
  projectId: string;
  /** Default for `createImage` (default: the minimum, sent explicitly). */
  microversion?: Microversion;
  fetch?: typeof fetch;
  /** Abort a call that has not finished after this many milliseconds. */
  timeoutMs?: number;
  /** Sent with every request; the client's own headers win. */
  headers?: Record<string, string>;
}

export type EcsClientOptions = BaseOptions &
  ({ token: string; getToken?: never } | { getToken: () => string | Promise<string>; token?: never });

export interface EcsClient {
  /** Creates an image from a server and resolves to its ID, the same shape on /v2 and every microversion. */
  createImage(serverId: string, image: ImageInput, options?: CreateImageOptions): Promise<CreateImageResult>;
  /** The version list (`GET /`). */
  versions(options?: CallOptions): Promise<Version[]>;
  /** The highest microversion up to `wanted` that both this client and the server support. */
  negotiate(wanted?: Microversion, options?: CallOptions): Promise<KnownMicroversion>;
  readonly raw: RawClient;
}

/** Orders "X.Y" strings by number ("2.9" < "2.10"); both are checked against the pattern first. */
const compare = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

const isConcrete = (v: unknown): v is string =>
  typeof v === "string" && v !== LATEST && MICROVERSION_PATTERN.test(v);

const invalid = (message: string, microversion?: string) =>
  new EcsError("invalid-request", message, { microversion });

/** Refuses a malformed microversion before anything is sent. */
function checkVersion(version: unknown): asserts version is string {
  if (typeof version !== "string" || !MICROVERSION_PATTERN.test(version)) {
    throw invalid(`Malformed microversion ${JSON.stringify(version)}: use "X.Y" or "${LATEST}"`);
  }
}

/** The answering microversion from the response headers (Nova sends both on every /v2.1 answer). */
function answeredVersion(res: Response): string | undefined {
  const standard = res.headers.get(VERSION_HEADER);
  if (standard?.startsWith(`${SERVICE_TYPE} `)) return standard.slice(SERVICE_TYPE.length + 1);
  return res.headers.get(LEGACY_VERSION_HEADER) ?? undefined;
}

/** An error answer (or a success the contract does not describe) as an `EcsError`: Nova's `{"<fault>": {code, message}}` or Keystone's `{"error": {…}}`. */
function httpError(res: Response, body: unknown, requested: string | undefined): EcsError {
  let fault: string | undefined;
  let message: string | undefined;
  if (body && typeof body === "object") {
    const [key] = Object.keys(body);
    const detail =
      key === undefined ? undefined : (body as Record<string, { message?: unknown; title?: unknown }>)[key];
    if (key !== undefined && detail && typeof detail.message === "string") {
      message = detail.message;
      fault = key === KEYSTONE_ERROR && typeof detail.title === "string" ? detail.title : key;
    }
  }
  return new EcsError(
    res.ok ? "invalid-response" : "http",
    message ?? (typeof body === "string" && body ? body : `HTTP ${res.status}`),
    {
      status: res.status,
      fault,
      requestId: res.headers.get(REQUEST_ID_HEADER) ?? undefined,
      microversion: answeredVersion(res) ?? requested,
      body,
    },
  );
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * Runs one request under the caller's signal and the client's timeout, and turns every way it can
 * fail without an answer into an `EcsError`. A plain timer plus one listener, because
 * `AbortSignal.timeout`/`any` keep signals alive until garbage collection and cost more per call.
 */
async function guard<T>(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  microversion: string | undefined,
  run: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const forward = () => controller?.abort(signal?.reason);
  if (timeoutMs !== undefined) {
    controller = new AbortController();
    timer = setTimeout(() => {
      timedOut = true;
      controller?.abort();
    }, timeoutMs);
    signal?.addEventListener("abort", forward);
    if (signal?.aborted) forward();
  }
  try {
    return await run(controller ? controller.signal : signal);
  } catch (error) {
    if (error instanceof EcsError) throw error;
    const kind = timedOut ? "timeout" : signal?.aborted ? "abort" : "network";
    // undici's "fetch failed" says nothing; its cause names the socket error (ECONNREFUSED, …).
    const reason = (error as { cause?: { message?: string } })?.cause?.message ?? String(error);
    throw new EcsError(kind, timedOut ? `No answer within ${timeoutMs} ms` : `${kind}: ${reason}`, {
      microversion,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forward);
  }
}

export function createEcsClient(options: EcsClientOptions): EcsClient {
  const { projectId, timeoutMs, token, getToken } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const defaultVersion = options.microversion ?? (MIN_MICROVERSION as KnownMicroversion);
  if (!projectId || (token === undefined && !getToken))
    throw invalid("projectId and token or getToken are required");
  const project = encodeURIComponent(projectId);
  const prefixOf = (path: string) => {
    const [head = "", tail = ""] = path.replace("{project_id}", project).split("{server_id}");
    return [baseUrl + head, tail] as const;
  };
  const v21 = prefixOf(V21_PATH);
  const v2 = prefixOf(V2_PATH);

  // Header objects are built once per microversion and handed to fetch as they are. Going through
  // Headers first makes names case-insensitive, so a caller's header can never double one of ours.
  const withHeaders = (init: HeadersInit | undefined, own: Record<string, string>) => {
    const headers = new Headers(init);
    for (const name in own) headers.set(name, own[name] as string);
    return Object.fromEntries(headers);
  };
  const tokenKey = TOKEN_HEADER.toLowerCase();
  const base = withHeaders(options.headers, { "Content-Type": JSON_TYPE, Accept: JSON_TYPE });
  // With getToken, each call sets this key afresh, replacing any caller value.
  if (token !== undefined) base[tokenKey] = token;
  const byVersion = new Map<string, Record<string, string>>();
  const headersFor = (version: string | undefined): Record<string, string> => {
    const key = version ?? "";
    let headers = byVersion.get(key);
    if (headers) return headers;
    if (version === undefined) headers = base;
    else {
      checkVersion(version);
      const versionHeaders: VersionHeaders = {
        [VERSION_HEADER]: `${SERVICE_TYPE} ${version}`,
        [LEGACY_VERSION_HEADER]: version,
      };
      headers = withHeaders(base, versionHeaders);
    }
    if (byVersion.size < 64) byVersion.set(key, headers);
    return headers;
  };

  const currentToken = async (microversion?: string): Promise<string | undefined> => {
    if (!getToken) return token;
    try {
      return await getToken();
    } catch (error) {
      throw new EcsError("token", "getToken() failed", { microversion, cause: error });
    }
  };

  const raw = createClient<paths>({
    baseUrl,
    // fetch(request, { signal }) replaces the request's signal with the guarded one (which follows it).
    fetch: (request: Request) =>
      guard(request.signal, timeoutMs, undefined, (signal) => fetchImpl(request, signal ? { signal } : {})),
    headers: options.headers ?? {},
  });
  raw.use({
    async onRequest({ request }) {
      const value = await currentToken();
      if (value !== undefined) request.headers.set(TOKEN_HEADER, value);
      return request;
    },
  });

  async function createImage(
    serverId: string,
    image: ImageInput,
    call: CreateImageOptions = {},
  ): Promise<CreateImageResult> {
    const legacy = call.legacyV2 === true;
    if (legacy && call.microversion !== undefined) throw invalid("/v2 has no microversions");
    const requested = legacy ? undefined : (call.microversion ?? defaultVersion);
    let headers = headersFor(requested);
    if (!UUID_PATTERN.test(serverId)) {
      throw invalid(`serverId must be a UUID, not ${JSON.stringify(serverId)}`, requested);
    }
    const problem = checkImage(image);
    // The fault the service would answer, so callers branch the same way on both refusals.
    if (problem)
      throw new EcsError("invalid-request", problem, { microversion: requested, fault: BAD_REQUEST_FAULT });
    if (getToken) headers = { ...headers, [tokenKey]: (await currentToken(requested)) as string };
    const [head, tail] = legacy ? v2 : v21;
    // checkImage() allowed only the spec's keys, so the caller's object is the action's value as is.
    const action = JSON.stringify({ createImage: image } satisfies CreateImageAction);

    return guard(call.signal, timeoutMs, requested, async (signal) => {
      const res = await fetchImpl(head + encodeURIComponent(serverId) + tail, {
        method: "POST",
        headers,
        body: action,
        ...(signal ? { signal } : {}),
      });
      const text = await res.text();
      const body = text ? parse(text) : undefined;
      if (res.status !== ACCEPTED_STATUS) throw httpError(res, body ?? text, requested);
      const microversion = legacy ? LEGACY_V2_VERSION : (answeredVersion(res) ?? (requested as string));
      const location = res.headers.get(LOCATION_HEADER) ?? undefined;
      const requestId = res.headers.get(REQUEST_ID_HEADER) ?? undefined;
      // By what the answer carries: a JSON body with image_id (2.45 on), else Location's last segment.
      let imageId = (body as Record<string, unknown> | null | undefined)?.[IMAGE_ID];
      if (imageId === undefined && location) imageId = location.slice(location.lastIndexOf("/") + 1);
      if (typeof imageId !== "string" || !UUID_PATTERN.test(imageId)) {
        throw new EcsError("invalid-response", "No image UUID in the body or Location", {
          status: res.status,
          requestId,
          microversion,
          body,
        });
      }
      const result: CreateImageResult = { imageId, microversion };
      if (location) result.location = location;
      if (requestId) result.requestId = requestId;
      return result;
    });
  }

  /** openapi-fetch's `{ data, error, response }` as a value or an `EcsError`. */
  function unwrap<T>(outcome: { data?: T; error?: unknown; response: Response }): NonNullable<T> {
    if (outcome.data != null) return outcome.data;
    throw httpError(outcome.response, outcome.error, undefined);
  }

  async function versions(call: CallOptions = {}): Promise<Version[]> {
    const list = unwrap(await raw.GET("/", call)).versions;
    if (Array.isArray(list)) return list;
    throw new EcsError("invalid-response", "No version list", { body: list });
  }

  async function negotiate(
    wanted: Microversion = LATEST,
    call: CallOptions = {},
  ): Promise<KnownMicroversion> {
    checkVersion(wanted);
    const document = unwrap(await raw.GET("/v2.1/", call)).version;
    const min = document?.min_version;
    const max = document?.version;
    if (!isConcrete(min) || !isConcrete(max)) {
      throw new EcsError("invalid-response", "No microversion range", { body: document });
    }
    const want = wanted === LATEST ? MAX_MICROVERSION : wanted;
    const pick = compare(want, max) > 0 ? max : want;
    if (compare(want, min) < 0 || compare(pick, MIN_MICROVERSION) < 0) {
      throw new EcsError(
        "version",
        `No common microversion up to ${want}: server ${min}-${max}, client ${MIN_MICROVERSION}-${MAX_MICROVERSION}`,
      );
    }
    return pick as KnownMicroversion;
  }

  return { createImage, versions, negotiate, raw };
}
