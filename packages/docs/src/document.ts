import type { Contract } from "@ecs-api/spec";
import type { Operation, SpecModel } from "@ecs-api/spec/model";
import type { ClientSamples } from "./client-samples.js";
import { clientWorkflow, errorCatalogue, gettingStarted, microversionGuide } from "./guides/index.js";
import { plainText } from "./markdown.js";
import type { SampleFiles } from "./samples.js";

// biome-ignore lint/suspicious/noExplicitAny: the bundled document Redoc renders, as parsed JSON.
type Json = any;

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
export function tagGroups(model: SpecModel): TagGroup[] {
  const ops = model.operations;
  const declared = model.tags.map((t) => t.name);
  const used = [...new Set(ops.flatMap((o) => o.tags))];
  // Undeclared tags still get a group: Redoc hides every operation whose tag is in no group.
  const names = [...declared, ...used.filter((t) => !declared.includes(t))].filter((t) => used.includes(t));
  const groups = new Map<string, TagGroup & { rank: [number, number] }>();
  for (const tag of names) {
    const tagged = ops.filter((o) => o.tags.includes(tag));
    // Operations of another service (IAM, IMS) carry their own servers: grouped by tag, after
    // compute's URI versions, in the document's tag order.
    const ownService = tagged.every((o) => o.ownServers);
    const versions = new Set(tagged.map((o) => uriVersion(o.path)));
    const [version] = versions;
    const deprecated = tagged.every((o) => o.deprecated);
    let name = tag;
    let rank: [number, number] = [ownService ? 1.5 : 2, 0];
    if (!ownService && versions.size === 1 && version) {
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
  /** The bundled spec (with its `$ref`s): what Redoc renders, so its schema names stay. */
  spec: Json;
  /** The model of that same spec: everything the docs read from it. */
  model: SpecModel;
  contract: Contract;
  samples: SampleFiles;
  clientSamples: ClientSamples;
  ports: { docs: number };
}

/**
 * The nodes of the docs' copy that Redoc reads extensions from, found by the model's coordinates:
 * the only reason the docs touch the document at all is to add Redoc's extensions to what it renders.
 */
const pathItemOf = (doc: Json, op: Operation): Json => doc.paths[op.path];
const operationNodeOf = (doc: Json, op: Operation): Json => pathItemOf(doc, op)[op.method.toLowerCase()];

/**
 * The document Redoc renders: the bundled spec plus tag groups, code samples and the generated guides.
 * It is never published: `dist/openapi.{yaml,json}` stay the contract itself.
 */
export function buildDocsDocument(input: DocsInput): Json {
  const { spec, model, contract, samples, clientSamples, ports } = input;
  const doc: Json = structuredClone(spec);
  const ids = new Set(model.operations.map((o) => o.id));
  for (const id of samples.operations.keys()) {
    if (!ids.has(id)) throw new Error(`samples/${id}.*: the spec has no operation ${id}`);
  }
  for (const op of model.operations) {
    const list = samples.operations.get(op.id);
    if (list?.length) operationNodeOf(doc, op)["x-codeSamples"] = list;
  }
  doc["x-tagGroups"] = tagGroups(model);
  // Redoc shows server descriptions as text: the document's servers and every service's own.
  const serverLists = [
    doc.servers,
    ...model.operations
      .filter((op) => op.ownServers)
      .map((op) => pathItemOf(doc, op).servers ?? operationNodeOf(doc, op).servers),
  ];
  for (const server of new Set(serverLists.flat())) {
    if (typeof server?.description === "string") server.description = plainText(server.description);
  }

  const snippet = (file: string) => {
    const source = samples.guides.get(file);
    if (source === undefined) throw new Error(`samples/${file} is missing`);
    return source;
  };
  doc.info.description = [
    model.description.trimEnd(),
    microversionGuide(model, contract),
    errorCatalogue(model),
    gettingStarted(
      model,
      contract,
      { client: snippet(GUIDE_SNIPPETS.client), fetch: snippet(GUIDE_SNIPPETS.fetch) },
      ports,
    ),
    clientWorkflow(clientSamples),
  ].join("\n\n");
  return doc;
}
