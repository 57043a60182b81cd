import { type Contract, CREATE_IMAGE_LEGACY_PATH } from "@ecs-api/spec";
import { errorCatalogue, gettingStarted, microversionGuide } from "./guides/index.js";
import { type Json, operationsOf, plainText } from "./openapi.js";
import type { SampleFiles } from "./samples.js";

export const GUIDE_SNIPPETS = {
  client: "guide-frontend-client.ts",
  fetch: "guide-frontend-fetch.ts",
} as const;

export interface TagGroup {
  name: string;
  tags: string[];
}

/** The first path segment when it is a URI version (`v2.1`, `v2`), else undefined. */
function uriVersion(path: string): string | undefined {
  const first = path.split("/")[1] ?? "";
  return /^v\d+(\.\d+)?$/.test(first) ? first : undefined;
}

/**
 * Groups the tags for Redoc's sidebar: one group per URI version, the current ones first (highest
 * version first), then the deprecated ones, then the tags that span versions (the version documents).
 * Read from the operations' paths and `deprecated` flags, so a new tag lands in the right group.
 */
export function tagGroups(doc: Json): TagGroup[] {
  const ops = operationsOf(doc);
  const declared: string[] = (doc.tags ?? []).map((t: Json) => t.name);
  const used = [...new Set(ops.flatMap((o) => o.operation.tags ?? []))] as string[];
  // Undeclared tags still get a group: Redoc hides every operation whose tag is in no group.
  const names = [...declared, ...used.filter((t) => !declared.includes(t))].filter((t) => used.includes(t));
  const groups = new Map<string, TagGroup & { rank: [number, number] }>();
  for (const tag of names) {
    const tagged = ops.filter((o) => (o.operation.tags ?? []).includes(tag));
    const versions = new Set(tagged.map((o) => uriVersion(o.path)));
    const [version] = versions;
    const deprecated = tagged.every((o) => o.operation.deprecated === true);
    let name = tag;
    let rank: [number, number] = [2, 0];
    if (versions.size === 1 && version) {
      name = deprecated ? `/${version} (deprecated)` : `/${version}`;
      // Higher URI versions first: v2.1 before v2.
      rank = [deprecated ? 1 : 0, -Number(version.slice(1))];
    }
    const group = groups.get(name) ?? { name, tags: [], rank };
    group.tags.push(tag);
    groups.set(name, group);
  }
  return [...groups.values()]
    .map((g, i) => ({ ...g, index: i }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.index - b.index)
    .map(({ name, tags }) => ({ name, tags }));
}

export interface DocsInput {
  spec: Json;
  contract: Contract;
  samples: SampleFiles;
  ports: { docs: number };
}

/**
 * The document Redoc renders: the bundled spec plus tag groups, code samples and the generated guides.
 * It is never published: `dist/openapi.{yaml,json}` stay the contract itself.
 */
export function buildDocsDocument({ spec, contract, samples, ports }: DocsInput): Json {
  const doc: Json = structuredClone(spec);
  const ops = operationsOf(doc);
  const ids = new Set(ops.map((o) => o.operation.operationId));
  for (const id of samples.operations.keys()) {
    if (!ids.has(id)) throw new Error(`samples/${id}.*: the spec has no operation ${id}`);
  }
  for (const { operation } of ops) {
    const list = samples.operations.get(operation.operationId);
    if (list?.length) operation["x-codeSamples"] = list;
  }
  doc["x-tagGroups"] = tagGroups(doc);
  for (const server of doc.servers ?? []) {
    if (typeof server.description === "string") server.description = plainText(server.description);
  }

  const legacy = ops.find((o) => o.path === CREATE_IMAGE_LEGACY_PATH && o.method === "post");
  if (!legacy?.operation.deprecated)
    throw new Error(`The spec has no deprecated POST ${CREATE_IMAGE_LEGACY_PATH}`);
  const snippet = (file: string) => {
    const source = samples.guides.get(file);
    if (source === undefined) throw new Error(`samples/${file} is missing`);
    return source;
  };
  doc.info.description = [
    String(doc.info.description ?? "").trimEnd(),
    microversionGuide(doc, contract, legacy.operation.operationId),
    errorCatalogue(doc),
    gettingStarted(
      doc,
      contract,
      { client: snippet(GUIDE_SNIPPETS.client), fetch: snippet(GUIDE_SNIPPETS.fetch) },
      ports,
    ),
  ].join("\n\n");
  return doc;
}
