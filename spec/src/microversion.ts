// The one microversion module (browser-safe: no `node:` import). Ordering, ranges, `latest` and
// clamping are written here once and used by the client at run time, the mock, the docs, the lint
// plugin (through dist/microversion.js) and the tests. The syntax itself is the spec's `Microversion`
// pattern (read through the model); `isWellFormed` below is the same rule for callers that have no
// model at hand (the lint plugin runs before the model exists), and a spec test proves both agree.

/** A compute microversion as [major, minor]. */
export type Microversion = readonly [major: number, minor: number];

/** A range of microversions, both ends included, as `x-openstack: {min-ver, max-ver}` states it. */
export interface VersionRange {
  min: string;
  max: string;
}

const WELL_FORMED = /^([1-9][0-9]*)\.([1-9][0-9]*|0)$/;

/** True for "X.Y" as Nova's APIVersionRequest parses it (no leading zeros, minor may be 0). */
export function isWellFormed(version: string): boolean {
  return WELL_FORMED.test(version);
}

/** Parses "X.Y" into numbers (NaN parts for anything else; check with `isWellFormed` first). */
export function parseMicroversion(version: string): Microversion {
  const [major = Number.NaN, minor = Number.NaN] = version.split(".").map(Number);
  return [major, minor];
}

/** Negative, zero or positive, like a sort comparator: 2.9 < 2.10 < 2.45. */
export function compareMicroversions(a: string, b: string): number {
  const [a1, a2] = parseMicroversion(a);
  const [b1, b2] = parseMicroversion(b);
  return a1 - b1 || a2 - b2;
}

export function inRange(version: string, range: VersionRange): boolean {
  return compareMicroversions(version, range.min) >= 0 && compareMicroversions(version, range.max) <= 0;
}

/** Every microversion from min to max of one major version, in order ("2.1", "2.2", ...). */
export function microversionsBetween(min: string, max: string): string[] {
  const [major, from] = parseMicroversion(min);
  const [, to] = parseMicroversion(max);
  const out: string[] = [];
  for (let minor = from; minor <= to; minor++) out.push(`${major}.${minor}`);
  return out;
}

/** The version right after / before one ("2.44" → "2.45"), within its major version. */
export function nextMicroversion(version: string): string {
  const [major, minor] = parseMicroversion(version);
  return `${major}.${minor + 1}`;
}

export function previousMicroversion(version: string): string {
  const [major, minor] = parseMicroversion(version);
  return `${major}.${minor - 1}`;
}

/** The highest version up to `wanted` inside `range`, or undefined when `wanted` is below it. */
export function clampMicroversion(wanted: string, range: VersionRange): string | undefined {
  if (compareMicroversions(wanted, range.min) < 0) return undefined;
  return compareMicroversions(wanted, range.max) > 0 ? range.max : wanted;
}

/** `latest` (the keyword the spec names) resolved against a range; other versions as they are. */
export function resolveLatest(version: string, latest: string, range: VersionRange): string {
  return version === latest ? range.max : version;
}

/** The intersection of two ranges, or undefined when they do not overlap. */
export function intersectRanges(a: VersionRange, b: VersionRange): VersionRange | undefined {
  const min = compareMicroversions(a.min, b.min) >= 0 ? a.min : b.min;
  const max = compareMicroversions(a.max, b.max) <= 0 ? a.max : b.max;
  return compareMicroversions(min, max) <= 0 ? { min, max } : undefined;
}

/** Splits [range] at every boundary of `marks`, so each segment has one fixed set of elements. */
export function segmentRange(range: VersionRange, marks: readonly VersionRange[]): VersionRange[] {
  const cuts = new Set<string>([range.min]);
  for (const mark of marks) {
    if (compareMicroversions(mark.min, range.min) > 0 && compareMicroversions(mark.min, range.max) <= 0)
      cuts.add(mark.min);
    if (compareMicroversions(mark.max, range.max) < 0 && compareMicroversions(mark.max, range.min) >= 0)
      cuts.add(nextMicroversion(mark.max));
  }
  const starts = [...cuts].sort(compareMicroversions);
  return starts.map((start, i) => {
    const next = starts[i + 1];
    return { min: start, max: next ? previousMicroversion(next) : range.max };
  });
}

/** "2.1 – 2.44", or one version when both ends agree. */
export function rangeText(range: VersionRange): string {
  return range.min === range.max ? range.min : `${range.min} – ${range.max}`;
}
