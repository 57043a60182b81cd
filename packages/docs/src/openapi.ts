// biome-ignore lint/suspicious/noExplicitAny: the bundled document is plain JSON, walked by key.
export type Json = any;

// TRANSITIONAL, removed when the guides read @ecs-api/spec's model: the bundled document's local
// `$ref`s and `x-openstack` ranges, as the guides walked them before the model existed.
export function deref(doc: Json, node: Json): Json {
  let current = node;
  while (current && typeof current.$ref === "string") {
    const parts = current.$ref.replace(/^#\//, "").split("/");
    current = parts.reduce((n: Json, p: string) => n?.[p.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return current;
}

export function rangeOf(doc: Json, marked: Json): { min: string; max: string } | undefined {
  const mark = marked?.["x-openstack"];
  if (!mark) return undefined;
  return {
    min: mark["min-ver"] ?? doc.info["x-openstack-min-version"],
    max: mark["max-ver"] ?? doc.info.version,
  };
}

export interface OperationRef {
  path: string;
  method: string;
  operation: Json;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every operation of the document, in document order. */
export function operationsOf(doc: Json): OperationRef[] {
  const out: OperationRef[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      if (item[method]) out.push({ path, method, operation: item[method] });
    }
  }
  return out;
}

/** A named example of a media type or header, resolved: its key, summary and value. */
export interface NamedExample {
  key: string;
  summary: string | undefined;
  value: Json;
}

export function examplesOf(doc: Json, holder: Json): NamedExample[] {
  return Object.entries<Json>(holder?.examples ?? {}).map(([key, ex]) => {
    const resolved = deref(doc, ex);
    return { key, summary: resolved.summary, value: resolved.value };
  });
}

/** Every named example key anywhere in the document (components and inline). */
export function namedExampleKeys(doc: Json): string[] {
  const keys = new Set<string>();
  const walk = (node: Json): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries<Json>(node)) {
      // `examples` is a map of named examples in OpenAPI 3, but a plain array in JSON Schema.
      if (key === "examples" && value && typeof value === "object" && !Array.isArray(value)) {
        for (const name of Object.keys(value)) keys.add(name);
      }
      walk(value);
    }
  };
  walk(doc);
  return [...keys];
}

/** Escapes text for one cell of a Markdown table. */
export function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** The first sentence of a description, for table cells. */
export function firstSentence(text: string | undefined): string {
  if (!text) return "";
  const flat = text.replace(/\s*\n\s*/g, " ").trim();
  const match = /^(.+?[.!?])(\s|$)/.exec(flat);
  return match?.[1] ?? flat;
}

/**
 * Inline Markdown as the text a reader sees: code spans, emphasis and links lose their markup. Redoc
 * shows server descriptions as plain text, so "Local mock (`pnpm mock`)" would keep its backticks.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(`+)\s?(.*?)\s?\1/g, "$2")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|\W)[*_](\S(?:.*?\S)?)[*_](?=\W|$)/g, "$1$2");
}
