import type { FaultKey } from "./generated/contract.js";

/**
 * What went wrong, so callers can branch without parsing messages:
 * - `http`: the service answered with an error status (`status`, `fault`, `requestId` set);
 * - `invalid-request`: refused before sending (malformed microversion, server ID or body; a body
 *   that breaks the spec also carries `fault`, the one the service would answer: `badRequest`);
 * - `invalid-response`: a success the contract does not describe (e.g. no image ID);
 * - `version`: `negotiate()` found no microversion both sides support;
 * - `timeout`, `abort`, `network`: no answer; `cause` holds the underlying error;
 * - `token`: `getToken()` or the password login failed; `cause` holds its error (an `http` EcsError
 *   when IAM refused the credentials);
 * - `endpoint`: no endpoint for a service (no region, catalog entry or explicit URL), or one given
 *   in a form the client refuses (the message says what to pass);
 * - `snapshot-failed`: while waiting, the image vanished (404: Nova deletes it when the snapshot
 *   fails) or turned `killed`/`deleted`;
 * - `wait-timeout`: the image was not active within the wait's total timeout.
 */
export type EcsErrorKind =
  | "http"
  | "invalid-request"
  | "invalid-response"
  | "version"
  | "timeout"
  | "abort"
  | "network"
  | "token"
  | "endpoint"
  | "snapshot-failed"
  | "wait-timeout";

export interface EcsErrorDetails {
  status?: number | undefined;
  fault?: string | undefined;
  requestId?: string | undefined;
  microversion?: string | undefined;
  body?: unknown;
  cause?: unknown;
}

/** The one error type every call of this client rejects with. */
export class EcsError extends Error {
  declare readonly kind: EcsErrorKind;
  /** HTTP status of the answer (`http` only). */
  declare readonly status: number | undefined;
  /** Nova fault key (`badRequest`, `itemNotFound`, …) or Keystone's error title (`Unauthorized`) for a 401. */
  declare readonly fault: FaultKey | (string & {}) | undefined;
  /** `X-Openstack-Request-Id` of the answer, for support cases. */
  declare readonly requestId: string | undefined;
  /** The microversion the service answered with, else the one requested. */
  declare readonly microversion: string | undefined;
  /** The parsed error body (or its text when it is not JSON). */
  declare readonly body: unknown;

  constructor(kind: EcsErrorKind, message: string, { cause, ...details }: EcsErrorDetails = {}) {
    // The status and request ID go into the message, so a log line alone is enough for a support case.
    const { status, requestId } = details;
    const where = [status && `HTTP ${status}`, requestId && `request ${requestId}`]
      .filter(Boolean)
      .join(", ");
    super(where ? `${message} (${where})` : message, cause === undefined ? undefined : { cause });
    // `declare` fields plus one assign: the fields cost no bytes in the consumer's bundle.
    Object.assign(this, { name: "EcsError", kind }, details);
  }
}
