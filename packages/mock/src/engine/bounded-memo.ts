/**
 * `compute` with its results remembered, at most `max` of them. The keys the engine memoises come
 * from request URLs (IDs, projects), so a full memory is emptied rather than grown: a client cycling
 * through made-up values costs a recomputation, never memory.
 */
export function boundedMemo<T>(max: number, compute: (key: string) => T): (key: string) => T {
  const memory = new Map<string, T>();
  return (key) => {
    let value = memory.get(key);
    if (value === undefined) {
      if (memory.size >= max) memory.clear();
      value = compute(key);
      memory.set(key, value);
    }
    return value;
  };
}
