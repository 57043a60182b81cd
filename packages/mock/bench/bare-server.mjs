// The baseline: a bare node:http server that reads the body and answers a fixed 202 with a
// Location, the least any createImage server can do.
import { createServer } from "node:http";

const port = Number(process.argv[2]);
createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(202, {
      Location: "http://127.0.0.1/images/0e7761dd-ee98-41f0-ba35-05994e446431",
      "Content-Length": 0,
    });
    res.end();
  });
}).listen(port, "127.0.0.1", () => process.stdout.write(`listening on http://127.0.0.1:${port}\n`));
