import type { ClientSamples } from "../client-samples.js";
import { code, demoteHeadings, fenced } from "../markdown.js";
import { fill } from "./template.js";

// The client workflow guide: the client package's GUIDE.md and its samples, embedded as they are
// (read at build time from the client package; the docs hold no copy of either).

/** Headings the guide gets under this section: its `#` title is replaced by the section's `##`. */
const GUIDE_TITLE = /^# .*\n+/;

export function clientWorkflow(samples: ClientSamples): string {
  if (!GUIDE_TITLE.test(samples.guide))
    throw new Error("The client's GUIDE.md does not start with a # title");
  const guide = demoteHeadings(samples.guide.replace(GUIDE_TITLE, ""), 1);
  const files = [...samples.files].map(([file, source]) => `#### ${code(file)}\n\n${fenced("ts", source)}`);
  return fill("client-workflow", {
    folder: code(samples.folder),
    guide,
    samples: files.join("\n\n"),
  });
}
