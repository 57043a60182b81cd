import { createEcsClient, EcsError } from "@ecs-api/client";

// The mock URL `pnpm start` printed. The mock accepts any project ID and any non-empty token.
const ecs = createEcsClient({
  baseUrl: "http://127.0.0.1:4010",
  projectId: "my-project",
  token: "any-token",
});

try {
  // "latest" gets the image ID in the body; older microversions get it from Location. The client reads either.
  const image = await ecs.createImage(
    "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21",
    { name: "my-first-image" },
    { microversion: "latest" },
  );
  console.log(image.imageId, image.microversion);
} catch (error) {
  // A reserved server ID (table above) answers with Nova's status, fault key and message.
  if (!(error instanceof EcsError) || error.kind !== "http") throw error;
  console.error(error.status, error.fault, error.message);
}
