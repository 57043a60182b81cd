import type { VersionRange } from "@ecs-api/spec";
import {
  cell,
  code,
  deref,
  examplesOf,
  type Json,
  type NamedExample,
  operationsOf,
  rangeOf,
} from "../openapi.js";
import { JSON_TYPE, messageOf, rangeText } from "./spec.js";
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
  return fill("errors", {
    faultBody: code('{"<fault key>": {"code": <status>, "message": "..."}}'),
    rows: lines.join("\n"),
  });
}
