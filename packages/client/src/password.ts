// `@ecs-api/client/password`: log in to IAM (Keystone v3) with a user's password. A separate entry
// point, so a token-only consumer does not bundle the login.
import { fromCatalog, normaliseIdentity } from "./endpoints.js";
import { EcsError } from "./errors.js";
import { SUBJECT_TOKEN_HEADER, TOKEN_HEADER } from "./generated/contract.js";
import type { components, paths } from "./generated/openapi.js";
import type { AuthContext, Authenticator, Session } from "./transport.js";

const TOKENS_PATH = "/v3/auth/tokens" satisfies keyof paths;
type AuthRequest = components["schemas"]["AuthRequest"];
type TokenResponse = components["schemas"]["TokenResponse"];

/** Who logs in: a user name in its domain, or a user ID. */
type PasswordUser =
  | {
      /** The IAM user name. */
      user: string;
      /** The user's domain (the OTC account name, `OTC-EU-DE-000000000010000XXXXX`). */
      domain: string;
      userId?: never;
    }
  | {
      userId: string;
      user?: never;
      /** The domain of a project given by name. */
      domain?: string;
    };

/** The scope: a project name (`eu-de`, or `eu-de_myproject`) or a project ID, not both. */
type PasswordScope = { project?: string; projectId?: never } | { projectId: string; project?: never };

export type PasswordOptions = PasswordUser &
  PasswordScope & {
    password: string;
    /** IAM's URL (default: the client's `endpoints.identity` or the region's). */
    identityUrl?: string;
    /** Fetch a new token this long before `expires_at` (default 5 minutes). */
    refreshBeforeMs?: number;
  };

interface Login {
  /** The token as the header every call sends, one object per login. */
  headers: Record<string, string>;
  /** When the next call logs in afresh (shortly before expires_at). */
  renewAt: number;
  session: Session;
}

/** Logs in with a password; the token is cached until shortly before it expires and shared by concurrent calls. */
export function passwordAuth(options: PasswordOptions): Authenticator {
  const { refreshBeforeMs = 5 * 60_000 } = options;
  if (options.user === undefined && options.userId === undefined) {
    throw new EcsError("invalid-request", "passwordAuth needs user (with domain) or userId");
  }
  let current: Login | undefined;
  let pending: Promise<Login> | undefined;

  const body = (): AuthRequest => {
    const user: Record<string, unknown> = { password: options.password };
    if (options.userId !== undefined) user.id = options.userId;
    else {
      user.name = options.user;
      if (options.domain !== undefined) user.domain = { name: options.domain };
    }
    const project =
      options.projectId !== undefined
        ? { id: options.projectId }
        : options.project !== undefined
          ? {
              name: options.project,
              ...(options.domain === undefined ? {} : { domain: { name: options.domain } }),
            }
          : undefined;
    const auth: AuthRequest["auth"] = {
      identity: { methods: ["password"], password: { user: user as never } },
    };
    if (project) auth.scope = { project };
    return { auth };
  };

  async function login(context: AuthContext): Promise<Login> {
    const base =
      options.identityUrl !== undefined ? normaliseIdentity(options.identityUrl) : context.identityUrl;
    if (base === undefined) {
      throw new EcsError(
        "endpoint",
        'No identity endpoint: pass region ("eu-de" or "eu-nl"), endpoints.identity or identityUrl',
      );
    }
    let res: Response;
    let text: string;
    try {
      // Through the client's transport: its timeout, retries of connection errors and error shape.
      ({ response: res, text } = await context.send(
        {
          method: "POST",
          url: base + TOKENS_PATH,
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify(body()),
        },
        // Logging in twice is harmless (two tokens), so the login is retried like a read.
        { idempotent: true, authenticate: false },
      ));
    } catch (error) {
      // The transport's error says why (timeout, refused connection); the request body never appears.
      throw new EcsError("token", `Login to IAM failed: ${(error as Error).message}`, { cause: error });
    }
    const requestId =
      res.headers.get("X-Openstack-Request-Id") ?? res.headers.get("X-Request-Id") ?? undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    const token = res.headers.get(SUBJECT_TOKEN_HEADER);
    const content = (parsed as Partial<TokenResponse> | undefined)?.token;
    if (res.status !== 201 || !token || !content) {
      const detail = (parsed as { error?: { message?: unknown } } | undefined)?.error?.message;
      // IAM's message names the cause ("The request you have made requires authentication."); the
      // request body (with the password) is never part of the error.
      throw new EcsError(
        "token",
        `Login to IAM failed${typeof detail === "string" ? `: ${detail}` : res.status === 201 ? `: no ${SUBJECT_TOKEN_HEADER}` : ""}`,
        { status: res.status, requestId, body: parsed },
      );
    }
    const expiresAt = Date.parse(content.expires_at);
    const lifetime = expiresAt - Date.now();
    // Renew `refreshBeforeMs` early, but a short-lived token is still used for half its life.
    const renewAt = expiresAt - Math.min(refreshBeforeMs, lifetime / 2);
    return {
      headers: Object.freeze({ [TOKEN_HEADER]: token }),
      renewAt: Number.isNaN(renewAt) ? Number.POSITIVE_INFINITY : renewAt,
      session: {
        projectId: content.project?.id,
        endpoint: (service, region) => fromCatalog(content.catalog, service, region),
      },
    };
  }

  const fresh = (login: Login | undefined): login is Login =>
    login !== undefined && Date.now() < login.renewAt;

  /** The cached login while it is fresh; else one login shared by every caller that asks meanwhile. */
  function valid(context: AuthContext): Promise<Login> {
    if (fresh(current)) return Promise.resolve(current);
    pending ??= login(context).then(
      (done) => {
        current = done;
        pending = undefined;
        return done;
      },
      (error) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  }

  return {
    // A fresh cached token without a promise: the transport sends at once.
    headers(_request, context) {
      return fresh(current) ? current.headers : valid(context).then((login) => login.headers);
    },
    invalidate() {
      current = undefined;
      return true;
    },
    async session(context) {
      return (await valid(context)).session;
    },
  };
}
