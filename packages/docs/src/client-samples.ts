import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { clientSamplesDir, repositoryDir } from "./paths.js";

/** The client's workflow samples, read where the client package keeps them (never copied here). */
export interface ClientSamples {
  /** `GUIDE.md`: the client's guide text, from credentials to an active image. */
  guide: string;
  /** Every `*.ts` sample by file name, in file-name order. */
  files: Map<string, string>;
  /** Where they are, relative to the repository root (the guide names it). */
  folder: string;
}

export const CLIENT_GUIDE = "GUIDE.md";
/** Files of the folder that are not samples: its own README and the tsconfig that type-checks them. */
const NOT_SAMPLES = new Set(["README.md", "tsconfig.json"]);

/**
 * Reads the client's `samples/`. Anything besides the guide, `*.ts` samples, the README and the
 * tsconfig is an error, so a sample in another form cannot silently stay out of the docs.
 */
export function readClientSamples(dir: string = clientSamplesDir): ClientSamples {
  let guide: string | undefined;
  const files = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    if (NOT_SAMPLES.has(file)) continue;
    const source = readFileSync(join(dir, file), "utf8").trimEnd();
    if (file === CLIENT_GUIDE) guide = source;
    else if (file.endsWith(".ts")) files.set(file, source);
    else throw new Error(`${join(dir, file)}: not a TypeScript sample, the guide or the README`);
  }
  if (guide === undefined) throw new Error(`${join(dir, CLIENT_GUIDE)} is missing`);
  if (!files.size) throw new Error(`${dir} has no *.ts sample`);
  return { guide, files, folder: `${relative(repositoryDir, dir)}/` };
}
