// Open Telekom Cloud, password login: IAM gives a project-scoped token; compute and image endpoints
// come from the token's catalog. Run: OTC_USER=… OTC_PASSWORD=… OTC_DOMAIN=… OTC_SERVER_ID=… npx tsx cloud-password.ts
import { createEcsClient } from "@ecs-api/client";
import { passwordAuth } from "@ecs-api/client/password";

const env = (name: string) => process.env[name] ?? "";

const auth = passwordAuth({
  user: env("OTC_USER"),
  password: env("OTC_PASSWORD"),
  domain: env("OTC_DOMAIN"),
  project: "eu-de",
});
const ecs = createEcsClient({ region: "eu-de", auth });
const { imageId } = await ecs.createImage(env("OTC_SERVER_ID"), { name: "backup" }, { wait: true });
console.log("active image", imageId);
