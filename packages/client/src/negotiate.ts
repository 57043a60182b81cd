// Choosing a microversion from the compute endpoint's version document (negotiate()). Loaded on
// the first negotiate() call; what it needs of the client comes as arguments, because importing the
// client's modules would make bundlers split them into a third chunk of the initial download.
import { clampMicroversion, compareMicroversions, isWellFormed } from "@ecs-api/spec/microversion";
import type { Version } from "./client.js";
import type { EcsError, EcsErrorDetails } from "./errors.js";
import type { KnownMicroversion } from "./generated/contract.js";

const isConcrete = (v: unknown): v is string => typeof v === "string" && isWellFormed(v);

/** What the choice uses of the client. */
export interface PickContext {
  EcsError: typeof EcsError;
  /** The client's own range (the spec's). */
  client: { min: string; max: string };
}

/** The highest microversion up to `want` that the server (`document`) and the client both speak. */
export function pickMicroversion(
  want: string,
  document: Version | undefined,
  answer: EcsErrorDetails,
  { EcsError, client }: PickContext,
): KnownMicroversion {
  const min = document?.min_version;
  const max = document?.version;
  if (!isConcrete(min) || !isConcrete(max)) {
    throw new EcsError("invalid-response", "No microversion range", answer);
  }
  const pick = clampMicroversion(want, { min, max });
  if (pick === undefined || compareMicroversions(pick, client.min) < 0) {
    throw new EcsError(
      "version",
      `No common microversion up to ${want}: server ${min}-${max}, client ${client.min}-${client.max}`,
      { requestId: answer.requestId },
    );
  }
  return pick as KnownMicroversion;
}
