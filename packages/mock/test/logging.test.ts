import { describe, expect, it } from "vitest";
import { actionPath, call, createImage, json, useMock } from "./helpers.js";

const lines: string[] = [];
const ctx = useMock({ quiet: false, log: (line) => lines.push(line) });
const secret = "gAAAAA-very-secret-token-value";

describe("the request log", () => {
  it("given a request, then one line with method, path, microversion, status and time", async () => {
    lines.length = 0;
    await createImage(ctx.mock, { createImage: { name: "a" } }, { version: "2.45" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^POST \/v2\.1\/\S+\/servers\/\S+\/action mv=2\.45 202 \d+\.\d\dms token=\[redacted\]$/,
    );
  });

  it("given a token in the header and in the query, then neither value reaches the log", async () => {
    lines.length = 0;
    await call(ctx.mock, `${actionPath()}?token=${secret}&page=2`, {
      body: { createImage: { name: "a" } },
      headers: { ...json, "X-Auth-Token": secret },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain("token=[redacted]");
    expect(lines[0]).toContain("page=2");
  });

  it("given a request without a token, then the line says so", async () => {
    lines.length = 0;
    await call(ctx.mock, "/");
    expect(lines[0]).toMatch(/^GET \/ mv=- 200 .* token=-$/);
  });

  it.each([
    ["t%6Fken", "a percent-encoded name"],
    ["tok%65n", "another percent-encoded letter"],
    ["t%6fken", "lower-case hex"],
    ["TOKEN", "upper case"],
    ["auth_token", "a longer name"],
    ["password", "a password"],
    ["X-Amz-Signature", "a signature"],
    ["api%5Fkey", "an encoded key name"],
    ["session_id", "a session"],
    ["credential", "a credential"],
    ["secret", "a secret"],
  ])(
    "given the secret in a query parameter named %s (%s), then its value never reaches the log",
    async (name) => {
      lines.length = 0;
      await call(ctx.mock, `/?page=1&${name}=${secret}`, { unchecked: true });
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain(secret);
      expect(lines[0]).toContain(`${name}=[redacted]`);
      expect(lines[0]).toContain("page=1");
    },
  );

  it("given a ; separator before the secret, then it is redacted too", async () => {
    lines.length = 0;
    await call(ctx.mock, `/?x=1;token=${secret}`, { unchecked: true });
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain("x=1;token=[redacted]");
  });

  it("given AK/SK headers (Authorization, X-Security-Token), then neither value reaches the log", async () => {
    lines.length = 0;
    await call(ctx.mock, "/", {
      headers: {
        Authorization: `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${"ab".repeat(32)}`,
        "X-Security-Token": secret,
      },
      unchecked: true,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).not.toContain("ab".repeat(32));
  });
});
