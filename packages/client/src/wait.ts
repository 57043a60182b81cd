// Waiting for a snapshot: poll the image until it is active and the server's task_state is reset.
// Loaded by `waitForImage()` on its first call (a chunk of its own for bundlers).
// Everything it runs comes in `PollContext`: an import of the client's modules would make bundlers
// split them into a third chunk, which costs the initial download more than the poller saves.
import type { CallOptions, Image, Server, WaitOptions } from "./client.js";
import type { EcsError, EcsErrorDetails } from "./errors.js";
import type { components } from "./generated/openapi.js";
import type { sleep } from "./transport.js";

const TASK_STATE = "OS-EXT-STS:task_state" satisfies keyof components["schemas"]["Server"];

/** What the poller uses of the client. */
export interface PollContext {
  readImage(imageId: string, call: CallOptions): Promise<{ body: Image; answer: EcsErrorDetails }>;
  getServer(serverId: string, call?: CallOptions): Promise<Server>;
  sleep: typeof sleep;
  EcsError: typeof EcsError;
  /** The image statuses of the contract: done, and failed. */
  active: string;
  failed: readonly string[];
}

export async function pollImage(
  { readImage, getServer, sleep, EcsError, active: ACTIVE, failed: FAILED }: PollContext,
  imageId: string,
  wait: WaitOptions,
): Promise<Image> {
  const { intervalMs = 2000, timeoutMs: total = 15 * 60_000, signal, onProgress, serverId } = wait;
  const deadline = Date.now() + total;
  const call = signal ? { signal } : {};
  for (;;) {
    let current: Image;
    let answer: EcsErrorDetails;
    try {
      ({ body: current, answer } = await readImage(imageId, call));
    } catch (error) {
      // Nova deletes the image when the snapshot fails: the image service then answers 404.
      if (error instanceof EcsError && error.kind === "http" && error.status === 404) {
        throw new EcsError("snapshot-failed", `Image ${imageId} is gone: the snapshot failed`, {
          status: 404,
          requestId: error.requestId,
          cause: error,
        });
      }
      throw error;
    }
    const active = current.status === ACTIVE;
    // The server's task_state, for progress and, once the image is active, until Nova has reset it
    // (as `nova image-create --poll` does): another createImage before that is Nova's 409. A server
    // that cannot be read neither stops nor holds up the wait.
    const taskState =
      serverId !== undefined && (onProgress || active)
        ? await getServer(serverId, call).then(
            (s) => s[TASK_STATE],
            () => undefined,
          )
        : undefined;
    onProgress?.({ status: current.status, taskState, image: current });
    if (active && !taskState) return current;
    if (FAILED.includes(current.status)) {
      throw new EcsError("snapshot-failed", `Image ${imageId} is ${current.status}: the snapshot failed`, {
        requestId: answer.requestId,
      });
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new EcsError(
        "wait-timeout",
        active
          ? `Image ${imageId} is active, but server ${serverId} is still in task_state ${taskState} after ${total} ms`
          : `Image ${imageId} is still ${current.status} after ${total} ms`,
        { requestId: answer.requestId },
      );
    }
    await sleep(Math.min(intervalMs, left), signal);
  }
}
