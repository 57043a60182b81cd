// What the engine knows about one request while its steps run, and about each operation once.
import type { Operation, Response } from "@ecs-api/spec/model";
import type { BodyChecker } from "./body.js";
import type { Route } from "./routing.js";
import type { EngineRequest, Template } from "./types.js";

/** Which part of the API a path belongs to: Nova's URI versions, or the version documents at the root. */
export type Scope = "v2.1" | "v2" | "root";

/** One operation of the model with what the engine needs of it, worked out at start-up. */
export interface OperationInfo {
  operation: Operation;
  route: Route;
  responses: Map<number, Response>;
  templates: Map<number, Template[]>;
  body?: {
    checker: BodyChecker;
    maxBytes: number;
    mediaTypes: Set<string>;
  };
}

export interface Ctx {
  req: EngineRequest;
  /** The parsed query (undefined when the request has none). */
  query: URLSearchParams | undefined;
  scope: Scope;
  info: OperationInfo | undefined;
  params: Record<string, string>;
  version: string | undefined;
  requestId: string;
  /** The request asks for a Prism feature (Prefer / __code …). */
  prism: boolean;
  /** The example the client named: its IDs are kept instead of fresh ones. */
  example: string | undefined;
  /** The new image's ID, once createImage has recorded it. */
  imageId?: string;
}
