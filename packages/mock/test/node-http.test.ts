// What only the node:http adapter can be asked: a Host header of our choosing and a raw socket.
// (The engine's cases run through both adapters; see vitest.config.ts.)
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { SERVER_DEFAULTS, startMock } from "../src/index.js";
import { actionPath, contract, rawRequest, useMock } from "./helpers.js";

const ctx = useMock();

describe("the Host header", () => {
  it("given another Host name, then the links follow it (as Nova builds them from the request)", async () => {
    const port = new URL(ctx.mock.url).port;
    const res = await rawRequest(`${ctx.mock.url}/`, { headers: { Host: `localhost:${port}` } });
    const body = JSON.parse(res.text);
    expect(body.versions[1].links[0].href).toBe(`http://localhost:${port}/v2.1/`);
  });

  it.each(["..", "localhost:99999", "a..b", "[::1", "x y"])(
    "given Host %j, then the links use the mock's own URL",
    async (host) => {
      const res = await rawRequest(`${ctx.mock.url}/v2.1`, { headers: { Host: host } });
      expect(JSON.parse(res.text).version.links[0].href).toBe(`${ctx.mock.url}/v2.1/`);
    },
  );

  it("given a Host header that is not a host name, then the links use the mock's own URL", async () => {
    const res = await rawRequest(`${ctx.mock.url}/v2.1`, { headers: { Host: 'evil"host/x' } });
    expect(JSON.parse(res.text).version.links[0].href).toBe(`${ctx.mock.url}/v2.1/`);
  });
});

describe("an announced oversized body", () => {
  it("given a Content-Length over the limit, then 413 at once, without waiting for the body", async () => {
    const { connect } = await import("node:net");
    const url = new URL(ctx.mock.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST ${actionPath()} HTTP/1.1\r\nHost: ${url.host}\r\nX-Auth-Token: t\r\nContent-Type: application/json\r\nContent-Length: ${contract.maxBodyBytes * 10}\r\n\r\n{"createImage": `,
        );
      });
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk;
        if (text.includes("\r\n\r\n")) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on("error", reject);
      // The rest of the body never comes: only an early answer can arrive.
      setTimeout(() => {
        socket.destroy();
        resolve(text);
      }, 3_000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });
});

/** Writes raw bytes to the mock and collects everything it answers until it closes (or 3 s). */
async function rawExchange(text: string, wait = 3_000, base = ctx.mock.url): Promise<string> {
  const url = new URL(base);
  return new Promise<string>((resolve, reject) => {
    let answer = "";
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    socket.on("data", (chunk) => {
      answer += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
    setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, wait);
  });
}

describe("what node:http itself refuses", () => {
  it("given a malformed request line, then a 400 with a Nova fault body, not an empty answer", async () => {
    const answer = await rawExchange("BROKEN\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body[contract.faultKeys[400] as string].code).toBe(400);
  });

  it("given an expectation other than 100-continue, then 417 with a Nova fault body, not an empty answer", async () => {
    const answer = await rawExchange(
      `POST ${actionPath()} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nExpect: foo\r\nContent-Length: 2\r\n\r\n{}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 417 /);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body).toEqual({ computeFault: { code: 417, message: "Expectation Failed" } });
  });

  it("given headers over Node's limit, then 431 with a Nova fault body", async () => {
    const answer = await rawExchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)).computeFault.code).toBe(431);
  });

  it("given Expect: 100-continue with an oversized Content-Length, then 413 and no 100 Continue", async () => {
    const answer = await rawExchange(
      `POST ${actionPath()} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${contract.maxBodyBytes + 1}\r\n\r\n`,
    );
    expect(answer).not.toContain("100 Continue");
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("given Expect: 100-continue with an acceptable body, then 100 Continue and the answer", async () => {
    const body = '{"createImage":{"name":"a"}}';
    const answer = await rawExchange(
      `POST ${actionPath()} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue/);
    expect(answer).toContain("HTTP/1.1 202 ");
  });
});

describe("the connection cap", () => {
  it("has a documented default", () => {
    expect(SERVER_DEFAULTS.maxConnections).toBeGreaterThanOrEqual(32);
  });

  it("given the cap is reached, then one more client gets 503 in Nova's fault shape with Retry-After, and is served once a slot frees", async () => {
    const own = await startMock({ port: 0, quiet: true, maxConnections: 2 });
    const url = new URL(own.url);
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const socket = connect(Number(url.port), url.hostname);
        socket.on("error", () => {});
        held.push(socket);
        await new Promise((resolve) => socket.once("connect", resolve));
      }
      const get = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      // The server counts a connection when it accepts it: poll until both held ones are counted.
      await expect
        .poll(async () => (await rawExchange(get, 3_000, own.url)).slice(0, 12))
        .toBe("HTTP/1.1 503");
      const refused = await rawExchange(get, 3_000, own.url);
      expect(refused).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(refused).toMatch(/\r\nRetry-After: 1\r\n/);
      expect(refused).toMatch(/\r\nContent-Type: application\/json; charset=UTF-8\r\n/);
      expect(JSON.parse(refused.slice(refused.indexOf("\r\n\r\n") + 4))).toEqual({
        serviceUnavailable: {
          code: 503,
          message: "The server is currently unavailable. Please try again at a later time.",
        },
      });
      for (const socket of held) socket.destroy();
      await expect
        .poll(async () => (await rawExchange(get, 3_000, own.url)).slice(0, 12))
        .toBe("HTTP/1.1 200");
    } finally {
      for (const socket of held) socket.destroy();
      await own.close();
    }
  });

  it("given a cap that is not a whole number of at least 1, then startMock refuses to start", async () => {
    await expect(startMock({ port: 0, quiet: true, maxConnections: 0 })).rejects.toThrow(/--max-connections/);
  });
});
