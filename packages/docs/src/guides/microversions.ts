import { type Contract, OPERATIONS, SCHEMAS } from "@ecs-api/spec";
import { compareMicroversions, rangeText, segmentRange, type VersionRange } from "@ecs-api/spec/microversion";
import { type Response, responseOf, type SpecModel } from "@ecs-api/spec/model";
import { cell, code, firstSentence } from "../markdown.js";
import { exampleOf, jsonMedia, messageOf } from "./spec.js";
import { fill } from "./template.js";

// The microversion guide: how the createImage answer carries the image ID per microversion range,
// how to send the microversion, what a wrong one gets, and the legacy /v2 endpoint.

/** The 400 example that explains a malformed microversion (a name in the spec, not a rule). */
export const VERSION_FORMAT_EXAMPLE = "fault-invalid-version-format";

/** Splits [min, max] at every variant boundary, so each segment has one fixed set of elements. */
export function segments(contract: Contract): VersionRange[] {
  return segmentRange(
    { min: contract.minMicroversion, max: contract.maxMicroversion },
    contract.createImageVariants.map((v) => v.range),
  );
}

interface ElementText {
  carries: string;
  readFrom: string;
  /** How the answer reads when the element is absent. */
  absent: string;
}

/** How one marked element (`header:Location`, `body:application/json`) looks in a 202 answer. */
function describeElement(response: Response, element: string): ElementText {
  const [kind, name = ""] = element.split(/:(.*)/s);
  if (kind === "header") {
    const header = response.headers.find((h) => h.name === name);
    const example = header && exampleOf(header);
    return {
      carries: `${code(name)} header${example ? `, e.g. ${code(String(example))}` : ""}`,
      readFrom: `the last path segment of ${code(name)}`,
      absent: `no ${code(name)} header`,
    };
  }
  const media = response.content.find((m) => m.type === name);
  const example = media?.examples[0]?.value;
  const field = media?.schema?.required?.[0];
  return {
    carries: `body${example ? ` ${code(JSON.stringify(example))}` : ""} (${code(name)})`,
    readFrom: field ? `the body's ${code(field)}` : "the body",
    absent: "empty body",
  };
}

/** The headers of a response that no microversion range marks (sent whenever the response is). */
function unmarkedHeaders(response: Response) {
  return response.headers.filter((h) => !h.range);
}

export function microversionGuide(model: SpecModel, contract: Contract): string {
  const current = model.operation(OPERATIONS.createImage);
  const legacy = model.operation(OPERATIONS.createImageLegacyV2);
  if (!legacy.deprecated) throw new Error(`The spec's ${legacy.id} is not deprecated`);
  const { names } = contract;
  const accepted = responseOf(current, 202);
  const legacyAccepted = responseOf(legacy, 202);
  const { minMicroversion: min, maxMicroversion: max } = contract;
  const currentPrefix = `/${current.path.split("/")[1]}`;

  const rows = segments(contract).map((seg) => {
    const present = contract.createImageVariants.filter(
      (v) =>
        compareMicroversions(v.range.min, seg.min) <= 0 && compareMicroversions(v.range.max, seg.min) >= 0,
    );
    const absent = contract.createImageVariants.filter((v) => !present.includes(v));
    const texts = present.map((v) => describeElement(accepted, v.element));
    const carries = [
      ...texts.map((t) => t.carries),
      ...absent.map((v) => describeElement(accepted, v.element).absent),
    ].join("; ");
    return `| ${code(currentPrefix)}, microversion ${rangeText(seg)} | ${cell(carries)} | ${cell(
      texts.map((t) => t.readFrom).join(" or "),
    )} |`;
  });
  const legacyCarries = legacyAccepted.headers
    .filter((h) => h.name === names.locationHeader)
    .map((h) => describeElement(legacyAccepted, `header:${h.name}`));
  if (!legacyAccepted.content.length) legacyCarries.push({ carries: "empty body", readFrom: "", absent: "" });
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
    const response = responseOf(current, Number(status));
    return `- ${code(status)} (${code(contract.faultKeys[Number(status)] ?? "")}) is answered only for ${rangeText(
      range,
    )}: ${firstSentence(response.description)}`;
  });

  const headerLines = current.parameters
    .filter((p) => p.in === "header")
    .map((p) => {
      const values = p.examples.map((e) => code(`${p.name}: ${e.value}`));
      return `- ${code(p.name)}: ${cell(firstSentence(p.description))} Examples: ${values.join(", ")}.`;
    });
  const bodyFrom = contract.createImageVariants.find((v) => v.element.startsWith("body:"))?.range.min ?? max;

  const answerHeaders = unmarkedHeaders(accepted)
    .filter((h) => h.name !== names.requestIdHeader)
    .map(
      (h) =>
        `- ${code(h.name)}: ${cell(firstSentence(h.description))} Example: ${code(`${h.name}: ${exampleOf(h)}`)}.`,
    );

  const badRequest = responseOf(current, 400);
  const versionFormat = jsonMedia(badRequest)?.examples.find((e) => e.key === VERSION_FORMAT_EXAMPLE);
  if (!versionFormat)
    throw new Error(`The createImage 400 response has no example ${VERSION_FORMAT_EXAMPLE}`);
  const notAcceptable = responseOf(current, 406);
  const notAcceptableExamples = jsonMedia(notAcceptable)?.examples ?? [];

  const legacyStatuses = legacy.responses.map((r) => r.status);
  const neverOnLegacy = current.responses.map((r) => r.status).filter((s) => !legacyStatuses.includes(s));

  return fill("microversions", {
    currentPrefix: code(currentPrefix),
    min: code(min),
    max: code(max),
    operationId: code(current.id),
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
    pattern: code(model.schema(SCHEMAS.microversion).pattern),
    majorMinor: code("Major.Minor"),
    badRequestMessage: code(messageOf(versionFormat, badRequest.faultKey ?? "")),
    notAcceptableKey: code(contract.faultKeys[406] ?? ""),
    notAcceptableWhen: cell(notAcceptable.description),
    notAcceptableMessages: notAcceptableExamples
      .map((e) => code(messageOf(e, notAcceptable.faultKey ?? "")))
      .join(", "),
    legacyPrefix,
    legacyDescription: cell(legacy.description ?? ""),
    legacyHeaders: unmarkedHeaders(legacyAccepted)
      .map((h) => code(h.name))
      .join(" and "),
    neverOnLegacy: neverOnLegacy.map((s) => code(String(s))).join(", "),
  });
}
