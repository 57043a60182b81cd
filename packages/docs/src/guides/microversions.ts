import { type Contract, compareMicroversions, parseMicroversion, type VersionRange } from "@ecs-api/spec";
import { cell, code, deref, examplesOf, firstSentence, type Json, rangeOf } from "../openapi.js";
import { createImageOperation, JSON_TYPE, operationById, rangeText } from "./spec.js";
import { fill } from "./template.js";

// The microversion guide: how the createImage answer carries the image ID per microversion range,
// how to send the microversion, what a wrong one gets, and the legacy /v2 endpoint.

/** The 400 example that explains a malformed microversion (a name in the spec, not a rule). */
export const VERSION_FORMAT_EXAMPLE = "fault-invalid-version-format";

function nextMicroversion(version: string): string {
  const [major, minor] = parseMicroversion(version);
  return `${major}.${minor + 1}`;
}

function previousMicroversion(version: string): string {
  const [major, minor] = parseMicroversion(version);
  return `${major}.${minor - 1}`;
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

  return fill("microversions", {
    currentPrefix: code(currentPrefix),
    min: code(min),
    max: code(max),
    operationId: code(current.operation.operationId),
    rows: rows.join("\n"),
    ranged: ranged.length ? `Other answers that depend on the microversion:\n\n${ranged.join("\n")}\n` : "",
    headerLines: headerLines.join("\n"),
    latest: code(names.latest),
    standardHeader: names.standardVersionHeader,
    serviceType: names.serviceType,
    bodyFrom,
    legacyHeader: names.legacyVersionHeader,
    answerHeaders: answerHeaders.join("\n"),
    badRequestKey: code(contract.faultKeys[400] ?? ""),
    pattern: code(microversionSchema.pattern),
    majorMinor: code("Major.Minor"),
    badRequestMessage: code(Object.values<Json>(badRequest.value)[0]?.message ?? ""),
    notAcceptableKey: code(contract.faultKeys[406] ?? ""),
    notAcceptableWhen: cell(notAcceptable.description),
    notAcceptableMessages: notAcceptableExamples
      .map((e) => code(Object.values<Json>(e.value)[0]?.message ?? ""))
      .join(", "),
    legacyPrefix,
    legacyDescription: cell(legacy.operation.description),
    legacyHeaders: unmarkedHeaders(doc, legacyAccepted)
      .map((h) => code(h))
      .join(" and "),
    neverOnLegacy: neverOnLegacy.map((s) => code(s)).join(", "),
  });
}
