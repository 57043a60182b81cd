export {
  type CallOptions,
  type CreateImageAction,
  type CreateImageOptions,
  type CreateImageResult,
  createEcsClient,
  type EcsClient,
  type EcsClientOptions,
  type ImageInput,
  type Microversion,
  type RawClient,
  type Version,
} from "./client.js";
export { EcsError, type EcsErrorDetails, type EcsErrorKind } from "./errors.js";
export {
  FAULT_KEYS,
  type FaultKey,
  IMAGE_ID_CARRIERS,
  type KnownMicroversion,
  LATEST,
  MAX_MICROVERSION,
  MIN_MICROVERSION,
} from "./generated/contract.js";
export type { components, operations, paths } from "./generated/openapi.js";
export { checkCreateImageAction, checkImage } from "./validate.js";
