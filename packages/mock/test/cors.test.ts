// What a browser on another origin needs: a preflight that allows the token and both version
// headers, and exposed response headers (without them a page cannot read Location).
import { describe, expect, it } from "vitest";
import { actionPath, call, createImage, useMock } from "./helpers.js";

const ctx = useMock();
const origin = "http://localhost:5173";
const list = (value: string | null) => (value ?? "").split(",").map((s) => s.trim().toLowerCase());

describe("CORS", () => {
  it("given a preflight for POST with the token, both version headers and Content-Type, then 204 allowing them", async () => {
    const res = await fetch(`${ctx.mock.url}${actionPath()}`, {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers":
          "x-auth-token, openstack-api-version, x-openstack-nova-api-version, content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(list(res.headers.get("access-control-allow-methods"))).toEqual(
      expect.arrayContaining(["post", "get"]),
    );
    expect(list(res.headers.get("access-control-allow-headers"))).toEqual(
      expect.arrayContaining([
        "x-auth-token",
        "openstack-api-version",
        "x-openstack-nova-api-version",
        "content-type",
      ]),
    );
  });

  it("given a preflight without a token, then it is still answered (browsers never send credentials there)", async () => {
    const res = await fetch(`${ctx.mock.url}/v2.1/anything`, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "GET" },
    });
    expect(res.status).toBe(204);
  });

  it("given a cross-origin createImage, then Location, the version headers and the request ID are exposed", async () => {
    const r = await createImage(ctx.mock, { createImage: { name: "a" } }, { headers: { Origin: origin } });
    expect(r.status).toBe(202);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(list(r.headers.get("access-control-expose-headers"))).toEqual(
      expect.arrayContaining([
        "location",
        "openstack-api-version",
        "x-openstack-nova-api-version",
        "x-openstack-request-id",
        "x-compute-request-id",
      ]),
    );
  });

  it("given a cross-origin error, then the CORS headers are there too (a page can read the fault)", async () => {
    const r = await call(ctx.mock, actionPath(), { body: {}, headers: { Origin: origin } });
    expect(r.status).toBe(401);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(list(r.headers.get("access-control-expose-headers"))).toContain("www-authenticate");
  });

  it("given a same-origin request, then no CORS headers", async () => {
    const r = await call(ctx.mock, "/");
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("given OPTIONS that is not a preflight, then an ordinary 4xx", async () => {
    const r = await call(ctx.mock, actionPath(), { method: "OPTIONS", unchecked: true });
    expect(r.status).toBe(401);
  });
});
