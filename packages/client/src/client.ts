import {
  type Endpoints,
  normaliseCompute,
  normaliseIdentity,
  normaliseImage,
  type Region,
  regionUrl,
} from "./endpoints.js";
import { EcsError, type EcsErrorDetails } from "./errors.js";
import {
  ACCEPTED_STATUS,
  BAD_REQUEST_FAULT,
  IMAGE_ACTIVE,
  IMAGE_FAILED,
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
import { lazyRaw, type RawClient } from "./raw.js";
import {
  type AuthContext,
  type Authenticator,
  createTransport,
  DEFAULT_TIMEOUT_MS,
  HEADER_SAFE,
  type Outgoing,
  type RetryOptions,
  type Service,
  type Session,
  sleep,
} from "./transport.js";
import { checkImage } from "./validate.js";

// Names the generated types check: renaming a path, header or field in the spec breaks the build here.
const V21_PATH = "/v2.1/{project_id}/servers/{server_id}/action" satisfies keyof paths;
const V2_PATH = "/v2/{project_id}/servers/{server_id}/action" satisfies keyof paths;
const SERVER_PATH = "/v2.1/{project_id}/servers/{server_id}" satisfies keyof paths;
const IMAGE_PATH = "/v2/images/{image_id}" satisfies keyof paths;
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
export type { RawClient } from "./raw.js";

export interface CreateImageResult {
  /** UUID of the new image, from the body (2.45 and later) or the `Location` header (before, and /v2). */
  imageId: string;
  /** The microversion that answered (`"2.0"` on /v2). */
  microversion: string;
  /** The image's URL in the image service, when the answer carries one. */
  location?: string;
  requestId?: string;
}

export type Image = components["schemas"]["Image"];
export type ImageStatus = components["schemas"]["ImageStatus"];
export type Server = components["schemas"]["Server"];
export type TaskState = components["schemas"]["ServerTaskState"];

export interface WaitProgress {
  status: ImageStatus;
  /** The server's `OS-EXT-STS:task_state` (when the server is known), `null` when it is done. */
  taskState?: TaskState | undefined;
  image: Image;
}

export interface WaitOptions {
  /** Between two polls (default 2000 ms). */
  intervalMs?: number;
  /** The whole wait; then it rejects with kind `wait-timeout` (default 15 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called after every poll. */
  onProgress?: (progress: WaitProgress) => void;
  /** The server being snapshotted: its task_state is read for `onProgress`. */
  serverId?: string;
}

export type CreateImageOptions = {
  signal?: AbortSignal;
  /** Poll the image service until the image is `active` (true: the defaults of `waitForImage`). */
  wait?: boolean | Omit<WaitOptions, "serverId">;
} & (
  | { legacyV2?: false; microversion?: Microversion }
  /** The deprecated `/v2` endpoint: it has no microversions. */
  | { legacyV2: true; microversion?: never }
);

export type CallOptions = { signal?: AbortSignal };

interface BaseOptions {
  /** `eu-de` or `eu-nl`: each service at the spec's URL for the region (unless the catalog or `endpoints` say otherwise). */
  region?: Region;
  /** The project; taken from the login or the compute endpoint when not given. */
  projectId?: string;
  /** Default for compute calls (default: the minimum, sent explicitly). */
  microversion?: Microversion;
  fetch?: typeof fetch;
  /** Abort a request that has not finished after this many milliseconds (default 30 s; 0: never). */
  timeoutMs?: number;
  /** Retries of reads on connection errors, 429 and 5xx. createImage is never retried once sent. */
  retry?: RetryOptions;
  /** Sent with every request; the client's own headers win. */
  headers?: Record<string, string>;
}

/** The compute endpoint as `baseUrl` or as `endpoints.compute`, not both. */
type EndpointOptions =
  | {
      /** The compute endpoint without a version, e.g. `https://ecs.eu-de.otc.t-systems.com` (same as `endpoints.compute`). */
      baseUrl?: string;
      /** Explicit endpoints per service (`mockEndpoints(url)` for the mock); they win over catalog and region. */
      endpoints?: Omit<Endpoints, "compute"> & { compute?: never };
    }
  | { baseUrl?: never; endpoints?: Endpoints };

export type EcsClientOptions = BaseOptions &
  EndpointOptions &
  (
    | { token: string; getToken?: never; auth?: never }
    | { getToken: () => string | Promise<string>; token?: never; auth?: never }
    /** `passwordAuth(...)` from `@ecs-api/client/password`, `akskAuth(...)` from `@ecs-api/client/aksk`. */
    | { auth: Authenticator; token?: never; getToken?: never }
  );

export interface EcsClient {
  /** Creates an image from a server and resolves to its ID, the same shape on /v2 and every microversion. */
  createImage(
    serverId: string,
    image: ImageInput,
    options: CreateImageOptions & { wait: true | Omit<WaitOptions, "serverId"> },
  ): Promise<CreateImageResult & { image: Image }>;
  createImage(serverId: string, image: ImageInput, options?: CreateImageOptions): Promise<CreateImageResult>;
  /** Polls the image until `active`; a 404 or `killed`/`deleted` rejects with kind `snapshot-failed`. */
  waitForImage(imageId: string, options?: WaitOptions): Promise<Image>;
  getImage(imageId: string, options?: CallOptions): Promise<Image>;
  deleteImage(imageId: string, options?: CallOptions): Promise<void>;
  getServer(serverId: string, options?: CallOptions): Promise<Server>;
  /** The version list (`GET /`). */
  versions(options?: CallOptions): Promise<Version[]>;
  /** The highest microversion up to `wanted` that both this client and the server support. */
  negotiate(wanted?: Microversion, options?: CallOptions): Promise<KnownMicroversion>;
  readonly raw: RawClient;
}

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

/**
 * An error answer (or a success the contract does not describe) as an `EcsError`: Nova's
 * `{"<fault>": {code, message}}`, Keystone's `{"error": {…}}`, Glance's flat `{code, title, message}`
 * or the API gateway's `{error_msg, error_code, request_id}`.
 */
function httpError(res: Response, body: unknown, requested: string | undefined): EcsError {
  let fault: string | undefined;
  let message: string | undefined;
  let gatewayRequestId: string | undefined;
  if (body && typeof body === "object") {
    const [key] = Object.keys(body);
    const detail =
      key === undefined ? undefined : (body as Record<string, { message?: unknown; title?: unknown }>)[key];
    const flat = body as {
      message?: unknown;
      error_msg?: unknown;
      error_code?: unknown;
      request_id?: unknown;
    };
    if (key !== undefined && detail && typeof detail.message === "string") {
      message = detail.message;
      fault = key === KEYSTONE_ERROR && typeof detail.title === "string" ? detail.title : key;
    } else if (typeof flat.error_msg === "string") {
      message = flat.error_msg;
      if (typeof flat.error_code === "string") fault = flat.error_code;
      if (typeof flat.request_id === "string") gatewayRequestId = flat.request_id;
    } else if (typeof flat.message === "string") {
      // Glance's message is HTML-ish text; the first line is the sentence.
      message = flat.message.replace(/<br\s*\/?>[\s\S]*$/, "").trim();
    }
  }
  return new EcsError(
    res.ok ? "invalid-response" : "http",
    message ?? (typeof body === "string" && body ? body : "The answer has no error message"),
    {
      status: res.status,
      fault,
      requestId: res.headers.get(REQUEST_ID_HEADER) ?? gatewayRequestId,
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

/** The body of an answer: JSON when it parses, else its text (undefined when empty). */
const bodyOf = (text: string): unknown => (text ? parse(text) : undefined);

export function createEcsClient(options: EcsClientOptions): EcsClient {
  const { token, getToken, region } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const defaultVersion = options.microversion ?? (MIN_MICROVERSION as KnownMicroversion);
  if (options.projectId === "") throw invalid("projectId is empty");
  if (token === undefined && !getToken && !options.auth) throw invalid("token, getToken or auth is required");
  const explicit: Endpoints = { ...options.endpoints };
  if (options.baseUrl !== undefined) {
    // Untyped callers: two compute endpoints would leave one silently unused.
    if (explicit.compute !== undefined) {
      throw new EcsError("endpoint", "baseUrl and endpoints.compute are both given: pass one of them");
    }
    explicit.compute = options.baseUrl;
  }
  // A compute URL with /v2.1/<project> is normalised now, so a mismatch fails at once.
  const givenCompute =
    explicit.compute === undefined ? undefined : normaliseCompute(explicit.compute, options.projectId);
  const identityUrl =
    explicit.identity !== undefined
      ? normaliseIdentity(explicit.identity)
      : region !== undefined
        ? regionUrl("identity", region)
        : undefined;

  // Header objects are built once per microversion and handed to fetch as they are. Going through
  // Headers first makes names case-insensitive, so a caller's header can never double one of ours.
  const withHeaders = (init: HeadersInit | undefined, own: Record<string, string>) => {
    const headers = new Headers(init);
    for (const name in own) headers.set(name, own[name] as string);
    return Object.fromEntries(headers);
  };
  const tokenKey = TOKEN_HEADER.toLowerCase();
  // fetch would throw a bare TypeError for these, and only at the first request; neither message
  // quotes the value, which may be a secret.
  if (token !== undefined && !HEADER_SAFE.test(token)) {
    throw invalid(`token must be printable ASCII: it is sent as the ${TOKEN_HEADER} header`);
  }
  let base: Record<string, string>;
  try {
    base = withHeaders(options.headers, { "Content-Type": JSON_TYPE, Accept: JSON_TYPE });
  } catch (error) {
    throw new EcsError("invalid-request", "headers: a name or value cannot be sent in an HTTP header", {
      cause: error,
    });
  }
  // A fixed token is part of the prebuilt headers; getToken and auth set theirs per attempt.
  if (token !== undefined) base[tokenKey] = token;
  else delete base[tokenKey];
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

  const auth: Authenticator | undefined =
    options.auth ??
    (getToken && {
      async headers() {
        let value: unknown;
        try {
          value = await getToken();
        } catch (error) {
          throw new EcsError("token", "getToken() failed", { cause: error });
        }
        if (typeof value !== "string" || !HEADER_SAFE.test(value)) {
          throw new EcsError("token", `getToken() must return printable ASCII (the ${TOKEN_HEADER} header)`);
        }
        return { [TOKEN_HEADER]: value };
      },
      // getToken is asked again after a 401: it may hand out a refreshed token.
      invalidate: () => true,
    });
  const context = (): AuthContext => ({ send: sendBare, identityUrl, region });
  const send = createTransport({ fetch: fetchImpl, timeoutMs, retry: options.retry, auth, context });
  const sendBare = createTransport({
    fetch: fetchImpl,
    timeoutMs,
    retry: options.retry,
    auth: undefined,
    context,
  });

  // Resolved once, on first use; a failure is not cached, so the next call tries again.
  const once = <T>(make: () => Promise<T>) => {
    let pending: Promise<T> | undefined;
    return () => {
      pending ??= make().catch((error) => {
        pending = undefined;
        throw error;
      });
      return pending;
    };
  };
  const session = once(async (): Promise<Session> => (auth?.session ? auth.session(context()) : {}));
  const fromSession = async (service: Service, normalise: (url: string) => string): Promise<string> => {
    const found = (await session()).endpoint?.(service, region);
    if (found !== undefined) return normalise(found);
    if (region !== undefined) return regionUrl(service, region);
    throw new EcsError(
      "endpoint",
      `No ${service} endpoint: pass region ("eu-de" or "eu-nl"), endpoints.${service}, or log in with passwordAuth (the token's catalog)`,
    );
  };
  // The endpoint first (version documents need no project), then the project for everything else.
  const computeUrl = once(async () => {
    if (givenCompute) return givenCompute;
    return normaliseCompute(await fromSession("compute", (u) => u), options.projectId);
  });
  const compute = once(async () => {
    const { url, projectId: named } = await computeUrl();
    const given = options.projectId ?? named;
    const credited = (await session()).projectId;
    // A request for one project signed or scoped for another: the service would refuse it (403)
    // after the fact; say which two differ before anything is sent.
    if (given !== undefined && credited !== undefined && given !== credited) {
      throw new EcsError("invalid-request", `projectId ${given} is not the credentials' project ${credited}`);
    }
    const projectId = given ?? credited;
    if (!projectId) {
      throw new EcsError(
        "endpoint",
        "No project ID: pass projectId, or log in with passwordAuth scoped to a project",
      );
    }
    return { url, projectId, project: encodeURIComponent(projectId) };
  });
  const image = once(async () =>
    explicit.image !== undefined ? normaliseImage(explicit.image) : fromSession("image", normaliseImage),
  );
  const endpointOf = async (service: Service): Promise<string> => {
    if (service === "compute") return (await computeUrl()).url;
    if (service === "image") return image();
    if (identityUrl === undefined)
      throw new EcsError(
        "endpoint",
        'No identity endpoint: pass region ("eu-de" or "eu-nl") or endpoints.identity',
      );
    return identityUrl;
  };

  /**
   * A read of JSON that must answer `status`, as an `EcsError` otherwise. `answer` is the status and
   * request ID of the answer, for the errors a caller raises about its content.
   */
  async function read<T>(
    request: Outgoing,
    status: number,
    call: CallOptions,
    microversion?: string,
  ): Promise<{ body: T; answer: EcsErrorDetails }> {
    const { response: res, text } = await send(request, {
      idempotent: true,
      signal: call.signal,
      microversion,
    });
    const body = bodyOf(text);
    if (res.status !== status) throw httpError(res, body, microversion);
    return {
      body: body as T,
      answer: { status: res.status, requestId: res.headers.get(REQUEST_ID_HEADER) ?? undefined, body },
    };
  }

  // Loaded with openapi-fetch on first use, so a consumer without `raw` bundles neither.
  const raw = lazyRaw(async () =>
    (await import("./raw-client.js")).createRawClient({
      send,
      endpointOf,
      versionHeaders: () => headersFor(defaultVersion),
      defaultVersion,
      versionHeader: VERSION_HEADER.toLowerCase(),
      tokenHeader: tokenKey,
      token,
      headers: options.headers ?? {},
    }),
  );

  async function createImage(
    serverId: string,
    imageInput: ImageInput,
    call: CreateImageOptions = {},
  ): Promise<CreateImageResult & { image?: Image }> {
    const legacy = call.legacyV2 === true;
    if (legacy && call.microversion !== undefined) throw invalid("/v2 has no microversions");
    const requested = legacy ? undefined : (call.microversion ?? defaultVersion);
    const headers = headersFor(requested);
    if (!UUID_PATTERN.test(serverId)) {
      throw invalid(`serverId must be a UUID, not ${JSON.stringify(serverId)}`, requested);
    }
    const problem = await checkImage(imageInput);
    // The fault the service would answer, so callers branch the same way on both refusals.
    if (problem)
      throw new EcsError("invalid-request", problem, { microversion: requested, fault: BAD_REQUEST_FAULT });
    const { url, project } = await compute();
    const path = (legacy ? V2_PATH : V21_PATH)
      .replace("{project_id}", project)
      .replace("{server_id}", encodeURIComponent(serverId));
    // checkImage() allowed only the spec's keys, so the caller's object is the action's value as is.
    const action = JSON.stringify({ createImage: imageInput } satisfies CreateImageAction);
    // Not idempotent: every accepted call makes an image, so this is never sent twice (but a 401 is).
    const { response: res, text } = await send(
      { method: "POST", url: url + path, headers, body: action },
      { idempotent: false, signal: call.signal, microversion: requested },
    );
    const body = bodyOf(text);
    if (res.status !== ACCEPTED_STATUS) throw httpError(res, body, requested);
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
    const result: CreateImageResult & { image?: Image } = { imageId, microversion };
    if (location) result.location = location;
    if (requestId) result.requestId = requestId;
    if (call.wait) {
      const wait: WaitOptions = call.wait === true ? {} : { ...call.wait };
      if (call.signal && !wait.signal) wait.signal = call.signal;
      result.image = await waitForImage(imageId, { ...wait, serverId });
    }
    return result;
  }

  async function readImage(imageId: string, call: CallOptions) {
    const url = (await image()) + IMAGE_PATH.replace("{image_id}", encodeURIComponent(imageId));
    return read<Image>({ method: "GET", url, headers: base }, 200, call);
  }

  async function getImage(imageId: string, call: CallOptions = {}): Promise<Image> {
    return (await readImage(imageId, call)).body;
  }

  async function deleteImage(imageId: string, call: CallOptions = {}): Promise<void> {
    const url = (await image()) + IMAGE_PATH.replace("{image_id}", encodeURIComponent(imageId));
    const { response, text } = await send(
      { method: "DELETE", url, headers: base },
      { idempotent: true, signal: call.signal },
    );
    if (response.status !== 204) throw httpError(response, bodyOf(text), undefined);
  }

  async function getServer(serverId: string, call: CallOptions = {}): Promise<Server> {
    const { url, project } = await compute();
    const path = SERVER_PATH.replace("{project_id}", project).replace(
      "{server_id}",
      encodeURIComponent(serverId),
    );
    const { body, answer } = await read<{ server?: Server }>(
      { method: "GET", url: url + path, headers: headersFor(defaultVersion) },
      200,
      call,
      defaultVersion,
    );
    if (body?.server) return body.server;
    throw new EcsError("invalid-response", "No server in the answer", answer);
  }

  async function waitForImage(imageId: string, wait: WaitOptions = {}): Promise<Image> {
    // The poller is a chunk of its own, as `raw` is: a consumer that never waits does not download it.
    const { pollImage } = await import("./wait.js");
    const context = { readImage, getServer, sleep, EcsError, active: IMAGE_ACTIVE, failed: IMAGE_FAILED };
    return pollImage(context, imageId, wait);
  }

  /** A version document of the compute endpoint (unversioned, as Nova serves them). */
  async function versionDocument<T>(path: "/" | "/v2.1/", call: CallOptions) {
    return read<T>({ method: "GET", url: (await computeUrl()).url + path, headers: base }, 200, call);
  }

  async function versions(call: CallOptions = {}): Promise<Version[]> {
    const { body, answer } = await versionDocument<{ versions?: unknown } | undefined>("/", call);
    if (Array.isArray(body?.versions)) return body.versions;
    throw new EcsError("invalid-response", "No version list", answer);
  }

  async function negotiate(
    wanted: Microversion = LATEST,
    call: CallOptions = {},
  ): Promise<KnownMicroversion> {
    checkVersion(wanted);
    const { body, answer } = await versionDocument<{ version?: Version } | undefined>("/v2.1/", call);
    // The choice is a chunk of its own, with the spec's microversion module: only callers of
    // negotiate() download it.
    const { pickMicroversion } = await import("./negotiate.js");
    return pickMicroversion(wanted === LATEST ? MAX_MICROVERSION : wanted, body?.version, answer, {
      EcsError,
      client: { min: MIN_MICROVERSION, max: MAX_MICROVERSION },
    });
  }

  return {
    createImage: createImage as EcsClient["createImage"],
    waitForImage,
    getImage,
    deleteImage,
    getServer,
    versions,
    negotiate,
    raw,
  };
}
