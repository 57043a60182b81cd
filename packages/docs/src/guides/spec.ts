import type { Header, Media, NamedExample, Response } from "@ecs-api/spec/model";

// What more than one guide reads from the model.

export const JSON_TYPE = "application/json";

/** A response's JSON body, if it has one. */
export function jsonMedia(response: Response): Media | undefined {
  return response.content.find((m) => m.type === JSON_TYPE);
}

/** A header's example to show: its first named one, else its plain `example`. */
export function exampleOf(header: Header): unknown {
  return (header.examples.find((e) => e.key) ?? header.examples[0])?.value;
}

/** The message of an error example: Nova's `{"<key>": {message}}`, Keystone's `{"error": {message}}`
 * (both with a fault key) or Glance's flat `{message}` (none). */
export function messageOf(example: NamedExample, faultKey: string): string {
  const value = example.value as Record<string, { message?: unknown } | undefined> | undefined;
  const holder = faultKey ? value?.[faultKey] : (value as { message?: unknown } | undefined);
  return String(holder?.message ?? "");
}
