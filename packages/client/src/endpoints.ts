// Where each service is: explicit URL, the token's catalog, or the region's URL from the spec.
import { EcsError } from "./errors.js";
import { CLOUD_URLS, MOCK_URLS, REGIONS } from "./generated/contract.js";
import type { CatalogEntry, Service } from "./transport.js";

export type Region = (typeof REGIONS)[number];
export type Endpoints = Partial<Record<Service, string>>;

const endpointError = (message: string) => new EcsError("endpoint", message);

/** The spec's cloud URL of a service in a region. */
export function regionUrl(service: Service, region: string): string {
  if (!(REGIONS as readonly string[]).includes(region)) {
    throw endpointError(`Unknown region ${JSON.stringify(region)}: use one of ${REGIONS.join(", ")}`);
  }
  return CLOUD_URLS[service].replace("{region}", region);
}

/**
 * The endpoints of the mock at `origin` (default: the spec's `http://127.0.0.1:4010`), each service
 * at the path the spec's servers give it.
 */
export function mockEndpoints(origin: string = MOCK_URLS.compute): Required<Endpoints> {
  const base = origin.replace(/\/+$/, "");
  const under = (url: string) => base + url.slice(MOCK_URLS.compute.length);
  return { compute: base, image: under(MOCK_URLS.image), identity: under(MOCK_URLS.identity) };
}

// `/v2.1/<project>` or `/v2/<project>` (or just the version) at the end of a compute URL.
const COMPUTE_TAIL = /\/v2(?:\.1)?(?:\/([^/]+))?\/*$/;

/**
 * A compute URL without version and project (what the client appends itself), and the project it
 * named. Refuses a URL whose project differs from the one given, saying what to pass instead.
 */
export function normaliseCompute(
  url: string,
  projectId: string | undefined,
): { url: string; projectId?: string } {
  const trimmed = url.replace(/\/+$/, "");
  const match = COMPUTE_TAIL.exec(trimmed);
  if (!match) return { url: trimmed };
  const base = trimmed.slice(0, match.index);
  const named = match[1] && decodeURIComponent(match[1]);
  if (named && projectId !== undefined && named !== projectId) {
    throw endpointError(
      `${url} names project ${named}, not ${projectId}: pass ${base} (no version, no project)`,
    );
  }
  return named ? { url: base, projectId: named } : { url: base };
}

/** An image URL without the `/v2` the client appends itself. */
export const normaliseImage = (url: string) => url.replace(/\/+$/, "").replace(/\/v2$/, "");
/** An identity URL without the `/v3` the client appends itself. */
export const normaliseIdentity = (url: string) => url.replace(/\/+$/, "").replace(/\/v3$/, "");

/** The public endpoint of a service type in the catalog, for the region when one is given. */
export function fromCatalog(
  catalog: readonly CatalogEntry[] | undefined,
  type: string,
  region: string | undefined,
): string | undefined {
  for (const entry of catalog ?? []) {
    if (entry.type !== type) continue;
    const found = entry.endpoints.find(
      (e) =>
        e.interface === "public" &&
        (region === undefined || e.region === region || e.region_id === region || e.region === "*"),
    );
    if (found) return found.url;
  }
  return undefined;
}
