import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseAuthorization, type SignableRequest, sign, verify } from "../src/index.js";

const AK = "HPUAEXAMPLEAK";
const SK = "exampleSecretKey/+=";
const DATE = new Date(Date.UTC(2026, 11, 1, 12, 34, 56));
const secretFor = (ak: string) => (ak === AK ? SK : undefined);

// Independent of the module: node:crypto, used by this test only.
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const hmac = (k: string, s: string) => createHmac("sha256", k).update(s).digest("hex");

describe("sign: a vector derived by hand", () => {
  const body = '{"createImage":{"name":"snap 1"}}';
  const request: SignableRequest = {
    method: "post",
    url: "https://ecs.eu-de.otc.t-systems.com/v2.1/p1/servers/s%201/action?b=2&a=x%20y&a=1*",
    headers: { "Content-Type": "application/json", "X-Auth-Extra": "  spaced  " },
    body,
  };

  it("builds the canonical request, string to sign and signature step by step", async () => {
    const added = await sign(request, { accessKey: AK, secretKey: SK, projectId: "p1" }, DATE);
    // Written out by hand from the guide: segments encoded (space → %20), trailing slash, query sorted
    // by key then value with `*` encoded, headers lower-cased, sorted, trimmed, block ends with "\n".
    const canonical = [
      "POST",
      "/v2.1/p1/servers/s%201/action/",
      "a=1%2A&a=x%20y&b=2",
      "content-type:application/json\n" +
        "host:ecs.eu-de.otc.t-systems.com\n" +
        "x-auth-extra:spaced\n" +
        "x-project-id:p1\n" +
        "x-sdk-date:20261201T123456Z\n",
      "content-type;host;x-auth-extra;x-project-id;x-sdk-date",
      sha(body),
    ].join("\n");
    const toSign = `SDK-HMAC-SHA256\n20261201T123456Z\n${sha(canonical)}`;
    expect(added).toEqual({
      "X-Sdk-Date": "20261201T123456Z",
      "X-Project-Id": "p1",
      Authorization:
        `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-auth-extra;x-project-id;x-sdk-date, ` +
        `Signature=${hmac(SK, toSign)}`,
    });
  });

  it("hashes an empty body as SHA-256 of nothing and signs the security token", async () => {
    const added = await sign(
      { method: "GET", url: "http://127.0.0.1:4010/image/v2/images/i", headers: {} },
      { accessKey: AK, secretKey: SK, securityToken: "tmp" },
      DATE,
    );
    const canonical = [
      "GET",
      "/image/v2/images/i/",
      "",
      "host:127.0.0.1:4010\nx-sdk-date:20261201T123456Z\nx-security-token:tmp\n",
      "host;x-sdk-date;x-security-token",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ].join("\n");
    expect(added["X-Security-Token"]).toBe("tmp");
    expect(added.Authorization).toBe(
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-sdk-date;x-security-token, Signature=${hmac(
        SK,
        `SDK-HMAC-SHA256\n20261201T123456Z\n${sha(canonical)}`,
      )}`,
    );
  });
});

describe("parseAuthorization", () => {
  it("reads the three parts", () => {
    expect(
      parseAuthorization("SDK-HMAC-SHA256 Access=ak, SignedHeaders=host;x-sdk-date, Signature=AB12"),
    ).toEqual({ accessKey: "ak", signedHeaders: ["host", "x-sdk-date"], signature: "ab12" });
  });
  it.each([
    "Bearer x",
    "SDK-HMAC-SHA256 Access=ak, Signature=ab",
    "SDK-HMAC-SHA256 Access=ak, SignedHeaders=host;;x, Signature=ab",
    "SDK-HMAC-SHA256 Access=ak, SignedHeaders=host, Signature=xyz",
  ])("refuses %s", (value) => {
    expect(parseAuthorization(value)).toBeUndefined();
  });
});

describe("verify", () => {
  const base: SignableRequest = {
    method: "POST",
    url: "https://ecs.example/v2.1/p/servers/s/action?x=1",
    headers: { "Content-Type": "application/json" },
    body: '{"a":1}',
  };
  const signed = async (req = base, date = new Date()) => ({
    ...req,
    headers: { ...req.headers, ...(await sign(req, { accessKey: AK, secretKey: SK }, date)) },
  });

  it("accepts what sign produced, whatever the header case", async () => {
    const req = await signed();
    expect(await verify(req, secretFor)).toEqual({ ok: true, accessKey: AK });
    const lower = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(await verify({ ...req, headers: lower }, secretFor)).toEqual({ ok: true, accessKey: AK });
    // An explicit Host header that matches the URL's is the same request.
    expect(
      await verify({ ...req, headers: { ...req.headers, Host: "ecs.example" } }, secretFor),
    ).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ["body", (r: SignableRequest) => ({ ...r, body: '{"a":2}' })],
    ["header", (r: SignableRequest) => ({ ...r, headers: { ...r.headers, "Content-Type": "text/plain" } })],
    ["query", (r: SignableRequest) => ({ ...r, url: r.url.replace("x=1", "x=2") })],
    ["path", (r: SignableRequest) => ({ ...r, url: r.url.replace("/s/", "/t/") })],
    ["method", (r: SignableRequest) => ({ ...r, method: "PUT" })],
    ["host", (r: SignableRequest) => ({ ...r, url: r.url.replace("ecs.example", "evil.example") })],
    [
      "date",
      (r: SignableRequest) => {
        const date = new Date(Date.now() - 1000);
        return {
          ...r,
          headers: { ...r.headers, "X-Sdk-Date": date.toISOString().replace(/[-:]|\.\d{3}/g, "") },
        };
      },
    ],
  ])("refuses a changed %s as bad-signature", async (_, tamper) => {
    // Signed two seconds ago so the tampered date (one second ago) certainly differs.
    const req = await signed(base, new Date(Date.now() - 2000));
    expect(await verify(req, secretFor)).toEqual({ ok: true, accessKey: AK });
    expect(await verify(tamper(req), secretFor)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a wrong secret key as bad-signature and an unknown access key as unknown-key", async () => {
    const req = await signed();
    expect(await verify(req, () => "other")).toEqual({ ok: false, reason: "bad-signature" });
    expect(await verify(req, () => undefined)).toEqual({ ok: false, reason: "unknown-key" });
  });

  it("refuses a missing Authorization, a malformed one and a missing date", async () => {
    const req = await signed();
    const { Authorization, "X-Sdk-Date": _date, ...rest } = req.headers;
    expect(await verify({ ...req, headers: rest }, secretFor)).toEqual({ ok: false, reason: "missing" });
    expect(await verify({ ...req, headers: { ...rest, Authorization: "Bearer t" } }, secretFor)).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(
      await verify({ ...req, headers: { ...rest, Authorization: Authorization as string } }, secretFor),
    ).toEqual({ ok: false, reason: "malformed" });
    const noHost = (Authorization as string).replace("host;", "");
    expect(await verify({ ...req, headers: { ...req.headers, Authorization: noHost } }, secretFor)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("refuses a date more than 15 minutes away as expired, and accepts 14 minutes", async () => {
    const old = await signed(base, new Date(Date.now() - 16 * 60_000));
    expect(await verify(old, secretFor)).toEqual({ ok: false, reason: "expired" });
    const ahead = await signed(base, new Date(Date.now() + 16 * 60_000));
    expect(await verify(ahead, secretFor)).toEqual({ ok: false, reason: "expired" });
    const recent = await signed(base, new Date(Date.now() - 14 * 60_000));
    expect(await verify(recent, secretFor)).toEqual({ ok: true, accessKey: AK });
  });

  it("verifies a byte body the same as its text", async () => {
    const req = await signed();
    expect(
      await verify({ ...req, body: new TextEncoder().encode(base.body as string) }, secretFor),
    ).toMatchObject({
      ok: true,
    });
  });
});
