// Protocol names, as constants. Code spells a header or field name through these, never as a
// literal of its own. They are not a second source of truth: `buildModel()` checks every one against
// the document (a spec that renames one fails to load), and the client's generated types check them
// again with `satisfies` (a rename breaks the build).

export const NAMES = {
  /** Service type in `OpenStack-API-Version: <type> X.Y` (the header's pattern starts with it). */
  serviceType: "compute",
  /** The keyword for the maximum (the word alternative of the `Microversion` pattern). */
  latest: "latest",
  /** The `apiKey` header that carries the token. */
  tokenHeader: "X-Auth-Token",
  standardVersionHeader: "OpenStack-API-Version",
  legacyVersionHeader: "X-OpenStack-Nova-API-Version",
  requestIdHeader: "X-Openstack-Request-Id",
  locationHeader: "Location",
  /** The action key of the createImage body and the 2.45 body's ID field. */
  actionKey: "createImage",
  imageIdField: "image_id",
} as const;

export type NameKey = keyof typeof NAMES;

/** The operationIds code refers to. `buildModel()` fails when the spec lacks one. */
export const OPERATIONS = {
  createImage: "createImage",
  createImageLegacyV2: "createImageLegacyV2",
  listVersions: "listVersions",
  showVersionV21: "showVersionV21",
  showVersionV21NoSlash: "showVersionV21NoSlash",
  showVersionV2: "showVersionV2",
} as const;

/** Schema titles code refers to (the dereferenced bundle keeps `title`, not `$ref` names). */
export const SCHEMAS = {
  imageName: "ImageName",
  imageMetadata: "ImageMetadata",
  createImageAction: "CreateImageAction",
  createImage: "CreateImage",
  createImageResult: "CreateImageResult",
  microversion: "Microversion",
  uuid: "Uuid",
} as const;
