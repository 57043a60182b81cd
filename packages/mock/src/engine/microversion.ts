// Microversion negotiation, which OpenAPI cannot express: which header wins (openstack/
// microversion-parse get_version), what `latest` means, and Nova's two faults. The header names,
// the syntax and the range come from the spec; only the precedence rules are written here.
import { compareMicroversions } from "@ecs-api/spec/microversion";
import { invalidVersionFormat, versionNotSupported } from "./messages.js";

export interface MicroversionRules {
  /** Lower-cased names: the standard header (`OpenStack-API-Version`) and the legacy one. */
  standardHeader: string;
  legacyHeader: string;
  /** The service type Nova passes to microversion_parse.get_version (the spec's `compute`). */
  serviceType: string;
  /** The keyword for the maximum (the spec's `latest`). */
  latest: string;
  /** The spec's `Microversion` pattern ("X.Y" or "latest"). */
  pattern: RegExp;
  min: string;
  max: string;
  /** Every version from min to max, for an O(1) answer to the common case. */
  served?: ReadonlySet<string>;
}

export type Negotiated =
  | { ok: true; version: string }
  /** 400 or 406; `version` is what the answer's version headers carry (none for a 400). */
  | { ok: false; status: 400 | 406; message: string; version: string | undefined };

/** Lower-cased names; a repeated header arrives as one comma-separated value, as microversion-parse reads it. */
type Headers = Readonly<Record<string, string | undefined>>;

/**
 * The requested version string, or undefined for "none sent" (microversion_parse.get_version):
 * the last entry for the service type of `OpenStack-API-Version` wins; without one, the last value of the
 * legacy header; an entry for another service is ignored.
 */
export function requestedVersion(headers: Headers, rules: MicroversionRules): string | undefined {
  const standard = headers[rules.standardHeader];
  if (standard !== undefined) {
    for (const entry of standard.split(",").reverse()) {
      const parts = /^(\S+)\s+(.*)$/s.exec(entry.trim());
      if (parts && (parts[1] ?? "").toLowerCase() === rules.serviceType) return (parts[2] ?? "").trim();
    }
  }
  const legacy = headers[rules.legacyHeader];
  if (legacy !== undefined) return (legacy.split(",").pop() ?? "").trim();
  return undefined;
}

export function negotiate(headers: Headers, rules: MicroversionRules): Negotiated {
  const requested = requestedVersion(headers, rules);
  if (requested === undefined) return { ok: true, version: rules.min };
  if (requested === rules.latest) return { ok: true, version: rules.max };
  if (rules.served?.has(requested)) return { ok: true, version: requested };
  if (!rules.pattern.test(requested)) {
    // Nova never set a version on the request (APIVersionRequest raised first), so its Fault
    // carries no version headers; the 406 below echoes the version it did set.
    return { ok: false, status: 400, message: invalidVersionFormat(requested), version: undefined };
  }
  if (compareMicroversions(requested, rules.min) < 0 || compareMicroversions(requested, rules.max) > 0) {
    return {
      ok: false,
      status: 406,
      message: versionNotSupported(requested, rules.min, rules.max),
      version: requested,
    };
  }
  return { ok: true, version: requested };
}
