import { createHash, randomUUID } from "node:crypto";

/** Produces UUIDs (version 4 layout). */
export type UuidSource = () => string;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function format(b: Uint8Array): string {
  const h = (i: number) => HEX[b[i] ?? 0] as string;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

/**
 * Random UUIDs, or with a seed a reproducible sequence: SHA-256 of (seed, stream, counter) in
 * counter mode, with the version-4 bits set. node:crypto is already here and is a sound
 * deterministic generator; a seedable PRNG package would add a dependency for the same thing.
 * Each stream (image IDs, request IDs) has its own counter, so the image IDs a client sees do not
 * depend on how many other requests (errors, version documents) came in between.
 */
export function uuidSource(seed: string | undefined, stream: string): UuidSource {
  if (seed === undefined) return randomUUID;
  let counter = 0;
  let pool: Buffer = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 16 > pool.length) {
      // One hash gives two UUIDs; hash 8 blocks at a time to keep the per-call cost low.
      const blocks: Buffer[] = [];
      for (let i = 0; i < 8; i++) {
        blocks.push(createHash("sha256").update(`${seed}\0${stream}\0${counter++}`).digest());
      }
      pool = Buffer.concat(blocks);
      offset = 0;
    }
    const b = pool.subarray(offset, offset + 16);
    offset += 16;
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    return format(b);
  };
}
