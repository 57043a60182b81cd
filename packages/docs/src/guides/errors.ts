import type { VersionRange } from "@ecs-api/spec/microversion";
import { rangeText } from "@ecs-api/spec/microversion";
import type { NamedExample, SpecModel } from "@ecs-api/spec/model";
import { cell, code } from "../markdown.js";
import { jsonMedia, messageOf } from "./spec.js";
import { fill } from "./template.js";

// The error catalogue: every error answer of every operation, one row per status and fault key.

interface CatalogueRow {
  status: number;
  faultKey: string;
  when: string[];
  range: VersionRange | undefined;
  operations: string[];
  examples: Map<string, NamedExample>;
}

/** The fault-key cell of an error without a wrapper key (Glance answers with webob's flat page). */
export const NO_FAULT_KEY = "webob error page";

/** Every error answer of every operation, grouped by status and fault key. */
export function errorRows(model: SpecModel): CatalogueRow[] {
  const rows = new Map<string, CatalogueRow>();
  for (const operation of model.operations) {
    for (const response of operation.responses) {
      if (!(response.status >= 400)) continue;
      // One required key is a fault wrapper (Nova, Keystone); Glance's webob body is flat.
      const faultKey = response.faultKey ?? "";
      const id = `${response.status}:${faultKey}`;
      const row: CatalogueRow = rows.get(id) ?? {
        status: response.status,
        faultKey,
        when: [],
        range: response.range,
        operations: [],
        examples: new Map(),
      };
      const when = cell(response.description);
      if (!row.when.includes(when)) row.when.push(when);
      row.operations.push(operation.id);
      for (const ex of jsonMedia(response)?.examples ?? []) row.examples.set(ex.key, ex);
      rows.set(id, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.status - b.status || a.faultKey.localeCompare(b.faultKey));
}

export function errorCatalogue(model: SpecModel): string {
  const lines = errorRows(model).map((row) => {
    const messages = [...row.examples.values()]
      .map((ex) => `${cell(ex.summary ?? ex.key)}: ${code(cell(messageOf(ex, row.faultKey)))}`)
      .join("<br>");
    const range = row.range ? ` Only ${rangeText(row.range)} on /v2.1.` : "";
    return `| ${row.status} | ${row.faultKey ? code(row.faultKey) : NO_FAULT_KEY} | ${row.when.join(" ")}${range} | ${messages} | ${row.operations
      .map((o) => code(o))
      .join(" ")} |`;
  });
  return fill("errors", {
    faultBody: code('{"<fault key>": {"code": <status>, "message": "..."}}'),
    rows: lines.join("\n"),
  });
}
