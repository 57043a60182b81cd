import { createEcsClient, EcsError } from "@ecs-api/client";
import { badBodies, CREATE_IMAGE_PATH, loadSpec } from "@ecs-api/spec";
import { createResponseValidator } from "@ecs-api/spec/testing";
import { describe, expect, inject, it } from "vitest";
import { NOVA } from "../src/nova.js";

const spec = loadSpec();
const { problems, validate } = createResponseValidator(spec);
const SERVER = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";

/** The bodies the client can be asked to send at all: `{"createImage": <anything>}`. */
const actionValue = (body: unknown): { value: unknown } | undefined =>
  body && typeof body === "object" && !Array.isArray(body) && Object.keys(body).join() === "createImage"
    ? { value: (body as { createImage: unknown }).createImage }
    : undefined;

describe("the spec's bad-body table through spec, mock and client", () => {
  const cases = badBodies();

  it.each(cases.map((c) => [c.case, c] as const))("given %s", async (_, c) => {
    // The spec: its request schema rejects the body (or, where JSON Schema cannot say it, accepts it
    // and code must refuse it).
    expect(validate("/components/schemas/CreateImageAction", c.body).ok, "schema verdict").toBe(
      c.schemaRejects === false,
    );

    // The mock: Nova's status, fault key and message, in a response the spec describes.
    const res = await fetch(`${inject("mockUrl")}/v2.1/p/servers/${SERVER}/action`, {
      method: "POST",
      headers: { "X-Auth-Token": "t", "Content-Type": "application/json" },
      body: JSON.stringify(c.body),
    });
    const text = await res.text();
    expect(res.status).toBe(c.status);
    expect(JSON.parse(text)).toEqual({
      [NOVA.faultKeys[c.status] as string]: { code: c.status, message: c.message },
    });
    const version = res.headers.get("X-OpenStack-Nova-API-Version") ?? undefined;
    expect(
      problems(
        { method: "POST", path: CREATE_IMAGE_PATH, status: res.status, headers: res.headers, body: text },
        version,
      ),
    ).toEqual([]);

    // The client: a typed error with the same fault. It builds `{"createImage": …}` itself, so the
    // malformed envelopes (no, another or a second top-level key; not an object) cannot be sent.
    const action = actionValue(c.body);
    if (!action) {
      expect(c.fault === "badRequest" ? /Malformed|no such action/.test(c.message) : c.status === 404).toBe(
        true,
      );
      return;
    }
    let sent = false;
    const client = createEcsClient({
      baseUrl: inject("mockUrl"),
      projectId: "p",
      token: "t",
      fetch: (input, init) => {
        sent = true;
        return fetch(input, init);
      },
    });
    const error = await client.createImage(SERVER, action.value as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EcsError);
    expect((error as EcsError).fault).toBe(c.fault);
    // Refused before sending: the client knows the rule from the spec.
    expect((error as EcsError).kind).toBe("invalid-request");
    expect(sent).toBe(false);
  });
});
