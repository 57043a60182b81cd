// @ts-check
/**
 * The local service for the per-call bench, in a worker thread so its event loop does not share a
 * turn with the clients under test. It answers createImage as Nova does from 2.45: 202 with
 * `{"image_id"}` and the version headers. The answer is prebuilt: the server's cost is the same for
 * every variant and as small as it can be. `POST /v3/auth/tokens` is IAM's 201 with a token for a
 * day, for the password client's one login (counted: the parent asks with "logins").
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { parentPort } from "node:worker_threads";

const body = JSON.stringify({ image_id: randomUUID() });
const headers = {
  "Content-Type": "application/json",
  "Content-Length": String(Buffer.byteLength(body)),
  "OpenStack-API-Version": "compute 2.45",
  "X-OpenStack-Nova-API-Version": "2.45",
  Vary: "OpenStack-API-Version, X-OpenStack-Nova-API-Version",
  "X-Openstack-Request-Id": `req-${randomUUID()}`,
};

const PROJECT = "9c53a566cb3443ab910cf0daebca90c4";
let logins = 0;
const login = () =>
  JSON.stringify({
    token: { expires_at: new Date(Date.now() + 24 * 3600_000).toISOString(), project: { id: PROJECT } },
  });

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.method === "POST" && req.url === "/v3/auth/tokens") {
      logins++;
      const token = login();
      res.writeHead(201, {
        "Content-Type": "application/json",
        "Content-Length": String(Buffer.byteLength(token)),
        "X-Subject-Token": "gAAAAABbench-login-token",
      });
      res.end(token);
      return;
    }
    res.writeHead(202, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  parentPort?.postMessage(typeof address === "object" && address ? address.port : 0);
});
parentPort?.on("message", (message) => {
  if (message === "logins") parentPort?.postMessage({ logins });
  if (message === "close") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
