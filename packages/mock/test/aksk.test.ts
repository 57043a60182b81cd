// AK/SK: the mock verifies SDK-HMAC-SHA256 signatures with the one signer module the client signs
// with; a signed request needs no token, a tampered one is the API gateway's 401.
import { sign } from "@ecs-api/signer";
import { describe, expect, it } from "vitest";
import { actionPath, fetchOf, useMock } from "./helpers.js";

const KEY = { accessKey: "AKTEST0000000001", secretKey: "sk-test-secret" };
const ctx = useMock({ workflow: { aksk: [KEY] } });
const body = '{"createImage":{"name":"signed"}}';

async function signed(path: string, credentials = KEY, tamper?: (h: Record<string, string>) => void) {
  const url = `${ctx.mock.url}${path}`;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "OpenStack-API-Version": "compute 2.45",
  };
  Object.assign(
    headers,
    await sign({ method: "POST", url, headers, body }, { ...credentials, projectId: "p1" }),
  );
  tamper?.(headers);
  const res = await fetchOf(ctx.mock)(url, { method: "POST", headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("AK/SK signatures", () => {
  it("given a valid signature and no token, then createImage is accepted", async () => {
    const r = await signed(actionPath());
    expect(r.status).toBe(202);
    expect(r.json.image_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("given a tampered date, a wrong secret or an unknown key, then the API gateway's 401", async () => {
    for (const attempt of [
      await signed(actionPath(), KEY, (h) => {
        h["X-Sdk-Date"] = "20261201T000000Z";
      }),
      await signed(actionPath(), { ...KEY, secretKey: "wrong" }),
      await signed(actionPath(), { accessKey: "AKUNKNOWN", secretKey: "x" }),
    ]) {
      expect(attempt.status).toBe(401);
      expect(attempt.json.error_code).toBe("APIGW.0301");
      expect(String(attempt.json.error_msg)).toMatch(/^Incorrect IAM authentication information/);
      expect(JSON.stringify(attempt.json)).not.toContain(KEY.secretKey);
    }
  });
});
