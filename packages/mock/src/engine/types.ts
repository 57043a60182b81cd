// The engine speaks plain data, like Prism's `packages/http`: a request is method, path, query,
// lower-cased headers and body bytes; an answer is status, headers and body. Only the adapters
// (node:http, fetch, MSW) turn these into their runtime's objects.

export interface EngineRequest {
  method: string;
  /** The path, percent-encoded as sent, without the query. */
  path: string;
  /** The query string without `?` ("" when none). */
  query: string;
  /** Lower-cased names; repeated headers joined with ", " (as fetch's Headers does). */
  headers: Readonly<Record<string, string>>;
  /** The body bytes; undefined when there is none. */
  body: Uint8Array | undefined;
  /** `http://host:port` as the client addressed the mock (links and Location use it). */
  origin: string;
  /**
   * Set by an adapter that stopped reading a body over `engine.maxBodyBytes`: `announced` when
   * Content-Length said so (refused before anything else is read, as oslo's sizelimit does),
   * `streamed` when the bytes ran over while reading.
   */
  bodyTooLarge?: "announced" | "streamed";
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The microversion the answer carries in its headers (for the log). */
  microversion: string | undefined;
}

/** One response as Prism mocks it. Header names are spelled as in the spec. */
export interface Template {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when the response has none. */
  body?: unknown;
  exampleKey?: string;
}

/** Prism's answers per operationId and status, one template per example in spec order. */
export type Templates = Record<string, Record<string, Template[]>>;
