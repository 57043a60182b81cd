// `GET .../servers?name=` as Nova reads it: a regular expression searched in the name, validated
// first (Nova's query_schema: format `regex`, then `limit`), over webob's query parsing.
import { describe, expect, it } from "vitest";
import { call, faultOf, PROJECT, token, useMock } from "./helpers.js";

const LONG = { id: "11111111-2222-4333-8444-555555555555", name: `${"a".repeat(60)}b` };
const ctx = useMock({
  workflow: { servers: [LONG, { id: "21111111-2222-4333-8444-555555555555", name: "cache-07" }] },
});
const list = (query: string) => call(ctx.mock, `/v2.1/${PROJECT}/servers${query}`, { headers: token });
const names = async (query: string) => {
  const r = await list(query);
  expect(r.status, r.text).toBe(200);
  return (r.json.servers as { name: string }[]).map((s) => s.name);
};

describe("?name= is a regular expression searched anywhere in the name", () => {
  it("given a plain word, then every server whose name contains it", async () => {
    expect(await names("?name=web")).toEqual(["web-01"]);
    expect(await names("?name=-0")).toEqual(["web-01", "db-01", "cache-07"]);
  });

  it("given an anchored pattern, then only the exact name", async () => {
    expect(await names(`?name=${encodeURIComponent("^cache-0[0-9]$")}`)).toEqual(["cache-07"]);
    expect(await names(`?name=${encodeURIComponent("^cache-0$")}`)).toEqual([]);
  });

  it("given a pattern that backtracks exponentially in a backtracking engine, then the true answer", async () => {
    // (a+)+$ against 60 a's and a b: a backtracking engine tries 2^60 splits; RE2 answers at once.
    expect(await names(`?name=${encodeURIComponent("(a+)+$")}`)).toEqual([]);
    expect(await names(`?name=${encodeURIComponent("(a+)+b$")}`)).toEqual([LONG.name]);
  });

  it("given a name repeated, then the last one filters (webob's req.GET[name])", async () => {
    expect(await names("?name=nothing&name=cache")).toEqual(["cache-07"]);
  });
});

describe("?name= that is not a regular expression", () => {
  it.each([
    ["(", "Invalid input for query parameters name. Value: (. '(' is not a 'regex'"],
    ["[z-a]", "Invalid input for query parameters name. Value: [z-a]. '[z-a]' is not a 'regex'"],
    ["a**", "Invalid input for query parameters name. Value: a**. 'a**' is not a 'regex'"],
    ["", "Invalid input for query parameters name. Value: . '' is not a 'regex'"],
    ["it's(", `Invalid input for query parameters name. Value: it's(. "it's(" is not a 'regex'`],
  ])("given %j, then Nova's 400", async (pattern, message) => {
    const r = await list(`?name=${encodeURIComponent(pattern)}`);
    expect(r.status).toBe(400);
    expect(faultOf(r)).toEqual({ key: "badRequest", code: 400, message });
  });

  it("given a good and then a bad value, then the bad one is refused (every value is validated)", async () => {
    const r = await list("?name=db&name=(");
    expect(faultOf(r).message).toBe(
      "Invalid input for query parameters name. Value: (. '(' is not a 'regex'",
    );
  });

  it("given a ; separator (webob splits on it too), then the pattern after it is validated", async () => {
    expect(faultOf(await list("?x=1;name=(")).message).toContain("'(' is not a 'regex'");
  });
});

describe("the rest of the query", () => {
  it("given bytes that are not UTF-8, then 400 Query string is not UTF-8 encoded", async () => {
    const r = await list("?name=%ff");
    expect(r.status).toBe(400);
    expect(faultOf(r).message).toBe("Query string is not UTF-8 encoded");
  });

  it("given a bad limit and an unknown marker, then the limit (schema errors before the marker lookup)", async () => {
    expect(faultOf(await list("?limit=abc&marker=nope")).message).toBe(
      "Invalid input for query parameters limit. Value: abc. 'abc' does not match '^[0-9]*$'",
    );
  });

  it("given a limit with a quote, then its value as Python's repr shows it", async () => {
    expect(faultOf(await list("?limit=a'b")).message).toBe(
      `Invalid input for query parameters limit. Value: a'b. "a'b" does not match '^[0-9]*$'`,
    );
  });

  it("given an unknown marker with $ signs, then it is named as sent", async () => {
    expect(faultOf(await list(`?marker=${encodeURIComponent("$&$1")}`)).message).toBe(
      "marker [$&$1] not found",
    );
  });
});
