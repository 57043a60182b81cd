// Nova builds its validation messages with Python's `%s` and `repr()` of the decoded JSON
// ("Value: {'name': 'a', 'foo': 1}. 'foo' was unexpected"). No npm package renders Python's repr,
// so the few rules needed are written here, after CPython's `unicode_repr` and `str.isprintable`.

// Python's str.isprintable: false for categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs except U+0020.
const NON_PRINTABLE = /[\p{C}\p{Zl}\p{Zp}\p{Zs}]/u;

function escapeChar(ch: string, quote: string): string {
  if (ch === quote || ch === "\\") return `\\${ch}`;
  if (ch === "\t") return "\\t";
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  if (ch === " " || !NON_PRINTABLE.test(ch)) return ch;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}

/** `repr(s)` of a Python str. */
export function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  // for..of walks code points and yields lone surrogates on their own, as Python holds them.
  for (const ch of s) out += escapeChar(ch, quote);
  return out + quote;
}

function reprNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  // JSON.parse cannot tell 1 from 1.0; both are rendered as Python would render the int.
  return String(n);
}

/** `repr()` of a value decoded from JSON, as Python's json.loads would have decoded it. */
export function pyrepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return reprString(value);
  if (typeof value === "number") return reprNumber(value);
  if (Array.isArray(value)) return `[${value.map(pyrepr).join(", ")}]`;
  if (typeof value === "object") {
    const items = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${reprString(k)}: ${pyrepr(v)}`,
    );
    return `{${items.join(", ")}}`;
  }
  return String(value);
}

/** `str()` of a decoded JSON value: a string shows raw, anything else as its repr. */
export function pystr(value: unknown): string {
  return typeof value === "string" ? value : pyrepr(value);
}
