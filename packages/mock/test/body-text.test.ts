// The body checks' pieces that read request text and values: the pre-parse scan, Python's string
// order, repr of lone surrogates.
import { describe, expect, it } from "vitest";
import { byCodePoint, MAX_INT_DIGITS, MAX_JSON_DEPTH, refusedByPython } from "../src/engine/body.js";
import { pyrepr, reprString } from "../src/engine/pyrepr.js";

const refused = (text: string) => refusedByPython(text, MAX_JSON_DEPTH, MAX_INT_DIGITS);
const nested = (depth: number, open = "[", close = "]") => `${open.repeat(depth)}${close.repeat(depth)}`;

describe("what Python's json.loads refuses, read from the text", () => {
  it("given nesting up to the limit, then accepted; one deeper, then refused", () => {
    expect(refused(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(refused(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(refused(`{"a":${nested(MAX_JSON_DEPTH)}}`)).toBe(true);
  });

  it("given brackets inside strings, escaped quotes and backslashes included, then they do not count", () => {
    const brackets = "[".repeat(MAX_JSON_DEPTH + 5);
    expect(refused(`{"k":"${brackets}"}`)).toBe(false);
    expect(refused(`{"k":"\\"${brackets}"}`)).toBe(false);
    expect(refused(`{"k":"\\\\","x":${nested(MAX_JSON_DEPTH + 1)}}`)).toBe(true);
  });

  it("given integer literals, then more than the digit limit is refused, fractions and exponents are not", () => {
    expect(refused(`{"n":${"9".repeat(MAX_INT_DIGITS)}}`)).toBe(false);
    expect(refused(`{"n":${"9".repeat(MAX_INT_DIGITS + 1)}}`)).toBe(true);
    expect(refused(`{"n":-${"9".repeat(MAX_INT_DIGITS + 1)}}`)).toBe(true);
    expect(refused(`{"n":${"9".repeat(MAX_INT_DIGITS + 1)}.5}`)).toBe(false);
    expect(refused(`{"n":1.${"9".repeat(MAX_INT_DIGITS + 1)}}`)).toBe(false);
    expect(refused(`{"n":1e${"9".repeat(MAX_INT_DIGITS + 1)}}`)).toBe(false);
    expect(refused(`{"n":"${"9".repeat(MAX_INT_DIGITS + 1)}"}`)).toBe(false);
  });
});

describe("Python's string order (code points), as sorted() orders extras", () => {
  it("given a character above U+FFFF and one in U+E000..U+FFFF, then the astral one sorts last", () => {
    expect(["\u{1F600}", "\uFFFD", "a"].sort(byCodePoint)).toEqual(["a", "\uFFFD", "\u{1F600}"]);
  });

  it("given a lone surrogate, then it sorts as its own code point (below U+E000)", () => {
    expect(["\uE000", "\uD800", "\u{10000}"].sort(byCodePoint)).toEqual(["\uD800", "\uE000", "\u{10000}"]);
    expect(["\uD800\uDC00", "\uD800a"].sort(byCodePoint)).toEqual(["\uD800a", "\uD800\uDC00"]);
  });
});

describe("repr of what JSON escapes can hold", () => {
  it("given lone surrogates, then Python's \\u escapes", () => {
    expect(reprString("\uD800")).toBe("'\\ud800'");
    expect(reprString("a\uDFFFb")).toBe("'a\\udfffb'");
  });

  it("given a value nested 900 deep, then its repr without recursion", () => {
    let value: unknown = 1;
    for (let i = 0; i < 900; i++) value = i % 2 ? [value] : { a: value };
    const text = pyrepr(value);
    expect(text.startsWith("[{'a': [{'a': ")).toBe(true);
    expect(text.length).toBe(900 / 2 + (900 / 2) * "{'a': }".length + 1 + 900 / 2);
  });
});
