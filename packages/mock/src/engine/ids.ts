// UUIDs for images and requests, without `node:`: `crypto.randomUUID()` (Web Crypto, in browsers
// and Node) when unseeded; with a seed a reproducible sequence. The seeded generator is not
// cryptographic on purpose — a seed only makes runs repeatable — and Web Crypto's digest is async,
// which would put a promise on every request; a small synchronous PRNG (xoshiro128**, seeded with
// FNV-1a of seed and stream) gives the same guarantees that matter: reproducible, well spread,
// independent per stream.

/** Produces UUIDs (version 4 layout). */
export type UuidSource = () => string;

/**
 * The same text as one flat string. A UUID built by concatenation (Node's `randomUUID` joins 20
 * pieces, as does `format` below) is a tree of some 14 cons strings in V8, about 450 bytes instead
 * of 50, and a Map key or a stored record keeps the whole tree: with 1000 stored images that is most
 * of what the image store holds. Converting to a number flattens a string in place (V8's
 * String::Flatten, the trick of the flatstr package); the GC then drops the tree.
 */
function flat(text: string): string {
  Number(text);
  return text;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function format(b: Uint8Array): string {
  const h = (i: number) => HEX[b[i] ?? 0] as string;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

/** 32-bit FNV-1a over the UTF-16 units of a text, with a salt so four different words come out. */
function fnv1a(text: string, salt: number): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** xoshiro128** (Blackman and Vigna): four 32-bit words of state, one 32-bit output per step. */
function xoshiro128(seed: [number, number, number, number]): () => number {
  let [a, b, c, d] = seed;
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const result = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = ((d << 11) | (d >>> 21)) >>> 0;
    return result;
  };
}

/**
 * Random UUIDs, or with a seed a reproducible sequence. Each stream (image IDs, request IDs) has
 * its own generator, so the image IDs a client sees do not depend on how many other requests
 * (errors, version documents) came in between.
 */
export function uuidSource(seed: string | undefined, stream: string): UuidSource {
  if (seed === undefined) return () => flat(crypto.randomUUID());
  const key = `${seed}\0${stream}`;
  const next = xoshiro128([fnv1a(key, 1), fnv1a(key, 2), fnv1a(key, 3), fnv1a(key, 4)]);
  const bytes = new Uint8Array(16);
  return () => {
    for (let i = 0; i < 16; i += 4) {
      const word = next();
      bytes[i] = word >>> 24;
      bytes[i + 1] = (word >>> 16) & 0xff;
      bytes[i + 2] = (word >>> 8) & 0xff;
      bytes[i + 3] = word & 0xff;
    }
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    return flat(format(bytes));
  };
}

/** A 32-hex ID (Keystone's project and user IDs) that is stable for one name: two FNV-1a runs would
 * collide too easily, so it takes the first 16 bytes of a UUID stream seeded with the name. */
export function stableHexId(kind: string, name: string): string {
  return uuidSource(`${kind}:${name}`, "hex-id")().replace(/-/g, "");
}
