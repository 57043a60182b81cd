import { type Contract, OPERATIONS } from "@ecs-api/spec";
import type { SpecModel } from "@ecs-api/spec/model";
import { cell, code, unbroken } from "../markdown.js";
import { jsonMedia, messageOf } from "./spec.js";
import { fill } from "./template.js";

// The getting-started guide for frontend teams: start the mock, its reserved server IDs, the snippets.

/** The local mock's URL as the spec's `servers` list names it. */
export function mockServerUrl(model: SpecModel): string {
  const server = model.servers.find((s) => /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(s.url));
  if (!server) throw new Error("The spec's servers list names no local mock (127.0.0.1 or localhost)");
  return server.url.replace(/\/$/, "");
}

/** What the mock answers for each reserved server ID: the createImage examples that name the ID. */
export function scenarioAnswers(model: SpecModel, contract: Contract) {
  const createImage = model.operation(OPERATIONS.createImage);
  return Object.entries(contract.scenarios).map(([scenario, serverId]) => {
    const answers: { status: number; faultKey: string; message: string }[] = [];
    for (const response of createImage.responses) {
      const faultKey = response.faultKey ?? "";
      for (const ex of jsonMedia(response)?.examples ?? []) {
        const message = messageOf(ex, faultKey);
        if (message.includes(serverId)) answers.push({ status: response.status, faultKey, message });
      }
    }
    return { scenario, serverId, answers };
  });
}

export function gettingStarted(
  model: SpecModel,
  contract: Contract,
  snippets: { client: string; fetch: string },
  ports: { docs: number },
): string {
  const mockUrl = mockServerUrl(model);
  const scenarioRows = scenarioAnswers(model, contract).map(({ scenario, serverId, answers }) => {
    // A scenario no fault example names (snapshot-fails) answers 202; what follows is in the README.
    const answer = answers.length
      ? answers.map((a) => `${a.status} ${code(a.faultKey)}: ${code(cell(a.message))}`).join("<br>")
      : "202, then the snapshot fails: the image disappears (404) and task_state resets (see the mock's README)";
    return `| ${unbroken(code(scenario))} | ${unbroken(code(serverId))} | ${answer} |`;
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
