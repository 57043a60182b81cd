import { describe, expect, it } from "vitest";
import { createValidator, spec } from "./helpers.js";

const { validate } = createValidator();
const pointerEscape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** Every media type or header in the bundled document that shows examples, with its schema's pointer. */
function exampleSites() {
  const sites: { where: string; schema: string; name: string; value: unknown }[] = [];
  const refName = (node: { $ref?: string }) => node.$ref?.split("/").pop();
  const resolveExample = (node: { $ref?: string; value?: unknown }) =>
    node.$ref ? spec.components.examples[refName(node) as string] : node;
  const visit = (where: string, pointer: string, node: Record<string, unknown>) => {
    const examples = (node.examples ?? {}) as Record<string, { $ref?: string }>;
    for (const [name, ex] of Object.entries(examples)) {
      sites.push({ where, schema: `${pointer}/schema`, name, value: resolveExample(ex).value });
    }
    if (node.example !== undefined)
      sites.push({ where, schema: `${pointer}/schema`, name: "example", value: node.example });
  };
  for (const [name, response] of Object.entries<Record<string, Record<string, Record<string, unknown>>>>(
    spec.components.responses,
  )) {
    for (const [type, media] of Object.entries(response.content ?? {})) {
      visit(
        `response ${name} ${type}`,
        `/components/responses/${name}/content/${pointerEscape(type)}`,
        media,
      );
    }
  }
  for (const [name, header] of Object.entries<Record<string, unknown>>(spec.components.headers)) {
    visit(`header ${name}`, `/components/headers/${name}`, header);
  }
  for (const [name, param] of Object.entries<Record<string, unknown>>(spec.components.parameters)) {
    visit(`parameter ${name}`, `/components/parameters/${name}`, param);
  }
  for (const [name, body] of Object.entries<{ content: Record<string, Record<string, unknown>> }>(
    spec.components.requestBodies,
  )) {
    for (const [type, media] of Object.entries(body.content)) {
      visit(
        `request body ${name} ${type}`,
        `/components/requestBodies/${name}/content/${pointerEscape(type)}`,
        media,
      );
    }
  }
  for (const [path, item] of Object.entries<
    Record<string, { responses?: Record<string, { content?: Record<string, Record<string, unknown>> }> }>
  >(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          visit(
            `${method.toUpperCase()} ${path} ${status}`,
            `/paths/${pointerEscape(path)}/${method}/responses/${status}/content/${pointerEscape(type)}`,
            media,
          );
        }
      }
    }
  }
  return sites;
}

describe("examples", () => {
  const sites = exampleSites();

  it("are found in responses, headers, parameters and the request bodies", () => {
    expect(sites.length).toBeGreaterThan(25);
  });

  it("cover every named example component (none is left unvalidated)", () => {
    const used = new Set(sites.map((s) => s.name));
    const unchecked = Object.keys(spec.components.examples).filter((name) => !used.has(name));
    expect(unchecked).toEqual([]);
  });

  it("include the workflow's request bodies, responses and both Glance error media types", () => {
    const where = sites.map((s) => s.where);
    expect(where).toContain("request body CreateToken application/json");
    for (const response of [
      "TokenCreated",
      "ServerShown",
      "ImageShown",
      "ImageListed",
      "ImageVersionsListed",
    ])
      expect(where).toContain(`response ${response} application/json`);
    expect(where).toContain("response ImageNotFound text/html");
    expect(where).toContain("response ImageNotFound application/json");
  });

  it.each(sites.map((s) => [`${s.where} → ${s.name}`, s] as const))(
    "%s validates against its schema",
    (_, site) => {
      const result = validate(site.schema, site.value);
      expect(result.errors).toBe("No errors");
      expect(result.ok).toBe(true);
    },
  );
});
