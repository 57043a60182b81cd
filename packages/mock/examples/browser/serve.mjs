// Serves the example page on loopback: index.html, and main.js bundled for the browser with
// esbuild (again on every page load, so an edit shows on reload). Nothing is added to the mock:
// the page talks to a running `ecs-mock` across origins, as a frontend talks to the cloud.
//
//   node packages/mock/examples/browser/serve.mjs [--port 4020]   (0: any free port)
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEMO_LOGIN, SCENARIOS } from "@ecs-api/mock";
import { loadModel, OPERATIONS } from "@ecs-api/spec";
import { context } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
// @ecs-api/mock cannot depend on @ecs-api/client (the client's tests depend on the mock: a cycle),
// so the client is taken from its workspace folder, through its own package exports.
const clientDir = fileURLToPath(new URL("../../../client/", import.meta.url));
const fromClient = createRequire(`${clientDir}package.json`);

const { values } = parseArgs({ options: { port: { type: "string", default: "4020" } } });
if (!existsSync(`${clientDir}dist/index.js`)) {
  process.stderr.write("serve.mjs: @ecs-api/client is not built yet: run `pnpm build` first\n");
  process.exit(1);
}

// The form's defaults, from where they are defined: the mock's demo login and the spec's example
// server and reserved server IDs.
const serverId = loadModel()
  .operation(OPERATIONS.createImage)
  .parameters.find((p) => p.name === "server_id")?.example;
const defaults = {
  mockUrl: "http://127.0.0.1:4010",
  login: DEMO_LOGIN,
  server: serverId,
  failingServer: SCENARIOS["snapshot-fails"],
};

const bundler = await context({
  entryPoints: [`${here}main.js`],
  bundle: true,
  platform: "browser",
  format: "esm",
  write: false,
  define: { DEFAULTS: JSON.stringify(defaults) },
  plugins: [
    {
      name: "workspace-client",
      setup(build) {
        build.onResolve({ filter: /^@ecs-api\/client(\/|$)/ }, (args) => ({
          path: fromClient.resolve(args.path),
        }));
      },
    },
  ],
});

const server = createServer(async (req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  try {
    if (path === "/" || path === "/index.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(readFileSync(`${here}index.html`));
    } else if (path === "/main.js") {
      const { outputFiles } = await bundler.rebuild();
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      res.end(outputFiles[0].contents);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    }
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
  }
});
server.listen(Number(values.port), "127.0.0.1", () => {
  process.stdout.write(`example page on http://127.0.0.1:${server.address().port}/ (the mock: pnpm mock)\n`);
});
const stop = () => server.close(() => bundler.dispose().then(() => process.exit(0)));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
