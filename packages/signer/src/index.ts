/**
 * AK/SK signing as the Huawei / OTC API gateway checks it (`SDK-HMAC-SHA256`, Huawei's "API Request
 * Signing Guide"). Hand-written rather than a dependency: Huawei's own signers need `node:crypto` or
 * pull in a whole SDK, and the client must run in browsers; Web Crypto does the hashing here.
 */

export interface SignableRequest {
  method: string;
  /** Absolute URL, query included. */
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

export interface Credentials {
  accessKey: string;
  secretKey: string;
  /** Temporary credentials' security token, sent as `X-Security-Token`. */
  securityToken?: string;
  /** Sent as `X-Project-Id` (project-scoped calls). */
  projectId?: string;
}

export type VerifyFailure = "missing" | "malformed" | "unknown-key" | "bad-signature" | "expired";

export const ALGORITHM = "SDK-HMAC-SHA256";
export const DATE_HEADER = "X-Sdk-Date";
export const PROJECT_HEADER = "X-Project-Id";
export const SECURITY_TOKEN_HEADER = "X-Security-Token";
/** How far X-Sdk-Date may be from now, as the gateway allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const encoder = new TextEncoder();
const bytes = (data: Uint8Array | string | undefined): Uint8Array =>
  typeof data === "string" ? encoder.encode(data) : (data ?? new Uint8Array());

const hex = (buffer: ArrayBuffer): string => {
  let out = "";
  for (const b of new Uint8Array(buffer)) out += b.toString(16).padStart(2, "0");
  return out;
};

const sha256Hex = async (data: Uint8Array | string | undefined) =>
  hex(await crypto.subtle.digest("SHA-256", bytes(data) as Uint8Array<ArrayBuffer>));

// Importing the key is the dearest step of a signature; a client signs with one SK all the time, and
// a verifier with a few. The cache is small and holds non-extractable keys only.
const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    if (keys.size >= 16) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

async function hmacHex(secret: string, data: string): Promise<string> {
  return hex(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(data)));
}

/** RFC 3986 unreserved characters stay; encodeURIComponent leaves `!'()*` too, which 3986 reserves. */
export const encodeRfc3986 = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A URL's path is already percent-encoded; decode each segment first so it is not encoded twice. */
const decodeSafe = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export function canonicalUri(url: URL): string {
  const path = url.pathname
    .split("/")
    .map((segment) => encodeRfc3986(decodeSafe(segment)))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

export function canonicalQuery(url: URL): string {
  const pairs = [...url.searchParams].map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

const lowerCased = (headers: Record<string, string>): Map<string, string> => {
  const out = new Map<string, string>();
  for (const name in headers) out.set(name.toLowerCase(), headers[name] as string);
  return out;
};

/** The canonical request over `signed` (lower-case names, sorted); undefined when one is absent. */
export async function canonicalRequest(
  request: SignableRequest,
  signed: readonly string[],
): Promise<string | undefined> {
  const url = new URL(request.url);
  const headers = lowerCased(request.headers);
  // fetch's Request carries no Host header; the host the request goes to is the URL's.
  if (!headers.has("host")) headers.set("host", url.host);
  let block = "";
  for (const name of signed) {
    const value = headers.get(name);
    if (value === undefined) return undefined;
    block += `${name}:${value.trim()}\n`;
  }
  return [
    request.method.toUpperCase(),
    canonicalUri(url),
    canonicalQuery(url),
    block,
    signed.join(";"),
    await sha256Hex(request.body),
  ].join("\n");
}

export const stringToSign = async (date: string, canonical: string) =>
  `${ALGORITHM}\n${date}\n${await sha256Hex(canonical)}`;

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export const formatDate = (date: Date): string => date.toISOString().replace(/[-:]|\.\d{3}/g, "");

const DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
export function parseDate(value: string): Date | undefined {
  const m = DATE_PATTERN.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The headers to add: X-Sdk-Date, Authorization, and X-Project-Id / X-Security-Token when given. `date` defaults to now. */
export async function sign(
  request: SignableRequest,
  credentials: Credentials,
  date: Date = new Date(),
): Promise<Record<string, string>> {
  const added: Record<string, string> = { [DATE_HEADER]: formatDate(date) };
  if (credentials.projectId !== undefined) added[PROJECT_HEADER] = credentials.projectId;
  if (credentials.securityToken !== undefined) added[SECURITY_TOKEN_HEADER] = credentials.securityToken;
  // Every header the caller sends is signed, plus ours and host; an Authorization already there is not.
  const all = { ...request.headers, ...added };
  const names = new Set(Object.keys(all).map((n) => n.toLowerCase()));
  names.delete("authorization");
  names.add("host");
  const signed = [...names].sort();
  const canonical = (await canonicalRequest({ ...request, headers: all }, signed)) as string;
  const signature = await hmacHex(
    credentials.secretKey,
    await stringToSign(added[DATE_HEADER] as string, canonical),
  );
  added.Authorization = `${ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signed.join(";")}, Signature=${signature}`;
  return added;
}

const AUTH_PATTERN = new RegExp(
  `^${ALGORITHM} +Access=([^,\\s]+), *SignedHeaders=([^,\\s]+), *Signature=([0-9a-fA-F]+)$`,
);

/** Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`; undefined when it is not that shape. */
export function parseAuthorization(
  value: string,
): { accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  const m = AUTH_PATTERN.exec(value.trim());
  if (!m) return undefined;
  const signedHeaders = (m[2] as string).split(";");
  if (signedHeaders.some((h) => h === "")) return undefined;
  return { accessKey: m[1] as string, signedHeaders, signature: (m[3] as string).toLowerCase() };
}

/** Compares in time independent of where the strings first differ. */
const sameText = (a: string, b: string) => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
};

/** Verifies a signed request (headers lower- or mixed-case). `secretFor` returns the SK of an AK, or undefined. */
export async function verify(
  request: SignableRequest,
  secretFor: (accessKey: string) => string | undefined,
  now: Date = new Date(),
): Promise<{ ok: true; accessKey: string } | { ok: false; reason: VerifyFailure }> {
  const headers = lowerCased(request.headers);
  const authorization = headers.get("authorization");
  if (authorization === undefined) return { ok: false, reason: "missing" };
  const parsed = parseAuthorization(authorization);
  const sdkDate = headers.get(DATE_HEADER.toLowerCase());
  const signed = parsed?.signedHeaders;
  if (
    !parsed ||
    !signed?.includes("host") ||
    !signed.includes(DATE_HEADER.toLowerCase()) ||
    signed.some((h) => h !== h.toLowerCase() || h === "authorization")
  ) {
    return { ok: false, reason: "malformed" };
  }
  const date = sdkDate === undefined ? undefined : parseDate(sdkDate.trim());
  if (!date) return { ok: false, reason: "malformed" };
  const secret = secretFor(parsed.accessKey);
  if (secret === undefined) return { ok: false, reason: "unknown-key" };
  if (Math.abs(now.getTime() - date.getTime()) > MAX_CLOCK_SKEW_MS) return { ok: false, reason: "expired" };
  // The signer sorts; a client that lists the names in another order signed that order.
  const canonical = await canonicalRequest(request, signed);
  if (canonical === undefined) return { ok: false, reason: "bad-signature" };
  const expected = await hmacHex(secret, await stringToSign((sdkDate as string).trim(), canonical));
  return sameText(expected, parsed.signature)
    ? { ok: true, accessKey: parsed.accessKey }
    : { ok: false, reason: "bad-signature" };
}
