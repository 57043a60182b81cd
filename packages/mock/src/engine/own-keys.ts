/**
 * `Object.keys(object)`, listed once per object and shared by every walk that asks. Listing the
 * keys of a wide object is not cheap: V8 keeps an object of thousands of keys as a dictionary and
 * collects and orders its keys again on each call (about 1 ms for 10,000 keys), and an invalid
 * body is walked by the first-error search and then by the repr of its message. The list lives as
 * long as the object (a WeakMap): request values are never changed after parsing.
 */
const listed = new WeakMap<object, readonly string[]>();

export function ownKeys(object: object): readonly string[] {
  let keys = listed.get(object);
  if (!keys) {
    keys = Object.keys(object);
    listed.set(object, keys);
  }
  return keys;
}
