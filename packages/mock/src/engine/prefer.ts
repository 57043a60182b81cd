// Prism's response selection (`Prefer: code=…, example=…, dynamic=…` or the `__code`, `__example`,
// `__dynamic`, `__seed` query parameters), read as plain data. With a live Prism injected (Node),
// Prism itself parses and answers; without one (the browser), `code` and `example` are served from
// the precompiled templates, which is all a template can hold.

const PREFER_QUERY = ["__code", "__example", "__dynamic", "__seed"];

export interface Preference {
  code: number | undefined;
  example: string | undefined;
}

/** True when the request asks for a Prism feature. */
export function wantsPrism(
  headers: Readonly<Record<string, string>>,
  query: URLSearchParams | undefined,
): boolean {
  if (headers.prefer !== undefined) return true;
  return query !== undefined && PREFER_QUERY.some((k) => query.has(k));
}

const preferValue = (prefer: string | undefined, name: string) =>
  prefer === undefined ? undefined : new RegExp(`(?:^|[,;\\s])${name}=([^,;\\s]+)`).exec(prefer)?.[1];

/** The example the request names (`Prefer: example=…` or `__example`): it is then answered verbatim. */
export function namedExample(
  headers: Readonly<Record<string, string>>,
  query: URLSearchParams | undefined,
): string | undefined {
  return preferValue(headers.prefer, "example") ?? query?.get("__example") ?? undefined;
}

/** The code and example a request prefers, for answering from templates. */
export function preference(
  headers: Readonly<Record<string, string>>,
  query: URLSearchParams | undefined,
): Preference {
  const codeText = preferValue(headers.prefer, "code") ?? query?.get("__code") ?? undefined;
  const code = codeText !== undefined && /^[1-5][0-9]{2}$/.test(codeText) ? Number(codeText) : undefined;
  return { code, example: namedExample(headers, query) };
}
