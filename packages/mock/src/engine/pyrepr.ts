// Nova builds its validation messages with Python's `%s` and `repr()` of the decoded JSON
// ("Value: {'name': 'a', 'foo': 1}. 'foo' was unexpected"). No npm package renders Python's repr,
// so the few rules needed are written here, after CPython's `unicode_repr` and `str.isprintable`.
// Request values are walked without recursion and strings are copied in runs, so a repr costs time
// linear in its length, however wide or deep the value.
import { ownKeys } from "./own-keys.js";

// What repr escapes: Python's str.isprintable is false for categories Cc, Cf, Cs, Co, Cn, Zl, Zp
// and Zs except U+0020 (`[^\P{Zs} ]` is "Zs but not the space"); quotes and the backslash too.
const ESCAPED = /[\p{C}\p{Zl}\p{Zp}\\'"]|[^\P{Zs} ]/gu;
const NEEDS_ESCAPE = /[\p{C}\p{Zl}\p{Zp}\\'"]|[^\P{Zs} ]/u;

function escapeChar(ch: string, quote: string): string {
  if (ch === quote || ch === "\\") return `\\${ch}`;
  if (ch === "'" || ch === '"') return ch;
  if (ch === "\t") return "\\t";
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}

// Printable ASCII without quotes and backslash: nothing to escape (a plain class, so V8 scans it fast).
const PLAIN_ASCII = /^[\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e]*$/;

/** `repr(s)` of a Python str (a lone surrogate is one code point, as Python holds it). */
export function reprString(s: string): string {
  if (PLAIN_ASCII.test(s) || !NEEDS_ESCAPE.test(s)) return `'${s}'`;
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  return quote + s.replace(ESCAPED, (ch) => escapeChar(ch, quote)) + quote;
}

function reprNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  // JSON.parse cannot tell 1 from 1.0; both are rendered as Python would render the int.
  return String(n);
}

function reprScalar(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return reprString(value);
  if (typeof value === "number") return reprNumber(value);
  return String(value);
}

/** A list or dict being rendered: its keys (a dict) or undefined (a list), and the next index. */
interface Frame {
  node: Record<string, unknown> | unknown[];
  keys: readonly string[] | undefined;
  next: number;
}

/** `repr()` of a value decoded from JSON, as Python's json.loads would have decoded it. */
export function pyrepr(value: unknown): string {
  let out = "";
  const frames: Frame[] = [];
  let current: unknown = value;
  for (;;) {
    if (Array.isArray(current)) {
      out += "[";
      frames.push({ node: current, keys: undefined, next: 0 });
    } else if (current !== null && typeof current === "object") {
      out += "{";
      frames.push({ node: current as Record<string, unknown>, keys: ownKeys(current), next: 0 });
    } else {
      out += reprScalar(current);
    }
    // The next value to render: the following item of the innermost open container, closing
    // every container that has none left.
    let more = false;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as Frame;
      const size = frame.keys ? frame.keys.length : (frame.node as unknown[]).length;
      if (frame.next < size) {
        if (frame.next > 0) out += ", ";
        if (frame.keys) {
          const key = frame.keys[frame.next] as string;
          out += `${reprString(key)}: `;
          current = (frame.node as Record<string, unknown>)[key];
        } else {
          current = (frame.node as unknown[])[frame.next];
        }
        frame.next++;
        more = true;
        break;
      }
      out += frame.keys ? "}" : "]";
      frames.pop();
    }
    if (!more) return out;
  }
}

/** `str()` of a decoded JSON value: a string shows raw, anything else as its repr. */
export function pystr(value: unknown): string {
  return typeof value === "string" ? value : pyrepr(value);
}
