import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  compareMicroversions,
  contractOf,
  loadContract,
  loadModel,
  loadSpec,
  modelOf,
  OPERATIONS,
  rangeText,
} from "@ecs-api/spec";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readClientSamples } from "../src/client-samples.js";
import { buildDocsDocument, GUIDE_SNIPPETS, tagGroups } from "../src/document.js";
import {
  errorCatalogue,
  errorRows,
  microversionGuide,
  mockServerUrl,
  scenarioAnswers,
  segments,
} from "../src/guides/index.js";
import { fill } from "../src/guides/template.js";
import { packageDir } from "../src/paths.js";
import { readSamples, SAMPLE_LANGUAGES } from "../src/samples.js";

// biome-ignore lint/suspicious/noExplicitAny: the bundled document, edited by tests as plain JSON.
type Json = any;

const spec = loadSpec();
const model = loadModel();
const contract = loadContract();
const samples = readSamples();
const clientSamples = readClientSamples();
const build = () =>
  buildDocsDocument({ spec, model, contract, samples, clientSamples, ports: { docs: 8080 } });
const docsDoc = build();
const ops = model.operations;
const byId = (id: string) => model.operation(id);
const legacy = ops.find((o) => o.deprecated && o.path.endsWith("/action"));
if (!legacy) throw new Error("the spec has no deprecated createImage operation");
/** The docs' copy of an operation, as Redoc reads it (with its x-codeSamples). */
const docsOperation = (id: string) => {
  const op = byId(id);
  return docsDoc.paths[op.path][op.method.toLowerCase()];
};

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function sampleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ecs-docs-samples-"));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("tag groups", () => {
  const groups: { name: string; tags: string[] }[] = docsDoc["x-tagGroups"];
  const groupOf = (tag: string | undefined) =>
    groups.findIndex((g) => tag !== undefined && g.tags.includes(tag));

  it("Given the bundled spec, then the /v2.1 createImage tag is in the first group", () => {
    const [tag] = byId("createImage").tags;
    expect(groupOf(tag)).toBe(0);
    expect(groups[0]?.name).toBe("/v2.1");
  });

  it("Given the bundled spec, then the deprecated /v2 tag follows in a group marked deprecated", () => {
    const [tag] = legacy.tags;
    const index = groupOf(tag);
    expect(index).toBeGreaterThan(0);
    expect(groups[index]?.name).toMatch(/^\/v2 .*deprecated/);
  });

  it("Given the bundled spec, then the version documents come last", () => {
    const [tag] = byId("listVersions").tags;
    expect(groupOf(tag)).toBe(groups.length - 1);
  });

  it("Given the bundled spec, then every operation's tags are in exactly one group (Redoc hides the rest)", () => {
    for (const operation of ops) {
      for (const tag of operation.tags) {
        expect(
          groups.filter((g) => g.tags.includes(tag)),
          `${operation.id}: ${tag}`,
        ).toHaveLength(1);
      }
    }
  });

  it("Given the bundled spec, then every operation's tag is declared with a description in the spec's tags", () => {
    const declared = new Map<string, Json>(spec.tags.map((t: Json) => [t.name, t]));
    for (const operation of ops) {
      for (const tag of operation.tags) {
        expect(declared.get(tag)?.description, `${operation.id}: tag "${tag}"`).toBeTruthy();
      }
    }
  });

  it("Given a second current URI version, then the higher one comes first", async () => {
    const doc = structuredClone(spec);
    doc.paths["/v3/{project_id}/servers/{server_id}/action"] = {
      post: {
        ...doc.paths["/v2.1/{project_id}/servers/{server_id}/action"].post,
        operationId: "createImageV3",
        tags: ["Images (v3)"],
      },
    };
    // Compute's URI versions first, highest first; then the other services and the version documents.
    expect(tagGroups(await modelOf(doc)).map((g) => g.name)).toEqual([
      "/v3",
      "/v2.1",
      expect.stringMatching(/^\/v2 /),
      "Identity",
      "Images (Glance v2)",
      "Versions",
    ]);
  });
});

describe("code samples", () => {
  const samplesOf = (id: string) =>
    (docsOperation(id)["x-codeSamples"] ?? []) as {
      label: string;
      source: string;
    }[];
  const labels = Object.values(SAMPLE_LANGUAGES).map((l) => l.label);

  it("Given the samples folder, then both createImage operations have curl, TypeScript and python-novaclient samples", () => {
    for (const id of ["createImage", legacy.id]) {
      expect(samplesOf(id).map((s) => s.label)).toEqual(labels);
    }
  });

  it("Given the samples folder, then every operation has a curl sample", () => {
    for (const operation of ops) {
      expect(samplesOf(operation.id)[0]?.label, operation.id).toBe("curl");
    }
  });

  it("Given a sample named after no operation, when the document is built, then the build fails", () => {
    const dir = sampleDir({ "createImag.sh": "curl", ...Object.fromEntries(guideFiles()) });
    expect(() =>
      buildDocsDocument({
        spec,
        model,
        contract,
        samples: readSamples(dir),
        clientSamples,
        ports: { docs: 8080 },
      }),
    ).toThrow(/no operation createImag/);
  });

  it("Given a sample with an unknown extension, when the samples are read, then reading fails", () => {
    const dir = sampleDir({ "createImage.rb": "puts 1" });
    expect(() => readSamples(dir)).toThrow(/createImage\.rb/);
  });

  it("Given redocly.yaml, then its code-sample languages list every sample label (Redoc hides unlisted ones)", () => {
    const config = parse(readFileSync(join(packageDir, "redocly.yaml"), "utf8"));
    const configured = config.openapi.codeSamples.languages.map((l: Json) => l.label);
    for (const label of labels) expect(configured).toContain(label);
  });

  it("Given the samples, then every microversion they name is within the contract's range", () => {
    const found: string[] = [];
    for (const list of samples.operations.values()) {
      for (const { source } of list) {
        for (const m of source.matchAll(
          /compute (\d+\.\d+)|microversion: "(\d+\.\d+)"|Client\("(\d+\.\d+)"/g,
        )) {
          found.push(m[1] ?? m[2] ?? m[3] ?? "");
        }
      }
    }
    expect(found.length).toBeGreaterThan(0);
    for (const version of found.filter((v) => v !== "2.0")) {
      expect(compareMicroversions(version, contract.minMicroversion), version).toBeGreaterThanOrEqual(0);
      expect(compareMicroversions(version, contract.maxMicroversion), version).toBeLessThanOrEqual(0);
    }
  });
});

function guideFiles(): [string, string][] {
  return Object.values(GUIDE_SNIPPETS).map((f) => [f, samples.guides.get(f) ?? ""]);
}

describe("microversion guide", () => {
  const guide = microversionGuide(model, contract);

  it("Given the contract, then the table has one row per microversion range of the createImage answer", () => {
    for (const seg of segments(contract)) expect(guide).toContain(`microversion ${rangeText(seg)} |`);
    expect(segments(contract).length).toBeGreaterThanOrEqual(2);
  });

  it("Given the contract, then each range's row names the element that carries the image ID", () => {
    for (const { element, range } of contract.createImageVariants) {
      const row = guide.split("\n").find((l) => l.includes(`microversion ${range.min} `));
      const name = element.startsWith("header:") ? `\`${element.slice(7)}\` header` : "body `{";
      expect(row, element).toContain(name);
    }
  });

  it("Given the spec moves the cut-over, when the guide is generated, then its table follows", async () => {
    const doc = structuredClone(spec);
    const header = Object.values<Json>(doc.components.headers).find((h) => h["x-openstack"]?.["max-ver"]);
    header["x-openstack"]["max-ver"] = "2.40";
    doc.components.schemas.CreateImageResult["x-openstack"]["min-ver"] = "2.41";
    const movedModel = await modelOf(doc);
    const moved = microversionGuide(movedModel, contractOf(movedModel));
    expect(moved).toContain("microversion 2.1 – 2.40 |");
    expect(moved).toContain("microversion 2.41 – ");
  });

  it("Given the spec renames the service type or the maximum keyword, then the model refuses it (the code spells them as checked constants)", async () => {
    const { names } = contract;
    const renamedType = structuredClone(spec);
    const header = renamedType.components.headers[names.standardVersionHeader].schema;
    header.pattern = header.pattern.replace(`^${names.serviceType} `, "^volume ");
    await expect(modelOf(renamedType)).rejects.toThrow(/service type compute/);
    const renamedLatest = structuredClone(spec);
    const microversion = renamedLatest.components.schemas.Microversion;
    microversion.pattern = microversion.pattern.replace(`|${names.latest})$`, "|newest)$");
    await expect(modelOf(renamedLatest)).rejects.toThrow(/"latest"/);
  });

  it("Given the spec, then the guide names both request headers, the 400 and 406 messages and /v2", () => {
    for (const name of ["OpenStack-API-Version", "X-OpenStack-Nova-API-Version"])
      expect(guide).toContain(name);
    expect(guide).toContain(
      spec.components.examples["fault-invalid-version-format"].value.badRequest.message,
    );
    expect(guide).toContain(
      spec.components.examples["fault-version-not-supported"].value.computeFault.message,
    );
    expect(guide).toContain(`### The legacy /${legacy.path.split("/")[1]} endpoint`);
    expect(byId(OPERATIONS.createImageLegacyV2)).toBe(legacy);
  });
});

describe("error catalogue", () => {
  const catalogue = errorCatalogue(model);

  it("Given the spec, then every createImage error status appears with the fault key the contract reads", () => {
    for (const [status, key] of Object.entries(contract.faultKeys)) {
      expect(catalogue).toContain(`| ${status} | \`${key}\` |`);
    }
  });

  it("Given the spec, then every error status of every operation has a row", () => {
    const statuses = new Set(
      Object.values<Json>(spec.paths).flatMap((item) =>
        Object.values<Json>(item).flatMap((op) =>
          Object.keys(op?.responses ?? {}).filter((s) => Number(s) >= 400),
        ),
      ),
    );
    expect(statuses.size).toBeGreaterThan(5);
    for (const status of statuses) expect(catalogue).toMatch(new RegExp(`^\\| ${status} \\|`, "m"));
  });

  it("Given the spec, then every error example's message appears in the catalogue", () => {
    for (const row of errorRows(model)) {
      for (const ex of row.examples.values()) {
        // As a table cell shows it: line breaks folded into one space, pipes escaped.
        const value = ex.value as Json;
        const message = (row.faultKey ? value[row.faultKey] : value).message
          .replace(/\s*\n\s*/g, " ")
          .replace(/\|/g, "\\|");
        expect(catalogue, ex.key).toContain(message);
      }
    }
  });

  it("Given a status added to the spec, when the catalogue is generated, then it has a row for it", async () => {
    const doc = structuredClone(spec);
    doc.paths["/v2.1/{project_id}/servers/{server_id}/action"].post.responses["500"] = {
      description: "Unexpected error.",
      content: { "application/json": { schema: { $ref: "#/components/schemas/ComputeFault" } } },
    };
    expect(errorCatalogue(await modelOf(doc))).toContain("| 500 | `computeFault` | Unexpected error.");
  });
});

describe("getting started for frontend teams", () => {
  const description: string = docsDoc.info.description;
  const guide = description.slice(description.indexOf("## Getting started for frontend teams"));

  it("Given the contract's scenarios, then every reserved server ID is listed with the answer the spec gives", () => {
    const answers = scenarioAnswers(model, contract);
    expect(answers.map((a) => a.serverId)).toEqual(Object.values(contract.scenarios));
    for (const { scenario, serverId, answers: list } of answers) {
      const row = guide.split("\n").find((l) => l.includes(`\`${serverId}\``));
      // snapshot-fails is accepted (202): no fault example names it.
      if (scenario === "snapshot-fails") expect(row, scenario).toContain("202, then the snapshot fails");
      else expect(row, scenario).toContain(`${list[0]?.status} \`${list[0]?.faultKey}\``);
    }
  });

  it("Given the root README, then the guide gives exactly its one-line start command", () => {
    const readme = readFileSync(join(packageDir, "..", "..", "README.md"), "utf8");
    const command = readme
      .split("\n")
      .find((l) => l.includes("pnpm start"))
      ?.replace(/\s+#.*$/, "");
    expect(command).toMatch(/^corepack enable && /);
    expect(guide).toContain(`\`\`\`sh\n${command}\n\`\`\``);
  });

  it("Given the spec renames the token header, then the model refuses it (the guide names the checked constant)", async () => {
    const doc = structuredClone(spec);
    const scheme = Object.values<Json>(doc.components.securitySchemes).find((s) => s.type === "apiKey");
    scheme.name = "X-Test-Token";
    await expect(modelOf(doc)).rejects.toThrow(/X-Auth-Token/);
    expect(build().info.description).toContain(
      `any non-empty \`${contract.names.tokenHeader}\` are accepted`,
    );
  });

  it("Given the guide snippets, then they point at the local mock URL of the spec's servers", () => {
    const url = mockServerUrl(model);
    for (const [file, source] of guideFiles()) {
      expect(source.split(url).length - 1, file).toBe(1);
      expect(guide).toContain(source);
    }
  });
});

describe("client workflow", () => {
  const description: string = docsDoc.info.description;
  const guide = description.slice(description.indexOf("## Client workflow"));
  const clientDir = join(packageDir, "..", "client", "samples");

  it("Given the client's samples folder, then the guide embeds every sample file verbatim, as a TypeScript block", () => {
    const files = readdirSync(clientDir).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const source = readFileSync(join(clientDir, file), "utf8").trimEnd();
      expect(guide, file).toContain(`#### \`${file}\`\n\n\`\`\`ts\n${source}\n\`\`\``);
    }
  });

  it("Given the client's GUIDE.md, then the guide holds its text whole, one heading level down", () => {
    const text = readFileSync(join(clientDir, "GUIDE.md"), "utf8");
    const [title, ...rest] = text.trimEnd().split("\n");
    expect(title).toMatch(/^# /);
    expect(guide).not.toContain(title);
    const body = rest.join("\n").trim();
    const demoted = body.replace(/^(#{1,5}) /gm, "#$1 ");
    expect(demoted).not.toBe(body);
    expect(guide).toContain(demoted);
  });

  it("Given the guide, then it covers the cloud and the mock with each way to log in", () => {
    for (const needle of ["passwordAuth(", "akskAuth(", "token:", "mockEndpoints(", 'region: "eu-de"'])
      expect(guide, needle).toContain(needle);
    expect(guide).toContain("`packages/client/samples/`");
  });

  it("Given a sample added to the client's folder, then the guide shows it; another kind of file fails the build", () => {
    const dir = sampleDir({
      "GUIDE.md": "# Guide\n\n## Part\n\n```ts\n# not a heading\n```\n",
      "extra.ts": 'console.log("extra");\n',
    });
    const extra = readClientSamples(dir);
    const text = buildDocsDocument({
      spec,
      model,
      contract,
      samples,
      clientSamples: extra,
      ports: { docs: 8080 },
    }).info.description;
    expect(text).toContain('#### `extra.ts`\n\n```ts\nconsole.log("extra");\n```');
    expect(text).toContain("### Part");
    expect(text).toContain("```ts\n# not a heading\n```");
    const withJs = sampleDir({ "GUIDE.md": "# Guide\n", "a.ts": "1", "b.js": "1" });
    expect(() => readClientSamples(withJs)).toThrow(/b\.js/);
    const noGuide = sampleDir({ "a.ts": "1" });
    expect(() => readClientSamples(noGuide)).toThrow(/GUIDE\.md is missing/);
  });
});

describe("docs document", () => {
  it("Given the spec's description, then the docs keep it whole and append the four guides in order", () => {
    const description: string = docsDoc.info.description;
    expect(description.startsWith(spec.info.description.trimEnd())).toBe(true);
    expect(description).toContain("## Differences from the OTC documentation");
    const order = [
      "## Microversion guide",
      "## Error catalogue",
      "## Getting started for frontend teams",
      "## Client workflow",
    ].map((h) => description.indexOf(h));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("Given the build, then the bundled spec itself is left unchanged", () => {
    expect(spec).toEqual(loadSpec());
    expect(spec["x-tagGroups"]).toBeUndefined();
  });
});

describe("guide templates", () => {
  it("Given a guide template, when a placeholder has no value, then filling it fails", () => {
    expect(() => fill("errors", { faultBody: "x" })).toThrow(/no value for \{\{rows\}\}/);
  });

  it("Given a guide template, when a value has no placeholder, then filling it fails", () => {
    expect(() => fill("errors", { faultBody: "x", rows: "y", extra: "z" })).toThrow(
      /no placeholder for extra/,
    );
  });

  it("Given the generated guides, then no placeholder is left in the page's description", () => {
    expect(docsDoc.info.description).not.toMatch(/\{\{\w+\}\}/);
  });
});
