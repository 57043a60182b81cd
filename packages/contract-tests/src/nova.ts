/**
 * What the real service does, stated independently of the spec: the oracle of the contract tests.
 * The spec, mock, client and docs each read their rules from the spec; these tests check that what
 * they read still matches Nova (nova/api/openstack/compute/servers.py, wsgi.py, exception.py) and
 * the product decisions in docs/behaviour.md. A change to the spec that
 * disagrees with this file fails the suite — that is the point of the mutation check.
 */
export const NOVA = {
  minMicroversion: "2.1",
  /** OTC's maximum ("Querying API Versions"). */
  maxMicroversion: "2.60",
  /** `_action_create_image`: `if api_version_request.is_supported(req, '2.45')` → body, else Location. */
  imageIdInBodyFrom: "2.45",
  /** MAX_IMAGE_META_PROXY_API_VERSION: the metadata quota is checked up to 2.38. */
  metadataQuotaUpTo: "2.38",
  metadataQuota: 128,
  /** OTC: "greater than 0 bytes and less than 243 bytes". */
  nameMaxBytes: 242,
  /** wsgi.py `Fault._fault_names` (406 is not listed: computeFault). */
  faultKeys: {
    400: "badRequest",
    403: "forbidden",
    404: "itemNotFound",
    406: "computeFault",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
  } as Record<number, string>,
} as const;

/** Nova's answer for a server state the mock plays (scenario name → status, fault, message). */
export const SCENARIO_ANSWERS = {
  "not-found": (id: string) => ({
    status: 404,
    fault: "itemNotFound",
    message: `Instance ${id} could not be found.`,
  }),
  "vm-state-error": (id: string) => ({
    status: 409,
    fault: "conflictingRequest",
    message: `Cannot 'createImage' instance ${id} while it is in vm_state error`,
  }),
  "snapshot-pending": (id: string) => ({
    status: 409,
    fault: "conflictingRequest",
    message: `Cannot 'createImage' instance ${id} while it is in task_state image_snapshot_pending`,
  }),
} as const;
