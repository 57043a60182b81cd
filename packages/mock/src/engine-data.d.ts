// The shape of generated/engine-data.js (written by scripts/generate.mjs), for the `#engine-data`
// import of the browser entry. Committed, because tsc runs before generation. A subtree that occurs
// more than once in the data is one shared object there: readers must not write to it.
import type { Templates } from "./engine/types.js";

declare const data: {
  /** The dereferenced bundle (`@ecs-api/spec/openapi.deref.json`) as `modelSource` of `@ecs-api/spec/model` keeps it. */
  // biome-ignore lint/suspicious/noExplicitAny: plain JSON.
  spec: any;
  templates: Templates;
  specSha256: string;
  prism: string;
};
export default data;
