import { createEcsClient } from "@ecs-api/client";

// Deprecated: use /v2.1. /v2 has no microversions
// and always answers with Location.
function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
}

const ecs = createEcsClient({
  baseUrl: env("ECS_ENDPOINT"),
  projectId: env("OS_PROJECT_ID"),
  token: env("OS_AUTH_TOKEN"),
});

const image = await ecs.createImage(env("SERVER_ID"), { name: "foo-image" }, { legacyV2: true });
console.log(image.imageId, image.location);
