// House lint rules for the contract (Redocly plugin). Two things the built-in rules cannot say:
// every response shows an example, and every `x-openstack` version range is well-formed.
// The one microversion module (built by `tsc` before lint runs: see package.json).
import { compareMicroversions as compare, isWellFormed } from "../dist/microversion.js";

const RANGE_KEYS = new Set(["min-ver", "max-ver"]);

const hasExample = (node) =>
  node && (node.example !== undefined || Object.keys(node.examples ?? {}).length > 0);

/** A response shows an example in each media type, or (header-only) in at least one header. */
function ResponseHasExample() {
  return {
    Response: {
      enter(response, ctx) {
        const content = response.content ?? {};
        const types = Object.keys(content);
        if (types.length === 0) {
          const headers = Object.values(response.headers ?? {}).map((h) => ctx.resolve(h).node);
          if (!headers.some(hasExample)) {
            ctx.report({
              message: "A response without content must show an example in a header.",
              location: ctx.location,
            });
          }
          return;
        }
        for (const type of types) {
          if (!hasExample(content[type])) {
            ctx.report({
              message: `The \`${type}\` content of this response has no example.`,
              location: ctx.location.child(["content", type]),
            });
          }
        }
      },
    },
  };
}

/** `x-openstack: {min-ver, max-ver}` holds only those keys, as `X.Y` strings inside 2.1..info.version, min <= max. */
function XOpenstackRange() {
  let maximum;
  let minimum;
  const seen = [];
  const visit = {
    enter(node, ctx) {
      if (node && typeof node === "object" && "x-openstack" in node) {
        seen.push({ range: node["x-openstack"], location: ctx.location.child("x-openstack") });
      }
    },
  };
  return {
    Info: {
      enter(info) {
        maximum = info.version;
        minimum = info["x-openstack-min-version"];
      },
    },
    Schema: visit,
    Header: visit,
    Response: visit,
    MediaType: visit,
    Parameter: visit,
    Root: {
      leave(_root, ctx) {
        for (const { range, location } of seen) {
          const fail = (message) => ctx.report({ message, location });
          if (!range || typeof range !== "object" || Array.isArray(range)) {
            fail("`x-openstack` must be an object with `min-ver` and/or `max-ver`.");
            continue;
          }
          const keys = Object.keys(range);
          const unknown = keys.filter((k) => !RANGE_KEYS.has(k));
          if (unknown.length > 0 || keys.length === 0) {
            fail(`\`x-openstack\` takes only min-ver and max-ver (found: ${keys.join(", ") || "nothing"}).`);
            continue;
          }
          const bad = keys.filter((k) => typeof range[k] !== "string" || !isWellFormed(range[k]));
          if (bad.length > 0) {
            fail(`\`${bad[0]}\` must be a version string "X.Y" (quote it in YAML).`);
            continue;
          }
          if (!minimum || !isWellFormed(minimum))
            fail("info.x-openstack-min-version must state the minimum microversion.");
          const min = range["min-ver"] ?? minimum;
          const max = range["max-ver"] ?? maximum;
          if (minimum && compare(min, minimum) < 0)
            fail(`min-ver ${min} is below the minimum microversion ${minimum}.`);
          if (maximum && compare(max, maximum) > 0)
            fail(`max-ver ${max} is above the maximum microversion ${maximum}.`);
          if (compare(min, max) > 0) fail(`min-ver ${min} is above max-ver ${max}.`);
        }
      },
    },
  };
}

export default function houseRules() {
  return {
    id: "house-rules",
    rules: {
      oas3: {
        "response-has-example": ResponseHasExample,
        "x-openstack-range": XOpenstackRange,
      },
    },
  };
}
