// The mock's memory of the workflow: issued tokens, the images createImage made and the snapshot
// each server is running. Nova's state does not depend on how a token was obtained, so this is one
// store for every caller. Bounded: past the caps the oldest entries are evicted, in O(1) (see
// eviction.ts). Time comes from an injected clock, so tests and `--seed`
// runs are reproducible.
import { evictOldest } from "./eviction.js";

/** How a snapshot moves (Nova's compute manager and libvirt driver), as fractions of its duration. */
export const TASK_STATES = [
  "image_snapshot_pending",
  "image_snapshot",
  "image_pending_upload",
  "image_uploading",
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface ImageRecord {
  id: string;
  name: string;
  serverId: string;
  projectId: string;
  userId: string;
  metadata: Record<string, string>;
  /** When createImage accepted it (ms since the epoch). */
  createdAt: number;
  /** The server's snapshot fails at the end (the reserved `snapshot-fails` server). */
  fails: boolean;
}

export interface TokenRecord {
  expiresAt: number;
  userId: string;
  userName: string;
  projectId: string;
  projectName: string;
}

export interface StateOptions {
  /** How long a snapshot takes, in seconds (0: done at once). */
  snapshotSeconds: number;
  /** Images kept; older ones are evicted. */
  maxImages: number;
  /** Issued tokens kept; older ones are evicted. */
  maxTokens: number;
  now: () => number;
}

export type ImageStatus = "queued" | "saving" | "active";

export function createState(options: StateOptions) {
  const images = new Map<string, ImageRecord>();
  /** Per server (lower-cased ID), the image its running snapshot makes. */
  const running = new Map<string, string>();
  const tokens = new Map<string, TokenRecord>();
  const imageOrder = evictOldest(images, options.maxImages, (evicted) => {
    // Only a snapshot that takes time is ever running; with none, the evicted record (cold in
    // memory by now) is not read at all.
    if (running.size > 0 && running.get(evicted.serverId) === evicted.id) running.delete(evicted.serverId);
  });
  const tokenOrder = evictOldest(tokens, options.maxTokens);
  const duration = Math.max(0, options.snapshotSeconds) * 1000;

  /** How far a snapshot is, from 0 (just accepted) to 1 (done). */
  const progress = (image: ImageRecord) =>
    duration === 0 ? 1 : Math.min(1, (options.now() - image.createdAt) / duration);

  /** Drops a finished failing snapshot's image, as Nova's @delete_image_on_error does. */
  function settle(image: ImageRecord): ImageRecord | undefined {
    if (progress(image) < 1) return image;
    if (running.get(image.serverId) === image.id) running.delete(image.serverId);
    if (image.fails) {
      images.delete(image.id);
      return undefined;
    }
    return image;
  }

  return {
    snapshotSeconds: options.snapshotSeconds,
    maxImages: options.maxImages,

    /** The image createImage recorded, in its current state; undefined once deleted or failed. */
    image(id: string): ImageRecord | undefined {
      const found = images.get(id.toLowerCase());
      return found ? settle(found) : undefined;
    },

    imageStatus(image: ImageRecord): ImageStatus {
      const p = progress(image);
      return p >= 1 ? "active" : p >= 0.5 ? "saving" : "queued";
    },

    /** Every image, oldest first, in its current state. */
    images(): ImageRecord[] {
      const out: ImageRecord[] = [];
      for (const image of [...images.values()]) {
        const settled = settle(image);
        if (settled) out.push(settled);
      }
      return out;
    },

    /** The task_state of a server: its running snapshot's step, or null. */
    taskState(serverId: string): TaskState | null {
      // Nothing running (every snapshot with --snapshot-seconds 0): no key to look up.
      if (running.size === 0) return null;
      const key = serverId.toLowerCase();
      const id = running.get(key);
      const image = id ? images.get(id) : undefined;
      if (!image || !settle(image) || progress(image) >= 1) {
        running.delete(key);
        return null;
      }
      return TASK_STATES[
        Math.min(TASK_STATES.length - 1, Math.floor(progress(image) * TASK_STATES.length))
      ] as TaskState;
    },

    /**
     * Records an accepted createImage: the image (queued) and the server's running snapshot.
     * `id` and `serverId` come lower-cased (the engine's UUIDs are; it lower-cases the server ID
     * once per request), the form every lookup here uses.
     */
    startSnapshot(image: Omit<ImageRecord, "createdAt">): ImageRecord {
      // One literal of a fixed shape: every record shares one hidden class.
      const record: ImageRecord = {
        id: image.id,
        name: image.name,
        serverId: image.serverId,
        projectId: image.projectId,
        userId: image.userId,
        metadata: image.metadata,
        fails: image.fails,
        createdAt: options.now(),
      };
      images.set(record.id, record);
      if (duration > 0) running.set(record.serverId, record.id);
      imageOrder.added(record.id);
      // A failing snapshot that takes no time is gone at once.
      settle(record);
      return record;
    },

    deleteImage(id: string): boolean {
      const found = images.get(id.toLowerCase());
      if (!found || !settle(found)) return false;
      images.delete(found.id);
      if (running.get(found.serverId) === found.id) running.delete(found.serverId);
      return true;
    },

    issueToken(token: string, record: TokenRecord): void {
      tokens.set(token, record);
      tokenOrder.added(token);
    },

    /** An issued token that has not expired. */
    token(token: string): TokenRecord | undefined {
      const found = tokens.get(token);
      if (!found) return undefined;
      if (found.expiresAt <= options.now()) {
        tokens.delete(token);
        return undefined;
      }
      return found;
    },

    reset(): void {
      images.clear();
      running.clear();
      tokens.clear();
      imageOrder.clear();
      tokenOrder.clear();
    },

    /** Counts, for `--help`-style summaries and the memory bench. */
    size(): { images: number; tokens: number } {
      return { images: images.size, tokens: tokens.size };
    },
  };
}

export type State = ReturnType<typeof createState>;
