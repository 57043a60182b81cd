// What every adapter needs around the engine and that is not an API rule: the origin a client
// addressed (from a Host header only when it is a valid host[:port]), and a query string safe to log.

// A host name (labels of letters, digits and hyphens) or an IP literal, with an optional port.
const HOST =
  /^(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?))*\.?|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/** True for `host`, `host:port` and `[v6]:port` with a port from 1 to 65535. */
export function isValidHost(host: string): boolean {
  const m = HOST.exec(host);
  if (!m) return false;
  return m[1] === undefined || (Number(m[1]) >= 1 && Number(m[1]) <= 65535);
}

/** The origin for a Host header (else `fallback`); the last one checked is remembered. */
export function originOf(fallback: string): (host: string | undefined) => string {
  let lastHost: string | undefined;
  let lastOrigin = fallback;
  return (host) => {
    if (host === undefined) return fallback;
    if (host !== lastHost) {
      lastHost = host;
      lastOrigin = isValidHost(host) ? `http://${host}` : fallback;
    }
    return lastOrigin;
  };
}

// Query parameters whose values must never reach a log: credentials of every kind.
const SECRET = /token|auth|key|secret|pass|signature|credential|session|sig$/i;

function decoded(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, " "));
  } catch {
    return name;
  }
}

/** The query with every secret-carrying value replaced, judged by the decoded name (`t%6Fken` too). */
export function redactQuery(query: string): string {
  // `;` separates parameters for some servers (and Python's old parse_qs): treat it like `&`.
  return query
    .split(/([&;])/)
    .map((part) => {
      if (part === "&" || part === ";") return part;
      const eq = part.indexOf("=");
      const name = eq >= 0 ? part.slice(0, eq) : part;
      return eq >= 0 && SECRET.test(decoded(name)) ? `${name}=[redacted]` : part;
    })
    .join("");
}
