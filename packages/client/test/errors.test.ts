import { loadModel, responseOf } from "@ecs-api/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEcsClient, EcsError } from "../src/index.js";
import {
  accepted,
  contract,
  example,
  fault,
  observedFetch,
  PROJECT,
  refusedUrl,
  rejection,
  SERVER,
  startServer,
  TOKEN,
} from "./helpers.js";

const BASE = "https://ecs.example.test";

/** Each fault status of createImage with the message of its first example in the spec. */
const faults = Object.entries(contract.faultKeys).map(([status, key]) => {
  const response = responseOf(loadModel().operation("createImage"), Number(status));
  const value = response.content.find((m) => m.type === "application/json")?.examples[0]?.value as Record<
    string,
    { message: string }
  >;
  return { status: Number(status), key, message: value[key]?.message as string };
});

describe("error answers", () => {
  it("Given the spec, when its faults are listed, then every Nova fault of createImage is covered", () => {
    expect(faults.map((f) => f.key)).toEqual(
      expect.arrayContaining([
        "badRequest",
        "itemNotFound",
        "conflictingRequest",
        "computeFault",
        "forbidden",
      ]),
    );
  });

  it.each(faults)(
    "Given a $status $key fault, when createImage settles, then EcsError carries status, fault, message, request ID and microversion",
    async ({ status, key, message }) => {
      const observed = observedFetch(() => fault(status, key, message, "2.45"));
      const ecs = createEcsClient({ baseUrl: BASE, projectId: PROJECT, token: TOKEN, fetch: observed.fetch });
      const error = await rejection(ecs.createImage(SERVER, { name: "img" }, { microversion: "2.45" }));
      expect(error).toMatchObject({
        kind: "http",
        name: "EcsError",
        status,
        fault: key,
        // The status and request ID are part of the message, so a log line alone identifies the call.
        message: `${message} (HTTP ${status}, request req-3e2c5a0b-93d4-4cc4-9a6e-1a2b3c4d5e6f)`,
        requestId: "req-3e2c5a0b-93d4-4cc4-9a6e-1a2b3c4d5e6f",
        microversion: "2.45",
      });
      expect(error.body).toEqual({ [key]: { code: status, message } });
    },
  );

  it("Given keystonemiddleware's 401, when createImage settles, then its body is parsed into fault and message", async () => {
    const body = example("keystone-unauthorized");
    const observed = observedFetch(
      () =>
        new Response(JSON.stringify(body), {
          status: 401,
          headers: {
            "Content-Type": "application/json",
            "WWW-Authenticate": 'Keystone uri="https://iam.example/v3"',
          },
        }),
    );
    const ecs = createEcsClient({ baseUrl: BASE, projectId: PROJECT, token: "", fetch: observed.fetch });
    const error = await rejection(ecs.createImage(SERVER, { name: "img" }, { microversion: "2.45" }));
    expect(error).toMatchObject({
      kind: "http",
      status: 401,
      fault: "Unauthorized",
      message: "The request you have made requires authentication. (HTTP 401)",
      microversion: "2.45",
    });
  });

  it("Given a proxy's HTML 502, when createImage settles, then the text is the message and there is no fault", async () => {
    const observed = observedFetch(() => new Response("<html>Bad Gateway</html>", { status: 502 }));
    const ecs = createEcsClient({ baseUrl: BASE, projectId: PROJECT, token: TOKEN, fetch: observed.fetch });
    const error = await rejection(ecs.createImage(SERVER, { name: "img" }));
    expect(error).toMatchObject({
      kind: "http",
      status: 502,
      fault: undefined,
      message: "<html>Bad Gateway</html> (HTTP 502)",
    });
  });

  it("Given an empty 500, when createImage settles, then the message names the status", async () => {
    const observed = observedFetch(() => new Response(null, { status: 500 }));
    const ecs = createEcsClient({ baseUrl: BASE, projectId: PROJECT, token: TOKEN, fetch: observed.fetch });
    expect((await rejection(ecs.createImage(SERVER, { name: "img" }))).message).toBe(
      "The answer has no error message (HTTP 500)",
    );
  });
});

describe("no answer", () => {
  let silent: Awaited<ReturnType<typeof startServer>>;
  let slowBody: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    silent = await startServer(() => {}); // reads the request, never answers
    slowBody = await startServer((_req, res) => {
      res.writeHead(202, { "Content-Type": "application/json" });
      res.write('{"image_id":'); // and never ends
    });
  });
  afterAll(async () => {
    await silent.close();
    await slowBody.close();
  });

  it("Given a server that never answers, when timeoutMs passes, then the call rejects with a timeout whose cause is the abort", async () => {
    const ecs = createEcsClient({ baseUrl: silent.url, projectId: PROJECT, token: TOKEN, timeoutMs: 50 });
    const error = await rejection(ecs.createImage(SERVER, { name: "img" }, { microversion: "2.45" }));
    expect(error).toMatchObject({ kind: "timeout", microversion: "2.45", message: "No answer within 50 ms" });
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).name).toBe("AbortError");
  });

  it("Given a body that never ends, when timeoutMs passes, then the call still rejects with a timeout", async () => {
    const ecs = createEcsClient({ baseUrl: slowBody.url, projectId: PROJECT, token: TOKEN, timeoutMs: 50 });
    expect((await rejection(ecs.createImage(SERVER, { name: "img" }))).kind).toBe("timeout");
  });

  it("Given the caller's signal, when it aborts mid-call, then the call rejects with abort (not timeout)", async () => {
    const ecs = createEcsClient({ baseUrl: silent.url, projectId: PROJECT, token: TOKEN, timeoutMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(ecs.createImage(SERVER, { name: "img" }, { signal: controller.signal }));
    expect(error.kind).toBe("abort");
    expect(error.cause).toBeDefined();
  });

  it("Given a signal already aborted and no timeout, when createImage is called, then it rejects with abort", async () => {
    const ecs = createEcsClient({ baseUrl: silent.url, projectId: PROJECT, token: TOKEN });
    const error = await rejection(ecs.createImage(SERVER, { name: "img" }, { signal: AbortSignal.abort() }));
    expect(error.kind).toBe("abort");
  });

  it("Given nothing listens on the port, when createImage is called, then it rejects with network and the refused socket as cause", async () => {
    const ecs = createEcsClient({ baseUrl: await refusedUrl(), projectId: PROJECT, token: TOKEN });
    const error = await rejection(ecs.createImage(SERVER, { name: "img" }));
    expect(error.kind).toBe("network");
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect((error.cause as { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
  });

  it("Given nothing listens, when the raw client is used, then it rejects with the same typed network error", async () => {
    const ecs = createEcsClient({ baseUrl: await refusedUrl(), projectId: PROJECT, token: TOKEN });
    expect((await rejection(ecs.raw.GET("/"))).kind).toBe("network");
  });

  it("Given a server that never answers, when the raw client's timeoutMs passes, then it rejects with timeout", async () => {
    const ecs = createEcsClient({ baseUrl: silent.url, projectId: PROJECT, token: TOKEN, timeoutMs: 50 });
    expect((await rejection(ecs.versions())).kind).toBe("timeout");
  });
});

describe("refused before sending", () => {
  const setup = (options: object = {}) => {
    const observed = observedFetch(() => accepted("2.45"));
    const ecs = createEcsClient({
      baseUrl: BASE,
      projectId: PROJECT,
      token: TOKEN,
      fetch: observed.fetch,
      ...options,
    });
    return { ecs, calls: observed.calls };
  };

  it.each(["2.x", "2.01", "02.1", "2", "Latest", "v2.1", "2.1 ", ""])(
    "Given the malformed microversion %j, when createImage is called, then it rejects with invalid-request and sends nothing",
    async (mv) => {
      const { ecs, calls } = setup();
      // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller can pass anything.
      const error = await rejection(ecs.createImage(SERVER, { name: "img" }, { microversion: mv as any }));
      expect(error.kind).toBe("invalid-request");
      expect(error.message).toContain("Malformed microversion");
      expect(calls).toHaveLength(0);
    },
  );

  it("Given a malformed client default, when createImage is called, then it rejects with invalid-request", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller can pass anything.
    const { ecs, calls } = setup({ microversion: "2.x" as any });
    expect((await rejection(ecs.createImage(SERVER, { name: "img" }))).kind).toBe("invalid-request");
    expect(calls).toHaveLength(0);
  });

  it("Given a server ID that is not a UUID, when createImage is called, then it rejects with invalid-request", async () => {
    const { ecs, calls } = setup();
    const error = await rejection(ecs.createImage("../../admin", { name: "img" }));
    expect(error.kind).toBe("invalid-request");
    expect(calls).toHaveLength(0);
  });

  it("Given legacyV2 with a microversion, when createImage is called, then it rejects with invalid-request", async () => {
    const { ecs, calls } = setup();
    const error = await rejection(
      // biome-ignore lint/suspicious/noExplicitAny: the types forbid this; JavaScript callers can still do it.
      ecs.createImage(SERVER, { name: "img" }, { legacyV2: true, microversion: "2.45" } as any),
    );
    expect(error.kind).toBe("invalid-request");
    expect(calls).toHaveLength(0);
  });

  it("Given getToken throws, when createImage is called, then it rejects with token and the thrown error as cause", async () => {
    const boom = new Error("refresh failed");
    const { ecs, calls } = setup({ token: undefined, getToken: async () => Promise.reject(boom) });
    const error = await rejection(ecs.createImage(SERVER, { name: "img" }));
    expect(error.kind).toBe("token");
    expect(error.cause).toBe(boom);
    expect(calls).toHaveLength(0);
  });

  it("Given no project or no token, when the client is created, then it throws invalid-request", () => {
    expect(() => createEcsClient({ baseUrl: BASE, projectId: "", token: TOKEN })).toThrow(EcsError);
    // biome-ignore lint/suspicious/noExplicitAny: the types forbid this; JavaScript callers can still do it.
    expect(() => createEcsClient({ baseUrl: BASE, projectId: PROJECT } as any)).toThrow(/token/);
  });
});
