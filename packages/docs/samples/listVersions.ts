import { createEcsClient } from "@ecs-api/client";

// The version list needs no token.
const ecs = createEcsClient({
  baseUrl: process.env.ECS_ENDPOINT ?? "https://ecs.eu-de.otc.t-systems.com",
  projectId: process.env.OS_PROJECT_ID ?? "any",
  token: process.env.OS_AUTH_TOKEN ?? "",
});

// v2.1: "version" is the maximum microversion,
// "min_version" the minimum.
for (const v of await ecs.versions()) console.log(v.id, v.status, v.min_version, v.version);
