// The same workflow against the local mock (`npx ecs-mock`, http://127.0.0.1:4010): password login at
// its identity service, AK/SK (start it with `--aksk my-access-key:my-secret-key`), and a token.
// Run: npx tsx mock.ts   (ECS_MOCK_URL overrides the address)
import { createEcsClient, EcsError, mockEndpoints } from "@ecs-api/client";
import { akskAuth } from "@ecs-api/client/aksk";
import { passwordAuth } from "@ecs-api/client/password";

const endpoints = mockEndpoints(process.env.ECS_MOCK_URL ?? "http://127.0.0.1:4010");
const server = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
const projectId = "9c53a566cb3443ab910cf0daebca90c4";

const clients = {
  password: createEcsClient({
    endpoints,
    auth: passwordAuth({
      user: "alice",
      password: "any-password",
      domain: "OTC00000000001000000001",
      project: "eu-de",
    }),
  }),
  aksk: createEcsClient({
    endpoints,
    auth: akskAuth({ accessKey: "my-access-key", secretKey: "my-secret-key", projectId }),
  }),
  token: createEcsClient({ endpoints, projectId, token: "my-keystone-token" }),
};

for (const [mode, ecs] of Object.entries(clients)) {
  try {
    const { imageId, image } = await ecs.createImage(
      server,
      { name: `sample-${mode}` },
      {
        wait: {
          intervalMs: 200,
          onProgress: ({ status, taskState }) => console.log(mode, status, taskState),
        },
      },
    );
    console.log(mode, "active image", imageId, image.status);
  } catch (error) {
    // Every failure is an EcsError whose kind names the cause and whose message has status and request ID.
    if (error instanceof EcsError) console.log(mode, error.kind, error.message);
    else throw error;
  }
}
