import type { Contract } from "@ecs-api/spec";
import { cell, code, deref, examplesOf, type Json } from "../openapi.js";
import { createImageOperation, JSON_TYPE, messageOf } from "./spec.js";
import { fill } from "./template.js";

// The getting-started guide for frontend teams: start the mock, its reserved server IDs, the snippets.

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
  return fill("getting-started", {
    docsLine: code(`Docs: http://127.0.0.1:${ports.docs}/`),
    mockLine: code(`Mock: ${mockUrl}`),
    scenarioRows: scenarioRows.join("\n"),
    tokenHeader: code(contract.names.tokenHeader),
    clientSnippet: snippets.client,
    fetchSnippet: snippets.fetch,
  });
}
