import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { samplesDir } from "./paths.js";

/** One entry of an operation's `x-codeSamples`, as Redoc reads it. */
export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/**
 * The sample languages, in the order Redoc shows their tabs. The file extension decides the language,
 * so a sample is a plain file an editor (and tsc, for TypeScript) understands.
 */
export const SAMPLE_LANGUAGES = {
  ".sh": { lang: "Shell", label: "curl" },
  ".ts": { lang: "TypeScript", label: "TypeScript" },
  ".py": { lang: "Python", label: "python-novaclient" },
} as const satisfies Record<string, Omit<CodeSample, "source">>;

type Extension = keyof typeof SAMPLE_LANGUAGES;

/** Files named `guide-*` are embedded in the guides instead of an operation's samples. */
export const GUIDE_PREFIX = "guide-";

export interface SampleFiles {
  /** operationId → its samples, in SAMPLE_LANGUAGES order. */
  operations: Map<string, CodeSample[]>;
  /** Guide snippets by file name (e.g. `guide-frontend-client.ts`). */
  guides: Map<string, string>;
}

const isExtension = (ext: string): ext is Extension => Object.hasOwn(SAMPLE_LANGUAGES, ext);

/**
 * Reads `samples/`: `<operationId>.<sh|ts|py>` become that operation's code samples. Anything else
 * (except tsconfig.json) is an error, so a misnamed sample cannot silently drop out of the page.
 */
export function readSamples(dir: string = samplesDir): SampleFiles {
  const operations = new Map<string, CodeSample[]>();
  const guides = new Map<string, string>();
  const order = Object.keys(SAMPLE_LANGUAGES);
  for (const file of readdirSync(dir).sort()) {
    if (file === "tsconfig.json") continue;
    const ext = extname(file);
    if (!isExtension(ext)) throw new Error(`samples/${file}: unknown sample type (use ${order.join(", ")})`);
    const source = readFileSync(join(dir, file), "utf8").trimEnd();
    if (file.startsWith(GUIDE_PREFIX)) {
      guides.set(file, source);
      continue;
    }
    const operationId = file.slice(0, -ext.length);
    const list = operations.get(operationId) ?? [];
    list.push({ ...SAMPLE_LANGUAGES[ext], source });
    operations.set(operationId, list);
  }
  for (const list of operations.values()) {
    list.sort(
      (a, b) =>
        order.findIndex((e) => SAMPLE_LANGUAGES[e as Extension].lang === a.lang) -
        order.findIndex((e) => SAMPLE_LANGUAGES[e as Extension].lang === b.lang),
    );
  }
  return { operations, guides };
}
