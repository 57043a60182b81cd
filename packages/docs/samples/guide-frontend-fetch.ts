// The mock URL `pnpm start` printed.
const mock = "http://127.0.0.1:4010";

const response = await fetch(`${mock}/v2.1/my-project/servers/7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21/action`, {
  method: "POST",
  headers: {
    "X-Auth-Token": "any-token",
    "Content-Type": "application/json",
    // From 2.45 on the image ID is in the body, so no response header has to be read.
    "OpenStack-API-Version": "compute latest",
  },
  body: JSON.stringify({ createImage: { name: "my-first-image" } }),
});
if (response.status !== 202) throw new Error(`${response.status} ${await response.text()}`);
const { image_id } = (await response.json()) as { image_id: string };
console.log(image_id, response.headers.get("OpenStack-API-Version"));
