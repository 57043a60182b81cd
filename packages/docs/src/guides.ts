import {
  type Contract,
  CREATE_IMAGE_PATH,
  compareMicroversions,
  parseMicroversion,
  type VersionRange,
} from "@ecs-api/spec";
import {
  cell,
  code,
  deref,
  examplesOf,
  firstSentence,
  type Json,
  type NamedExample,
  operationsOf,
  rangeOf,
} from "./openapi.js";

// Every fact in these guides is read from the bundled spec or the contract derived from it, so the
// guides cannot drift from the document they describe. Only the connecting prose is written here.

const JSON_TYPE = "application/json";

/** The 400 example that explains a malformed microversion (a name in the spec, not a rule). */
export const VERSION_FORMAT_EXAMPLE = "fault-invalid-version-format";

function operationById(doc: Json, operationId: string) {
  const found = operationsOf(doc).find((o) => o.operation.operationId === operationId);
  if (!found) throw new Error(`The spec has no operation ${operationId}`);
  return found;
}

/** The current (/v2.1) createImage operation: the POST on the path the contract is read from. */
function createImageOperation(doc: Json) {
  const found = operationsOf(doc).find((o) => o.path === CREATE_IMAGE_PATH && o.method === "post");
  if (!found) throw new Error(`The spec has no POST ${CREATE_IMAGE_PATH}`);
  return found;
}

function nextMicroversion(version: string): string {
  const [major, minor] = parseMicroversion(version);
  return `${major}.${minor + 1}`;
}

function previousMicroversion(version: string): string {
  const [major, minor] = parseMicroversion(version);
  return `${major}.${minor - 1}`;
}

export function rangeText(range: VersionRange): string {
  return range.min === range.max ? range.min : `${range.min} – ${range.max}`;
}

/** Splits [min, max] at every variant boundary, so each segment has one fixed set of elements. */
export function segments(contract: Contract): VersionRange[] {
  const { minMicroversion: min, maxMicroversion: max } = contract;
  const cuts = new Set<string>([min]);
  for (const { range } of contract.createImageVariants) {
    if (compareMicroversions(range.min, min) > 0) cuts.add(range.min);
    if (compareMicroversions(range.max, max) < 0) cuts.add(nextMicroversion(range.max));
  }
  const starts = [...cuts].sort(compareMicroversions);
  return starts.map((start, i) => {
    const next = starts[i + 1];
    return { min: start, max: next ? previousMicroversion(next) : max };
  });
}

interface ElementText {
  carries: string;
  readFrom: string;
  /** How the answer reads when the element is absent. */
  absent: string;
}

/** How one marked element (`header:Location`, `body:application/json`) looks in a 202 answer. */
function describeElement(doc: Json, response: Json, element: string): ElementText {
  const res = deref(doc, response);
  const [kind, name = ""] = element.split(/:(.*)/s);
  if (kind === "header") {
    const header = deref(doc, res.headers?.[name]);
    const example = examplesOf(doc, header)[0]?.value ?? header?.example;
    return {
      carries: `${code(name)} header${example ? `, e.g. ${code(String(example))}` : ""}`,
      readFrom: `the last path segment of ${code(name)}`,
      absent: `no ${code(name)} header`,
    };
  }
  const media = res.content?.[name];
  const schema = deref(doc, media?.schema);
  const example = examplesOf(doc, media)[0]?.value;
  const field = schema?.required?.[0];
  return {
    carries: `body${example ? ` ${code(JSON.stringify(example))}` : ""} (${code(name)})`,
    readFrom: field ? `the body's ${code(field)}` : "the body",
    absent: "empty body",
  };
}

/** The elements of a response that no microversion range marks (sent whenever the response is). */
function unmarkedHeaders(doc: Json, response: Json): string[] {
  const res = deref(doc, response);
  return Object.entries<Json>(res.headers ?? {})
    .filter(([, h]) => !rangeOf(doc, deref(doc, h)))
    .map(([name]) => name);
}

export function microversionGuide(doc: Json, contract: Contract, legacyOperationId: string): string {
  const current = createImageOperation(doc);
  const { names } = contract;
  const legacy = operationById(doc, legacyOperationId);
  const accepted = current.operation.responses["202"];
  const legacyAccepted = legacy.operation.responses["202"];
  const { minMicroversion: min, maxMicroversion: max } = contract;
  const currentPrefix = `/${current.path.split("/")[1]}`;

  const rows = segments(contract).map((seg) => {
    const present = contract.createImageVariants.filter(
      (v) =>
        compareMicroversions(v.range.min, seg.min) <= 0 && compareMicroversions(v.range.max, seg.min) >= 0,
    );
    const absent = contract.createImageVariants.filter((v) => !present.includes(v));
    const texts = present.map((v) => describeElement(doc, accepted, v.element));
    const carries = [
      ...texts.map((t) => t.carries),
      ...absent.map((v) => describeElement(doc, accepted, v.element).absent),
    ].join("; ");
    return `| ${code(currentPrefix)}, microversion ${rangeText(seg)} | ${cell(carries)} | ${cell(
      texts.map((t) => t.readFrom).join(" or "),
    )} |`;
  });
  const legacyHeaders = Object.keys(deref(doc, legacyAccepted).headers ?? {});
  const legacyCarries = legacyHeaders
    .filter((h) => h === names.locationHeader)
    .map((h) => describeElement(doc, legacyAccepted, `header:${h}`));
  if (!deref(doc, legacyAccepted).content)
    legacyCarries.push({ carries: "empty body", readFrom: "", absent: "" });
  const legacyPrefix = `/${legacy.path.split("/")[1]}`;
  rows.push(
    `| ${code(legacyPrefix)} (any headers) | ${cell(legacyCarries.map((t) => t.carries).join("; "))} | ${cell(
      legacyCarries
        .map((t) => t.readFrom)
        .filter(Boolean)
        .join(" or "),
    )} |`,
  );

  const ranged = Object.entries(contract.responseRanges).map(([status, range]) => {
    const res = deref(doc, current.operation.responses[status]);
    return `- ${code(status)} (${code(contract.faultKeys[Number(status)] ?? "")}) is answered only for ${rangeText(
      range,
    )}: ${firstSentence(res.description)}`;
  });

  const params = [...(current.operation.parameters ?? [])]
    .map((p: Json) => deref(doc, p))
    .filter((p: Json) => p.in === "header");
  const headerLines = params.map((p: Json) => {
    const values = examplesOf(doc, p).map((e) => code(`${p.name}: ${e.value}`));
    return `- ${code(p.name)}: ${cell(firstSentence(p.description))} Examples: ${values.join(", ")}.`;
  });
  const bodyFrom = contract.createImageVariants.find((v) => v.element.startsWith("body:"))?.range.min ?? max;

  const answerHeaders = unmarkedHeaders(doc, accepted)
    .filter((h) => h !== names.requestIdHeader)
    .map((h) => {
      const header = deref(doc, deref(doc, accepted).headers[h]);
      return `- ${code(h)}: ${cell(firstSentence(header.description))} Example: ${code(`${h}: ${header.example}`)}.`;
    });

  const badRequest = examplesOf(
    doc,
    deref(doc, current.operation.responses["400"]).content?.[JSON_TYPE],
  ).find((e) => e.key === VERSION_FORMAT_EXAMPLE);
  if (!badRequest) throw new Error(`The createImage 400 response has no example ${VERSION_FORMAT_EXAMPLE}`);
  const notAcceptable = deref(doc, current.operation.responses["406"]);
  const notAcceptableExamples = examplesOf(doc, notAcceptable.content?.[JSON_TYPE]);
  const microversionSchema = doc.components.schemas.Microversion;

  const legacyStatuses = Object.keys(legacy.operation.responses);
  const neverOnLegacy = Object.keys(current.operation.responses).filter((s) => !legacyStatuses.includes(s));

  return `## Microversion guide

Microversions exist on ${code(currentPrefix)} only, from ${code(min)} to ${code(max)}.
The microversion decides how the ${code(current.operation.operationId)} answer carries the new image's ID:

| request | the 202 answer carries | read the image ID from |
| --- | --- | --- |
${rows.join("\n")}

${ranged.length ? `Other answers that depend on the microversion:\n\n${ranged.join("\n")}\n` : ""}
### Sending the microversion

${headerLines.join("\n")}

Without either header the service answers as ${code(min)}. ${code(names.latest)} means ${code(max)}. To get the
image ID in the body, send for example:

\`\`\`http
${names.standardVersionHeader}: ${names.serviceType} ${bodyFrom}
${names.legacyVersionHeader}: ${bodyFrom}
\`\`\`

Every ${code(currentPrefix)} answer, errors included, names the microversion it used:

${answerHeaders.join("\n")}

### When the microversion is wrong: 400 and 406

- **400** ${code(contract.faultKeys[400] ?? "")} — the value does not match ${code(
    microversionSchema.pattern,
  )} (${code("Major.Minor")} or ${code(names.latest)}). Nova's message: ${code(
    Object.values<Json>(badRequest.value)[0]?.message ?? "",
  )}
- **406** ${code(contract.faultKeys[406] ?? "")} — ${cell(notAcceptable.description)} Nova's message: ${notAcceptableExamples
    .map((e) => code(Object.values<Json>(e.value)[0]?.message ?? ""))
    .join(", ")}

Both are answered before the body is read, so a request with a bad version never creates an image.

### The legacy ${legacyPrefix} endpoint

${cell(legacy.operation.description)}

Its 202 answer carries ${unmarkedHeaders(doc, legacyAccepted)
    .map((h) => code(h))
    .join(
      " and ",
    )} and no microversion headers. It never answers ${neverOnLegacy.map((s) => code(s)).join(", ")}.
`;
}

interface CatalogueRow {
  status: number;
  faultKey: string;
  when: string[];
  range: VersionRange | undefined;
  operations: string[];
  examples: Map<string, NamedExample>;
}

/** The message of a fault example: `{<faultKey>: {code, message}}`. */
function messageOf(example: NamedExample, faultKey: string): string {
  return String(example.value?.[faultKey]?.message ?? "");
}

/** Every error answer of every operation, grouped by status and fault key. */
export function errorRows(doc: Json): CatalogueRow[] {
  const rows = new Map<string, CatalogueRow>();
  for (const { operation } of operationsOf(doc)) {
    for (const [status, response] of Object.entries<Json>(operation.responses ?? {})) {
      const statusCode = Number(status);
      if (!(statusCode >= 400)) continue;
      const res = deref(doc, response);
      const media = res.content?.[JSON_TYPE];
      const schema = deref(doc, media?.schema);
      const faultKey: string = schema?.required?.[0] ?? "";
      const id = `${statusCode}:${faultKey}`;
      const row: CatalogueRow = rows.get(id) ?? {
        status: statusCode,
        faultKey,
        when: [],
        range: rangeOf(doc, res),
        operations: [],
        examples: new Map(),
      };
      const when = cell(res.description ?? "");
      if (!row.when.includes(when)) row.when.push(when);
      row.operations.push(operation.operationId);
      for (const ex of examplesOf(doc, media)) row.examples.set(ex.key, ex);
      rows.set(id, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.status - b.status || a.faultKey.localeCompare(b.faultKey));
}

export function errorCatalogue(doc: Json): string {
  const lines = errorRows(doc).map((row) => {
    const messages = [...row.examples.values()]
      .map((ex) => `${cell(ex.summary ?? ex.key)}: ${code(cell(messageOf(ex, row.faultKey)))}`)
      .join("<br>");
    const range = row.range ? ` Only ${rangeText(row.range)} on /v2.1.` : "";
    return `| ${row.status} | ${code(row.faultKey)} | ${row.when.join(" ")}${range} | ${messages} | ${row.operations
      .map((o) => code(o))
      .join(" ")} |`;
  });
  return `## Error catalogue

Every error this API answers, read from the spec. Nova's fault body is
${code('{"<fault key>": {"code": <status>, "message": "..."}}')}; the 401 comes from keystonemiddleware in front of Nova.

| status | fault key | when | message | operations |
| --- | --- | --- | --- | --- |
${lines.join("\n")}
`;
}

/** The local mock's URL as the spec's `servers` list names it. */
export function mockServerUrl(doc: Json): string {
  const server = (doc.servers ?? []).find((s: Json) =>
    /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(s.url),
  );
  if (!server) throw new Error("The spec's servers list names no local mock (127.0.0.1 or localhost)");
  return String(server.url).replace(/\/$/, "");
}

/** What the mock answers for each reserved server ID: the createImage examples that name the ID. */
export function scenarioAnswers(doc: Json, contract: Contract) {
  const current = createImageOperation(doc);
  return Object.entries(contract.scenarios).map(([scenario, serverId]) => {
    const answers: { status: number; faultKey: string; message: string }[] = [];
    for (const [status, response] of Object.entries<Json>(current.operation.responses)) {
      const res = deref(doc, response);
      const media = res.content?.[JSON_TYPE];
      const faultKey: string = deref(doc, media?.schema)?.required?.[0] ?? "";
      for (const ex of examplesOf(doc, media)) {
        const message = messageOf(ex, faultKey);
        if (message.includes(serverId)) answers.push({ status: Number(status), faultKey, message });
      }
    }
    return { scenario, serverId, answers };
  });
}

export function gettingStarted(
  doc: Json,
  contract: Contract,
  snippets: { client: string; fetch: string },
  ports: { docs: number },
): string {
  const mockUrl = mockServerUrl(doc);
  const scenarioRows = scenarioAnswers(doc, contract).map(({ scenario, serverId, answers }) => {
    const answer = answers.length
      ? answers.map((a) => `${a.status} ${code(a.faultKey)}: ${code(cell(a.message))}`).join("<br>")
      : "see the mock's README";
    return `| ${code(scenario)} | ${code(serverId)} | ${answer} |`;
  });
  return `## Getting started for frontend teams

The mock answers like the real service at every microversion, offline, with the same status codes, fault
keys and messages, so a frontend can be built and tested before it ever talks to the cloud.

### 1. Start the mock

From the repository root:

\`\`\`sh
corepack enable && pnpm install && pnpm start
\`\`\`

This serves these docs and the mock side by side and prints both URLs, by default
${code(`Docs: http://127.0.0.1:${ports.docs}/`)} and ${code(`Mock: ${mockUrl}`)} (a free port when that one is
taken: use the printed URL). Press Ctrl+C to stop both.

### 2. Reserved server IDs

Any well-formed server ID gets a 202 with a fresh image ID. These IDs answer with an error instead:

| scenario | server ID | answer |
| --- | --- | --- |
${scenarioRows.join("\n")}

Any project ID and any non-empty ${code(contract.names.tokenHeader)} are accepted; an empty or missing token gets the 401.

### 3. Point the TypeScript client at the mock

\`\`\`ts
${snippets.client}
\`\`\`

### 4. Or call it with fetch

\`\`\`ts
${snippets.fetch}
\`\`\`
`;
}
