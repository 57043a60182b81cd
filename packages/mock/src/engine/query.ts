// A query string as Nova reads it: webob's `req.GET` (parse_qsl_text) splits pairs on `&` and `;`,
// turns `+` into a space, percent-decodes to bytes and decodes them as strict UTF-8; a repeated
// parameter is a list whose last value `req.GET[name]` returns. Nova's query_schema answers a query
// that is not UTF-8 with a 400 before anything else. One pass over the query.

/** A parsed query: every value of each name, in order; undefined when it is not UTF-8. */
export type WebobQuery = Map<string, string[]>;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const hex = (c: number) =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;

/** Percent-decodes one name or value to bytes (`%zz` stays as it is, as urllib's unquote leaves it). */
function unquote(part: string): string {
  if (!part.includes("%") && !part.includes("+") && !/[\u0080-\uffff]/.test(part)) return part;
  const bytes: number[] = [];
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    const high = c === 0x25 && i + 2 < part.length ? hex(part.charCodeAt(i + 1)) : -1;
    const low = high >= 0 ? hex(part.charCodeAt(i + 2)) : -1;
    if (low >= 0) {
      bytes.push(high * 16 + low);
      i += 2;
    } else if (c === 0x2b) bytes.push(0x20);
    else if (c < 0x100) bytes.push(c);
    else for (const b of new TextEncoder().encode(String.fromCharCode(c))) bytes.push(b);
  }
  return utf8.decode(new Uint8Array(bytes));
}

/** The query's parameters, or undefined when a name or value is not UTF-8. */
export function parseWebobQuery(raw: string): WebobQuery | undefined {
  const out: WebobQuery = new Map();
  try {
    for (const pair of raw.split(/[&;]/)) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      const name = unquote(eq >= 0 ? pair.slice(0, eq) : pair);
      const value = eq >= 0 ? unquote(pair.slice(eq + 1)) : "";
      const list = out.get(name);
      if (list) list.push(value);
      else out.set(name, [value]);
    }
  } catch {
    return undefined;
  }
  return out;
}
