// Nova's message texts. OpenAPI cannot state how a message is built from the request, so the
// formats live here, in the Nova layer, each with the source it was read from (openstack/nova
// master; the facts are summarised in docs/behaviour.md). Messages that never vary
// ("Malformed request body", "Unsupported Content-Type", ...) are NOT here: they come from the
// spec's examples through Prism's response templates.

/** nova/exception.py InvalidAPIVersionString. */
export const invalidVersionFormat = (version: string) =>
  `API Version String ${version} is of invalid format. Must be of format MajorNum.MinorNum.`;

/** nova/exception.py InvalidGlobalAPIVersion. */
export const versionNotSupported = (version: string, min: string, max: string) =>
  `Version ${version} is not supported by the API. Minimum is ${min} and maximum is ${max}.`;

/** nova/exception.py InstanceNotFound. */
export const instanceNotFound = (serverId: string) => `Instance ${serverId} could not be found.`;

/** nova/api/openstack/common.py raise_http_conflict_for_instance_invalid_state. */
export const invalidState = (serverId: string, attr: "vm_state" | "task_state", state: string) =>
  `Cannot 'createImage' instance ${serverId} while it is in ${attr} ${state}`;

/** nova/api/openstack/wsgi.py _process_stack, KeyError from the action lookup. */
export const noSuchAction = (action: string) => `There is no such action: ${action}`;

/** webob's HTTPNotFound explanation, which Nova's Fault sends for an unroutable request. */
export const RESOURCE_NOT_FOUND = "The resource could not be found.";

/** nova/exception.py InvalidName with parameter_types.valid_name_regex's reason. */
export const INVALID_NAME =
  "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.";

/** nova/api/validation/validators.py _SchemaValidator.validate, for an error below the root. */
export const invalidInput = (field: string, value: string, reason: string) =>
  `Invalid input for field/attribute ${field}. Value: ${value}. ${reason}`;

/** nova/api/validation/validators.py _SchemaValidator.validate, for a query parameter. */
export const invalidQuery = (name: string, value: string, reason: string) =>
  `Invalid input for query parameters ${name}. Value: ${value}. ${reason}`;

/** jsonschema's FormatChecker.check for Nova's `regex` format (validators.py _validate_regex_format). */
export const notARegex = (valueRepr: string) => `${valueRepr} is not a 'regex'`;

/** nova/api/validation/__init__.py query_schema, when webob cannot decode the query. */
export const QUERY_NOT_UTF8 = "Query string is not UTF-8 encoded";

/**
 * A connection over the server's cap: webob's HTTPServiceUnavailable explanation, under the fault key
 * Nova's Fault gives 503 (wsgi.py `_fault_names`). The spec declares no 503, so the key is here.
 */
export const SERVICE_UNAVAILABLE = {
  faultKey: "serviceUnavailable",
  message: "The server is currently unavailable. Please try again at a later time.",
} as const;
