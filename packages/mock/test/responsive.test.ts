// The mock stays responsive: while the adversarial corpus's heaviest bodies are being answered on
// their own connections, a normal request on another connection gets its correct answer. Correctness
// only: no timing is asserted (a body that stalled the process would time the test out).
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { adversarialBodies } from "./corpus.js";
import { ACTIVE, actionPath, faultOf, PROJECT, problemsOf, useMock } from "./helpers.js";

const ctx = useMock();
const corpus = adversarialBodies();

/** One request on a connection of its own (no agent: nothing is shared or queued). */
function send(path: string, method: string, headers: Record<string, string>, body?: Uint8Array) {
  return new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
    const req = request(`${ctx.mock.url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const headers = { "X-Auth-Token": "t", "Content-Type": "application/json" };

describe("while the heaviest corpus bodies are answered", () => {
  it("given a normal createImage and a version document on other connections, then both get their answers", async () => {
    // Every corpus body of 10,000 keys or more than 90 KB, each on its own connection, at once.
    const heavy = corpus.filter((c) => c.bytes.length > 90_000 && c.status !== 413);
    expect(heavy.length).toBeGreaterThanOrEqual(15);
    const pending = heavy.map((c) => send(actionPath(), "POST", headers, c.bytes).then((r) => ({ c, r })));
    const normal = send(
      `/v2.1/${PROJECT}/servers/${ACTIVE}/action`,
      "POST",
      { ...headers, "OpenStack-API-Version": "compute 2.45" },
      new TextEncoder().encode(JSON.stringify({ createImage: { name: "while-busy" } })),
    );
    const versions = send("/v2.1", "GET", {});
    const [created, version] = await Promise.all([normal, versions]);
    expect(created.status).toBe(202);
    expect(JSON.parse(created.text).image_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(problemsOf("POST", actionPath(), { ...created, json: undefined })).toEqual([]);
    expect(version.status).toBe(200);
    expect(JSON.parse(version.text).version.id).toBe("v2.1");
    // And the heavy ones got Nova's answers too.
    for (const { c, r } of await Promise.all(pending)) {
      expect(r.status, c.case).toBe(c.quotaExceeded ? 403 : c.status);
      if (r.status === 400)
        expect(faultOf({ ...r, json: JSON.parse(r.text) }).message === c.message, c.case).toBe(true);
    }
  });
});
