// The spec's examples the workflow builds its answers from: a server, an image, a token. Read once
// from the model by name, so the mock's shapes are the contract's.
import type { SpecModel } from "@ecs-api/spec/model";

// biome-ignore lint/suspicious/noExplicitAny: examples are plain JSON.
export type Json = any;

/** Every named example of the document by key (each key names one example). */
export function examplesByKey(model: SpecModel): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const { example } of model.examples()) if (!out.has(example.key)) out.set(example.key, example.value);
  for (const op of model.operations)
    for (const example of op.requestBody?.examples ?? [])
      if (!out.has(example.key)) out.set(example.key, example.value);
  return out;
}

/** One example's value (a deep copy); throws at start-up when the spec lacks it. */
export function exampleValue(examples: Map<string, unknown>, key: string): Json {
  if (!examples.has(key)) throw new Error(`the spec has no example ${key}`);
  return structuredClone(examples.get(key));
}

/** Replaces every occurrence of `from` in a string (an example's ID in its message). */
export const replaceAll = (text: string, from: string, to: string) => text.split(from).join(to);
