// `@ecs-api/client/aksk`: sign every request with an access key / secret key (SDK-HMAC-SHA256). A
// separate entry point, so a token-only consumer does not bundle the signer.
import { type Credentials, sign } from "@ecs-api/signer";
import type { Authenticator } from "./transport.js";

export type AkskOptions = Credentials;

/** Signs each attempt afresh (new X-Sdk-Date), over the exact body that is sent. */
export function akskAuth(credentials: AkskOptions): Authenticator {
  return {
    headers: (request) => sign(request, credentials),
    session: async () => ({ projectId: credentials.projectId }),
  };
}
