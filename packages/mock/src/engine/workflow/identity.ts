// Identity (Keystone v3 / OTC IAM): `POST /v3/auth/tokens`. Validates the body with the spec's
// `AuthRequest` schema plus the rules the schema cannot state (a named method needs its object),
// checks credentials against `--users` when given (else any user with a non-empty password), and
// issues a project-scoped token with the catalog of the mock's own origin. Keystone's answers and
// messages come from the spec's examples.
import type { SpecModel } from "@ecs-api/spec/model";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Ctx } from "../context.js";
import { stableHexId, type UuidSource } from "../ids.js";
import type { Shaper } from "../shaping.js";
import type { Answer } from "../types.js";
import { exampleValue, type Json } from "./examples.js";
import type { State } from "./state.js";

/** A user `--users` lists. */
export interface MockUser {
  name: string;
  password: string;
  /** The user's domain name; any domain when absent. */
  domain?: string;
}

export interface IdentityOptions {
  model: SpecModel;
  shape: Shaper;
  state: State;
  examples: Map<string, unknown>;
  tokenIds: UuidSource;
  now: () => number;
  /** Region of every catalog endpoint. */
  region: string;
  /** Only these users may log in; undefined: anyone with a non-empty password. */
  users: MockUser[] | undefined;
  /** Token lifetime in seconds (OTC: 24 h). */
  tokenSeconds: number;
  /** Path prefixes of the services on the mock's origin. */
  prefixes: { compute: string; image: string; identity: string };
}

const EX = {
  noAuth: "keystone-no-auth",
  noMethodObject: "keystone-no-method-object",
  noIdOrName: "keystone-user-without-id-or-name",
  unauthorized: "keystone-invalid-credentials",
  token: "create-token-resp",
} as const;
const CLIENT_ERROR =
  "The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.";

/** Keystone's expires_at form: `2026-12-02T20:53:00.000000Z`. */
const keystoneTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export function createIdentity(options: IdentityOptions) {
  const { shape, state, examples } = options;
  const op = options.model.operation("createToken");
  const schema = op.requestBody?.schema;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  const validate = ajv.compile(schema);
  const sample = exampleValue(examples, EX.token).token as Json;
  const messages = {
    noAuth: exampleValue(examples, EX.noAuth).error.message as string,
    noMethodObject: exampleValue(examples, EX.noMethodObject).error.message as string,
    noIdOrName: exampleValue(examples, EX.noIdOrName).error.message as string,
  };
  // "Expecting to find password in identity": the method named in the example's message.
  const methodInMessage =
    /Expecting to find (\w+) in identity/.exec(messages.noMethodObject)?.[1] ?? "password";

  const error = (ctx: Ctx, status: 400 | 401, message: string, key?: string): Answer => {
    if (key !== undefined) return shape.example(ctx, status, key);
    return shape.answerWith(ctx, status, {
      error: { code: status, title: status === 400 ? "Bad Request" : "Unauthorized", message },
    });
  };

  function catalog(origin: string, projectId: string): Json[] {
    const endpoint = (type: string, url: string) => ({
      id: stableHexId("endpoint", `${type}:${origin}`),
      interface: "public",
      region: options.region,
      region_id: options.region,
      url,
    });
    const byType = new Map<string, Json>((sample.catalog as Json[]).map((entry) => [entry.type, entry]));
    const urls: Record<string, string> = {
      compute: `${origin}${options.prefixes.compute}/v2.1/${projectId}`,
      image: `${origin}${options.prefixes.image}`,
      identity: `${origin}${options.prefixes.identity}/v3`,
    };
    return Object.entries(urls).map(([type, url]) => ({
      type,
      name: byType.get(type)?.name ?? type,
      id: stableHexId("service", type),
      endpoints: [endpoint(type, url)],
    }));
  }

  /** The domain object of a `{id}` or `{name}` reference. */
  const domainOf = (ref: Json) => {
    const name = String(ref?.name ?? (ref?.id === "default" ? "Default" : (ref?.id ?? "Default")));
    return { id: ref?.id ?? stableHexId("domain", name), name };
  };

  function createToken(ctx: Ctx): Answer {
    let body: Json;
    try {
      body = JSON.parse(new TextDecoder().decode(ctx.req.body ?? new Uint8Array()));
    } catch {
      return error(ctx, 400, messages.noAuth, EX.noAuth);
    }
    if (!body || typeof body !== "object" || Array.isArray(body) || !body.auth)
      return error(ctx, 400, messages.noAuth, EX.noAuth);
    const identity = body.auth?.identity;
    for (const method of Array.isArray(identity?.methods) ? identity.methods : []) {
      if (typeof method === "string" && identity[method] === undefined)
        return error(
          ctx,
          400,
          messages.noMethodObject.replace(`find ${methodInMessage} in`, () => `find ${method} in`),
        );
    }
    const user = identity?.password?.user;
    if (user && typeof user === "object" && user.id === undefined && user.name === undefined)
      return error(ctx, 400, messages.noIdOrName, EX.noIdOrName);
    if (!validate(body as Json)) {
      const first = validate.errors?.[0];
      const field = (first?.instancePath ?? "").replace(/^\//, "") || "auth";
      return error(
        ctx,
        400,
        `Invalid input for field '${field}': ${first?.message ?? "is invalid"}. ${CLIENT_ERROR}`,
      );
    }

    const methods: string[] = identity.methods;
    let userName: string;
    let userDomain: { id: string; name: string };
    let userId: string;
    if (methods.includes("password")) {
      const u = identity.password.user;
      if (typeof u.password !== "string" || u.password === "") return error(ctx, 401, "", EX.unauthorized);
      userDomain = domainOf(u.domain);
      userName = String(u.name ?? u.id);
      userId = u.id ?? stableHexId("user", `${userDomain.name}/${userName}`);
      if (options.users) {
        const known = options.users.find(
          (k) =>
            (k.name === u.name ||
              (u.id !== undefined &&
                stableHexId("user", `${k.domain ?? userDomain.name}/${k.name}`) === u.id)) &&
            k.password === u.password &&
            (k.domain === undefined || k.domain === userDomain.name),
        );
        if (!known) return error(ctx, 401, "", EX.unauthorized);
        userName = known.name;
      }
    } else {
      // The token method re-scopes a token this identity issued.
      const previous = state.token(String(identity.token.id));
      if (!previous) return error(ctx, 401, "", EX.unauthorized);
      userName = previous.userName;
      userId = previous.userId;
      userDomain = domainOf({ name: sample.user?.domain?.name ?? "Default" });
    }

    const scope = body.auth.scope?.project;
    const projectDomain = domainOf(scope?.domain ?? userDomain);
    const projectName: string | undefined = scope ? String(scope.name ?? scope.id) : undefined;
    const projectId: string | undefined = scope
      ? String(scope.id ?? stableHexId("project", `${projectDomain.name}/${projectName}`))
      : undefined;
    const issued = options.now();
    const expires = issued + options.tokenSeconds * 1000;
    const token = `gAAAAAB${options.tokenIds().replace(/-/g, "")}${options.tokenIds().replace(/-/g, "")}`;
    state.issueToken(token, {
      expiresAt: expires,
      userId,
      userName,
      projectId: projectId ?? "",
      projectName: projectName ?? "",
    });
    const answer: Json = {
      methods,
      expires_at: keystoneTime(expires),
      issued_at: keystoneTime(issued),
      user: { id: userId, name: userName, domain: userDomain, password_expires_at: null },
    };
    if (projectId !== undefined) {
      answer.project = { id: projectId, name: projectName, domain: projectDomain };
      answer.roles = sample.roles;
      if (ctx.query?.has("nocatalog") !== true) answer.catalog = catalog(ctx.req.origin, projectId);
    }
    return shape.answerWith(ctx, 201, { token: answer }, { "X-Subject-Token": token });
  }

  return { createToken };
}
