// Open Telekom Cloud, AK/SK: every request is signed (SDK-HMAC-SHA256); no login.
// Run: OTC_AK=… OTC_SK=… OTC_PROJECT_ID=… OTC_SERVER_ID=… npx tsx cloud-aksk.ts
import { createEcsClient } from "@ecs-api/client";
import { akskAuth } from "@ecs-api/client/aksk";

const env = (name: string) => process.env[name] ?? "";

const auth = akskAuth({
  accessKey: env("OTC_AK"),
  secretKey: env("OTC_SK"),
  projectId: env("OTC_PROJECT_ID"),
});
const ecs = createEcsClient({ region: "eu-de", auth });
const { imageId } = await ecs.createImage(env("OTC_SERVER_ID"), { name: "backup" }, { wait: true });
console.log("active image", imageId);
