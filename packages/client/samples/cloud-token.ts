// Open Telekom Cloud, a token you already have (for example from `openstack token issue`).
// Run: OTC_TOKEN=… OTC_PROJECT_ID=… OTC_SERVER_ID=… npx tsx cloud-token.ts
import { createEcsClient } from "@ecs-api/client";

const env = (name: string) => process.env[name] ?? "";

const ecs = createEcsClient({ region: "eu-de", projectId: env("OTC_PROJECT_ID"), token: env("OTC_TOKEN") });
const { imageId } = await ecs.createImage(env("OTC_SERVER_ID"), { name: "backup" }, { wait: true });
console.log("active image", imageId);
