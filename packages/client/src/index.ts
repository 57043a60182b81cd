export {
  type CallOptions,
  type CreateImageAction,
  type CreateImageOptions,
  type CreateImageResult,
  createEcsClient,
  type EcsClient,
  type EcsClientOptions,
  type Image,
  type ImageInput,
  type ImageStatus,
  type Microversion,
  type RawClient,
  type Server,
  type TaskState,
  type Version,
  type WaitOptions,
  type WaitProgress,
} from "./client.js";
export { type Endpoints, mockEndpoints, type Region } from "./endpoints.js";
export { EcsError, type EcsErrorDetails, type EcsErrorKind } from "./errors.js";
export {
  FAULT_KEYS,
  type FaultKey,
  IMAGE_ID_CARRIERS,
  type KnownMicroversion,
  LATEST,
  MAX_MICROVERSION,
  MIN_MICROVERSION,
  REGIONS,
} from "./generated/contract.js";
export type { components, operations, paths } from "./generated/openapi.js";
export type {
  AuthContext,
  Authenticator,
  CatalogEntry,
  Outgoing,
  RetryOptions,
  Send,
  SendPolicy,
  Service,
  Session,
} from "./transport.js";
export { checkCreateImageAction, checkImage } from "./validate.js";
