// `@ecs-api/client/aksk`: sign every request with an access key / secret key (SDK-HMAC-SHA256). A
// separate entry point, so a token-only consumer does not bundle the signer.
import { type Credentials, sign } from "@ecs-api/signer";
import { EcsError } from "./errors.js";
import { type Authenticator, HEADER_SAFE } from "./transport.js";

export type AkskOptions = Credentials;

/** Signs each attempt afresh (new X-Sdk-Date), over the exact body that is sent. */
export function akskAuth(credentials: AkskOptions): Authenticator {
  // An empty key (an unset environment variable) would only fail at the first signature, as Web
  // Crypto's DataError; say which option is missing at once instead.
  for (const option of ["accessKey", "secretKey"] as const) {
    if (!credentials[option]) throw new EcsError("invalid-request", `akskAuth needs ${option}`);
  }
  // Sent in headers (Authorization, X-Project-Id, X-Security-Token): fetch would refuse them later,
  // as a bare TypeError.
  for (const option of ["accessKey", "projectId", "securityToken"] as const) {
    const value = credentials[option];
    if (value !== undefined && !HEADER_SAFE.test(value)) {
      throw new EcsError("invalid-request", `akskAuth: ${option} must be printable ASCII`);
    }
  }
  return {
    headers: (request) => sign(request, credentials),
    session: async () => ({ projectId: credentials.projectId }),
  };
}
