/** A compute microversion as [major, minor]. */
export type Microversion = readonly [major: number, minor: number];

/** A range of microversions, both ends included, as `x-openstack: {min-ver, max-ver}` states it. */
export interface VersionRange {
  min: string;
  max: string;
}

/** Parses "X.Y" into numbers. Syntax is checked by the caller against the spec's `Microversion` pattern. */
export function parseMicroversion(version: string): Microversion {
  const [major = Number.NaN, minor = Number.NaN] = version.split(".").map(Number);
  return [major, minor];
}

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
