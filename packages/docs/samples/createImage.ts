import { createEcsClient } from "@ecs-api/client";

// ECS_ENDPOINT: https://ecs.eu-de.otc.t-systems.com
// OS_PROJECT_ID, OS_AUTH_TOKEN (an IAM token), SERVER_ID
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

// From 2.45 the image ID is in the body; below 2.45 it
// is the end of Location. The client reads either.
const image = await ecs.createImage(
  env("SERVER_ID"),
  { name: "foo-image", metadata: { meta_var: "meta_val" } },
  { microversion: "2.45" },
);
console.log(image.imageId, image.microversion);
