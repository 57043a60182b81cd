// The one request path: credentials (token header or signature), timeout, retries and the refresh on
// 401 are written here once; createImage, the other calls, the password login and `raw` all send
// through `createTransport(...).send`.
import { EcsError } from "./errors.js";

/** A request as the transport sends it (and as an AK/SK signer sees it). */
export interface Outgoing {
  method: string;
  /** Absolute. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SendPolicy {
  /** Reads: retried on connection errors, 429 and 5xx. createImage is never idempotent. */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  /** For error details only. */
  microversion?: string | undefined;
  /** false: send without credentials (the login itself, version documents). */
  authenticate?: boolean;
}

/** An answer with its body read (under the same timeout as the request). */
export interface Answer {
  response: Response;
  text: string;
}

export type Send = (request: Outgoing, policy: SendPolicy) => Promise<Answer>;

/** What a service needs: where it is, for which project. */
export type Service = "compute" | "image" | "identity";

/** What an authenticator may know besides credentials (a password login learns both). */
export interface Session {
  projectId?: string | undefined;
  /** A service's endpoint from the token's catalog (public, in the region when one is given). */
  endpoint?: ((service: Service, region: string | undefined) => string | undefined) | undefined;
}

export interface CatalogEntry {
  type: string;
  endpoints: readonly { interface: string; region: string; region_id?: string; url: string }[];
}

/** What `createEcsClient` hands an authenticator: the transport (without credentials) and the endpoints. */
export interface AuthContext {
  send: Send;
  /** The identity endpoint the client knows (explicit or the region's), if any. */
  identityUrl: string | undefined;
  region: string | undefined;
}

/**
 * A way to authenticate every request. `@ecs-api/client/password` and `@ecs-api/client/aksk` make
 * one; a token is built in. Separate entry points keep login and signing out of a token-only bundle.
 */
export interface Authenticator {
  /**
   * The headers that authenticate this request (called once per attempt). A credential at hand (a
   * cached token) may come back as is, without a promise: the transport then sends without waiting.
   */
  headers(request: Outgoing, context: AuthContext): Record<string, string> | Promise<Record<string, string>>;
  /** After a 401: forget the cached credential. True when another attempt may succeed. */
  invalidate?(): boolean;
  /** The project and catalog, when the authenticator knows them (a password login). */
  session?(context: AuthContext): Promise<Session>;
}

export interface RetryOptions {
  /** Further attempts after the first, for reads (default 3). 0 turns retries off. */
  attempts?: number;
  /** First backoff delay; doubled each attempt, with jitter (default 250 ms). */
  baseDelayMs?: number;
  /** No wait is longer, Retry-After included (default 10 s). */
  maxDelayMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** What a credential in a header may hold (tokens and keys are ASCII); fetch throws a bare TypeError past 0xFF. */
export const HEADER_SAFE = /^[\x20-\x7e]*$/;

/** Resolves after `ms`, or rejects as `abort` when the signal fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(new EcsError("abort", "Aborted", { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    if (signal?.aborted) abort();
    else signal?.addEventListener("abort", abort, { once: true });
  });
}

/** Retry-After in ms: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Runs one request under the caller's signal and the timeout, and turns every way it can fail
 * without an answer into an `EcsError`. A plain timer plus one listener, because
 * `AbortSignal.timeout`/`any` keep signals alive until garbage collection and cost more per call.
 */
export async function guard<T>(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  microversion: string | undefined,
  run: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const forward = () => controller?.abort(signal?.reason);
  if (timeoutMs) {
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

export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number | undefined;
  retry: RetryOptions | undefined;
  auth: Authenticator | undefined;
  /** Filled in by the client once endpoints are known. */
  context: () => AuthContext;
}

export function createTransport({
  fetch: fetchImpl,
  timeoutMs,
  retry = {},
  auth,
  context,
}: TransportOptions) {
  const { attempts = 3, baseDelayMs = 250, maxDelayMs = 10_000 } = retry;
  const backoff = (attempt: number) =>
    Math.min(maxDelayMs, baseDelayMs * 2 ** attempt * (0.5 + Math.random() / 2));

  // The merge of a request's headers with the authenticator's, kept while both objects stay the
  // same (a cached token's and a call's prebuilt ones) instead of copied for every call.
  let mergedBase: Record<string, string> | undefined;
  let mergedExtra: Record<string, string> | undefined;
  let merged: Record<string, string> = {};

  const send: Send = async (request, policy) => {
    const { signal, microversion, idempotent } = policy;
    const withAuth = auth && policy.authenticate !== false ? auth : undefined;
    let refreshed = false;
    for (let attempt = 0; ; ) {
      let headers = request.headers;
      if (withAuth) {
        let extra: Record<string, string>;
        try {
          // Headers at hand (a cached token) come without a promise and are used without a wait.
          const given = withAuth.headers(request, context());
          extra =
            typeof (given as PromiseLike<unknown>).then === "function"
              ? await given
              : (given as typeof extra);
        } catch (error) {
          // The authenticator's own failure (Web Crypto refusing an empty secret key, a custom one
          // throwing) is typed here, so no bare DOMException or TypeError leaves the client.
          if (error instanceof EcsError) throw error;
          throw new EcsError(
            "token",
            `Could not authenticate the request: ${(error as Error)?.message ?? error}`,
            {
              cause: error,
            },
          );
        }
        if (mergedBase !== headers || mergedExtra !== extra) {
          mergedBase = headers;
          mergedExtra = extra;
          merged = { ...headers, ...extra };
        }
        headers = merged;
      }
      const init: RequestInit = { method: request.method, headers };
      if (request.body !== undefined) init.body = request.body;
      let res: Response;
      let text: string;
      try {
        // The body is read under the timeout too: a body that never ends is no answer.
        [res, text] = await guard(signal, timeoutMs, microversion, async (s) => {
          const answer = await fetchImpl(request.url, s ? { ...init, signal: s } : init);
          return [answer, await answer.text()] as const;
        });
      } catch (error) {
        // A POST that failed on the way may have reached the server: only reads are sent again.
        if (idempotent && (error as EcsError).kind === "network" && attempt < attempts) {
          await sleep(backoff(attempt++), signal);
          continue;
        }
        throw error;
      }
      // A 401 is the gateway's or keystonemiddleware's answer before the service acts, so even
      // createImage is safe to repeat once with a fresh token.
      if (res.status === 401 && !refreshed && withAuth?.invalidate?.()) {
        refreshed = true;
        continue;
      }
      if (idempotent && (res.status === 429 || res.status >= 500) && attempt < attempts) {
        const wait = retryAfterMs(res.headers.get("Retry-After"));
        await sleep(Math.min(maxDelayMs, wait ?? backoff(attempt)), signal);
        attempt++;
        continue;
      }
      return { response: res, text };
    }
  };
  return send;
}
